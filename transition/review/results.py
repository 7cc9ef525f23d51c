"""What the review shows for one course: a row per count with its fate, and warnings.

Rows and warnings hold codes and numbers, not sentences: the text is looked up when shown, so
a review stored in a request reads in the language of whoever opens it later.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from django.utils.translation import gettext_lazy as _

from transition.keep_copy.counts import kept_lines
from transition.models import TransitionRequest
from transition.reset_options import option_named
from transition.review.settings_to_check import settings_to_check


class Fate(StrEnum):
    KEPT = "kept"
    DELETED = "deleted"
    UNENROLLED = "unenrolled"
    TO_CHECK = "to_check"
    ADDED = "added"  # enrolled cohort, role given, content restored


FATE_LABELS = {
    Fate.KEPT: _("kept"),
    Fate.DELETED: _("deleted"),
    Fate.UNENROLLED: _("unenrolled"),
    Fate.TO_CHECK: _("to check next year"),
    Fate.ADDED: _("added"),
}


class Section(StrEnum):
    ACTIVITY = "activity"
    COURSE = "course"
    GRADEBOOK = "gradebook"
    GROUPS = "groups"
    PARTICIPANTS = "participants"


SECTION_LABELS = {
    Section.ACTIVITY: _("Activity"),
    Section.COURSE: _("Course"),
    Section.GRADEBOOK: _("Gradebook"),
    Section.GROUPS: _("Groups and groupings"),
    Section.PARTICIPANTS: _("Participants"),
}


KIND_LABELS = {
    "discussions": _("discussions"),
    "posts": _("posts"),
    "ratings": _("ratings"),
    "subscriptions": _("subscriptions"),
    "submissions": _("submissions"),
    "grades": _("grades"),
    "overrides": _("overrides"),
    "attempts": _("attempts"),
    "entries": _("entries"),
    "comments": _("comments"),
    "pages": _("pages"),
    "responses": _("responses"),
    "assessments": _("assessments"),
    "recordings": _("recordings"),
    "logs": _("logs"),
    "completions": _("completions"),
    "events": _("calendar events"),
    "notes": _("notes"),
    "coursecompletions": _("course completions"),
    "blogassociations": _("blog associations"),
    "competencyratings": _("competency ratings"),
    "manualitems": _("grade items added by hand"),
    "categories": _("grade categories"),
    "groups": _("groups"),
    "members": _("group members"),
    "groupings": _("groupings"),
    "grouping_groups": _("groups in groupings"),
    "cohort_students": _("students via cohort"),
    "students": _("students enrolled manually or by self-enrolment"),
    "role_holders": _("participants"),
    "activity": _("activity and its content"),
    "settings": _("settings"),
    "teacher_role": _("teacher role"),
}

# Why a row has the fate it has when no reset option or policy rule decides it.
NOTE_TEXTS = {
    "scenario_no_change": _("Nothing is done to this course this year."),
    "scenario_hand_over": _("Handing over changes only who teaches the course."),
    "scenario_fresh_copy": _("Stays in the old course; the new course gets no user data."),
    "scenario_restore": _("Restoring brings last year's content without any user data."),
    "not_resettable": _("Moodle's reset does not touch this activity type."),
    "cohort_kept": _("The cohort sync stays, so its students stay enrolled."),
    "cohort_removed": _("The cohort sync is removed, which unenrols its students."),
    "cohort_added": _("Next year's cohort is synchronised into the course."),
    "not_enrolled_only": _("Only the data of people no longer enrolled after the reset."),
    "not_enrolled_some_stay": _(
        "Only the data of people no longer enrolled: students kept by a cohort sync keep theirs."
    ),
    "chosen_types": _("Deleted in the forums or glossaries of the chosen types only."),
    "wiki_hidden": _(
        "Moodle keeps the pages; those of former students are hidden and reappear if they are "
        "enrolled again."
    ),
    "restore_delete": _("The course's current content is deleted before the restore."),
    "restore_merge": _("Merged: resources that already exist are copied a second time."),
    "restore_blocked": _("The restore cannot run on this course (see the warning): it stays."),
    "restore_with_users": _("Restoring brings the content back with its user data."),
    "restore_user_data": _("Comes back with the backup, as the course held it then."),
    "hand_over_successor": _("Your colleague becomes a teacher of the course."),
    "hand_over_own_role": _("You give up your own teacher role."),
    "copy_teacher": _("Editing teacher of the new course."),
    "announcement": _(
        "The announcement this request posts to the students before the reset, in the "
        "announcements forum."
    ),
    "dates_shift": _("The new start date shifts every date of the course by the same amount."),
}


@dataclass(frozen=True)
class ReviewRow:
    section: str
    subject: str  # an activity's name, a cohort's idnumber, a role; "" for a section's own data
    modname: str  # the activity type; "" when the row is not about an activity
    kind: str  # a KIND_LABELS key
    total: int
    students: int
    others: int
    fate: Fate
    affected: int  # how many of `total` the fate applies to
    option: str = ""  # the reset option that decides, if any
    rule: str = ""  # the policy rule (PolicyRule.DataKind) that decides, if any
    locked: bool = False
    reason: str = ""  # the policy's reason, in the institution's words
    note: str = ""  # a NOTE_TEXTS key, or "check:<modname>" for the settings to check

    @property
    def subject_label(self) -> str:
        return self.subject or str(SECTION_LABELS[Section(self.section)])

    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS.get(self.kind, self.kind))

    @property
    def fate_label(self) -> str:
        return str(FATE_LABELS[self.fate])

    @property
    def option_label(self) -> str:
        if not self.option:
            return ""
        try:
            return str(option_named(self.option).label)
        except KeyError:
            return self.option

    @property
    def note_text(self) -> str:
        if self.note.startswith("check:"):
            return str(settings_to_check(self.note.removeprefix("check:")))
        return str(NOTE_TEXTS.get(self.note, ""))

    @property
    def partial(self) -> bool:
        return 0 < self.affected < self.total

    def to_json(self) -> dict[str, Any]:
        return {
            "section": self.section,
            "subject": self.subject,
            "modname": self.modname,
            "kind": self.kind,
            "total": self.total,
            "students": self.students,
            "others": self.others,
            "fate": self.fate.value,
            "affected": self.affected,
            "option": self.option,
            "rule": self.rule,
            "locked": self.locked,
            "reason": self.reason,
            "note": self.note,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ReviewRow:
        return cls(**{**data, "fate": Fate(data["fate"])})


WARNING_TEXTS: dict[str, tuple[Any, Any]] = {
    "other_role": (
        _("You hold the role(s) %(roles)s in this course besides teacher: a reset can remove "
          "them and you could lose access to the course."),
        _("Keep only your teacher role (Participants, in Moodle) before the reset, and do not "
          "tick those roles in “Unenrol users with these roles”."),
    ),
    "cohort_stays": (
        _("%(users)s students enrolled by the cohort sync %(cohort)s stay enrolled: a reset does "
          "not unenrol cohort members."),
        _("Tick the cohort under “Cohorts to remove” if last year's students must leave."),
    ),
    "not_resettable": (
        _("Moodle cannot reset these activities: %(names)s. Their data stays."),
        _("Delete their students' data by hand, or in the external tool for LTI activities."),
    ),
    "restore_not_empty": (
        _("The course already holds content (%(modules)s activities besides the news forum): "
          "restoring into it is blocked."),
        _("Choose another scenario, or empty the course in Moodle first."),
    ),
    "restore_already": (
        _("A backup was already restored into this course: restoring again is blocked."),
        _("Check the course; if its content is wrong, ask a pedagogical engineer."),
    ),
    "restore_no_source": (
        _("No course of the previous platform was chosen to restore from."),
        _("Go back to the scenario step and pick the course to restore."),
    ),
    "open_request": (
        _("%(holder)s already has a request in progress for this course."),
        _("Agree with %(holder)s; they can cancel their request from its page."),
    ),
    "no_backup": (
        _("No backup of this course can be taken (%(detail)s), so nothing may change it."),
        _("Ask an administrator to give Passage the backup capability on this course."),
    ),
    "export_forum": (
        _("Every forum post is deleted, teachers' included (%(posts)s posts)."),
        _("Export the discussions you want to keep before the reset."),
    ),
    "grade_export": (
        _("The grades are deleted (%(grades)s grades)."),
        _("Keep “export the gradebook before the reset” ticked, in case of a student appeal."),
    ),
}  # fmt: skip


@dataclass(frozen=True)
class ReviewWarning:
    code: str
    params: Mapping[str, str] = field(default_factory=dict)
    # A blocking warning stops the request: the scenario cannot run on this course as it is.
    blocking: bool = False

    @property
    def message(self) -> str:
        return str(WARNING_TEXTS[self.code][0]) % dict(self.params)

    @property
    def what_to_do(self) -> str:
        return str(WARNING_TEXTS[self.code][1]) % dict(self.params)

    def to_json(self) -> dict[str, Any]:
        return {"code": self.code, "params": dict(self.params), "blocking": self.blocking}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ReviewWarning:
        return cls(
            code=str(data["code"]),
            params={str(k): str(v) for k, v in (data.get("params") or {}).items()},
            blocking=bool(data.get("blocking")),
        )


DATE_LABELS = {
    "announcement": _("Announcement posted in the course"),
    "run": _("The course is transformed"),
    "startdate": _("Course start date"),
    "enddate": _("Course end date"),
    "backup_restored": _("Backup restored, taken on (the course has not changed since)"),
    "backup_new": _("Last year's course backed up again, then restored"),
}


@dataclass(frozen=True)
class ReviewDate:
    """A date the request sets or changes: `before` as Moodle has it now (0: none, or nothing
    before), `after` once the request ran (0: none)."""

    kind: str  # a DATE_LABELS key
    before: int  # Unix time
    after: int

    @property
    def label(self) -> str:
        return str(DATE_LABELS[self.kind])

    @property
    def before_at(self) -> datetime.datetime | None:
        return _moment(self.before)

    @property
    def after_at(self) -> datetime.datetime | None:
        return _moment(self.after)

    @property
    def changes(self) -> bool:
        return self.before != self.after

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "before": self.before, "after": self.after}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ReviewDate:
        return cls(
            kind=str(data["kind"]),
            before=int(data.get("before") or 0),
            after=int(data.get("after") or 0),
        )


def _moment(timestamp: int) -> datetime.datetime | None:
    return datetime.datetime.fromtimestamp(timestamp, tz=datetime.UTC) if timestamp else None


@dataclass(frozen=True)
class CourseReview:
    course_moodle_id: int
    shortname: str
    fullname: str
    scenario: str
    rows: tuple[ReviewRow, ...]
    warnings: tuple[ReviewWarning, ...]
    generated_at: int  # the inventory's timegenerated
    # What the copy of the deleted data will hold (`transition.keep_copy.counts`), when asked.
    kept: Mapping[str, int] = field(default_factory=dict)
    dates: tuple[ReviewDate, ...] = ()
    # The course's roles, id to shortname: the options name roles by id (unenrol_users).
    roles: Mapping[int, str] = field(default_factory=dict)

    @property
    def kept_lines(self) -> list[tuple[str, str, int]]:
        return kept_lines(self.kept)

    @property
    def scenario_label(self) -> str:
        return str(TransitionRequest.Scenario(self.scenario).label)

    @property
    def blocked(self) -> bool:
        return any(warning.blocking for warning in self.warnings)

    def affected_by_fate(self) -> dict[str, int]:
        """How many records each fate touches (TO_CHECK counts settings to check)."""
        totals = {fate.value: 0 for fate in Fate}
        for row in self.rows:
            totals[row.fate.value] += row.affected
        return totals

    def rows_in(self, section: str) -> tuple[ReviewRow, ...]:
        return tuple(row for row in self.rows if row.section == section)

    @property
    def checklist(self) -> tuple[ReviewRow, ...]:
        return tuple(row for row in self.rows if row.fate == Fate.TO_CHECK)

    def to_json(self) -> dict[str, Any]:
        return {
            "course_moodle_id": self.course_moodle_id,
            "shortname": self.shortname,
            "fullname": self.fullname,
            "scenario": self.scenario,
            "rows": [row.to_json() for row in self.rows],
            "warnings": [warning.to_json() for warning in self.warnings],
            "generated_at": self.generated_at,
            "dates": [date.to_json() for date in self.dates],
            "counts": self.affected_by_fate(),
            "kept": dict(self.kept),
            "roles": {str(roleid): shortname for roleid, shortname in self.roles.items()},
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> CourseReview:
        return cls(
            course_moodle_id=int(data["course_moodle_id"]),
            shortname=str(data["shortname"]),
            fullname=str(data.get("fullname") or ""),
            scenario=str(data["scenario"]),
            rows=tuple(ReviewRow.from_json(row) for row in data.get("rows") or ()),
            warnings=tuple(ReviewWarning.from_json(w) for w in data.get("warnings") or ()),
            generated_at=int(data.get("generated_at") or 0),
            kept={str(k): int(v) for k, v in (data.get("kept") or {}).items()},
            dates=tuple(ReviewDate.from_json(d) for d in data.get("dates") or ()),
            roles={int(k): str(v) for k, v in (data.get("roles") or {}).items()},
        )

"""What a transition request asks for, as data the job engine executes exactly.

The wizard builds a `RequestSpec` from what the teacher reviewed and confirmed; the request
stores `spec.to_json()` (`TransitionRequest.spec`); the job engine reads it back with
`RequestSpec.from_json(request.spec)` and plans its jobs from it. Nothing the engine needs is
left to be guessed from other columns.

JSON shape (version 1), every key always present:

    {
      "version": 1,
      "scenario": "reuse_reset" | "fresh_copy" | "restore_previous" | "hand_over" | "no_change",
      "course_moodle_id": 42,                 # the course on the current platform
      "reset_options": {"reset_forum_all": "1", "unenrol_users": "5", ...},
                                              # reuse_reset only, else {}: names and values as
                                              # local_passage_reset_course takes them; a date
                                              # (reset_start_date) is a Unix timestamp string
      "new_start_date": "2026-09-01" | null,  # reuse_reset / fresh_copy / restore_previous
      "cohort_changes": [
        {"action": "remove", "enrol_instance_id": 12, "cohort_idnumber": "L1CHIM231",
         "role": "student", "users": 64},
        {"action": "add", "enrol_instance_id": 0, "cohort_idnumber": "L1CHIM241",
         "role": "student", "users": 0}
      ],                                      # applied to the course that students use next
                                              # year (the new course for fresh_copy)
      "grade_export": true,                   # export the gradebook before anything else
      "keep_copy": true,                      # reuse_reset: archive what the reset deletes
                                              # (forums, assignments, quizzes, gradebook)
                                              # before the backup and the reset
      "announcement": {"days_before": 14, "subject": "...", "message": "..."} | null,
      "fresh_copy": {"new_shortname": "CHIM231-2026", "new_fullname": "...",
                     "archive": {"prefix": "ex_" | "", "move_to_category_moodle_id": 17 | null,
                                 "hide": true},
                     "teachers": ["cdubois", ...]} | null,   # Moodle usernames enrolled as
                                                            # editing teachers of the new course
      "restore": {"source_instance_id": 2, "source_course_moodle_id": 7,
                  "mode": "delete" | "merge",
                  "backup_id": 31 | null,    # a stored Backup to restore instead
                                             # of a fresh backup of the source
                  "users": false} | null,    # also its user data (a stored backup with
                                             # users: a course reset by mistake)
      "hand_over": {"successor_username": "jdupont", "remove_own_role": false,
                    "own_username": "mmartin"} | null,
      "special_calendar": {"kind": "early_opening" | "late_closing" | "shifted",
                           "opens": "2026-08-17" | null, "closes": "2026-09-20" | null,
                           "reason": "..."} | null,
      "asap": false                           # run as soon as possible instead of the run date
    }
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

SPEC_VERSION = 1

SCENARIOS = ("reuse_reset", "fresh_copy", "restore_previous", "hand_over", "no_change")
RESTORE_MODES = ("delete", "merge")
SPECIAL_CALENDAR_KINDS = ("early_opening", "late_closing", "shifted")


class SpecInvalid(ValueError):
    """The JSON is not a request spec this version of Passage can execute."""


def _date_or_none(value: Any) -> datetime.date | None:
    if value in (None, ""):
        return None
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError as error:
        raise SpecInvalid(f"not a date: {value!r}") from error


def _iso(value: datetime.date | None) -> str | None:
    return value.isoformat() if value else None


@dataclass(frozen=True)
class CohortChange:
    """Remove a cohort sync (by its enrolment instance) or add one (by cohort idnumber)."""

    action: str  # "remove" | "add"
    cohort_idnumber: str
    enrol_instance_id: int = 0
    role: str = "student"
    users: int = 0  # for a removal: how many users the sync enrolled when reviewed

    def __post_init__(self) -> None:
        if self.action not in ("remove", "add"):
            raise SpecInvalid(f"unknown cohort change {self.action!r}")
        if self.action == "remove" and not self.enrol_instance_id:
            raise SpecInvalid("a cohort removal names its enrolment instance")
        if self.action == "add" and not self.cohort_idnumber:
            raise SpecInvalid("a cohort addition names its cohort")

    def to_json(self) -> dict[str, Any]:
        return {
            "action": self.action,
            "enrol_instance_id": self.enrol_instance_id,
            "cohort_idnumber": self.cohort_idnumber,
            "role": self.role,
            "users": self.users,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> CohortChange:
        return cls(
            action=str(data["action"]),
            cohort_idnumber=str(data.get("cohort_idnumber") or ""),
            enrol_instance_id=int(data.get("enrol_instance_id") or 0),
            role=str(data.get("role") or "student"),
            users=int(data.get("users") or 0),
        )


@dataclass(frozen=True)
class Announcement:
    """A post in the course's news forum, `days_before` days before the run date."""

    days_before: int
    subject: str
    message: str

    def to_json(self) -> dict[str, Any]:
        return {"days_before": self.days_before, "subject": self.subject, "message": self.message}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Announcement:
        return cls(
            days_before=int(data["days_before"]),
            subject=str(data.get("subject") or ""),
            message=str(data.get("message") or ""),
        )


@dataclass(frozen=True)
class ArchivePlan:
    """What becomes of the old course once copied; all empty/false means "leave it as is"."""

    prefix: str = ""
    move_to_category_moodle_id: int | None = None
    hide: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "prefix": self.prefix,
            "move_to_category_moodle_id": self.move_to_category_moodle_id,
            "hide": self.hide,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ArchivePlan:
        category = data.get("move_to_category_moodle_id")
        return cls(
            prefix=str(data.get("prefix") or ""),
            move_to_category_moodle_id=int(category) if category else None,
            hide=bool(data.get("hide")),
        )


@dataclass(frozen=True)
class FreshCopy:
    """A new course copied from the old one, without user data: Moodle's copy enrols nobody,
    so `teachers` (Moodle usernames) are enrolled as its editing teachers."""

    new_shortname: str
    new_fullname: str
    archive: ArchivePlan = field(default_factory=ArchivePlan)
    teachers: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "new_shortname": self.new_shortname,
            "new_fullname": self.new_fullname,
            "archive": self.archive.to_json(),
            "teachers": list(self.teachers),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> FreshCopy:
        return cls(
            new_shortname=str(data["new_shortname"]),
            new_fullname=str(data.get("new_fullname") or ""),
            archive=ArchivePlan.from_json(data.get("archive") or {}),
            teachers=tuple(str(name) for name in data.get("teachers") or ()),
        )


@dataclass(frozen=True)
class RestorePlan:
    """Restore a course's content: by default a fresh anonymised backup (no users) of a course
    of the previous platform, or, with `backup_id`, a backup Passage already stores (an admin's
    restore on request), then with its user data if `users`."""

    source_instance_id: int  # MoodleInstance pk of the platform the source course is on
    source_course_moodle_id: int
    mode: str = "delete"
    backup_id: int | None = None
    users: bool = False  # restore the stored backup's user data too

    def __post_init__(self) -> None:
        if self.mode not in RESTORE_MODES:
            raise SpecInvalid(f"unknown restore mode {self.mode!r}")
        if self.users and self.backup_id is None:
            raise SpecInvalid("only a stored backup is restored with its user data")

    def to_json(self) -> dict[str, Any]:
        return {
            "source_instance_id": self.source_instance_id,
            "source_course_moodle_id": self.source_course_moodle_id,
            "mode": self.mode,
            "backup_id": self.backup_id,
            "users": self.users,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> RestorePlan:
        return cls(
            source_instance_id=int(data["source_instance_id"]),
            source_course_moodle_id=int(data["source_course_moodle_id"]),
            mode=str(data.get("mode") or "delete"),
            backup_id=int(data["backup_id"]) if data.get("backup_id") is not None else None,
            users=bool(data.get("users")),
        )


@dataclass(frozen=True)
class HandOver:
    successor_username: str
    remove_own_role: bool = False
    own_username: str = ""  # the Moodle username whose teacher role goes, if removed

    def to_json(self) -> dict[str, Any]:
        return {
            "successor_username": self.successor_username,
            "remove_own_role": self.remove_own_role,
            "own_username": self.own_username,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> HandOver:
        return cls(
            successor_username=str(data["successor_username"]),
            remove_own_role=bool(data.get("remove_own_role")),
            own_username=str(data.get("own_username") or ""),
        )


@dataclass(frozen=True)
class SpecialCalendar:
    """A course off the academic calendar: an engineer approves the request first (seed 001)."""

    kind: str
    opens: datetime.date | None
    closes: datetime.date | None
    reason: str

    def __post_init__(self) -> None:
        if self.kind not in SPECIAL_CALENDAR_KINDS:
            raise SpecInvalid(f"unknown special calendar {self.kind!r}")

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "opens": _iso(self.opens),
            "closes": _iso(self.closes),
            "reason": self.reason,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> SpecialCalendar:
        return cls(
            kind=str(data["kind"]),
            opens=_date_or_none(data.get("opens")),
            closes=_date_or_none(data.get("closes")),
            reason=str(data.get("reason") or ""),
        )


@dataclass(frozen=True)
class RequestSpec:
    scenario: str
    course_moodle_id: int
    reset_options: Mapping[str, str] = field(default_factory=dict)
    new_start_date: datetime.date | None = None
    cohort_changes: tuple[CohortChange, ...] = ()
    grade_export: bool = False
    keep_copy: bool = False
    announcement: Announcement | None = None
    fresh_copy: FreshCopy | None = None
    restore: RestorePlan | None = None
    hand_over: HandOver | None = None
    special_calendar: SpecialCalendar | None = None
    asap: bool = False

    def __post_init__(self) -> None:
        if self.scenario not in SCENARIOS:
            raise SpecInvalid(f"unknown scenario {self.scenario!r}")
        required = {
            "fresh_copy": self.fresh_copy,
            "restore_previous": self.restore,
            "hand_over": self.hand_over,
        }
        if self.scenario in required and required[self.scenario] is None:
            raise SpecInvalid(f"{self.scenario} needs its own settings")
        if self.reset_options and self.scenario != "reuse_reset":
            raise SpecInvalid("only reuse_reset carries reset options")
        if self.keep_copy and self.scenario != "reuse_reset":
            raise SpecInvalid("only reuse_reset keeps a copy of what it deletes")

    @property
    def removes_cohorts(self) -> tuple[CohortChange, ...]:
        return tuple(change for change in self.cohort_changes if change.action == "remove")

    @property
    def adds_cohorts(self) -> tuple[CohortChange, ...]:
        return tuple(change for change in self.cohort_changes if change.action == "add")

    def to_json(self) -> dict[str, Any]:
        return {
            "version": SPEC_VERSION,
            "scenario": self.scenario,
            "course_moodle_id": self.course_moodle_id,
            "reset_options": dict(sorted(self.reset_options.items())),
            "new_start_date": _iso(self.new_start_date),
            "cohort_changes": [change.to_json() for change in self.cohort_changes],
            "grade_export": self.grade_export,
            "keep_copy": self.keep_copy,
            "announcement": self.announcement.to_json() if self.announcement else None,
            "fresh_copy": self.fresh_copy.to_json() if self.fresh_copy else None,
            "restore": self.restore.to_json() if self.restore else None,
            "hand_over": self.hand_over.to_json() if self.hand_over else None,
            "special_calendar": (
                self.special_calendar.to_json() if self.special_calendar else None
            ),
            "asap": self.asap,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> RequestSpec:
        if data.get("version") != SPEC_VERSION:
            raise SpecInvalid(f"request spec version {data.get('version')!r} is not supported")
        try:
            return cls(
                scenario=str(data["scenario"]),
                course_moodle_id=int(data["course_moodle_id"]),
                reset_options={
                    str(k): str(v) for k, v in (data.get("reset_options") or {}).items()
                },
                new_start_date=_date_or_none(data.get("new_start_date")),
                cohort_changes=tuple(
                    CohortChange.from_json(item) for item in data.get("cohort_changes") or ()
                ),
                grade_export=bool(data.get("grade_export")),
                keep_copy=bool(data.get("keep_copy")),
                announcement=(
                    Announcement.from_json(data["announcement"])
                    if data.get("announcement")
                    else None
                ),
                fresh_copy=(
                    FreshCopy.from_json(data["fresh_copy"]) if data.get("fresh_copy") else None
                ),
                restore=RestorePlan.from_json(data["restore"]) if data.get("restore") else None,
                hand_over=HandOver.from_json(data["hand_over"]) if data.get("hand_over") else None,
                special_calendar=(
                    SpecialCalendar.from_json(data["special_calendar"])
                    if data.get("special_calendar")
                    else None
                ),
                asap=bool(data.get("asap")),
            )
        except (KeyError, TypeError, ValueError) as error:
            if isinstance(error, SpecInvalid):
                raise
            raise SpecInvalid(f"not a request spec: {error}") from error

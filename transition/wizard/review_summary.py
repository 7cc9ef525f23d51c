"""The review as a teacher reads it: a headline per course first (what is kept, deleted,
unenrolled, added), then the detail grouped by activity, with Moodle's own names for module
types and roles.

Presentation only: it reads the review's rows and adds nothing to them, so every count of the
review stays reachable in the detail. The rows name people by their Moodle username, as Moodle
knows them; the page names them by their full name from the synced people.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from transition.reset_options import FEEDBACK_OPTION_PREFIX, feedback_option
from transition.review.results import SECTION_LABELS, CourseReview, Fate, ReviewRow, Section
from transition.selectors import people_named

# Moodle 5.0's "modulename" string of each module type (English language pack); the French is
# the French language pack's, in locale/fr.
MODULE_NAMES = {
    "assign": pgettext_lazy("Moodle module", "Assignment"),
    "bigbluebuttonbn": pgettext_lazy("Moodle module", "BigBlueButton"),
    "book": pgettext_lazy("Moodle module", "Book"),
    "choice": pgettext_lazy("Moodle module", "Choice"),
    "data": pgettext_lazy("Moodle module", "Database"),
    "feedback": pgettext_lazy("Moodle module", "Feedback"),
    "folder": pgettext_lazy("Moodle module", "Folder"),
    "forum": pgettext_lazy("Moodle module", "Forum"),
    "glossary": pgettext_lazy("Moodle module", "Glossary"),
    "h5pactivity": pgettext_lazy("Moodle module", "H5P"),
    "imscp": pgettext_lazy("Moodle module", "IMS content package"),
    "label": pgettext_lazy("Moodle module", "Text and media area"),
    "lesson": pgettext_lazy("Moodle module", "Lesson"),
    "lti": pgettext_lazy("Moodle module", "External tool"),
    "page": pgettext_lazy("Moodle module", "Page"),
    "qbank": pgettext_lazy("Moodle module", "Question bank"),
    "quiz": pgettext_lazy("Moodle module", "Quiz"),
    "resource": pgettext_lazy("Moodle module", "File"),
    "scorm": pgettext_lazy("Moodle module", "SCORM package"),
    "subsection": pgettext_lazy("Moodle module", "Subsection"),
    "url": pgettext_lazy("Moodle module", "URL"),
    "wiki": pgettext_lazy("Moodle module", "Wiki"),
    "workshop": pgettext_lazy("Moodle module", "Workshop"),
}
# role_get_name() of Moodle's standard roles (English language pack; French in locale/fr).
ROLE_NAMES = {
    "manager": pgettext_lazy("Moodle role", "Manager"),
    "coursecreator": pgettext_lazy("Moodle role", "Course creator"),
    "editingteacher": pgettext_lazy("Moodle role", "Teacher"),
    "teacher": pgettext_lazy("Moodle role", "Non-editing teacher"),
    "student": pgettext_lazy("Moodle role", "Student"),
    "guest": pgettext_lazy("Moodle role", "Guest"),
    "user": pgettext_lazy("Moodle role", "Authenticated user"),
}

# The forum and glossary types the reset's "of these types" options list (Moodle's strings).
TYPE_NAMES = {
    "news": pgettext_lazy("Moodle forum type", "Announcements"),
    "social": pgettext_lazy("Moodle forum type", "Social forum"),
    "general": pgettext_lazy("Moodle forum type", "Standard forum for general use"),
    "eachuser": pgettext_lazy("Moodle forum type", "Each person posts one discussion"),
    "single": pgettext_lazy("Moodle forum type", "A single simple discussion"),
    "qanda": pgettext_lazy("Moodle forum type", "Q and A forum"),
    "blog": pgettext_lazy("Moodle forum type", "Standard forum displayed in a blog-like format"),
    "main": pgettext_lazy("Moodle glossary type", "Main glossary"),
    "secondary": pgettext_lazy("Moodle glossary type", "Secondary glossary"),
}


# The notes of the row that stands for the whole of what a restore brings back.
RESTORE_NOTES = ("scenario_restore", "restore_with_users")


def type_name(value: str) -> str:
    return str(TYPE_NAMES.get(value, value))


def module_name(modname: str) -> str:
    return str(MODULE_NAMES.get(modname, modname))


def role_name(shortname: str) -> str:
    return str(ROLE_NAMES.get(shortname, shortname))


def roles_named(shortnames: str) -> str:
    """ "manager, teacher" as Moodle names them: "Manager, Non-editing teacher"."""
    return ", ".join(role_name(part.strip()) for part in shortnames.split(",") if part.strip())


@dataclass(frozen=True)
class Amount:
    count: int
    label: str


@dataclass(frozen=True)
class Headline:
    """What a teacher reads of a course's review in ten seconds."""

    kept_activities: int
    kept_records: int
    deleted: tuple[Amount, ...]  # by kind of data, largest first
    deleted_total: int
    unenrolled_total: int
    unenrolled_from: tuple[str, ...]  # cohorts, "enrolled by hand", roles
    added: tuple[Amount, ...]  # cohorts (with their members once known), people given a role
    to_check: int
    restored: Restored | None = None  # a restore: what comes back, from which course


@dataclass(frozen=True)
class Restored:
    """What a restore brings back: the previous platform's course, its activities (0 when the
    count is unknown) and whether their user data comes too."""

    source: str
    activities: int
    with_users: bool


@dataclass(frozen=True)
class DetailLine:
    row: ReviewRow
    subject: str  # the row's subject, a role by its Moodle name
    option: str  # the deciding option's label, a feedback's with its activity's name


@dataclass(frozen=True)
class DetailGroup:
    """An activity (or a part of the course) and every row about it."""

    title: str
    modname: str
    type_label: str
    lines: tuple[DetailLine, ...]
    deleted: int
    kept: int


def _people(review: CourseReview) -> dict[str, str]:
    """The people the review gives or takes a teaching role, by their Moodle username (as the
    review stores them), named as people read them."""
    return people_named(row.subject for row in review.rows if row.kind == "teacher_role")


def _subject(row: ReviewRow, people: dict[str, str]) -> str:
    if row.note == "announcement" and not row.subject:
        return type_name("news")  # the announcements forum the announcement makes
    if row.section == Section.PARTICIPANTS and row.kind == "role_holders":
        return role_name(row.subject)
    if row.section == Section.PARTICIPANTS and row.kind == "teacher_role":
        return people.get(row.subject, row.subject)
    if row.section == Section.PARTICIPANTS and row.kind == "students" and not row.subject:
        return str(_("Students enrolled by hand or self-enrolment"))
    return row.subject_label


def _option(row: ReviewRow) -> str:
    if row.option.startswith(FEEDBACK_OPTION_PREFIX):
        instance = row.option.removeprefix(FEEDBACK_OPTION_PREFIX)
        if instance.isdigit():
            return str(feedback_option(int(instance), row.subject).label)
    return row.option_label


def review_headline(review: CourseReview) -> Headline:
    people = _people(review)
    activities: set[tuple[str, str]] = set()
    gone: set[tuple[str, str]] = set()
    kept_records = 0
    deleted: dict[str, int] = defaultdict(int)
    unenrolled_total = 0
    unenrolled_from: list[str] = []
    added: list[Amount] = []
    to_check = 0
    # An assignment's, quiz's or lesson's grades are also grades of the gradebook (Moodle
    # copies each into grade_grades): when the gradebook's grades go, the headline counts
    # them once, there; the detail keeps each table's count.
    gradebook_grades_go = any(
        row.section == Section.GRADEBOOK
        and row.kind == "grades"
        and row.fate == Fate.DELETED
        and row.affected
        for row in review.rows
    )
    restored = None
    for row in review.rows:
        if row.fate == Fate.TO_CHECK:
            to_check += 1
            continue
        if row.kind == "activity" and row.note in RESTORE_NOTES and row.fate == Fate.ADDED:
            restored = Restored(row.subject, row.total, row.note == "restore_with_users")
            continue
        if row.section == Section.ACTIVITY and row.fate != Fate.ADDED:
            activities.add((row.subject, row.modname))
            if row.kind == "activity" and row.fate == Fate.DELETED:
                gone.add((row.subject, row.modname))
        if row.section == Section.PARTICIPANTS:
            if row.fate == Fate.UNENROLLED and row.affected:
                unenrolled_total += row.affected
                unenrolled_from.append(_subject(row, people))
            elif row.fate == Fate.ADDED and row.kind == "cohort_students":
                added.append(Amount(row.total, _subject(row, people)))  # its members, once counted
            elif row.fate == Fate.ADDED:
                added.append(Amount(0, f"{_subject(row, people)} ({row.kind_label})"))
            continue
        counted_in_gradebook = (
            gradebook_grades_go and row.section == Section.ACTIVITY and row.kind == "grades"
        )
        if row.fate == Fate.DELETED and row.affected and not counted_in_gradebook:
            deleted[row.kind_label] += row.affected
        if row.fate in (Fate.KEPT, Fate.DELETED) and row.kind != "activity":
            kept_records += row.total - (row.affected if row.fate == Fate.DELETED else 0)
    ordered = sorted(deleted.items(), key=lambda item: (-item[1], item[0]))
    return Headline(
        kept_activities=len(activities - gone),
        kept_records=kept_records,
        deleted=tuple(Amount(count, label) for label, count in ordered),
        deleted_total=sum(deleted.values()),
        unenrolled_total=unenrolled_total,
        unenrolled_from=tuple(unenrolled_from),
        added=tuple(added),
        to_check=to_check,
        restored=restored,
    )


def review_detail(review: CourseReview) -> list[DetailGroup]:
    """Every row of the review, grouped by activity (then the course's own parts), in order."""
    groups: dict[tuple[str, str, str], list[ReviewRow]] = {}
    for row in review.rows:
        if row.section == Section.ACTIVITY:
            key = (row.section, row.subject, row.modname)
        else:
            key = (row.section, "", "")
        groups.setdefault(key, []).append(row)
    detail = []
    people = _people(review)
    for (section, _activity, modname), rows in groups.items():
        detail.append(
            DetailGroup(
                title=_subject(rows[0], people)
                if section == Section.ACTIVITY
                else str(SECTION_LABELS[Section(section)]),
                modname=modname,
                type_label=module_name(modname) if modname else "",
                lines=tuple(DetailLine(row, _subject(row, people), _option(row)) for row in rows),
                deleted=sum(r.affected for r in rows if r.fate in (Fate.DELETED, Fate.UNENROLLED)),
                kept=sum(
                    r.total - (r.affected if r.fate == Fate.DELETED else 0)
                    for r in rows
                    if r.fate in (Fate.KEPT, Fate.DELETED)
                ),
            )
        )
    return detail

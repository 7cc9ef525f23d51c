"""What a request will leave in Moodle, as the teacher's pages and e-mails name it: the new course
of a fresh copy and the archiving of the old one, the special calendar and whether a pedagogical
engineer must approve it first. The review, the confirm step, the request page and the e-mails
all read it from here, so they say the same thing."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.dates import date_format
from transition.models import Category, Course
from transition.request_spec import RequestSpec
from transition.selectors import people_named
from transition.services.request_create import request_status_for

CALENDAR_LABELS = {
    "early_opening": _("Opens before the start of the academic year"),
    "late_closing": _("Closes after the start of the academic year"),
    "shifted": _("Shifted calendar (opens during the year)"),
}


def calendar_and_reset(
    calendar: Calendar,
    *,
    reset_at: datetime.datetime | None,
    course_end: datetime.date | None,
    done: bool = False,
) -> str:
    """The one sentence that relates a special calendar's dates to the reset (the guides: a
    course that closes after the start of the year is still in use, so its reset, which
    deletes the students' work, waits until it closes; one that opens before it, or during the
    year, is reset before its new students arrive). `reset_at` is when the reset is set to run,
    None while an engineer has not decided; `done` once the reset ran."""
    reset_day = timezone.localdate(reset_at) if reset_at is not None else None
    if calendar.kind == "late_closing" and calendar.closes is not None:
        values = {
            "closes": date_format(calendar.closes, "DATE_FORMAT"),
            "end": date_format(course_end, "DATE_FORMAT") if course_end else "",
        }
        if reset_day is None:
            text = (
                _(
                    "This year's students work in the course until %(closes)s, after its end "
                    "date (%(end)s): the reset, which deletes their work, must come after that "
                    "date, and the pedagogical engineer who approves sets it."
                )
                if course_end
                else _(
                    "This year's students work in the course until %(closes)s: the reset, "
                    "which deletes their work, must come after that date, and the pedagogical "
                    "engineer who approves sets it."
                )
            )
        elif done and reset_day > calendar.closes:
            text = _(
                "This year's students worked in the course until %(closes)s: the reset, which "
                "deleted their work, came after, on %(reset)s."
            )
        elif done:
            text = _(
                "This year's students worked in the course until %(closes)s, but the reset, "
                "which deleted their work, ran on %(reset)s, before that date."
            )
        elif reset_day > calendar.closes:
            text = _(
                "This year's students work in the course until %(closes)s: the reset, which "
                "deletes their work, comes after, on %(reset)s."
            )
        else:
            text = _(
                "This year's students work in the course until %(closes)s, but the reset, "
                "which deletes their work, is set for %(reset)s, before that date: ask your "
                "pedagogical engineer to move it."
            )
    elif calendar.opens is not None:
        values = {"opens": date_format(calendar.opens, "DATE_FORMAT")}
        if reset_day is None:
            text = _(
                "Next year's students arrive in the course on %(opens)s: the reset must come "
                "before that date, and the pedagogical engineer who approves sets it."
            )
        elif done and reset_day < calendar.opens:
            text = _(
                "Next year's students arrive in the course on %(opens)s: the reset came "
                "before, on %(reset)s."
            )
        elif done:
            text = _(
                "Next year's students arrive in the course on %(opens)s, but the reset ran on "
                "%(reset)s, not before that date."
            )
        elif reset_day < calendar.opens:
            text = _(
                "Next year's students arrive in the course on %(opens)s: the reset comes "
                "before, on %(reset)s."
            )
        else:
            text = _(
                "Next year's students arrive in the course on %(opens)s, but the reset is set "
                "for %(reset)s, not before that date: ask your pedagogical engineer to move it."
            )
    else:
        return ""
    if reset_day is not None:
        values["reset"] = date_format(reset_day, "DATE_FORMAT")
    return str(text) % values


def moodle_course_url(course: Course) -> str:
    return f"{course.instance.url.rstrip('/')}/course/view.php?id={course.moodle_id}"


@dataclass(frozen=True)
class CourseName:
    shortname: str
    fullname: str
    url: str = ""  # empty until the course exists in Moodle


@dataclass(frozen=True)
class Archiving:
    """The old course once a fresh copy is made: its new name, where it goes, whether hidden."""

    shortname: str
    fullname: str
    category: str  # "" when it stays in its category
    hidden: bool


@dataclass(frozen=True)
class Calendar:
    kind: str
    label: str
    opens: datetime.date | None
    closes: datetime.date | None
    reason: str


@dataclass(frozen=True)
class HandOver:
    """Who takes the course over, named as people read it, and whether the teacher leaves it."""

    successor: str
    leaves: bool


@dataclass(frozen=True)
class Outcome:
    new_course: CourseName | None
    archiving: Archiving | None
    calendar: Calendar | None
    needs_approval: bool
    new_start_date: datetime.date | None = None  # every date of the course shifts with it
    hand_over: HandOver | None = None


def request_outcome(
    *, spec: RequestSpec, course: Course, target_course: Course | None = None
) -> Outcome:
    new_course = archiving = calendar = None
    copy = spec.fresh_copy
    if copy is not None:
        if target_course is not None:
            new_course = CourseName(
                target_course.shortname, target_course.fullname, moodle_course_url(target_course)
            )
        else:
            new_course = CourseName(copy.new_shortname, copy.new_fullname or course.fullname)
        plan = copy.archive
        category = ""
        if plan.move_to_category_moodle_id:
            category = (
                Category.objects.filter(
                    instance=course.instance, moodle_id=plan.move_to_category_moodle_id
                )
                .values_list("name", flat=True)
                .first()
                or ""
            )
        original = course.shortname
        if plan.prefix and original.startswith(plan.prefix):
            original = original.removeprefix(plan.prefix)  # already archived: name it once
        archiving = Archiving(
            shortname=plan.prefix + original,
            fullname=plan.prefix + course.fullname.removeprefix(plan.prefix),
            category=category,
            hidden=plan.hide,
        )
    special = spec.special_calendar
    if special is not None:
        calendar = Calendar(
            kind=special.kind,
            label=str(CALENDAR_LABELS.get(special.kind, special.kind)),
            opens=special.opens,
            closes=special.closes,
            reason=special.reason,
        )
    hand_over = None
    if spec.hand_over is not None:
        successor = spec.hand_over.successor_username
        hand_over = HandOver(
            successor=people_named([successor]).get(successor, successor),
            leaves=spec.hand_over.remove_own_role,
        )
    needs_approval = request_status_for(course=course, spec=spec) == "pending_approval"
    return Outcome(new_course, archiving, calendar, needs_approval, spec.new_start_date, hand_over)

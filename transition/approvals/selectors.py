"""What the approvals queue shows: requests waiting for an engineer, and how to narrow them."""

import datetime
from collections.abc import Mapping
from dataclasses import dataclass

from django.db import models
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from portal.dates import date_format
from transition.engine.planner import plan_for_spec, request_run_time
from transition.models import (
    Campaign,
    Category,
    Course,
    Job,
    MoodleInstance,
    RequestPlan,
    TransitionRequest,
)
from transition.request_spec import RequestSpec
from transition.reset_options import (
    COURSE_OPTIONS,
    FEEDBACK_OPTION_PREFIX,
    GROUP_LABELS,
    MODULE_OPTIONS,
    OptionType,
    ResetOption,
    feedback_option,
    option_named,
)
from transition.review.results import CourseReview
from transition.selectors import course_matching_q, person_matching_q
from transition.wizard.review_summary import module_name, role_name, type_name


@dataclass(frozen=True)
class ApprovalFilters:
    campaign: Campaign | None = None
    faculty: Category | None = None
    category: Category | None = None
    submitted_from: datetime.date | None = None
    submitted_to: datetime.date | None = None
    teacher: str = ""


def category_subtree_q(category: Category, *, prefix: str = "course__category") -> Q:
    """The category and every category below it (Moodle's path of ids, e.g. /1/4/12)."""
    subtree = Q(**{prefix: category})
    if category.path:
        subtree |= Q(**{f"{prefix}__path__startswith": f"{category.path}/"})
    return subtree


def requests_awaiting_approval(*, filters: ApprovalFilters) -> QuerySet[TransitionRequest]:
    """Pending requests, oldest submission first, with what each row of the queue shows."""
    queryset = TransitionRequest.objects.filter(
        status=TransitionRequest.Status.PENDING_APPROVAL
    ).select_related("course", "course__category", "course__instance", "campaign", "requested_by")
    if filters.campaign is not None:
        queryset = queryset.filter(campaign=filters.campaign)
    if filters.faculty is not None:
        queryset = queryset.filter(category_subtree_q(filters.faculty))
    if filters.category is not None:
        queryset = queryset.filter(course__category=filters.category)
    if filters.submitted_from is not None:
        queryset = queryset.filter(submitted_at__date__gte=filters.submitted_from)
    if filters.submitted_to is not None:
        queryset = queryset.filter(submitted_at__date__lte=filters.submitted_to)
    if filters.teacher:
        words = filters.teacher.strip()
        queryset = queryset.filter(person_matching_q(words, through="requested_by__"))
    return queryset.order_by("submitted_at", "pk")


def requests_for_staff(
    *,
    campaign: Campaign | None = None,
    status: str = "",
    scenario: str = "",
    course: str = "",
    teacher: str = "",
    special: bool = False,
) -> QuerySet[TransitionRequest]:
    """Requests newest first, with what each row shows."""
    requests = TransitionRequest.objects.select_related(
        "course", "course__category", "campaign", "requested_by", "decided_by"
    )
    if campaign is not None:
        requests = requests.filter(campaign=campaign)
    if status:
        requests = requests.filter(status=status)
    if scenario:
        requests = requests.filter(scenario=scenario)
    if course:
        requests = requests.filter(course_matching_q(course, through="course__"))
    if teacher:
        requests = requests.filter(person_matching_q(teacher, through="requested_by__"))
    if special:
        requests = requests.filter(
            Q(special_start_date__isnull=False)
            | Q(special_end_date__isnull=False)
            | ~Q(special_reason="")
        )
    return requests.order_by("-created_at", "-pk")


def faculties() -> QuerySet[Category]:
    """Top-level categories of this year's platform: the faculties (composantes)."""
    return Category.objects.filter(
        instance__role=MoodleInstance.Role.CURRENT,
        parent__isnull=True,
        gone_from_moodle_at__isnull=True,
    ).order_by("name")


def categories_with_pending_requests() -> QuerySet[Category]:
    return (
        Category.objects.filter(courses__requests__status=TransitionRequest.Status.PENDING_APPROVAL)
        .distinct()
        .order_by("name")
    )


class SpecialKind(models.TextChoices):
    EARLY_OPENING = "early_opening", _("Opens before the start of the year")
    LATE_CLOSING = "late_closing", _("Closes after the start of the year")
    SHIFTED = "shifted", _("Shifted year")
    OTHER = "other", _("Other exception")


def request_special_kinds(request: TransitionRequest) -> list[SpecialKind]:
    """Why a request needs an engineer (seed 001: early openings, late closings, shifted years)."""
    cutoff = request.campaign.cutoff_date
    kinds: list[SpecialKind] = []
    if request.special_start_date is not None and request.special_start_date < cutoff:
        kinds.append(SpecialKind.EARLY_OPENING)
    if request.special_end_date is not None and request.special_end_date > cutoff:
        kinds.append(SpecialKind.LATE_CLOSING)
    calendar = request.course.calendar_type
    if calendar == Course.CalendarType.SHIFTED:
        kinds.append(SpecialKind.SHIFTED)
    elif calendar == Course.CalendarType.EARLY_OPENING and SpecialKind.EARLY_OPENING not in kinds:
        kinds.append(SpecialKind.EARLY_OPENING)
    elif calendar == Course.CalendarType.LATE_CLOSING and SpecialKind.LATE_CLOSING not in kinds:
        kinds.append(SpecialKind.LATE_CLOSING)
    return kinds or [SpecialKind.OTHER]


def request_review(request: TransitionRequest) -> CourseReview | None:
    """The review the teacher confirmed, as the wizard showed it; None for an older snapshot."""
    if not request.review_snapshot:
        return None
    try:
        return CourseReview.from_json(request.review_snapshot)
    except (KeyError, TypeError, ValueError):
        return None


CALENDAR_LABELS = {
    "early_opening": _("Early opening"),
    "late_closing": _("Late closing"),
    "shifted": _("Shifted year"),
}


@dataclass(frozen=True)
class ApprovalPlan:
    """What the engineer approves: the calendar the teacher chose, the options in words, and
    the jobs approving schedules, with when they run."""

    calendar: str
    opens: datetime.date | None
    closes: datetime.date | None
    steps: tuple[str, ...]
    runs_at: datetime.datetime
    options: tuple[tuple[str, str], ...]
    # The teacher asked for "as soon as possible" (and the campaign allows it): approving
    # starts the request at once.
    asap: bool = False
    notice_days: int = 0  # the students' announcement's notice before the transformation


OPTION_ORDER = [option.name for option in COURSE_OPTIONS + MODULE_OPTIONS]
# Moodle's standard roles by the ids a fresh install gives them, for a review stored before
# reviews kept the course's roles.
STANDARD_ROLE_IDS = {
    1: "manager",
    2: "coursecreator",
    3: "editingteacher",
    4: "teacher",
    5: "student",
    6: "guest",
    7: "user",
}


def _roles_named(value: str, roles: Mapping[int, str]) -> str:
    names = []
    for part in str(value).split(","):
        part = part.strip()
        if not part.isdigit():
            continue
        shortname = roles.get(int(part)) or STANDARD_ROLE_IDS.get(int(part))
        names.append(role_name(shortname) if shortname else str(_("a role the course lacks")))
    return ", ".join(names) or str(_("none"))


def _option_label(option: ResetOption, review: CourseReview | None) -> str:
    """The option as the wizard words it, with its activity type (a feedback's by its name)."""
    if option.name.startswith(FEEDBACK_OPTION_PREFIX) and review is not None:
        named = next((row.subject for row in review.rows if row.option == option.name), "")
        if named:
            option = feedback_option(0, named)
    if option.group in ("general", "roles", "groups"):  # their labels say what they touch
        return str(option.label)
    group = GROUP_LABELS.get(option.group) or module_name(option.group)
    return f"{group} · {option.label}"


def _in_moodles_order(name: str) -> tuple[float, str]:
    """Moodle's reset form order: the course's options, then each activity type's (a feedback
    activity's own option between the database's and the forum's)."""
    if name in OPTION_ORDER:
        return (OPTION_ORDER.index(name), name)
    if name.startswith(FEEDBACK_OPTION_PREFIX):
        return (OPTION_ORDER.index("reset_forum_all") - 0.5, name)
    return (len(OPTION_ORDER), name)


def _option_lines(
    spec: RequestSpec, review: CourseReview | None, year_start: datetime.date
) -> list[tuple[str, str]]:
    yes, no = str(_("yes")), str(_("no"))
    roles = review.roles if review is not None else {}
    lines: list[tuple[str, str]] = []
    for name, value in sorted(
        spec.reset_options.items(), key=lambda item: _in_moodles_order(item[0])
    ):
        try:
            option = option_named(name)
        except KeyError:
            lines.append((name, str(value)))
            continue
        label = _option_label(option, review)
        if option.type == OptionType.DATE and str(value).isdigit():
            # Moodle's time (midnight UTC of the day): the engineer reads a date.
            day = datetime.datetime.fromtimestamp(int(value), tz=datetime.UTC).date()
            shown = date_format(day, "DATE_FORMAT")
            if name == "reset_start_date":
                label = str(_("Course's new start date"))
                shown = str(
                    _(
                        "%(day)s: the course's start moved to the same day of the academic "
                        "year starting %(year_start)s; every date of the course moves with it"
                    )
                ) % {"day": shown, "year_start": date_format(year_start, "DATE_FORMAT")}
        elif option.type == OptionType.ROLES:
            shown = _roles_named(str(value), roles)
        elif option.type == OptionType.CHOICES:
            shown = ", ".join(type_name(part) for part in str(value).split(",") if part) or str(
                _("none")
            )
        else:
            shown = yes if value == "1" else no if value == "0" else str(value)
        lines.append((label, shown))
    if spec.grade_export:
        lines.append((str(_("Export the gradebook first")), yes))
    if spec.announcement is not None:
        lines.append(
            (
                str(_("Announcement to students")),
                str(_("%(days)d days before: %(subject)s"))
                % {"days": spec.announcement.days_before, "subject": spec.announcement.subject},
            )
        )
    for change in spec.cohort_changes:
        lines.append(
            (
                str(_("Cohort added")) if change.action == "add" else str(_("Cohort removed")),
                change.cohort_idnumber,
            )
        )
    return lines


def request_approval_plan(request: TransitionRequest) -> ApprovalPlan | None:
    """None for a request stored before plans were kept."""
    plan = RequestPlan.objects.filter(request=request).first()
    if plan is None:
        return None
    spec = plan.as_spec()
    special = spec.special_calendar
    kinds = dict(Job.Kind.choices)
    previous = str(_("previous platform"))
    return ApprovalPlan(
        calendar=str(CALENDAR_LABELS.get(special.kind, special.kind)) if special else "",
        opens=(special.opens if special else None) or request.special_start_date,
        closes=(special.closes if special else None) or request.special_end_date,
        steps=tuple(
            f"{kinds[step.kind]} ({previous})" if step.on == "source" else str(kinds[step.kind])
            for step in plan_for_spec(spec)
        ),
        runs_at=request_run_time(request, spec),
        asap=spec.asap and request.campaign.allow_asap,
        notice_days=spec.announcement.days_before if spec.announcement else 0,
        options=tuple(_option_lines(spec, request_review(request), request.campaign.cutoff_date)),
    )

"""What the approvals queue shows: requests waiting for an engineer, and how to narrow them."""

import datetime
from dataclasses import dataclass

from django.db import models
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from transition.models import Campaign, Category, Course, MoodleInstance, TransitionRequest
from transition.review.results import CourseReview


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
        queryset = queryset.filter(
            Q(requested_by__username__icontains=words)
            | Q(requested_by__first_name__icontains=words)
            | Q(requested_by__last_name__icontains=words)
            | Q(requested_by__email__icontains=words)
        )
    return queryset.order_by("submitted_at", "pk")


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

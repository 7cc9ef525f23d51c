"""Queries that screens and workers share."""

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet

from transition.models import Campaign, Course, CourseRole, MoodleInstance
from transition.permissions import is_staff_role


def courses_for_teacher(*, user: AbstractBaseUser) -> QuerySet[Course]:
    """Courses still in Moodle where the user holds an editing-teacher role, by platform."""
    return (
        Course.objects.filter(
            roles__person__user=user,
            roles__role=CourseRole.EDITING_TEACHER,
            gone_from_moodle_at__isnull=True,
        )
        .select_related("instance", "category")
        .distinct()
        .order_by("instance__role", "shortname")
    )


def courses_visible_to(*, user: AbstractBaseUser) -> QuerySet[Course]:
    """Every course the user may look at: their own, or all of them for engineers and admins."""
    if is_staff_role(user):
        return Course.objects.filter(gone_from_moodle_at__isnull=True).select_related(
            "instance", "category"
        )
    return courses_for_teacher(user=user)


def instance_current() -> MoodleInstance | None:
    return MoodleInstance.objects.filter(role=MoodleInstance.Role.CURRENT).first()


def campaign_active() -> Campaign | None:
    """The campaign teachers are working in: the latest one that is not a draft or done."""
    return (
        Campaign.objects.exclude(status__in=[Campaign.Status.DRAFT, Campaign.Status.DONE])
        .order_by("-academic_year")
        .first()
    )

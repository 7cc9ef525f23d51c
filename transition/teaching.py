"""Queries behind the teacher's screens: their courses this campaign and where each stands."""

from __future__ import annotations

import re

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Exists, OuterRef, Q, QuerySet

from transition.errors import RequestAlreadyOpen
from transition.models import Campaign, Course, CourseRole, MoodleInstance, TransitionRequest
from transition.selectors import courses_for_teacher

# What /courses/ shows for a course with no open or finished request this campaign.
NO_CHOICE = "no_choice"
_YEAR_SUFFIX = re.compile(r"[-_ ]?(19|20)\d\d$")


def campaign_courses_for_teacher(*, user: AbstractBaseUser, campaign: Campaign) -> QuerySet[Course]:
    """The courses the user teaches on the current platform that the campaign concerns.

    Archived courses are left out: they wait out their year and are not prepared for the next.
    So are the courses the campaign created (a fresh copy's new course): they are next year's
    already.
    """
    return (
        courses_for_teacher(user=user)
        .filter(instance__role=MoodleInstance.Role.CURRENT)
        .exclude(category__in=campaign.excluded_categories.all())
        .exclude(course_archived_q(campaign=campaign))
        .exclude(Exists(created_by_campaign(campaign=campaign)))
    )


def created_by_campaign(*, campaign: Campaign) -> QuerySet[TransitionRequest]:
    """The campaign's requests that created the outer course (a fresh copy's new course, a
    restore into a new course): the campaign records the course it made as their target."""
    return TransitionRequest.objects.filter(campaign=campaign, target_course=OuterRef("pk"))


def creating_requests(
    *, campaign: Campaign, courses: QuerySet[Course]
) -> dict[int, TransitionRequest]:
    """The request of the campaign that created each of `courses` it created, by course pk."""
    return {
        request.target_course_id: request
        for request in TransitionRequest.objects.filter(
            campaign=campaign, target_course__in=courses
        ).select_related("course", "campaign")
    }


def course_archived_q(*, campaign: Campaign) -> Q:
    """Courses archived under the campaign's rules: in its archive category or named with its
    archive prefix."""
    archived = Q(shortname__startswith=campaign.archive_prefix) | Q(
        fullname__startswith=campaign.archive_prefix
    )
    if campaign.archive_category_id is not None:
        archived |= Q(category_id=campaign.archive_category_id)
    return archived


def latest_requests(
    *, campaign: Campaign, courses: QuerySet[Course]
) -> dict[int, TransitionRequest]:
    """The newest request of each course in the campaign, by course pk."""
    latest: dict[int, TransitionRequest] = {}
    for request in (
        TransitionRequest.objects.filter(campaign=campaign, course__in=courses)
        .select_related("requested_by", "target_course__instance")
        .order_by("course_id", "-created_at")
    ):
        latest.setdefault(request.course_id, request)
    return latest


def open_request_of(*, course: Course) -> TransitionRequest | None:
    return (
        TransitionRequest.objects.filter(course=course, status__in=TransitionRequest.OPEN_STATUSES)
        .select_related("requested_by")
        .first()
    )


def request_already_open(*, holder: TransitionRequest) -> RequestAlreadyOpen:
    """The refusal of a second open request on a course, naming who holds the course."""
    return RequestAlreadyOpen(
        f"{holder.course.shortname}: {person_name(holder.requested_by)} already has a "
        "request in progress."
    )


def person_name(user: AbstractBaseUser) -> str:
    return user.get_full_name() or user.get_username()  # type: ignore[attr-defined]


def restore_sources_for(*, user: AbstractBaseUser, course: Course) -> list[Course]:
    """Courses the user taught on the previous platform, the likeliest source first.

    Same ID number first, then the same short name (the year suffix aside), then the rest.
    """
    sources = Course.objects.filter(
        instance__role=MoodleInstance.Role.PREVIOUS,
        gone_from_moodle_at__isnull=True,
        roles__person__user=user,
        roles__role=CourseRole.EDITING_TEACHER,
    ).distinct()
    stem = shortname_stem(course.shortname)

    def rank(source: Course) -> tuple[int, str]:
        if course.idnumber and source.idnumber == course.idnumber:
            return 0, source.shortname
        if source.shortname == course.shortname or shortname_stem(source.shortname) == stem:
            return 1, source.shortname
        return 2, source.shortname

    return sorted(sources, key=rank)


def shortname_stem(shortname: str) -> str:
    """The short name without a trailing year: CHIM231-2025 → CHIM231."""
    return _YEAR_SUFFIX.sub("", shortname)


def shortname_for_year(shortname: str, year: int) -> str:
    """Next year's short name: CHIM231-2025 → CHIM231-2026, CHIM231 → CHIM231-2026."""
    return f"{shortname_stem(shortname)}-{year}"


def campaign_first_year(campaign: Campaign) -> int:
    return int(campaign.academic_year[:4])

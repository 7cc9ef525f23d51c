"""Courses still without a choice, by teacher and by faculty."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, Exists, OuterRef, QuerySet

from transition.admin_portal.operations import CHOSEN, left_curriculum_courses
from transition.admin_portal.scope import campaign_courses
from transition.models import Campaign, Category, Course, CourseRole, TransitionRequest
from transition.teaching import course_archived_q


def courses_without_choice(*, campaign: Campaign) -> QuerySet[Course]:
    """The campaign's courses nobody chose for yet (archived courses wait out their year)."""
    chosen = TransitionRequest.objects.filter(
        course=OuterRef("pk"), campaign=campaign, status__in=CHOSEN
    )
    return (
        campaign_courses(campaign=campaign)
        .exclude(Exists(chosen))
        .exclude(course_archived_q(campaign=campaign))
    )


@dataclass(frozen=True)
class PendingCourse:
    course: Course
    # What happens without a choice: "archive" (it left the curriculum) or "reset".
    default: str


def pending_courses_by_teacher(
    *, campaign: Campaign
) -> dict[AbstractBaseUser, list[PendingCourse]]:
    """Each editing teacher with the courses they still have to choose for, by short name."""
    pending = courses_without_choice(campaign=campaign)
    leaving, _notes = left_curriculum_courses(campaign=campaign)
    leaving_ids = set(leaving.values_list("pk", flat=True))
    roles = (
        CourseRole.objects.filter(
            course__in=pending,
            role=CourseRole.EDITING_TEACHER,
            person__user__isnull=False,
            person__user__is_active=True,
        )
        .select_related("course", "person__user")
        .order_by("person__user_id", "course__shortname")
    )
    by_teacher: dict[AbstractBaseUser, list[PendingCourse]] = {}
    seen: set[tuple[int, int]] = set()
    for role in roles:
        user = role.person.user
        assert user is not None
        if (user.pk, role.course_id) in seen:
            continue
        seen.add((user.pk, role.course_id))
        default = "archive" if role.course_id in leaving_ids else "reset"
        by_teacher.setdefault(user, []).append(PendingCourse(course=role.course, default=default))
    return by_teacher


@dataclass(frozen=True)
class FacultyCount:
    name: str
    courses: int


def courses_without_choice_by_faculty(*, campaign: Campaign) -> list[FacultyCount]:
    """How many courses still have no choice, per faculty (the top-level category), largest
    first. Two queries."""
    per_category = (
        courses_without_choice(campaign=campaign)
        .values("category_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts = {row["category_id"]: row["n"] for row in per_category}
    categories = Category.objects.filter(pk__in=[pk for pk in counts if pk is not None])
    tops: dict[str, int] = {}
    top_names = _top_category_names(categories)
    for category_id, n in counts.items():
        name = top_names.get(category_id, "") if category_id is not None else ""
        tops[name] = tops.get(name, 0) + n
    return sorted(
        (FacultyCount(name=name, courses=n) for name, n in tops.items()),
        key=lambda row: (-row.courses, row.name),
    )


def _top_category_names(categories: QuerySet[Category]) -> dict[int, str]:
    """Category pk -> the name of its top-level category (itself at the top)."""
    listed = list(categories.select_related("instance"))
    top_ids = {
        (c.instance_id, int(c.path.strip("/").split("/")[0]) if c.path else c.moodle_id)
        for c in listed
    }
    names = {
        (c.instance_id, c.moodle_id): c.name
        for c in Category.objects.filter(
            instance_id__in={i for i, _ in top_ids}, moodle_id__in={m for _, m in top_ids}
        )
    }
    result = {}
    for c in listed:
        top = int(c.path.strip("/").split("/")[0]) if c.path else c.moodle_id
        result[c.pk] = names.get((c.instance_id, top), c.name)
    return result


def requests_waiting_since(*, before: datetime.datetime) -> QuerySet[TransitionRequest]:
    """Requests waiting for an engineer's approval since before `before`, oldest first."""
    return (
        TransitionRequest.objects.filter(
            status=TransitionRequest.Status.PENDING_APPROVAL, submitted_at__lt=before
        )
        .select_related("course", "requested_by", "campaign")
        .order_by("submitted_at", "pk")
    )

"""Queries that screens and workers share."""

from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Q, QuerySet

from transition.models import Backup, Campaign, Course, CourseRole, MoodleInstance, Person
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


def copy_teachers(*, course: Course, campaign: Campaign, user: AbstractBaseUser) -> tuple[str, ...]:
    """The Moodle usernames a fresh copy of the course enrols as editing teachers: the teacher
    who asks, then, if the campaign's policy says so, the course's other editing teachers."""
    requester = list(
        Person.objects.filter(instance=course.instance, user=user).values_list(
            "moodle_username", flat=True
        )
    )
    others: list[str] = []
    if campaign.policy.copy_enrols_course_teachers:
        others = list(
            CourseRole.objects.filter(course=course, role=CourseRole.EDITING_TEACHER)
            .order_by("person__moodle_username")
            .values_list("person__moodle_username", flat=True)
        )
    return tuple(dict.fromkeys(requester[:1] + others))


def people_named(usernames: Iterable[str]) -> dict[str, str]:
    """Each Moodle username as people read it: the person's full name from the platforms'
    synced people (this year's platform first), with the username in brackets only where
    another person of that platform has the same name; the username when nobody has it."""
    wanted = set(usernames)
    if not wanted:
        return {}
    people = Person.objects.filter(moodle_username__in=wanted).order_by(
        "instance__role", "instance_id"
    )
    found: dict[str, Person] = {}
    for person in people:
        found.setdefault(person.moodle_username, person)
    named: dict[str, str] = {}
    for username in wanted:
        person = found.get(username)
        full = f"{person.firstname} {person.lastname}".strip() if person else ""
        if not full:
            named[username] = username
            continue
        namesakes = (
            Person.objects.filter(
                instance=person.instance, firstname=person.firstname, lastname=person.lastname
            )
            .exclude(pk=person.pk)
            .exists()
        )
        named[username] = f"{full} ({username})" if namesakes else full
    return named


def backup_reusable(*, course: Course, fingerprint: str) -> Backup | None:
    """The latest verified anonymous backup of a course of the previous platform taken when
    its content had this fingerprint: the course has not changed since, so the backup still
    holds it (seed 003: a course changed on the old platform is backed up again). A backup
    whose file the retention purged is never reused."""
    if not fingerprint:
        return None
    return (
        Backup.objects.filter(
            course=course,
            includes_users=False,
            verified_at__isnull=False,
            purged_at__isnull=True,
            content_fingerprint=fingerprint,
        )
        .order_by("-verified_at")
        .first()
    )


def course_matching_q(text: str, *, through: str = "") -> Q:
    """Courses whose short name, full name or curriculum code holds `text`; `through` is the
    path to the course from the model filtered (`"course__"`)."""
    return (
        Q(**{f"{through}shortname__icontains": text})
        | Q(**{f"{through}fullname__icontains": text})
        | Q(**{f"{through}curriculum_code__icontains": text})
    )


def person_matching_q(text: str, *, through: str) -> Q:
    """People whose username, first or last name or e-mail holds `text`; `through` is the path
    to the user (`"actor__"`)."""
    return (
        Q(**{f"{through}username__icontains": text})
        | Q(**{f"{through}first_name__icontains": text})
        | Q(**{f"{through}last_name__icontains": text})
        | Q(**{f"{through}email__icontains": text})
    )

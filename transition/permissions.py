"""Who may see and do what. Every object-level check of Passage lives in this module.

Three groups: teacher, engineer (pedagogical engineer) and admin. A teacher sees only the courses
Moodle says they teach (an editing-teacher role at the last sync, on a course still in Moodle);
engineers and admins see every course. Superusers count as admins.
"""

from enum import StrEnum

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from transition.models import Course, CourseRole, TransitionRequest


class Role(StrEnum):
    TEACHER = "teacher"
    ENGINEER = "engineer"
    ADMIN = "admin"


UserLike = AbstractBaseUser | AnonymousUser


def user_roles(user: UserLike) -> frozenset[Role]:
    if not user.is_authenticated:
        return frozenset()
    cached: frozenset[Role] | None = getattr(user, "_passage_roles", None)
    if cached is None:
        names = set(user.groups.values_list("name", flat=True))  # type: ignore[union-attr]
        cached = frozenset(role for role in Role if role.value in names)
        if user.is_superuser:  # type: ignore[union-attr]
            cached = cached | {Role.ADMIN}
        user._passage_roles = cached  # type: ignore[union-attr]
    return cached


def is_admin(user: UserLike) -> bool:
    return Role.ADMIN in user_roles(user)


def is_engineer(user: UserLike) -> bool:
    return Role.ENGINEER in user_roles(user)


def is_staff_role(user: UserLike) -> bool:
    """Engineers and admins: they see every course."""
    return bool(user_roles(user) & {Role.ENGINEER, Role.ADMIN})


def teaches(user: UserLike, course: Course) -> bool:
    if not user.is_authenticated:
        return False
    return CourseRole.objects.filter(
        course=course,
        course__gone_from_moodle_at__isnull=True,
        person__user=user,
        role=CourseRole.EDITING_TEACHER,
    ).exists()


def can_view_course(user: UserLike, course: Course) -> bool:
    return is_staff_role(user) or teaches(user, course)


def can_request_transition(user: UserLike, course: Course) -> bool:
    """Only the course's own teachers choose what happens to it; staff may act for them."""
    if course.gone_from_moodle_at is not None:
        return False
    return teaches(user, course) or is_staff_role(user)


def can_withdraw_request(user: UserLike, request: TransitionRequest) -> bool:
    """Who asked, a teacher of the course, or staff."""
    if not user.is_authenticated:
        return False
    return (
        request.requested_by_id == user.pk or teaches(user, request.course) or is_staff_role(user)
    )


def can_download_backup(user: UserLike, request: TransitionRequest) -> bool:
    """A backup holds the course's content and its students' data: a current teacher of the
    course or staff. Having asked for the request once is not enough (a teacher who lost the
    course loses its backups)."""
    return teaches(user, request.course) or is_staff_role(user)


def can_download_kept_copy(user: UserLike, course: Course) -> bool:
    """A kept copy holds students' posts and grades: the course's current teachers and admins
    only (not engineers, nor a former teacher who asked for it)."""
    return is_admin(user) or teaches(user, course)


def can_decide_requests(user: UserLike) -> bool:
    """Approve, reject or ask for changes on special-calendar requests."""
    return is_staff_role(user)


def can_manage_campaigns(user: UserLike) -> bool:
    return is_admin(user)


def can_import_curriculum(user: UserLike) -> bool:
    return is_admin(user)

"""Who sees which course: a teacher of the course, a teacher of another course, an engineer,
an admin (every object-level check lives in transition.permissions)."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from tests.factories import CourseRoleFactory, TransitionRequestFactory
from transition import permissions, selectors
from transition.models import CourseRole

pytestmark = pytest.mark.django_db


def test_teacher_sees_their_course_and_not_another(cast):
    assert permissions.can_view_course(cast.teacher, cast.course)
    assert not permissions.can_view_course(cast.teacher, cast.other_course)
    assert permissions.can_request_transition(cast.teacher, cast.course)
    assert not permissions.can_request_transition(cast.teacher, cast.other_course)


def test_engineer_and_admin_see_every_course(cast):
    for user in (cast.engineer, cast.admin):
        assert permissions.can_view_course(user, cast.course)
        assert permissions.can_view_course(user, cast.other_course)


def test_only_staff_decide_requests_and_only_admins_run_campaigns(cast):
    assert [
        permissions.can_decide_requests(u) for u in (cast.teacher, cast.engineer, cast.admin)
    ] == [
        False,
        True,
        True,
    ]
    assert [
        permissions.can_manage_campaigns(u) for u in (cast.teacher, cast.engineer, cast.admin)
    ] == [False, False, True]
    assert not permissions.can_import_curriculum(cast.engineer)
    assert permissions.can_import_curriculum(cast.admin)


def test_a_non_editing_teacher_role_does_not_make_a_course_theirs(cast):
    assistant = CourseRoleFactory(course=cast.other_course, role=CourseRole.TEACHER).person.user
    assert not permissions.can_view_course(assistant, cast.other_course)


def test_a_course_gone_from_moodle_is_no_longer_the_teachers(cast):
    cast.course.gone_from_moodle_at = timezone.now()
    cast.course.save()
    assert not permissions.can_view_course(cast.teacher, cast.course)
    assert not permissions.can_request_transition(cast.admin, cast.course)
    assert list(selectors.courses_for_teacher(user=cast.teacher)) == []


def test_anonymous_sees_nothing(cast):
    anonymous = AnonymousUser()
    assert not permissions.can_view_course(anonymous, cast.course)
    assert not permissions.can_decide_requests(anonymous)


def test_superuser_counts_as_admin(cast, django_user_model):
    root = django_user_model.objects.create_superuser("root", "root@univ.example", "x" * 16)
    assert permissions.can_manage_campaigns(root)


def test_who_asked_may_withdraw_even_after_the_course_left_moodle(cast):
    request = TransitionRequestFactory(course=cast.course, requested_by=cast.teacher)
    cast.course.gone_from_moodle_at = timezone.now()
    cast.course.save()
    assert permissions.can_withdraw_request(cast.teacher, request)
    assert not permissions.can_withdraw_request(cast.other_teacher, request)


def test_courses_for_teacher_lists_only_their_courses(cast):
    assert list(selectors.courses_for_teacher(user=cast.teacher)) == [cast.course]
    assert list(selectors.courses_for_teacher(user=cast.engineer)) == []
    assert set(selectors.courses_visible_to(user=cast.engineer)) == {
        cast.course,
        cast.other_course,
    }

"""Enrolments, roles, cohorts and cohort syncs on the stand-in's "small" seed."""

from __future__ import annotations

import itertools

import pytest

from moodle_client import MoodleClient
from moodle_client.errors import CohortNotFound
from moodle_client.types import CohortMember, ManualEnrolment, NewCourse, RoleAssignment

ROLE_TEACHER = 4
ROLE_STUDENT = 5
_numbers = itertools.count(1)


@pytest.fixture
def chim231(admin: MoodleClient) -> int:
    course = admin.find_course_by_shortname("CHIM231-2025")
    assert course is not None
    return course.id


@pytest.fixture
def empty_course(admin: MoodleClient) -> int:
    chimie = admin.get_categories(idnumber="SCI-CHIM")[0]
    number = next(_numbers)
    return admin.create_course(
        NewCourse(fullname=f"People {number}", shortname=f"PEOPLE-{number}", categoryid=chimie.id)
    ).id


def test_enrolled_users_come_with_roles_and_groups(admin: MoodleClient, chim231: int) -> None:
    users = {user.username: user for user in admin.get_enrolled_users(chim231)}

    assert users["teacher"].has_role("editingteacher")
    assert users["mlefebvre"].has_role("teacher")
    students = [user for user in users.values() if user.has_role("student")]
    assert len(students) >= 4
    in_groups = {group.name for user in users.values() for group in user.groups}
    assert {"TD 1", "TD 2"} <= in_groups
    assert users["teacher"].fullname == "Claire Dubois"


def test_enrolled_users_by_group_and_with_limited_fields(admin: MoodleClient, chim231: int) -> None:
    groups = {group.name: group for group in admin.get_course_groups(chim231)}

    td2 = admin.get_enrolled_users(chim231, groupid=groups["TD 2"].id)
    limited = admin.get_enrolled_users(chim231, userfields=["id", "username", "roles"])

    assert len(td2) == 2
    assert all("TD 2" in {group.name for group in user.groups} for user in td2)
    assert limited and all(user.email == "" and user.roles for user in limited)


def test_a_users_courses(admin: MoodleClient, chim231: int) -> None:
    teacher = next(user for user in admin.get_enrolled_users(chim231) if user.username == "teacher")

    courses = {course.shortname for course in admin.get_user_courses(teacher.id)}

    assert {"CHIM231-2025", "CHIM232-2025", "CHIM241-2026", "TUTO-CHIM"} <= courses
    assert admin.get_user_courses(999_999) == ()


def test_manual_enrolment_and_role_changes(
    admin: MoodleClient, chim231: int, empty_course: int
) -> None:
    student = next(user for user in admin.get_enrolled_users(chim231) if user.has_role("student"))

    admin.enrol_users(
        [ManualEnrolment(userid=student.id, courseid=empty_course, roleid=ROLE_STUDENT)]
    )
    admin.assign_roles(
        [RoleAssignment(roleid=ROLE_TEACHER, userid=student.id, instanceid=empty_course)]
    )
    roles = {role.shortname for role in admin.get_enrolled_users(empty_course)[0].roles}
    assert roles == {"student", "teacher"}

    admin.unassign_roles(
        [RoleAssignment(roleid=ROLE_TEACHER, userid=student.id, instanceid=empty_course)]
    )
    assert [r.shortname for r in admin.get_enrolled_users(empty_course)[0].roles] == ["student"]
    admin.unenrol_users([ManualEnrolment(userid=student.id, courseid=empty_course)])
    assert admin.get_enrolled_users(empty_course) == ()


def test_cohorts_are_searched_read_and_filled(admin: MoodleClient) -> None:
    found = admin.search_cohorts("L1CHIM")
    by_idnumber = {cohort.idnumber: cohort for cohort in found}
    assert {"L1CHIM231", "L1CHIM241", "L1CHIM231-ALE"} <= set(by_idnumber)
    cohort = by_idnumber["L1CHIM231"]
    assert admin.get_cohorts([cohort.id]) == (cohort,)
    assert cohort in admin.get_cohorts()
    members = admin.get_cohort_members([cohort.id])[0]
    assert members.cohortid == cohort.id
    assert len(members.userids) == 6

    warnings = admin.add_cohort_members(
        [
            CohortMember(cohort="L1CHIM231", user="etu01"),
            CohortMember(cohort="L1CHIM231", user="nobody"),
        ]
    )

    assert len(warnings) == 1
    assert "nobody" in warnings[0].message
    assert len(admin.get_cohort_members([cohort.id])[0].userids) == 7


def test_cohort_syncs_are_listed_added_once_and_removed_once(
    admin: MoodleClient, chim231: int, empty_course: int
) -> None:
    existing = admin.list_cohort_syncs(chim231)
    assert [sync.cohortidnumber for sync in existing] == ["L1CHIM231"]
    assert existing[0].roleshortname == "student"
    assert existing[0].users > 0

    added = admin.add_cohort_sync(empty_course, "L1CHIM241")
    again = admin.add_cohort_sync(empty_course, "L1CHIM241")

    assert added.created and not again.created
    assert again.instance.id == added.instance.id
    assert added.instance.users == len(admin.get_enrolled_users(empty_course))
    removed = admin.remove_cohort_sync(empty_course, added.instance.id)
    assert removed.removed and removed.unenrolled == added.instance.users
    assert admin.remove_cohort_sync(empty_course, added.instance.id).removed is False
    assert admin.list_cohort_syncs(empty_course) == ()


def test_an_unknown_cohort_cannot_be_synced(admin: MoodleClient, empty_course: int) -> None:
    with pytest.raises(CohortNotFound) as caught:
        admin.add_cohort_sync(empty_course, "NO-SUCH-COHORT")

    assert caught.value.errorcode == "cohortnotfound"


def test_call_sends_nested_structures_moodle_reads(admin: MoodleClient) -> None:
    created = admin.call(
        "core_cohort_create_cohorts",
        cohorts=[
            {
                "categorytype": {"type": "system", "value": ""},
                "name": "Nested wire test",
                "idnumber": "NESTED-WIRE",
                "visible": False,
            }
        ],
    )

    assert [cohort["idnumber"] for cohort in created] == ["NESTED-WIRE"]
    found = admin.search_cohorts("NESTED-WIRE")
    assert [(cohort.name, cohort.visible) for cohort in found] == [("Nested wire test", False)]

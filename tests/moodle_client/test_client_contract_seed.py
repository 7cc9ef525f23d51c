"""The client against the stand-in's "contract" seed: the site the real-Moodle recordings were
taken on, with the same ids, so answers can be compared with what Moodle 5.0 sent."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from moodle_client import MoodleClient
from moodle_client.errors import AccessDenied, FunctionUnavailable, NotFound
from moodle_client.types import NewCourse


@pytest.fixture(scope="module")
def contract_site() -> Iterator[Any]:
    from moodle_client.standin import StandinServer

    server = StandinServer.start(seed="contract")
    yield server
    server.stop()


@pytest.fixture
def client_as(contract_site: Any) -> Callable[[str], MoodleClient]:
    return lambda token: MoodleClient(contract_site.url, token, timeout=30.0)


def test_a_student_outside_the_course_is_denied_its_contents(
    client_as: Callable[[str], MoodleClient], contract: Callable[[str], Any]
) -> None:
    recorded = contract("error__not_enrolled__get_contents.json")["response"]
    student = client_as("student-etu1")

    with pytest.raises(AccessDenied) as caught:
        student.get_course_contents(7)

    assert caught.value.errorcode == recorded["errorcode"] == "errorcoursecontextnotvalid"
    with pytest.raises(AccessDenied) as no_capability:
        student.create_course(NewCourse(fullname="Hack", shortname="HACK-1", categoryid=1))
    assert no_capability.value.errorcode == "nopermissions"


def test_a_service_with_only_site_info_makes_other_functions_unavailable(
    client_as: Callable[[str], MoodleClient],
) -> None:
    limited = client_as("siteinfoonly-service")

    with pytest.raises(FunctionUnavailable):
        limited.get_course(4)


def test_missing_function_and_missing_course_are_told_apart(
    client_as: Callable[[str], MoodleClient],
) -> None:
    admin = client_as("admin")

    with pytest.raises(FunctionUnavailable):
        admin.call("core_grades_get_grades", courseid=4)
    with pytest.raises(NotFound) as caught:
        admin.get_course_contents(999_999)
    assert type(caught.value) is NotFound


def test_course_and_users_read_as_recorded(
    client_as: Callable[[str], MoodleClient], contract: Callable[[str], Any]
) -> None:
    admin = client_as("admin")
    recorded_course = contract("core_course_get_courses_by_field__by_id.json")["response"]
    recorded_users = contract("core_enrol_get_enrolled_users.json")["response"]

    course = admin.get_course(4)
    users = admin.get_enrolled_users(5)

    assert (course.id, course.shortname, course.categoryid) == (
        recorded_course["courses"][0]["id"],
        recorded_course["courses"][0]["shortname"],
        recorded_course["courses"][0]["categoryid"],
    )
    assert [user.id for user in users] == [user["id"] for user in recorded_users]


def test_grade_items_read_as_recorded(
    client_as: Callable[[str], MoodleClient], contract: Callable[[str], Any]
) -> None:
    recorded = contract("gradereport_user_get_grade_items__one_user.json")["response"]

    usergrades = client_as("admin").get_grade_items(4, userid=104)

    expected = recorded["usergrades"][0]["gradeitems"]
    assert [(item.id, item.itemtype, item.itemmodule) for item in usergrades[0].gradeitems] == [
        (item["id"], item["itemtype"], item["itemmodule"] or "") for item in expected
    ]
    assert usergrades[0].useridnumber == recorded["usergrades"][0]["useridnumber"]


def test_duplicate_without_options_copies_no_student(
    client_as: Callable[[str], MoodleClient],
) -> None:
    admin = client_as("admin")
    assert len(admin.get_enrolled_users(4)) > 100

    copy = admin.duplicate_course(
        4, fullname="Content only", shortname="CONTRACT-COPY-1", categoryid=2
    )

    assert admin.get_enrolled_users(copy.id) == ()
    assert admin.get_course_contents(copy.id)

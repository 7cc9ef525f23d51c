"""Each error type, as the stand-in Moodle answers over real HTTP."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from moodle_client import MoodleClient
from moodle_client.errors import (
    AccessDenied,
    FunctionUnavailable,
    InvalidParameter,
    InvalidToken,
    NotFound,
)


@pytest.fixture
def restricted_tokens(moodle: Any) -> None:
    """``student-etu1``: a student without webservice/rest:use; ``siteinfoonly-service``: the
    administrator through a service holding only core_webservice_get_site_info."""
    site = moodle.site
    with site.lock:
        student = next(user for user in site.users.values() if user.username == "etu01")
        admin = next(user for user in site.users.values() if user.username == "admin")
        site.add_token("student-etu1", student.id)
        site.add_token(
            "siteinfoonly-service", admin.id, functions=["core_webservice_get_site_info"]
        )


def test_an_unknown_token_is_invalid_token(moodle: Any) -> None:
    client = MoodleClient(moodle.url, "no-such-token")

    with pytest.raises(InvalidToken) as caught:
        client.get_site_info()

    assert caught.value.errorcode == "invalidtoken"
    assert caught.value.function == "core_webservice_get_site_info"


def test_a_user_without_rest_use_is_access_denied(moodle: Any, restricted_tokens: None) -> None:
    client = MoodleClient(moodle.url, "student-etu1")

    with pytest.raises(AccessDenied) as caught:
        client.get_site_info()
    assert caught.value.errorcode == "accessexception"

    # The function list cannot be read either, so this stays a permission problem.
    with pytest.raises(AccessDenied) as caught_again:
        client.get_course_contents(4)
    assert not isinstance(caught_again.value, FunctionUnavailable)


def test_a_function_that_does_not_exist_is_unavailable_not_a_missing_record(
    admin: MoodleClient,
) -> None:
    with pytest.raises(FunctionUnavailable) as caught:
        admin.call("core_grades_get_grades", courseid=4)

    assert caught.value.errorcode == "invalidrecordunknown"
    assert caught.value.function == "core_grades_get_grades"


def test_a_missing_course_is_not_found_not_an_unavailable_function(admin: MoodleClient) -> None:
    with pytest.raises(NotFound) as caught:
        admin.get_course_contents(999_999)

    assert type(caught.value) is NotFound
    assert caught.value.errorcode == "invalidrecordunknown"


def test_a_function_outside_the_token_service_is_unavailable(
    moodle: Any, restricted_tokens: None
) -> None:
    client = MoodleClient(moodle.url, "siteinfoonly-service")

    assert client.get_site_info().functions == {"core_webservice_get_site_info"}
    with pytest.raises(FunctionUnavailable) as caught:
        client.get_course(4)

    assert caught.value.errorcode == "accessexception"


def test_the_function_list_is_fetched_once(
    admin: MoodleClient, served: Callable[[str], int]
) -> None:
    for _ in range(3):
        with pytest.raises(FunctionUnavailable):
            admin.call("core_nope_does_not_exist")
    with pytest.raises(NotFound):
        admin.get_course_contents(999_999)

    assert served("core_webservice_get_site_info") == 1


def test_a_parameter_of_the_wrong_type_is_invalid_parameter(admin: MoodleClient) -> None:
    with pytest.raises(InvalidParameter) as caught:
        admin.call("core_course_get_contents", courseid="abc")

    assert caught.value.errorcode == "invalidparameter"


def test_an_unexpected_parameter_is_invalid_parameter(admin: MoodleClient) -> None:
    with pytest.raises(InvalidParameter):
        admin.call("core_course_get_contents", courseid=4, foo="bar")


def test_debugging_on_brings_debuginfo(start_debug_standin: Any) -> None:
    client = MoodleClient(start_debug_standin.url, "admin")

    with pytest.raises(InvalidParameter) as caught:
        client.call("core_course_get_contents", courseid=4, foo="bar")

    assert "foo" in caught.value.debuginfo


@pytest.fixture
def start_debug_standin() -> Any:
    from moodle_client.standin import StandinServer

    server = StandinServer.start(seed="small", debug=True)
    yield server
    server.stop()

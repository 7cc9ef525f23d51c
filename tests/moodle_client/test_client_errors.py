"""Moodle's recorded error bodies map to the exception types that say who can fix them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from moodle_client.errors import (
    AccessDenied,
    InvalidParameter,
    InvalidToken,
    MoodleError,
    MoodleUnavailable,
    NotFound,
    ShortnameTaken,
    error_from_body,
    is_moodle_error_body,
    is_retryable,
)

RECORDED_ERRORS = [
    ("error__invalid_token.json", InvalidToken),
    ("error__missing_wstoken.json", InvalidToken),
    ("error__function_not_in_service.json", AccessDenied),
    ("error__student_without_rest_use_capability.json", AccessDenied),
    ("error__missing_capability__create_courses.json", AccessDenied),
    ("error__missing_capability__enrol_users.json", AccessDenied),
    ("error__not_enrolled__get_contents.json", AccessDenied),
    ("error__invalid_param_type_courseid_abc.json", InvalidParameter),
    ("error__missing_required_param.json", InvalidParameter),
    ("error__unexpected_param.json", InvalidParameter),
    ("error__json_body_not_supported.json", InvalidParameter),
    ("core_course_import_course__error_bad_option.json", InvalidParameter),
    ("core_backup_submit_copy_form__error_no_sesskey.json", InvalidParameter),
    ("mod_forum_add_discussion__error_unknown_option.json", InvalidParameter),
    ("error__nonexistent_course__get_contents.json", NotFound),
    ("error__nonexistent_course__get_contents__debug_on.json", NotFound),
    ("error__nonexistent_course__duplicate.json", NotFound),
    ("error__nonexistent_course__import.json", NotFound),
    ("mod_forum_add_discussion__error_bad_forum.json", NotFound),
    ("error__nonexistent_function.json", NotFound),
    ("core_course_create_courses__error_shortname_taken.json", ShortnameTaken),
    ("core_course_duplicate_course__error_shortname_taken.json", ShortnameTaken),
]


@pytest.mark.parametrize(("name", "expected"), RECORDED_ERRORS)
def test_recorded_error_maps_to_its_type(
    contract: Callable[[str], dict[str, Any]], name: str, expected: type[MoodleError]
) -> None:
    recording = contract(name)
    body = recording["response"]
    assert is_moodle_error_body(body)
    error = error_from_body(body, function=recording["function"])
    assert type(error) is expected
    assert error.errorcode == body["errorcode"]
    assert error.exception == body["exception"]
    assert error.message == body["message"]
    assert error.function == recording["function"]
    assert not error.retryable
    assert not is_retryable(error)


def test_debuginfo_is_kept_when_moodle_sends_it(contract: Callable[[str], Any]) -> None:
    body = contract("error__unexpected_param__debug_on.json")["response"]
    error = error_from_body(body, function="core_course_get_contents")
    assert error.debuginfo == "Unexpected keys (foo) detected in parameter array."


def test_pluginfile_404_body_is_not_found(contract: Callable[[str], Any]) -> None:
    body = contract("endpoint__webservice_pluginfile__not_found.json")["response"]
    error = error_from_body(body, function="pluginfile")
    assert isinstance(error, NotFound)
    assert error.errorcode == "filenotfound"
    assert error.message == "Sorry, the requested file could not be found"


def test_unknown_errorcode_stays_a_plain_moodle_error_with_its_code(
    contract: Callable[[str], Any],
) -> None:
    body = contract("core_backup_get_async_backup_links_backup.json")["response"]
    error = error_from_body(body, function="core_backup_get_async_backup_links_backup")
    assert type(error) is MoodleError
    assert error.errorcode == "backup_controller_dbops_loading_invalid_controller"


@pytest.mark.parametrize(
    ("errorcode", "type_name"),
    [
        ("coursenotempty", "CourseNotEmpty"),
        ("alreadyrestored", "AlreadyRestored"),
        ("nobackupfile", "NoBackupFile"),
        ("keyconflict", "KeyConflict"),
        ("cohortnotfound", "CohortNotFound"),
        ("invalidrole", "InvalidParameter"),
        ("invalidgroup", "InvalidParameter"),
    ],
)
def test_plugin_errorcodes_have_types_and_keep_their_code(errorcode: str, type_name: str) -> None:
    body = {"exception": "moodle_exception", "errorcode": errorcode, "message": "refused"}
    error = error_from_body(body, function="local_passage_restore_course")
    assert type(error).__name__ == type_name
    assert isinstance(error, MoodleError)
    assert error.errorcode == errorcode


def test_only_unavailable_is_retryable() -> None:
    assert is_retryable(MoodleUnavailable("down", errorcode="http503"))
    assert MoodleUnavailable.retryable
    assert not is_retryable(ValueError("not a Moodle error"))
    assert not InvalidToken.retryable


def test_str_names_function_and_code() -> None:
    error = InvalidToken("Invalid token - token not found", errorcode="invalidtoken", function="f")
    assert str(error) == "f: Invalid token - token not found [invalidtoken]"

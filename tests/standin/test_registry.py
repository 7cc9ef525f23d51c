"""Parameter validation fails as core_external\\external_api::validate_parameters does."""

from __future__ import annotations

from typing import Any

import pytest

from moodle_client.standin.registry import (
    Bool,
    Float,
    Int,
    List,
    MoodleError,
    Str,
    Struct,
    missing_record_by_id,
)

PARAMS = Struct(
    {
        "courseid": Int(),
        "visible": Bool(default=True),
        "grade": Float(required=False),
        "options": List(Struct({"name": Str("alpha"), "value": Str()}), default=[]),
    }
)


def debuginfo(value: dict[str, Any]) -> str:
    with pytest.raises(MoodleError) as caught:
        PARAMS.validate(value)
    error = caught.value
    assert error.as_dict(debug=False) == {
        "exception": "core\\exception\\invalid_parameter_exception",
        "errorcode": "invalidparameter",
        "message": "Invalid parameter value detected",
    }
    return error.as_dict(debug=True)["debuginfo"]


def test_defaults_apply_and_optional_keys_stay_absent() -> None:
    assert PARAMS.validate({"courseid": "4"}) == {"courseid": 4, "visible": True, "options": []}


def test_lists_arrive_as_php_arrays_in_key_order() -> None:
    validated = PARAMS.validate(
        {
            "courseid": "4",
            "grade": "77.5",
            "visible": "0",
            "options": {"0": {"name": "a", "value": "1"}, "1": {"name": "b", "value": "2"}},
        }
    )
    assert validated["options"] == [{"name": "a", "value": "1"}, {"name": "b", "value": "2"}]
    assert (validated["grade"], validated["visible"]) == (77.5, False)


def test_missing_required_key() -> None:
    assert debuginfo({}) == "Missing required key in single structure: courseid"


def test_unexpected_key() -> None:
    assert debuginfo({"courseid": "4", "foo": "bar"}) == (
        "Unexpected keys (foo) detected in parameter array."
    )


@pytest.mark.parametrize("value", ["abc", "4.0", " 4", "007", ""])
def test_not_an_integer(value: str) -> None:
    assert debuginfo({"courseid": value}) == (
        f"courseid => Invalid parameter value detected: Invalid external api parameter: the "
        f'value is "{value}", the server was expecting "int" type'
    )


def test_nested_errors_name_their_path() -> None:
    assert debuginfo({"courseid": "1", "options": {"0": {"name": "a_b", "value": "1"}}}) == (
        "options => Invalid parameter value detected: name => Invalid parameter value "
        'detected: Invalid external api parameter: the value is "a_b", the server was '
        'expecting "alpha" type'
    )


def test_array_where_a_scalar_is_expected() -> None:
    assert debuginfo({"courseid": {"0": "4"}}) == (
        "courseid => Invalid parameter value detected: Scalar type expected, array or "
        "object received."
    )


def test_booleans_accept_only_0_and_1() -> None:
    assert "bool" in debuginfo({"courseid": "1", "visible": "yes"})


def test_missing_record_names_its_table_only_with_debugging() -> None:
    error = missing_record_by_id("course", 999)
    assert error.as_dict(debug=False) == {
        "exception": "dml_missing_record_exception",
        "errorcode": "invalidrecordunknown",
        "message": "Can't find data record in database.",
    }
    assert error.as_dict(debug=True) == {
        "exception": "dml_missing_record_exception",
        "errorcode": "invalidrecord",
        "message": "Can't find data record in database table course.",
        "debuginfo": "SELECT * FROM {course} WHERE id = ?\n[array (\n  0 => 999,\n)]",
    }

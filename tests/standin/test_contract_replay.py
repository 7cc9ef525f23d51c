"""The contract comparison notices a change of shape and lets data vary."""

from __future__ import annotations

from tests.standin.contract_replay import shape_differences

RECORDED = {
    "courses": [{"id": 4, "name": "S", "contacts": [{"id": 2}], "lang": None}],
    "warnings": [],
}


def test_same_shape_other_values_is_accepted() -> None:
    ours = {
        "courses": [{"id": 9, "name": "X", "contacts": [{"id": 3}, {"id": 4}], "lang": "fr"}],
        "warnings": [{"item": "course"}],
    }
    assert shape_differences(RECORDED, ours) == []


def test_missing_and_unexpected_keys_are_reported() -> None:
    ours = {"courses": [{"id": 9, "title": "X", "contacts": [], "lang": None}], "warnings": []}
    assert shape_differences(RECORDED, ours) == [
        "$.courses[0]: missing keys ['name']",
        "$.courses[0]: unexpected keys ['title']",
        "$.courses[0].contacts: empty list where the recording has 1 items",
    ]


def test_type_changes_are_reported() -> None:
    ours = {
        "courses": [{"id": "9", "name": "X", "contacts": {"id": 3}, "lang": None}],
        "warnings": [],
    }
    assert shape_differences(RECORDED, ours) == [
        "$.courses[0].contacts: object where the recording has list",
        "$.courses[0].id: string where the recording has number",
    ]


def test_null_stands_for_any_scalar_but_not_for_a_structure() -> None:
    assert shape_differences({"a": None}, {"a": 3}) == []
    assert shape_differences({"a": 3}, {"a": None}) == []
    assert shape_differences({"a": [1]}, {"a": None}) == ["$.a: null where the recording has list"]

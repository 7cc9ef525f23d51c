"""Parameters are flattened exactly as the real Moodle received them in the recordings."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from moodle_client.encoding import flatten_params, name_value_list

CONTRACT_DIR = Path(
    os.environ.get("MOODLE_CONTRACT_DIR")
    or Path(__file__).resolve().parents[3] / "shared" / "moodle-contract"
)


def _recorded_requests() -> list[Path]:
    recorded = []
    for path in sorted(CONTRACT_DIR.glob("*.json")):
        data = json.loads(path.read_text())
        encoded = data.get("encoded_params")
        if (
            "params" in data
            and isinstance(encoded, list)
            and not any(field.startswith("(JSON body)") for field in encoded)
        ):
            recorded.append(path)
    return recorded


RECORDED = _recorded_requests()


@pytest.mark.skipif(not RECORDED, reason="Moodle contract recordings not found")
@pytest.mark.parametrize("path", RECORDED, ids=[path.stem for path in RECORDED])
def test_flattening_matches_what_moodle_received(path: Path) -> None:
    data = json.loads(path.read_text())
    fields = [f"{name}={value}" for name, value in flatten_params(data["params"])]
    assert fields == data["encoded_params"]


def test_recordings_cover_the_nested_shapes() -> None:
    if not RECORDED:
        pytest.skip("Moodle contract recordings not found")
    fields = [
        field for path in RECORDED for field in json.loads(path.read_text())["encoded_params"]
    ]
    assert any(field.startswith("courses[0][courseformatoptions][0][name]=") for field in fields)
    assert any(field.startswith("cohorts[0][categorytype][type]=") for field in fields)
    assert any(field.startswith("events[courseids][0]=") for field in fields)


def test_booleans_are_sent_as_one_and_zero() -> None:
    assert flatten_params({"visible": False, "options": {"siteevents": True}}) == [
        ("visible", "0"),
        ("options[siteevents]", "1"),
    ]


def test_none_is_left_out_at_every_level() -> None:
    params = {"a": None, "courses": [{"id": 3, "idnumber": None}], "options": {"x": None}}
    assert flatten_params(params) == [("courses[0][id]", "3")]


def test_lists_are_indexed_from_zero_and_tuples_too() -> None:
    assert flatten_params({"courseids": (4, 2)}) == [("courseids[0]", "4"), ("courseids[1]", "2")]


def test_an_unsendable_value_is_refused() -> None:
    with pytest.raises(TypeError):
        flatten_params({"when": object()})


def test_name_value_list_joins_a_multi_select_with_commas() -> None:
    options = {"reset_events": True, "unenrol_users": [5, 3], "reset_forum_types": ("news",)}
    assert name_value_list(options) == [
        {"name": "reset_events", "value": "1"},
        {"name": "unenrol_users", "value": "5,3"},
        {"name": "reset_forum_types", "value": "news"},
    ]
    assert flatten_params({"options": name_value_list({"users": False})}) == [
        ("options[0][name]", "users"),
        ("options[0][value]", "0"),
    ]

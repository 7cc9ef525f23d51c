"""The typed plugin calls read the answers a real Moodle 5.0 with local_passage recorded
(``tests/contract/local_passage``), served back over HTTP by a scripted server."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from moodle_client import MoodleClient
from moodle_client.errors import (
    AccessDenied,
    AlreadyRestored,
    CohortNotFound,
    CourseNotEmpty,
    InvalidParameter,
    KeyConflict,
    MoodleError,
    NoBackupFile,
    NotFound,
)
from moodle_client.types import CourseInventory, OperationList

RECORDINGS = Path(__file__).resolve().parents[1] / "contract" / "local_passage"

CALLS: dict[str, Callable[[MoodleClient], Any]] = {
    "local_passage_backup_course": lambda c: c.backup_course(6, key="k"),
    "local_passage_reset_course": lambda c: c.reset_course(6, {"reset_events": True}, "k"),
    "local_passage_restore_course": lambda c: c.restore_course(7, 1, key="k"),
    "local_passage_get_operations": lambda c: c.get_operations([7]),
    "local_passage_get_course_inventory": lambda c: c.get_course_inventory(6),
    "local_passage_list_cohort_syncs": lambda c: c.list_cohort_syncs(6),
    "local_passage_add_cohort_sync": lambda c: c.add_cohort_sync(6, "L1CHIM231"),
    "local_passage_remove_cohort_sync": lambda c: c.remove_cohort_sync(6, 3),
    "local_passage_ensure_news_forum": lambda c: c.ensure_news_forum(6),
    "local_passage_get_content_fingerprint": lambda c: c.get_content_fingerprint(6),
}

ERROR_TYPES: dict[str, type[MoodleError]] = {
    "cohortnotfound": CohortNotFound,
    "invalidgroup": InvalidParameter,
    "invalidrole": InvalidParameter,
    "invalidparameter": InvalidParameter,
    "nopermissions": AccessDenied,
    "requireloginerror": AccessDenied,
    "invalidrecordunknown": NotFound,
    "keyconflict": KeyConflict,
    "alreadyrestored": AlreadyRestored,
    "coursenotempty": CourseNotEmpty,
    "nobackupfile": NoBackupFile,
}


def _recordings(*, errors: bool) -> list[Path]:
    found = []
    for path in sorted(RECORDINGS.glob("local_passage_*.json")):
        response = json.loads(path.read_text())["response"]
        is_error = isinstance(response, dict) and "errorcode" in response
        if is_error == errors:
            found.append(path)
    return found


SUCCESSES = _recordings(errors=False)
ERRORS = _recordings(errors=True)


@pytest.mark.parametrize("path", SUCCESSES, ids=[path.stem for path in SUCCESSES])
def test_recorded_answer_parses_into_its_dataclass(scripted_moodle: Any, path: Path) -> None:
    recording = json.loads(path.read_text())
    scripted_moodle.answer_json(recording["response"])
    client = MoodleClient(scripted_moodle.url, "t")

    typed = CALLS[recording["function"]](client)

    assert typed is not None
    assert scripted_moodle.requests[0].fields["wsfunction"] == recording["function"]


@pytest.mark.parametrize("path", ERRORS, ids=[path.stem for path in ERRORS])
def test_recorded_refusal_raises_its_type(scripted_moodle: Any, path: Path) -> None:
    recording = json.loads(path.read_text())
    body = recording["response"]
    scripted_moodle.answer_json(body)
    scripted_moodle.always_json({"functions": [{"name": recording["function"]}]})
    client = MoodleClient(scripted_moodle.url, "t")

    with pytest.raises(MoodleError) as caught:
        CALLS[recording["function"]](client)

    assert type(caught.value) is ERROR_TYPES[body["errorcode"]]
    assert caught.value.errorcode == body["errorcode"]


def test_recorded_inventory_reads_counts_split_by_author() -> None:
    recording = json.loads(
        (RECORDINGS / "local_passage_get_course_inventory__source_with_user_data.json").read_text()
    )
    inventory = CourseInventory.from_json(recording["response"])

    forum = next(module for module in inventory.modules if module.modname == "forum")
    posts = forum.count("posts")
    assert posts is not None and posts.total == posts.students + posts.others
    assert inventory.enrolments
    assert inventory.gradebook.grades >= inventory.gradebook.studentgrades


def test_recorded_operations_with_an_unknown_id_give_a_warning() -> None:
    recording = json.loads(
        (RECORDINGS / "local_passage_get_operations__finished_and_unknown.json").read_text()
    )
    listed = OperationList.from_json(recording["response"])

    assert all(operation.finished for operation in listed.operations)
    assert [warning.warningcode for warning in listed.warnings] == ["notfound"]

"""The operation poller over HTTP, Moodle scripted to report an operation's progress.

(The stand-in's own operations are exercised in test_client_plugin.py.)
"""

from __future__ import annotations

from typing import Any

import pytest

from moodle_client import MoodleClient, wait_for_operation
from moodle_client.errors import NotFound, OperationTimeout


def operation(status: str, *, progress: float = 0.0) -> dict[str, Any]:
    failed = status == "failed"
    return {
        "id": 7,
        "key": "campaign-1:course-4:backup",
        "type": "backup",
        "courseid": 4,
        "status": status,
        "progress": progress,
        "timecreated": 100,
        "timestarted": 0 if status == "queued" else 101,
        "timefinished": 110 if status in ("success", "failed") else 0,
        "result": {
            "filename": "backup.mbz" if status == "success" else "",
            "filesize": 2048 if status == "success" else 0,
            "contenthash": "ab" * 20 if status == "success" else "",
            "fileurl": "",
            "components": [],
            "restoredcourseid": 0,
        },
        "error": {
            "errorcode": "backupfailed" if failed else "",
            "message": "disk full" if failed else "",
        },
    }


def answer(script: Any, *operations: dict[str, Any]) -> None:
    for item in operations:
        script.answer_json({"operations": [item], "warnings": []})


class FakeClock:
    """Time that passes only when the poller sleeps."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds

    def __call__(self) -> float:
        return self.now


def test_waits_with_growing_capped_delays_until_success(scripted_moodle: Any) -> None:
    answer(
        scripted_moodle,
        operation("queued"),
        operation("running", progress=0.2),
        operation("running", progress=0.5),
        operation("running", progress=0.9),
        operation("success", progress=1.0),
    )
    clock = FakeClock()
    client = MoodleClient(scripted_moodle.url, "t", sleep=clock.sleep)

    finished = wait_for_operation(
        client, 7, timeout=600, first_delay=1, max_delay=3, sleep=clock.sleep, clock=clock
    )

    assert finished.succeeded
    assert finished.result.contenthash == "ab" * 20
    assert clock.sleeps == [1, 2, 3, 3]
    assert scripted_moodle.requests[0].fields["ids[0]"] == "7"


def test_a_failed_operation_is_returned_with_its_error(scripted_moodle: Any) -> None:
    answer(scripted_moodle, operation("running"), operation("failed"))
    clock = FakeClock()
    client = MoodleClient(scripted_moodle.url, "t")

    finished = wait_for_operation(client, 7, timeout=60, sleep=clock.sleep, clock=clock)

    assert finished.status == "failed"
    assert finished.error is not None
    assert finished.error.errorcode == "backupfailed"


def test_deadline_raises_timeout_carrying_the_last_known_state(scripted_moodle: Any) -> None:
    scripted_moodle.always_json(
        {"operations": [operation("running", progress=0.4)], "warnings": []}
    )
    clock = FakeClock()
    client = MoodleClient(scripted_moodle.url, "t")

    with pytest.raises(OperationTimeout) as caught:
        wait_for_operation(client, 7, timeout=10, first_delay=1, sleep=clock.sleep, clock=clock)

    assert caught.value.operation is not None
    assert caught.value.operation.progress == 0.4
    assert caught.value.operation_id == 7
    assert sum(clock.sleeps) == pytest.approx(10)


def test_moodle_down_for_a_while_does_not_end_the_wait(scripted_moodle: Any) -> None:
    answer(scripted_moodle, operation("running"))
    scripted_moodle.answer_html(b"down", status=503)
    answer(scripted_moodle, operation("success"))
    clock = FakeClock()
    client = MoodleClient(scripted_moodle.url, "t", max_attempts=1)

    finished = wait_for_operation(client, 7, timeout=60, sleep=clock.sleep, clock=clock)

    assert finished.succeeded
    assert len(scripted_moodle.requests) == 3


def test_an_unknown_operation_is_not_found(scripted_moodle: Any) -> None:
    warning = {"item": "operation", "itemid": 7, "warningcode": "notfound", "message": "gone"}
    scripted_moodle.answer_json({"operations": [], "warnings": [warning]})
    client = MoodleClient(scripted_moodle.url, "t")

    with pytest.raises(NotFound):
        wait_for_operation(client, 7, timeout=60, sleep=lambda s: None)

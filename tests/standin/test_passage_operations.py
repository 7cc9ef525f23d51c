"""Backup, reset and restore operations: queued then run, once per key, visible to whom."""

from __future__ import annotations

import time
from pathlib import Path

from moodle_client.standin.passage.operations import create_operation
from moodle_client.standin.server import StandinServer
from tests.standin.passage_helpers import Moodle, moodle_fixture  # noqa: F401

LOADED = "CHIM231-2025"


def test_queued_backup_runs_for_the_functions_latency_then_succeeds() -> None:
    server = StandinServer.start(seed="small", latency={"local_passage_backup_course": 300})
    try:
        moodle = Moodle(server)
        queued = moodle.ok(
            "local_passage_backup_course", courseid=moodle.course(LOADED), key="slow-backup"
        )
        assert queued["status"] == "queued"
        assert queued["result"]["filename"] == ""
        time.sleep(0.1)
        running = moodle.ok("local_passage_get_operations", ids=[queued["id"]])["operations"][0]
        assert running["status"] == "running"
        assert 0 < running["progress"] < 1
        assert running["timestarted"] > 0
        finished = moodle.wait(queued["id"])
        assert finished["status"] == "success"
        assert finished["progress"] == 1
        assert finished["timefinished"] >= finished["timestarted"]
        assert finished["result"]["filename"].endswith("-nu.mbz")
    finally:
        server.stop()


def test_queued_reset_finishes_without_latency(moodle: Moodle) -> None:
    courseid = moodle.course(LOADED)
    queued = moodle.ok(
        "local_passage_reset_course",
        courseid=courseid,
        options=[{"name": "reset_forum_all", "value": "1"}],
        key="reset-queued",
    )
    assert queued["status"] == "queued"
    finished = moodle.wait(queued["id"])
    assert finished["status"] == "success"
    assert ("Forums", "All posts") in [
        (c["component"], c["item"]) for c in finished["result"]["components"]
    ]


def test_same_key_returns_the_same_operation_and_does_the_work_once(moodle: Moodle) -> None:
    courseid = moodle.course(LOADED)
    params = {"courseid": courseid, "key": "backup-once", "users": 1, "runinline": 1}
    first = moodle.ok("local_passage_backup_course", **params)
    second = moodle.ok("local_passage_backup_course", **params)
    assert second == first
    stored = [f for f in moodle.site.files.values() if f.component == "local_passage"]
    assert len(stored) == 1


def test_key_reused_for_other_work_is_a_keyconflict(moodle: Moodle) -> None:
    courseid = moodle.course(LOADED)
    moodle.ok("local_passage_backup_course", courseid=courseid, key="k1", runinline=1)
    reset = moodle.call(
        "local_passage_reset_course",
        courseid=courseid,
        options=[{"name": "reset_events", "value": "1"}],
        key="k1",
    )
    assert reset["errorcode"] == "keyconflict"
    assert reset["message"] == (
        f'The key "k1" is already used by a backup operation on course {courseid}.'
    )
    other_course = moodle.call(
        "local_passage_backup_course", courseid=moodle.course("CHIM232-2025"), key="k1"
    )
    assert other_course["errorcode"] == "keyconflict"


def test_unknown_operation_is_a_warning(moodle: Moodle) -> None:
    done = moodle.ok(
        "local_passage_backup_course", courseid=moodle.course(LOADED), key="b", runinline=1
    )
    answer = moodle.ok("local_passage_get_operations", ids=[done["id"], 999])
    assert [o["id"] for o in answer["operations"]] == [done["id"]]
    assert answer["warnings"] == [
        {
            "item": "operation",
            "itemid": 999,
            "warningcode": "notfound",
            "message": "Operation 999 does not exist or you may not see it.",
        }
    ]


def test_teacher_does_not_see_operations_of_courses_they_may_not_back_up(moodle: Moodle) -> None:
    backup = moodle.ok(
        "local_passage_backup_course",
        courseid=moodle.course("BIO101-2025"),
        key="bio",
        runinline=1,
    )
    own = moodle.ok(
        "local_passage_backup_course",
        "teacher",
        courseid=moodle.course(LOADED),
        key="own",
        runinline=1,
    )
    answer = moodle.ok("local_passage_get_operations", "teacher", ids=[backup["id"], own["id"]])
    assert [o["id"] for o in answer["operations"]] == [own["id"]]
    assert [w["itemid"] for w in answer["warnings"]] == [backup["id"]]


def test_bad_flags_empty_key_and_front_page_are_invalid_parameters(moodle: Moodle) -> None:
    courseid = moodle.course(LOADED)
    for params in (
        {"courseid": courseid, "users": 2, "key": "x"},
        {"courseid": courseid, "key": ""},
        {"courseid": 1, "key": "front"},
    ):
        answer = moodle.call("local_passage_backup_course", **params)
        assert answer["errorcode"] == "invalidparameter", params
        assert answer["message"] == "Invalid parameter value detected"


def test_nonexistent_course_is_a_missing_record(moodle: Moodle) -> None:
    answer = moodle.call("local_passage_backup_course", courseid=999999, key="nope")
    assert answer["errorcode"] == "invalidrecordunknown"


def test_operation_left_unfinished_in_a_state_file_runs_at_the_next_start(
    tmp_path: Path,
) -> None:
    state = tmp_path / "moodle.pickle"
    first = StandinServer.start(seed="small", state_file=state)
    site = first.site
    with site.lock:
        course = next(c for c in site.courses.values() if c.shortname == LOADED)
        # As a state file saved while cron had not yet run the backup holds it.
        operation = create_operation(
            site,
            key="interrupted",
            operation_type="backup",
            courseid=course.id,
            userid=2,
            params={"users": False, "anonymize": False},
        )
    first.save_state()
    first.stop()
    second = StandinServer.start(state_file=state)
    try:
        finished = Moodle(second).wait(operation.id)
        assert finished["status"] == "success"
        assert finished["result"]["filesize"] > 0
    finally:
        second.stop()

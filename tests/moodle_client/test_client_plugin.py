"""The companion plugin's functions, typed, against the stand-in's local_passage."""

from __future__ import annotations

import itertools
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest

from moodle_client import MoodleClient, wait_for_operation
from moodle_client.errors import (
    AlreadyRestored,
    InvalidParameter,
    KeyConflict,
    NoBackupFile,
    NotFound,
    OperationTimeout,
)

_numbers = itertools.count(1)


@pytest.fixture
def new_course(moodle: Any) -> Any:
    """Makes an empty course (but for its announcements forum) on the stand-in."""

    def make() -> int:
        number = next(_numbers)
        with moodle.site.lock:
            category = next(iter(moodle.site.categories))
            course = moodle.site.add_course(
                f"PLUGIN-{number}", f"Plugin test course {number}", category=category
            )
        return int(course.id)

    return make


def test_inventory_describes_the_course(admin: MoodleClient, new_course: Any) -> None:
    courseid = new_course()

    inventory = admin.get_course_inventory(courseid)

    assert inventory.course.id == courseid
    assert inventory.course.shortname.startswith("PLUGIN-")
    assert [module.modname for module in inventory.modules] == ["forum"]
    assert inventory.modules[0].resettable
    assert {count.kind for count in inventory.modules[0].data} >= {"discussions", "posts"}
    assert inventory.restore.restored is False
    assert inventory.timegenerated > 0


def test_inventory_of_a_missing_course_is_not_found(admin: MoodleClient) -> None:
    with pytest.raises(NotFound):
        admin.get_course_inventory(987_654)


def test_an_inline_backup_is_finished_and_its_file_matches_the_contenthash(
    admin: MoodleClient, new_course: Any, tmp_path: Path
) -> None:
    courseid = new_course()

    operation = admin.backup_course(courseid, key=f"backup-{courseid}", runinline=True)

    assert operation.type == "backup"
    assert operation.succeeded and operation.finished
    assert operation.error is None
    assert operation.result.filename.endswith(".mbz")
    downloaded = admin.download_file(operation.result.fileurl, tmp_path / "backup.mbz")
    assert downloaded.size == operation.result.filesize
    assert downloaded.matches_contenthash(operation.result.contenthash)


def test_the_same_key_returns_the_same_operation(admin: MoodleClient, new_course: Any) -> None:
    courseid = new_course()
    first = admin.backup_course(courseid, key=f"same-{courseid}", runinline=True)

    again = admin.backup_course(courseid, key=f"same-{courseid}", runinline=True)

    assert again.id == first.id


def test_a_key_reused_for_another_course_is_a_key_conflict(
    admin: MoodleClient, new_course: Any
) -> None:
    courseid, other = new_course(), new_course()
    admin.backup_course(courseid, key=f"conflict-{courseid}", runinline=True)

    with pytest.raises(KeyConflict) as caught:
        admin.backup_course(other, key=f"conflict-{courseid}", runinline=True)

    assert caught.value.errorcode == "keyconflict"


def test_a_queued_backup_is_awaited_by_the_poller(
    admin: MoodleClient, moodle: Any, new_course: Any
) -> None:
    courseid = new_course()
    moodle.faults.set_latency("local_passage_backup_course", 150)

    queued = admin.backup_course(courseid, key=f"queued-{courseid}")

    finished = wait_for_operation(admin, queued.id, timeout=10, first_delay=0.02, max_delay=0.1)
    assert finished.succeeded
    assert finished.id == queued.id
    assert finished.result.contenthash


def test_the_poller_gives_up_at_the_deadline_with_the_last_state(
    admin: MoodleClient, moodle: Any, new_course: Any
) -> None:
    courseid = new_course()
    moodle.faults.set_latency("local_passage_backup_course", 600)
    queued = admin.backup_course(courseid, key=f"slow-{courseid}")
    moodle.faults.clear()

    with pytest.raises(OperationTimeout) as caught:
        wait_for_operation(admin, queued.id, timeout=0.2, first_delay=0.05)

    assert caught.value.operation is not None
    assert caught.value.operation.id == queued.id
    assert caught.value.operation.status in ("queued", "running")
    assert wait_for_operation(admin, queued.id, timeout=10, first_delay=0.05).succeeded


def test_get_operations_warns_about_unknown_ids(admin: MoodleClient, new_course: Any) -> None:
    courseid = new_course()
    known = admin.backup_course(courseid, key=f"listed-{courseid}", runinline=True)

    listed = admin.get_operations([known.id, 999_999])

    assert [operation.id for operation in listed.operations] == [known.id]
    assert [(w.itemid, w.warningcode) for w in listed.warnings] == [(999_999, "notfound")]
    with pytest.raises(NotFound):
        admin.get_operation(999_999)


def test_a_waiting_look_answers_when_the_operation_ends_not_when_the_wait_does(
    admin: MoodleClient, moodle: Any, new_course: Any
) -> None:
    courseid = new_course()
    moodle.faults.set_latency("local_passage_backup_course", 300)
    queued = admin.backup_course(courseid, key=f"waited-{courseid}")

    looks = [admin.get_operation(queued.id, wait=30)]
    while not looks[-1].finished:
        looks.append(admin.get_operation(queued.id, wait=30))

    # Each answer came because the operation moved on (a wait that ran out would answer the
    # state it started from), and the last one is the end.
    assert all(a.status != b.status or a.progress != b.progress for a, b in pairwise(looks))
    assert looks[-1].succeeded and looks[-1].result.contenthash


def test_a_waiting_look_answers_a_finished_operation_and_warns_about_unknown_ids(
    admin: MoodleClient, new_course: Any
) -> None:
    courseid = new_course()
    done = admin.backup_course(courseid, key=f"done-{courseid}", runinline=True)

    listed = admin.get_operations([done.id, 999_999], wait=30)

    assert [operation.status for operation in listed.operations] == ["success"]
    assert [w.itemid for w in listed.warnings] == [999_999]


def test_reset_sends_multi_selects_comma_separated(admin: MoodleClient, new_course: Any) -> None:
    courseid = new_course()
    options = {
        "reset_events": True,
        "reset_notes": True,
        "reset_comments": False,
        "unenrol_users": [5, 3],
        "reset_forum_types": ["news", "general"],
    }

    operation = admin.reset_course(courseid, options, f"reset-{courseid}", runinline=True)

    assert operation.type == "reset"
    assert operation.succeeded
    assert all(isinstance(item.component, str) for item in operation.result.components)


def test_reset_with_an_unknown_option_is_invalid_parameter(
    admin: MoodleClient, new_course: Any
) -> None:
    courseid = new_course()

    with pytest.raises(InvalidParameter):
        admin.reset_course(courseid, {"reset_everything": True}, f"bad-{courseid}")


def test_restore_from_an_uploaded_backup_then_refuse_a_second_one(
    admin: MoodleClient, new_course: Any, tmp_path: Path
) -> None:
    source, target = new_course(), new_course()
    backup = admin.backup_course(source, key=f"to-restore-{source}", runinline=True)
    mbz = admin.download_file(backup.result.fileurl, tmp_path / backup.result.filename)
    draft = admin.upload_file(mbz.path)

    restored = admin.restore_course(
        target, draft.itemid, key=f"restore-{target}", settings={"users": False}, runinline=True
    )

    assert restored.succeeded, restored.error
    assert restored.result.restoredcourseid == target
    assert admin.get_course_inventory(target).restore.restored
    again = admin.upload_file(mbz.path)
    with pytest.raises(AlreadyRestored):
        admin.restore_course(target, again.itemid, key=f"restore-again-{target}")


def test_restore_without_a_backup_file_is_refused(
    admin: MoodleClient, new_course: Any, tmp_path: Path
) -> None:
    target = new_course()
    notes = tmp_path / "notes.txt"
    notes.write_text("not a backup")
    draft = admin.upload_file(notes)

    with pytest.raises(NoBackupFile):
        admin.restore_course(target, draft.itemid, key=f"nofile-{target}")


def test_restore_mode_is_checked_before_sending(admin: MoodleClient) -> None:
    with pytest.raises(ValueError):
        admin.restore_course(1, 1, key="k", mode="replace")

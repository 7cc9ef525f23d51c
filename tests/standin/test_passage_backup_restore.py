"""A backup downloads as a real .mbz and restores into an empty course; restores refuse what
the Caen guide warns against (a course already restored, or holding content)."""

from __future__ import annotations

import hashlib
import io
import tarfile
from typing import Any

import pytest

from moodle_client import MoodleClient, NotFound
from moodle_client.standin.mbz import read_backup
from tests.standin.passage_helpers import Moodle, moodle_fixture  # noqa: F401

SOURCE = "CHIM231-2025"
TARGET = "CHIM241-2026"


def backup(moodle: Moodle, *, users: int = 0, key: str = "backup", token: str = "admin") -> Any:
    operation = moodle.ok(
        "local_passage_backup_course",
        token,
        courseid=moodle.course(SOURCE),
        users=users,
        key=key,
        runinline=1,
    )
    assert operation["status"] == "success", operation
    return operation


def download(moodle: Moodle, fileurl: str, token: str = "admin") -> bytes:
    answer = moodle.http.get(fileurl, params={"token": token}, timeout=10)
    assert answer.status_code == 200
    assert answer.headers["Content-Type"] == "application/vnd.moodle.backup"
    return answer.content


def upload(moodle: Moodle, filename: str, content: bytes, token: str = "admin") -> int:
    answer = moodle.http.post(
        f"{moodle.url}/webservice/upload.php",
        params={"token": token},
        files={"file_1": (filename, content)},
        timeout=10,
    )
    assert answer.status_code == 200
    return int(answer.json()[0]["itemid"])


def restore(moodle: Moodle, draftitemid: int, **params: Any) -> Any:
    params.setdefault("key", "restore")
    params.setdefault("runinline", 1)
    params.setdefault("courseid", moodle.course(TARGET))
    return moodle.call("local_passage_restore_course", draftitemid=draftitemid, **params)


def backup_and_upload(moodle: Moodle, *, users: int = 0) -> int:
    operation = backup(moodle, users=users)
    content = download(moodle, operation["result"]["fileurl"])
    return upload(moodle, operation["result"]["filename"], content)


def test_backup_is_a_gzipped_moodle_archive_matching_its_hash(moodle: Moodle) -> None:
    operation = backup(moodle, users=1)
    result = operation["result"]
    courseid = moodle.course(SOURCE)
    contextid = moodle.site.courses[courseid].contextid
    assert result["filename"].startswith(f"backup-moodle2-course-{courseid}-chim231-2025-")
    assert result["fileurl"] == (
        f"{moodle.url}/webservice/pluginfile.php/{contextid}/local_passage/backup/"
        f"{operation['id']}/{result['filename']}"
    )
    content = download(moodle, result["fileurl"])
    assert content[:2] == b"\x1f\x8b"
    assert len(content) == result["filesize"]
    assert hashlib.sha1(content).hexdigest() == result["contenthash"]
    with tarfile.open(fileobj=io.BytesIO(content), mode="r:gz") as archive:
        description = archive.extractfile("moodle_backup.xml").read().decode()  # type: ignore[union-attr]
    assert "<original_course_shortname>CHIM231-2025</original_course_shortname>" in description
    assert "<modulename>quiz</modulename>" in description
    settings = read_backup(content).settings
    assert (settings["users"], settings["anonymize"]) == ("1", "0")


def test_unknown_backup_file_is_a_json_404(moodle: Moodle) -> None:
    contextid = moodle.site.courses[moodle.course(SOURCE)].contextid
    answer = moodle.http.get(
        f"{moodle.url}/webservice/pluginfile.php/{contextid}/local_passage/backup/999/x.mbz",
        params={"token": "admin"},
        timeout=10,
    )
    assert answer.status_code == 404
    assert answer.json()["errorcode"] == "filenotfound"


def test_restore_into_empty_course_reproduces_sections_modules_and_groups(moodle: Moodle) -> None:
    source = moodle.inventory(moodle.course(SOURCE))
    draft = backup_and_upload(moodle)
    operation = restore(moodle, draft, settings=[{"name": "groups", "value": "1"}])
    assert operation["status"] == "success", operation
    assert operation["result"]["restoredcourseid"] == moodle.course(TARGET)
    target = moodle.inventory(moodle.course(TARGET))

    def shape(inventory: dict[str, Any]) -> list[tuple[int, str, str]]:
        return [(m["section"], m["modname"], m["name"]) for m in inventory["modules"]]

    assert shape(target) == shape(source)
    assert [g["name"] for g in target["groups"]] == [g["name"] for g in source["groups"]]
    assert [g["groups"] for g in target["groupings"]] == [g["groups"] for g in source["groupings"]]
    # A backup without users brings no one's data, and the target keeps its own teacher.
    assert all(d["total"] == 0 for m in target["modules"] for d in m["data"])
    assert target["restore"]["restored"] is True
    assert target["restore"]["operationid"] == operation["id"]
    assert [r["shortname"] for r in target["roles"]] == ["editingteacher"]


def test_restore_without_groups_brings_no_groups(moodle: Moodle) -> None:
    draft = backup_and_upload(moodle)
    operation = restore(moodle, draft, settings=[{"name": "groups", "value": "0"}])
    assert operation["status"] == "success"
    assert moodle.inventory(moodle.course(TARGET))["groups"] == []


def test_restore_with_users_brings_their_data_only_when_asked(moodle: Moodle) -> None:
    draft = backup_and_upload(moodle, users=1)
    without = restore(moodle, draft, settings=[{"name": "users", "value": "0"}])
    assert without["status"] == "success"
    target = moodle.inventory(moodle.course(TARGET))
    assert all(d["total"] == 0 for m in target["modules"] for d in m["data"])

    other = moodle.course("CHIM232-2025")
    # CHIM232 holds resources: merge, without the emptiness check.
    merged = restore(moodle, draft, courseid=other, key="merge", mode="merge", expectempty=0)
    assert merged["status"] == "success", merged
    inventory = moodle.inventory(other)
    quiz = next(m for m in inventory["modules"] if m["modname"] == "quiz")
    attempts = next(d for d in quiz["data"] if d["kind"] == "attempts")
    assert attempts["students"] > 0 and attempts["others"] == 1


def test_merge_keeps_what_the_course_holds_and_duplicates_what_is_already_there(
    moodle: Moodle,
) -> None:
    courseid = moodle.course(SOURCE)
    before = moodle.inventory(courseid)
    draft = backup_and_upload(moodle)
    operation = restore(moodle, draft, courseid=courseid, mode="merge", expectempty=0)
    assert operation["status"] == "success"
    after = moodle.inventory(courseid)
    assert len(after["modules"]) == 2 * len(before["modules"])
    forums = [m for m in after["modules"] if m["name"] == "Forum d'entraide"]
    assert len(forums) == 2
    assert any(d["total"] > 0 for d in forums[0]["data"])


def test_delete_mode_empties_the_course_first(moodle: Moodle) -> None:
    courseid = moodle.course("CHIM232-2025")
    draft = backup_and_upload(moodle)
    operation = restore(moodle, draft, courseid=courseid, expectempty=0)
    assert operation["status"] == "success"
    names = [m["name"] for m in moodle.inventory(courseid)["modules"]]
    source = [m["name"] for m in moodle.inventory(moodle.course(SOURCE))["modules"]]
    assert names == source


def test_a_second_restore_is_refused(moodle: Moodle) -> None:
    draft = backup_and_upload(moodle)
    assert restore(moodle, draft)["status"] == "success"
    again = restore(moodle, draft, key="again", expectempty=0)
    assert again["errorcode"] == "alreadyrestored"
    # The first call's key still answers its operation, not a refusal.
    assert restore(moodle, draft)["status"] == "success"


def test_restore_into_course_with_content_is_refused(moodle: Moodle) -> None:
    draft = backup_and_upload(moodle)
    answer = restore(moodle, draft, courseid=moodle.course("CHIM232-2025"))
    assert answer["errorcode"] == "coursenotempty"
    operations = moodle.site.extra["local_passage"].operations.values()
    assert not any(o.type == "restore" for o in operations)


def test_restore_without_backup_in_draft_area_is_refused(moodle: Moodle) -> None:
    draft = upload(moodle, "notes.txt", b"not a backup")
    assert restore(moodle, draft)["errorcode"] == "nobackupfile"
    assert restore(moodle, 12345)["errorcode"] == "nobackupfile"


def test_bad_mode_is_an_invalid_parameter(moodle: Moodle) -> None:
    draft = backup_and_upload(moodle)
    assert restore(moodle, draft, mode="replace")["errorcode"] == "invalidparameter"


def test_a_file_that_is_not_a_backup_fails_the_operation(moodle: Moodle) -> None:
    draft = upload(moodle, "fake.mbz", b"\x1f\x8bnot really")
    operation = restore(moodle, draft)
    assert operation["status"] == "failed"
    assert operation["error"]["errorcode"] == "invalidbackupfile"


@pytest.mark.parametrize(
    ("shortname", "errorcode"),
    [("BIO101-2025", "nopermissions"), ("PHYS101-2025", "requireloginerror")],
)
def test_teacher_may_not_back_up_a_course_they_do_not_teach(
    moodle: Moodle, shortname: str, errorcode: str
) -> None:
    answer = moodle.call(
        "local_passage_backup_course", "teacher", courseid=moodle.course(shortname), key="t"
    )
    assert answer["errorcode"] == errorcode


def test_teacher_backs_up_and_restores_their_own_courses(moodle: Moodle) -> None:
    operation = backup(moodle, token="teacher", key="teacher-backup")
    content = download(moodle, operation["result"]["fileurl"], token="teacher")
    draft = upload(moodle, operation["result"]["filename"], content, token="teacher")
    restored = restore(moodle, draft)
    assert restored["errorcode"] == "nobackupfile"  # another user's draft area
    restored = moodle.call(
        "local_passage_restore_course",
        "teacher",
        courseid=moodle.course(TARGET),
        draftitemid=draft,
        key="teacher-restore",
        runinline=1,
    )
    assert restored["status"] == "success"


def test_anonymised_backup_needs_the_capability(moodle: Moodle) -> None:
    answer = moodle.call(
        "local_passage_backup_course",
        "teacher",
        courseid=moodle.course(SOURCE),
        users=1,
        anonymize=1,
        key="anon",
    )
    assert answer["errorcode"] == "nopermissions"
    operation = moodle.ok(
        "local_passage_backup_course",
        courseid=moodle.course(SOURCE),
        users=1,
        anonymize=1,
        key="anon",
        runinline=1,
    )
    assert operation["result"]["filename"].endswith("-an.mbz")
    content = download(moodle, operation["result"]["fileurl"])
    with tarfile.open(fileobj=io.BytesIO(content), mode="r:gz") as archive:
        course = archive.extractfile("course.json").read().decode()  # type: ignore[union-attr]
    assert "anonfirstname" in course
    assert "Dubois" not in course


def test_delete_mode_keeps_the_targets_enrolments_and_groups_unless_told(moodle: Moodle) -> None:
    courseid = moodle.course("CHIM232-2025")
    before = moodle.inventory(courseid)
    draft = backup_and_upload(moodle)
    kept = restore(
        moodle,
        draft,
        courseid=courseid,
        expectempty=0,
        settings=[
            {"name": "groups", "value": "0"},
            {"name": "no_such_setting", "value": "1"},
        ],
    )
    assert kept["status"] == "success"
    assert moodle.inventory(courseid)["roles"] == before["roles"]

    target = moodle.course(SOURCE)
    dropped = restore(
        moodle,
        draft,
        courseid=target,
        key="drop",
        expectempty=0,
        settings=[
            {"name": "keep_roles_and_enrolments", "value": "0"},
            {"name": "keep_groups_and_groupings", "value": "0"},
            {"name": "groups", "value": "0"},
        ],
    )
    assert dropped["status"] == "success"
    inventory = moodle.inventory(target)
    assert inventory["roles"] == []
    assert inventory["enrolments"] == []
    assert inventory["groups"] == []


def test_restore_with_users_enrols_the_people_of_the_backup(moodle: Moodle) -> None:
    draft = backup_and_upload(moodle, users=1)
    assert restore(moodle, draft)["status"] == "success"
    target = moodle.inventory(moodle.course(TARGET))
    roles = {r["shortname"]: r["users"] for r in target["roles"]}
    # The cohort members come as people enrolled by hand: the cohort sync is not copied.
    assert roles == {"editingteacher": 1, "teacher": 1, "student": 10}
    assert [e["method"] for e in target["enrolments"]] == ["manual"]
    quiz = next(m for m in target["modules"] if m["modname"] == "quiz")
    attempts = next(d for d in quiz["data"] if d["kind"] == "attempts")
    assert (attempts["students"], attempts["others"]) == (11, 1)
    assert target["gradebook"]["studentgrades"] > 0


@pytest.mark.retention
def test_deleting_a_backups_file_is_idempotent_and_refuses_other_operations(
    moodle: Moodle,
) -> None:
    operation = backup(moodle, key="to-delete")
    size = operation["result"]["filesize"]

    first = moodle.ok("local_passage_delete_backup", "admin", operationid=operation["id"])
    second = moodle.ok("local_passage_delete_backup", "admin", operationid=operation["id"])

    assert first == {"operationid": operation["id"], "deleted": 1, "bytes": size}
    assert second == {"operationid": operation["id"], "deleted": 0, "bytes": 0}
    gone = moodle.http.get(operation["result"]["fileurl"], params={"token": "admin"}, timeout=10)
    assert gone.status_code == 404
    missing = moodle.call("local_passage_delete_backup", "admin", operationid=999_999)
    assert missing["errorcode"] == "operationnotfound"
    with pytest.raises(NotFound):
        MoodleClient(moodle.url, "admin").delete_backup(999_999)


@pytest.mark.object_storage
def test_upload_refuses_a_file_above_the_sites_limit_which_the_plugin_reports(
    moodle: Moodle,
) -> None:
    moodle.server.site.max_upload_bytes = 1000
    limits = moodle.ok("local_passage_get_site_limits", "admin")
    answer = moodle.http.post(
        f"{moodle.url}/webservice/upload.php",
        params={"token": "admin"},
        files={"file_1": ("big.mbz", b"x" * 1001)},
        timeout=10,
    )

    assert limits == {"maxuploadbytes": 1000, "fetchbyurl": 1}
    assert answer.json()["errorcode"] == "upload_error_ini_size"

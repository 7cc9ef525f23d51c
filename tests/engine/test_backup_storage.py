"""Backups kept in a local folder or in S3-compatible object storage (moto's server over HTTP):
the backup streams in and Moodle's copy is deleted, a restore streams its upload or, above
Moodle's upload limit, hands the plugin a signed link it fetches."""

from __future__ import annotations

import hashlib
import time
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core import signing
from django.test import Client

from moodle_client.standin.passage.operations import passage_state
from tests.engine.conftest import approved_request, mirror, reset_spec, run_until_idle
from transition.engine import services
from transition.engine.storage import (
    _multipart_writer,
    backup_checksums,
    backup_link,
    backup_open,
    backup_storage,
)
from transition.models import Backup, Course, MoodleInstance, TransitionRequest
from transition.request_spec import RequestSpec, RestorePlan

pytestmark = pytest.mark.django_db


@pytest.fixture(params=["local", pytest.param("s3", marks=pytest.mark.object_storage)])
def store(request: Any) -> str:
    """Each test runs once with backups in a folder and once in an S3 bucket."""
    if request.param == "s3":
        request.getfixturevalue("s3_backups")
    return str(request.param)


def stored_bytes(name: str) -> bytes:
    with backup_open(name) as stream:
        return stream.read()


def restore_request(world: Any, start_standin: Any) -> tuple[TransitionRequest, Any]:
    previous_server = start_standin("small")
    previous = mirror(previous_server, name="ecampus-2025", role=MoodleInstance.Role.PREVIOUS)
    source = Course.objects.get(instance=previous, shortname="CHIM231-2025")
    target = world.course("CHIM241-2026")
    spec = RequestSpec(
        scenario="restore_previous",
        course_moodle_id=target.moodle_id,
        restore=RestorePlan(
            source_instance_id=previous.pk, source_course_moodle_id=source.moodle_id
        ),
        asap=True,
    )
    return approved_request(world, target, spec, source_course=source), previous_server


def restore_operation(world: Any) -> Any:
    return next(
        op for op in passage_state(world.server.site).operations.values() if op.type == "restore"
    )


def test_a_backup_is_stored_whole_and_moodles_copy_is_deleted(world, store) -> None:
    course = world.course("CHIM231-2025")
    request = approved_request(world, course, reset_spec(world, course))

    services.request_start(request=request)
    run_until_idle(request)

    request.refresh_from_db()
    assert request.status == TransitionRequest.Status.DONE
    backup = Backup.objects.get(course=course, campaign=world.campaign)
    content = stored_bytes(backup.storage_name)
    assert len(content) == backup.size
    assert hashlib.sha1(content).hexdigest() == backup.sha1 == backup.moodle_contenthash
    assert hashlib.sha256(content).hexdigest() == backup.sha256
    checksums = backup_checksums(backup.storage_name)
    assert (checksums.size, checksums.sha1, checksums.sha256) == (
        backup.size,
        backup.sha1,
        backup.sha256,
    )
    # Moodle no longer keeps a full copy of the course once Passage's is verified.
    assert backup.moodle_copy_deleted_at is not None
    moodle_course = world.moodle_course("CHIM231-2025")
    assert not world.server.site.files_in_area(
        moodle_course.contextid, "local_passage", "backup", backup.moodle_operation_id
    )


def test_a_restore_that_fits_moodles_upload_goes_through_the_upload(
    world, start_standin, store
) -> None:
    request, _ = restore_request(world, start_standin)

    services.request_start(request=request)
    run_until_idle(request)

    request.refresh_from_db()
    assert request.status == TransitionRequest.Status.DONE
    assert "fileurl" not in restore_operation(world).params
    assert world.client.get_course_inventory(request.course.moodle_id).restore.restored


def test_a_restore_above_moodles_upload_limit_is_fetched_by_moodle_from_a_signed_link(
    world, start_standin, store, live_server, settings
) -> None:
    settings.PASSAGE_BASE_URL = live_server.url
    world.server.site.max_upload_bytes = 1024  # every backup is larger
    request, _ = restore_request(world, start_standin)

    services.request_start(request=request)
    run_until_idle(request)

    request.refresh_from_db()
    assert request.status == TransitionRequest.Status.DONE, list(
        request.jobs.values_list("kind", "status", "last_error")
    )
    operation = restore_operation(world)
    source = Backup.objects.get(course=request.source_course)
    assert operation.params["filesha1"] == source.sha1
    expected_prefix = (
        live_server.url
        if store == "local"
        else settings.STORAGES["backups"]["OPTIONS"]["endpoint_url"]
    )
    assert operation.params["fileurl"].startswith(expected_prefix)
    assert world.client.get_course_inventory(request.course.moodle_id).restore.restored


def test_the_signed_link_serves_the_backup_and_refuses_a_forged_or_expired_one(
    world, store, settings, monkeypatch
) -> None:
    settings.PASSAGE_BASE_URL = "http://testserver"
    course = world.course("CHIM231-2025")
    request = approved_request(world, course, reset_spec(world, course))
    services.request_start(request=request)
    run_until_idle(request)
    backup = Backup.objects.get(course=course)
    link = backup_link(backup.storage_name)
    if store == "s3":
        import requests

        # A pre-signed URL: no credentials needed, and valid only BACKUP_LINK_SECONDS.
        assert requests.get(link, timeout=10).content == stored_bytes(backup.storage_name)
        expires = int(parse_qs(urlsplit(link).query)["Expires"][0])
        assert abs(expires - time.time() - settings.BACKUP_LINK_SECONDS) < 60
        return
    browser = Client()  # no session: the token is the permission
    answer = browser.get(link.removeprefix("http://testserver"))
    assert answer.status_code == 200
    assert b"".join(answer.streaming_content) == stored_bytes(backup.storage_name)  # type: ignore[attr-defined]
    forged = signing.dumps("../../etc/passwd", salt="another.salt")
    assert browser.get(f"/backups/fetch/{forged}/").status_code == 404
    later = signing.time.time() + settings.BACKUP_LINK_SECONDS + 1  # type: ignore[attr-defined]
    monkeypatch.setattr(signing.time, "time", lambda: later)
    assert browser.get(link.removeprefix("http://testserver")).status_code == 404


@pytest.mark.object_storage
def test_an_interrupted_upload_to_object_storage_leaves_nothing_behind(
    s3_backups, s3_server, settings
) -> None:
    settings.BACKUP_S3_PART_BYTES = 5 * 1024 * 1024
    storage = backup_storage()
    with pytest.raises(ConnectionError), _multipart_writer(storage, "a/b.mbz") as sink:
        sink.write(b"x" * (6 * 1024 * 1024))  # one part already sent
        raise ConnectionError("Moodle went away")
    assert not storage.exists("a/b.mbz")
    uploads = s3_server.client().list_multipart_uploads(Bucket=s3_backups)
    assert not uploads.get("Uploads")

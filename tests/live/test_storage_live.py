"""local_passage's file functions on a real Moodle: the site's upload limit, Moodle's copy of a
backup deleted (again: nothing to delete), and a backup larger than the upload limit fetched by
the plugin from a link and restored.

The last test lowers the site's upload limit (``maxbytes``) and lets Moodle fetch from this
machine (cURL's blocked hosts and allowed ports) for its own duration, then puts them back; it
needs ``MOODLE_LIVE_DIRROOT``, the Moodle folder whose ``admin/cli/cfg.php`` sets them.
"""

from __future__ import annotations

import functools
import hashlib
import http.server
import os
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from moodle_client import MoodleClient, MoodleError, NotFound
from tests.live import test_plugin_live
from tests.live.test_plugin_live import ContentCourse, _module_names

# The plugin suite's courses: one with content, one empty, both in the test category.
content_course = test_plugin_live.content_course
empty_course = test_plugin_live.empty_course

pytestmark = [pytest.mark.object_storage, pytest.mark.retention]


def test_site_limits_say_how_large_an_upload_may_be(live_client: MoodleClient) -> None:
    limits = live_client.get_site_limits()

    assert limits.maxuploadbytes > 0
    assert limits.fetchbyurl
    assert limits.accepts_upload(limits.maxuploadbytes)
    assert not limits.accepts_upload(limits.maxuploadbytes + 1)


def test_deleting_moodles_copy_of_a_backup_is_idempotent(
    live_client: MoodleClient, content_course: ContentCourse, unique: str, tmp_path: Path
) -> None:
    backup = live_client.backup_course(
        content_course.id, key=f"pp-{unique}-delete", runinline=True, timeout=600
    )
    assert backup.succeeded, backup.error

    deleted = live_client.delete_backup(backup.id)

    assert deleted.deleted and deleted.bytes == backup.result.filesize
    with pytest.raises(NotFound):
        live_client.download_file(backup.result.fileurl, tmp_path / "gone.mbz")
    again = live_client.delete_backup(backup.id)
    assert not again.deleted and again.bytes == 0


def _cfg(dirroot: str, name: str, value: str | None = None) -> str:
    command = ["php", f"{dirroot}/admin/cli/cfg.php", f"--name={name}"]
    if value is not None:
        command.append(f"--set={value}")
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout.strip()


@pytest.fixture
def small_uploads_and_local_fetch() -> Iterator[None]:
    """The site accepts uploads of 1 KB at most and may fetch from 127.0.0.1 on any port."""
    dirroot = os.environ.get("MOODLE_LIVE_DIRROOT", "")
    if not dirroot:
        pytest.skip("MOODLE_LIVE_DIRROOT names the live Moodle's folder to change its limits")
    names = ("maxbytes", "curlsecurityblockedhosts", "curlsecurityallowedport")
    before = {name: _cfg(dirroot, name) for name in names}
    try:
        _cfg(dirroot, "maxbytes", "1024")
        _cfg(dirroot, "curlsecurityblockedhosts", "")
        _cfg(dirroot, "curlsecurityallowedport", "")
        yield
    finally:
        for name, value in before.items():
            _cfg(dirroot, name, value)


@pytest.fixture
def file_server(tmp_path: Path) -> Iterator[str]:
    """Serves `tmp_path` over HTTP on 127.0.0.1, as the portal's signed link would."""
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_a_backup_above_the_upload_limit_is_fetched_by_the_plugin_and_restored(
    live_client: MoodleClient,
    content_course: ContentCourse,
    empty_course: int,
    unique: str,
    tmp_path: Path,
    small_uploads_and_local_fetch: None,
    file_server: str,
) -> None:
    backup = live_client.backup_course(
        content_course.id, key=f"pp-{unique}-big", runinline=True, timeout=600
    )
    mbz = live_client.download_file(backup.result.fileurl, tmp_path / "course.mbz")
    limits = live_client.get_site_limits()
    assert limits.maxuploadbytes == 1024 < mbz.size
    with pytest.raises(MoodleError) as refused:
        live_client.upload_file(mbz.path)
    assert refused.value.errorcode == "fileoversized"

    wrong = live_client.restore_course(
        empty_course,
        0,
        key=f"pp-{unique}-wrongsha",
        settings={"users": False},
        fileurl=f"{file_server}/course.mbz",
        filesha1=hashlib.sha1(b"another file").hexdigest(),
        runinline=True,
        timeout=600,
    )
    assert not wrong.succeeded and wrong.error is not None
    assert wrong.error.errorcode == "backupchecksummismatch"

    operation = live_client.restore_course(
        empty_course,
        0,
        key=f"pp-{unique}-byurl",
        settings={"users": False},
        fileurl=f"{file_server}/course.mbz",
        filesha1=mbz.sha1,
        runinline=True,
        timeout=600,
    )

    assert operation.succeeded, operation.error
    assert _module_names(live_client, empty_course) == _module_names(live_client, content_course.id)
    assert live_client.get_course_inventory(empty_course).restore.restored

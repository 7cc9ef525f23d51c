"""Downloads through webservice/pluginfile.php and uploads through webservice/upload.php."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from moodle_client import MoodleClient
from moodle_client.errors import InvalidToken, MoodleError, MoodleUnavailable, NotFound


@pytest.fixture
def stored_backup(moodle: Any) -> tuple[str, bytes]:
    """A 3 MB backup file in the backup area of a course, and its pluginfile path."""
    content = os.urandom(3 * 1024 * 1024 + 17)
    course = next(iter(moodle.site.courses.values()))
    name = f"backup-{hashlib.sha1(content).hexdigest()[:8]}.mbz"
    with moodle.site.lock:
        moodle.site.add_file(course.contextid, "backup", "course", 0, "/", name, content)
    return f"/webservice/pluginfile.php/{course.contextid}/backup/course/{name}", content


def test_a_download_streams_to_disk_with_its_checksums(
    admin: MoodleClient, stored_backup: tuple[str, bytes], tmp_path: Path
) -> None:
    path, content = stored_backup

    downloaded = admin.download_file(path, tmp_path / "copy.mbz")

    assert downloaded.path.read_bytes() == content
    assert downloaded.size == len(content)
    assert downloaded.sha256 == hashlib.sha256(content).hexdigest()
    assert downloaded.sha1 == hashlib.sha1(content).hexdigest()
    assert downloaded.matches_contenthash(hashlib.sha1(content).hexdigest().upper())
    assert downloaded.content_type == "application/vnd.moodle.backup"
    assert downloaded.filename == path.rsplit("/", 1)[-1]


def test_a_download_accepts_the_site_url_without_webservice(
    admin: MoodleClient, stored_backup: tuple[str, bytes], tmp_path: Path
) -> None:
    path, content = stored_backup
    url = admin.base_url + path.removeprefix("/webservice")

    assert admin.download_file(url, tmp_path / "copy.mbz").size == len(content)


def test_a_download_failing_with_503_is_retried(
    admin: MoodleClient,
    moodle: Any,
    stored_backup: tuple[str, bytes],
    tmp_path: Path,
    served: Callable[[str], int],
) -> None:
    path, content = stored_backup
    moodle.faults.fail_next("pluginfile", 1, "http503")

    assert admin.download_file(path, tmp_path / "copy.mbz").size == len(content)
    assert served("pluginfile") == 2


def test_a_missing_file_is_not_found_and_nothing_is_written(
    admin: MoodleClient, moodle: Any, tmp_path: Path
) -> None:
    course = next(iter(moodle.site.courses.values()))

    with pytest.raises(NotFound) as caught:
        admin.download_file(
            f"/webservice/pluginfile.php/{course.contextid}/backup/course/0/nope.mbz",
            tmp_path / "nope.mbz",
        )

    assert caught.value.errorcode == "filenotfound"
    assert list(tmp_path.iterdir()) == []


def test_a_download_with_an_unknown_token_is_invalid_token(
    moodle: Any, stored_backup: tuple[str, bytes], tmp_path: Path
) -> None:
    client = MoodleClient(moodle.url, "no-such-token")

    with pytest.raises(InvalidToken):
        client.download_file(stored_backup[0], tmp_path / "copy.mbz")
    assert list(tmp_path.iterdir()) == []


def test_an_upload_lands_in_a_new_draft_area(
    admin: MoodleClient, moodle: Any, tmp_path: Path
) -> None:
    source = tmp_path / "course.mbz"
    source.write_bytes(b"\x1f\x8b backup bytes")

    upload = admin.upload_file(source)

    assert upload.itemid > 0
    assert [(item.filename, item.filearea, item.component) for item in upload.files] == [
        ("course.mbz", "draft", "user")
    ]
    admin_user = next(user for user in moodle.site.users.values() if user.username == "admin")
    stored = moodle.site.user_draft_files(admin_user.id, upload.itemid)
    assert [(item.filename, item.content) for item in stored] == [
        ("course.mbz", b"\x1f\x8b backup bytes")
    ]


def test_a_second_upload_into_the_same_draft_area_adds_to_it(
    admin: MoodleClient, tmp_path: Path
) -> None:
    first = tmp_path / "a.txt"
    second = tmp_path / "b.txt"
    first.write_text("a")
    second.write_text("b")

    upload = admin.upload_file(first)
    again = admin.upload_file(second, itemid=upload.itemid)

    assert again.itemid == upload.itemid
    listed = admin.get_files(upload.files[0].contextid, "user", "draft", itemid=upload.itemid)
    assert sorted(item.filename for item in listed) == ["a.txt", "b.txt"]


def test_uploading_a_name_already_in_the_draft_area_is_refused(
    admin: MoodleClient, tmp_path: Path
) -> None:
    source = tmp_path / "a.txt"
    source.write_text("a")
    upload = admin.upload_file(source)

    with pytest.raises(MoodleError) as caught:
        admin.upload_file(source, itemid=upload.itemid)

    assert caught.value.errorcode == "filenameexist"


def test_an_upload_hitting_503_is_sent_once(
    admin: MoodleClient, moodle: Any, tmp_path: Path, served: Callable[[str], int]
) -> None:
    source = tmp_path / "once.txt"
    source.write_text("once")
    moodle.faults.fail_next("upload", 1, "http503")

    with pytest.raises(MoodleUnavailable):
        admin.upload_file(source)

    assert served("upload") == 1


class _Sink:
    """Object storage seen from the client: told whether the file came whole."""

    def __init__(self) -> None:
        self.received = bytearray()
        self.kept: bool | None = None
        self.largest_write = 0

    def write(self, data: bytes) -> int:
        self.largest_write = max(self.largest_write, len(data))
        self.received += data
        return len(data)


@pytest.mark.object_storage
def test_a_download_into_a_sink_comes_a_chunk_at_a_time_and_is_kept_only_whole(
    admin: MoodleClient, stored_backup: tuple[str, bytes]
) -> None:
    from contextlib import contextmanager

    path, content = stored_backup
    sinks: list[_Sink] = []

    @contextmanager
    def open_sink() -> Any:
        sink = _Sink()
        sinks.append(sink)
        try:
            yield sink
        except BaseException:
            sink.kept = False
            raise
        sink.kept = True

    downloaded = admin.download_file(path, open_sink)

    assert downloaded.path is None and downloaded.sha1 == hashlib.sha1(content).hexdigest()
    assert [s.kept for s in sinks] == [True] and bytes(sinks[0].received) == content
    assert sinks[0].largest_write <= 64 * 1024


@pytest.mark.object_storage
def test_an_upload_streams_its_body_instead_of_reading_the_file_whole(
    admin: MoodleClient, moodle: Any
) -> None:
    class Stream:
        """A backup read from object storage: its length known, its bytes read on demand."""

        def __init__(self, content: bytes) -> None:
            self._content, self._offset, self.largest_read = content, 0, 0

        @property
        def len(self) -> int:
            return len(self._content) - self._offset

        def read(self, size: int = -1) -> bytes:
            end = len(self._content) if size < 0 else self._offset + size
            data = self._content[self._offset : end]
            self._offset += len(data)
            self.largest_read = max(self.largest_read, len(data))
            return data

    content = os.urandom(5 * 1024 * 1024)
    stream = Stream(content)
    draft = admin.upload_file(stream, filename="big.mbz")  # type: ignore[arg-type]

    stored = moodle.site.user_draft_files(2, draft.itemid)
    assert stored[0].content == content
    assert 0 < stream.largest_read < 1024 * 1024

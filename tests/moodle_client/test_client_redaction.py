"""The token never shows in a repr, an exception message or a log line."""

from __future__ import annotations

import logging
import socket
from pathlib import Path
from typing import Any

import pytest

from moodle_client import MoodleClient
from moodle_client.errors import MoodleUnavailable

SECRET = "f00dfeedcafe0123456789abcdef4242"


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def _client_logs(caplog: pytest.LogCaptureFixture) -> str:
    return "\n".join(
        record.getMessage()
        for record in caplog.records
        if not record.name.startswith("moodle_client.standin")
    )


def test_repr_hides_the_token() -> None:
    client = MoodleClient("http://127.0.0.1:9", SECRET)

    assert SECRET not in repr(client)
    assert SECRET not in repr(client._transport)
    assert SECRET not in str(vars(client))


def test_a_refused_download_does_not_leak_the_token_from_the_url(
    caplog: pytest.LogCaptureFixture, tmp_path: Path
) -> None:
    caplog.set_level(logging.DEBUG)
    base = f"http://127.0.0.1:{_closed_port()}"
    client = MoodleClient(base, SECRET, sleep=lambda seconds: None)

    with pytest.raises(MoodleUnavailable) as caught:
        client.download_file(f"{base}/pluginfile.php/1/backup/course/a.mbz", tmp_path / "a.mbz")

    assert "token=***" in caught.value.message  # requests named the URL; it was scrubbed
    for text in (str(caught.value), repr(caught.value), caught.value.message):
        assert SECRET not in text
    assert caught.value.__context__ is None  # requests' exception, URL and all, is dropped
    assert SECRET not in _client_logs(caplog)


def test_a_refused_call_does_not_leak_the_token(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    client = MoodleClient(f"http://127.0.0.1:{_closed_port()}", SECRET, max_attempts=1)

    with pytest.raises(MoodleUnavailable) as caught:
        client.get_site_info()

    assert SECRET not in str(caught.value)
    assert SECRET not in _client_logs(caplog)


def test_logs_of_calls_and_downloads_name_the_function_and_time_but_not_the_token(
    moodle: Any, caplog: pytest.LogCaptureFixture, tmp_path: Path
) -> None:
    admin_user = next(user for user in moodle.site.users.values() if user.username == "admin")
    with moodle.site.lock:
        moodle.site.add_token(SECRET, admin_user.id)
        course = next(iter(moodle.site.courses.values()))
        moodle.site.add_file(course.contextid, "backup", "course", 0, "/", "r.mbz", b"bytes")
    caplog.set_level(logging.DEBUG)
    client = MoodleClient(moodle.url, SECRET)

    client.get_site_info()
    client.download_file(
        f"/webservice/pluginfile.php/{course.contextid}/backup/course/r.mbz", tmp_path / "r.mbz"
    )

    logs = _client_logs(caplog)
    assert SECRET not in logs
    assert "moodle core_webservice_get_site_info ok in" in logs
    assert "moodle pluginfile ok in" in logs
    assert "token=***" in logs  # urllib3's request line, scrubbed

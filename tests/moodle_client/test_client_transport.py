"""The transport against a scripted HTTP server: the wire format, and the faults the stand-in
Moodle does not produce (HTTP 500, an HTML page with status 200, a cut transfer, odd JSON)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from moodle_client import MoodleClient
from moodle_client.errors import MoodleUnavailable, NotFound, UnexpectedResponse

TOKEN = "0123456789abcdef0123456789abcdef"


def client_for(script: Any, sleeps: list[float] | None = None, **kwargs: Any) -> MoodleClient:
    record = sleeps if sleeps is not None else []
    return MoodleClient(script.url, TOKEN, sleep=record.append, retry_base_delay=0.01, **kwargs)


def test_call_posts_php_array_fields_with_the_token_in_the_body_only(scripted_moodle: Any) -> None:
    scripted_moodle.answer_json({"courses": [], "warnings": []})
    client = client_for(scripted_moodle)

    client.call(
        "core_course_get_courses_by_field",
        field="ids",
        value="2,3",
        options=[{"name": "users", "value": False}],
        skipped=None,
    )

    request = scripted_moodle.requests[0]
    assert request.method == "POST"
    assert request.path == "/webservice/rest/server.php"
    assert TOKEN not in str(request.query)
    assert request.fields == {
        "wstoken": TOKEN,
        "wsfunction": "core_course_get_courses_by_field",
        "moodlewsrestformat": "json",
        "field": "ids",
        "value": "2,3",
        "options[0][name]": "users",
        "options[0][value]": "0",
    }
    assert request.headers["User-Agent"].startswith("Passage-moodle_client/")


def test_an_html_page_with_status_200_is_unavailable_and_a_read_is_retried(
    scripted_moodle: Any,
) -> None:
    page = b"<html><body>Moodle is being upgraded</body></html>"
    for _ in range(3):
        scripted_moodle.answer_html(page)
    sleeps: list[float] = []
    client = client_for(scripted_moodle, sleeps)

    with pytest.raises(MoodleUnavailable) as caught:
        client.get_course(4)

    assert caught.value.errorcode == "notjson"
    assert "Moodle is being upgraded" in caught.value.message
    assert len(scripted_moodle.requests) == 3
    assert len(sleeps) == 2


def test_http_500_is_unavailable(scripted_moodle: Any) -> None:
    scripted_moodle.answer_html(b"Internal error", status=500)
    client = client_for(scripted_moodle, max_attempts=1)

    with pytest.raises(MoodleUnavailable) as caught:
        client.get_site_info()

    assert caught.value.errorcode == "http500"


def test_json_of_another_shape_is_an_unexpected_response_not_retried(scripted_moodle: Any) -> None:
    scripted_moodle.answer_json({"courses": "nope"})
    client = client_for(scripted_moodle)

    with pytest.raises(UnexpectedResponse) as caught:
        client.get_course(4)

    assert caught.value.function == "core_course_get_courses_by_field"
    assert not caught.value.retryable
    assert len(scripted_moodle.requests) == 1


def test_a_download_cut_short_leaves_no_file(scripted_moodle: Any, tmp_path: Path) -> None:
    from_moodle = b"x" * 1000
    for _ in range(2):
        scripted_moodle.answer_file(from_moodle, declared_length=5000)
    client = client_for(scripted_moodle, max_attempts=2)
    destination = tmp_path / "backup.mbz"

    with pytest.raises(MoodleUnavailable):
        client.download_file("/webservice/pluginfile.php/18/backup/course/b.mbz", destination)

    assert len(scripted_moodle.requests) == 2
    assert list(tmp_path.iterdir()) == []


def test_a_download_sends_token_as_token_and_maps_pluginfile_urls(
    scripted_moodle: Any, tmp_path: Path
) -> None:
    scripted_moodle.answer_file(b"PK-backup")
    client = client_for(scripted_moodle)

    downloaded = client.download_file(
        f"{scripted_moodle.url}/pluginfile.php/18/backup/course/b.mbz", tmp_path / "b.mbz"
    )

    request = scripted_moodle.requests[0]
    assert request.method == "GET"
    assert request.path == "/webservice/pluginfile.php/18/backup/course/b.mbz"
    assert request.query == {"token": TOKEN}
    assert downloaded.size == 9
    assert downloaded.filename == "b.mbz"


def test_a_file_of_another_site_is_refused_before_sending_the_token(scripted_moodle: Any) -> None:
    client = client_for(scripted_moodle)

    with pytest.raises(ValueError):
        client.download_file("http://elsewhere.example/pluginfile.php/1/a/b/c.txt", "/tmp/x")

    assert scripted_moodle.requests == []


def test_a_404_on_the_rest_endpoint_is_not_found(scripted_moodle: Any) -> None:
    scripted_moodle.answer_html(b"<h1>Not Found</h1>", status=404)
    client = client_for(scripted_moodle)

    with pytest.raises(NotFound):
        client.get_site_info()

"""The stand-in's HTTP side: request decoding, answer formats, faults, latency, state files,
the command line."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from moodle_client.standin import StandinServer
from moodle_client.standin.phpform import decode_fields
from moodle_client.standin.seeds import UnknownSeedError
from tests.conftest import StartStandin

REST = "/webservice/rest/server.php"


def call(
    server: StandinServer,
    function: str,
    fields: list[tuple[str, str]] | None = None,
    *,
    token: str = "admin",
    fmt: str | None = "json",
) -> requests.Response:
    query = {"wstoken": token, "wsfunction": function}
    if fmt is not None:
        query["moodlewsrestformat"] = fmt
    return requests.post(server.url + REST, params=query, data=fields or [], timeout=10)


def test_php_array_syntax_nests_and_appends() -> None:
    fields = decode_fields(
        [
            ("courses[0][fullname]", "A"),
            ("courses[0][shortname]", "a"),
            ("courses[1][fullname]", "B"),
            ("options[ids][]", "4"),
            ("options[ids][]", "5"),
            ("plain", "x"),
            ("plain", "y"),
        ]
    )
    assert fields == {
        "courses": {"0": {"fullname": "A", "shortname": "a"}, "1": {"fullname": "B"}},
        "options": {"ids": {"0": "4", "1": "5"}},
        "plain": "y",
    }


def test_list_of_structures_reaches_the_function_in_order(start_standin: StartStandin) -> None:
    server = start_standin()
    answer = call(
        server, "core_course_get_courses", [("options[ids][]", "4"), ("options[ids][]", "2")]
    ).json()
    assert [course["id"] for course in answer] == [4, 2]


def test_get_with_parameters_in_the_query_answers_like_post(start_standin: StartStandin) -> None:
    server = start_standin()
    query = {
        "wstoken": "admin",
        "wsfunction": "core_course_get_courses_by_field",
        "moodlewsrestformat": "json",
        "field": "shortname",
        "value": "CHIM231-2025",
    }
    by_get = requests.get(server.url + REST, params=query, timeout=10).json()
    by_post = call(
        server,
        "core_course_get_courses_by_field",
        [("field", "shortname"), ("value", "CHIM231-2025")],
    ).json()
    assert by_get == by_post
    assert [c["shortname"] for c in by_get["courses"]] == ["CHIM231-2025"]


def test_json_body_is_ignored_so_parameters_are_missing(start_standin: StartStandin) -> None:
    server = start_standin(debug=True)
    response = requests.post(
        server.url + REST,
        params={
            "wstoken": "admin",
            "wsfunction": "core_course_get_contents",
            "moodlewsrestformat": "json",
        },
        data=json.dumps({"courseid": 4}),
        headers={"Content-Type": "application/json"},
        timeout=10,
    )
    assert response.status_code == 200
    assert response.json()["debuginfo"] == "Missing required key in single structure: courseid"


def test_debuginfo_only_when_debugging_is_on(start_standin: StartStandin) -> None:
    quiet = call(start_standin(), "core_course_get_contents", [("courseid", "abc")]).json()
    loud = call(start_standin(debug=True), "core_course_get_contents", [("courseid", "abc")]).json()
    assert "debuginfo" not in quiet
    assert loud["debuginfo"] == (
        "courseid => Invalid parameter value detected: Invalid external api parameter: the "
        'value is "abc", the server was expecting "int" type'
    )


def test_without_format_the_answer_is_moodle_xml(start_standin: StartStandin) -> None:
    server = start_standin()
    response = call(
        server, "core_enrol_get_course_enrolment_methods", [("courseid", "7")], fmt=None
    )
    assert response.headers["Content-Type"] == "application/xml; charset=utf-8"
    assert response.text == (
        '<?xml version="1.0" encoding="UTF-8" ?>\n<RESPONSE>\n<MULTIPLE>\n<SINGLE>\n'
        '<KEY name="id"><VALUE>18</VALUE>\n</KEY>\n<KEY name="courseid"><VALUE>7</VALUE>\n'
        '</KEY>\n<KEY name="type"><VALUE>self</VALUE>\n</KEY>\n<KEY name="name"><VALUE>'
        'Self enrolment (Student)</VALUE>\n</KEY>\n<KEY name="status"><VALUE>1</VALUE>\n'
        "</KEY>\n</SINGLE>\n</MULTIPLE>\n</RESPONSE>\n"
    )


def test_function_without_answer_gives_json_null(start_standin: StartStandin) -> None:
    server = start_standin()
    response = call(
        server,
        "core_role_assign_roles",
        [
            ("assignments[0][roleid]", "4"),
            ("assignments[0][userid]", "106"),
            ("assignments[0][contextlevel]", "course"),
            ("assignments[0][instanceid]", "5"),
        ],
    )
    assert response.text == "null"


def test_unknown_function_then_function_outside_the_service(start_standin: StartStandin) -> None:
    server = start_standin()
    unknown = call(server, "core_grades_get_grades").json()
    outside = call(server, "core_course_get_courses", token="siteinfoonly-service").json()
    invalid = call(server, "core_webservice_get_site_info", token="nope").json()
    assert unknown["errorcode"] == "invalidrecordunknown"
    assert outside["errorcode"] == "accessexception"
    assert invalid["errorcode"] == "invalidtoken"


def test_site_info_lists_the_functions_the_stand_in_implements(start_standin: StartStandin) -> None:
    server = start_standin()
    info = call(server, "core_webservice_get_site_info").json()
    names = {f["name"] for f in info["functions"]}
    assert names == set(server.functions)
    assert {"core_course_get_contents", "enrol_manual_enrol_users"} <= names
    # Each function carries its component's version: Moodle's, or the companion plugin's.
    versions = {f["name"]: f["version"] for f in info["functions"]}
    assert {v for n, v in versions.items() if not n.startswith("local_passage_")} == {"2025041400"}
    version_php = Path(__file__).parents[2] / "moodle_plugin/local_passage/version.php"
    plugin = re.search(r"\$plugin->version = (\d+);", version_php.read_text())[1]
    assert {v for n, v in versions.items() if n.startswith("local_passage_")} == {plugin}
    assert info["release"] == "5.0 (Build: 20250414)"
    limited = call(server, "core_webservice_get_site_info", token="siteinfoonly-service")
    assert [f["name"] for f in limited.json()["functions"]] == ["core_webservice_get_site_info"]


def test_pluginfile_serves_backup_without_itemid_and_404s_with_one(
    start_standin: StartStandin,
) -> None:
    server = start_standin()
    base = f"{server.url}/webservice/pluginfile.php/18/backup/course"
    name = "backup-moodle2-course-3-testcourse_2-20261123-0821.mbz"
    found = requests.get(f"{base}/{name}", params={"token": "admin"}, timeout=10)
    missing = requests.get(f"{base}/0/{name}", params={"token": "admin"}, timeout=10)
    assert found.status_code == 200
    assert found.headers["Content-Type"] == "application/vnd.moodle.backup"
    assert found.headers["Content-Disposition"] == f'inline; filename="{name}"'
    assert missing.status_code == 404
    assert missing.json()["errorcode"] == "filenotfound"


def test_upload_lands_in_the_users_draft_area(start_standin: StartStandin) -> None:
    server = start_standin()
    response = requests.post(
        f"{server.url}/webservice/upload.php",
        data={"token": "admin"},
        files={"file_1": ("course.mbz", b"archive bytes")},
        timeout=10,
    )
    [uploaded] = response.json()
    assert uploaded["filearea"] == "draft"
    stored = server.site.user_draft_files(2, uploaded["itemid"])
    assert [(f.filename, f.content) for f in stored] == [("course.mbz", b"archive bytes")]
    again = requests.post(
        f"{server.url}/webservice/upload.php",
        data={"token": "admin", "itemid": str(uploaded["itemid"])},
        files={"file_1": ("course.mbz", b"other")},
        timeout=10,
    ).json()
    assert again[0]["errortype"] == "filenameexist"


def test_http503_fault_then_recovery(start_standin: StartStandin) -> None:
    server = start_standin()
    server.faults.fail_next("core_webservice_get_site_info", 2, "http503")
    first = call(server, "core_webservice_get_site_info")
    second = call(server, "core_webservice_get_site_info")
    third = call(server, "core_webservice_get_site_info")
    assert (first.status_code, second.status_code, third.status_code) == (503, 503, 200)
    assert "Service Unavailable" in first.text


def test_drop_fault_closes_the_connection(start_standin: StartStandin) -> None:
    server = start_standin()
    server.faults.fail_next("core_webservice_get_site_info", 1, "drop")
    with pytest.raises(requests.ConnectionError):
        call(server, "core_webservice_get_site_info")


def test_drop_after_fault_does_the_work_but_loses_the_answer(start_standin: StartStandin) -> None:
    server = start_standin()
    server.faults.fail_next("core_course_create_categories", 1, "drop_after")
    with pytest.raises(requests.ConnectionError):
        call(server, "core_course_create_categories", [("categories[0][name]", "Lost answer")])
    assert any(c.name == "Lost answer" for c in server.site.categories.values())


def test_timeout_fault_hangs_past_the_client_timeout(start_standin: StartStandin) -> None:
    server = start_standin()
    server.faults.fail_next("core_webservice_get_site_info", 1, "timeout")
    with pytest.raises(requests.Timeout):
        requests.post(
            server.url + REST,
            data={"wstoken": "admin", "wsfunction": "core_webservice_get_site_info"},
            timeout=0.3,
        )


def test_rate_faults_are_deterministic(start_standin: StartStandin) -> None:
    outcomes = []
    for _ in range(2):
        server = start_standin()
        server.faults.set("core_webservice_get_site_info", 0.5)
        outcomes.append(
            [call(server, "core_webservice_get_site_info").status_code for _ in range(12)]
        )
    assert outcomes[0] == outcomes[1]
    assert set(outcomes[0]) == {200, 503}


def test_latency_delays_only_its_function(start_standin: StartStandin) -> None:
    server = start_standin(latency={"core_course_get_categories": 300})
    started = time.monotonic()
    call(server, "core_course_get_categories")
    slow = time.monotonic() - started
    started = time.monotonic()
    call(server, "core_webservice_get_site_info")
    fast = time.monotonic() - started
    assert slow >= 0.3
    assert fast < 0.3


def test_state_file_keeps_changes_across_restarts(
    start_standin: StartStandin, tmp_path: Path
) -> None:
    state = tmp_path / "site.pickle"
    first = start_standin(state_file=state)
    call(first, "core_course_create_categories", [("categories[0][name]", "Persisted")])
    first.stop()
    second = start_standin(seed="no-such-seed-is-needed", state_file=state)
    names = [c["name"] for c in call(second, "core_course_get_categories").json()]
    assert "Persisted" in names


def test_unknown_seed_is_a_clear_error() -> None:
    with pytest.raises(UnknownSeedError, match="no-such-seed"):
        StandinServer.start(seed="no-such-seed")


def test_command_line_prints_its_url_and_serves() -> None:
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "moodle_client.standin",
            "--port",
            "0",
            "--seed",
            "contract",
            "--latency",
            "core_course_get_categories=10",
            "--fail",
            "core_course_get_courses=1:http503",
        ],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        assert process.stdout is not None
        url = process.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:")
        info = requests.post(
            url + REST,
            data={
                "wstoken": "admin",
                "wsfunction": "core_webservice_get_site_info",
                "moodlewsrestformat": "json",
            },
            timeout=10,
        ).json()
        assert info["siteurl"] == url
        failing = requests.post(
            url + REST,
            data={"wstoken": "admin", "wsfunction": "core_course_get_courses"},
            timeout=10,
        )
        assert failing.status_code == 503
    finally:
        process.terminate()
        process.wait(timeout=10)

"""Behaviours of a real Moodle 5.0 seen on a live site and not in the recorded contract."""

import requests

from moodle_client.standin import StandinServer


def _call(server: StandinServer, function: str, **fields: str | int) -> object:
    answer = requests.post(
        f"{server.url}/webservice/rest/server.php",
        data={"wstoken": "admin", "wsfunction": function, "moodlewsrestformat": "json", **fields},
        timeout=10,
    )
    return answer.json()


def test_a_grouping_created_without_idnumber_exists_although_moodle_answers_an_error(
    standin: StandinServer,
) -> None:
    course = next(c for c in standin.site.courses.values() if c.id != 1)
    fields = {
        "groupings[0][courseid]": course.id,
        "groupings[0][name]": "Sans numéro",
        "groupings[0][description]": "",
    }

    answer = _call(standin, "core_group_create_groupings", **fields)

    assert answer == {
        "exception": "core\\exception\\invalid_response_exception",
        "errorcode": "invalidresponse",
        "message": "Invalid response value detected",
    }
    listed = _call(standin, "core_group_get_course_groupings", courseid=course.id)
    assert "Sans numéro" in [grouping["name"] for grouping in listed]


def test_a_grouping_created_with_an_idnumber_is_answered_normally(standin: StandinServer) -> None:
    course = next(c for c in standin.site.courses.values() if c.id != 1)

    answer = _call(
        standin,
        "core_group_create_groupings",
        **{
            "groupings[0][courseid]": course.id,
            "groupings[0][name]": "TD",
            "groupings[0][description]": "",
            "groupings[0][idnumber]": "",
        },
    )

    assert [grouping["name"] for grouping in answer] == ["TD"]

"""Every recording of a real Moodle 5.0, replayed against the stand-in: same HTTP status, same
content type, same answer shape, and for errors the same exception, errorcode and message.

Core recordings (/work/shared/moodle-contract, or $MOODLE_CONTRACT_DIR) run against the
`contract` seed, which reproduces the recorded site. Each test starts its own server, so a
recording that changes the site cannot disturb another.
"""

from __future__ import annotations

import os
import xml.etree.ElementTree as ElementTree
from collections.abc import Callable
from pathlib import Path

import pytest

from moodle_client.standin.registry import FUNCTIONS
from moodle_client.standin.rest import REST_USE
from moodle_client.standin.site import ROLE_USER, Site
from tests.conftest import StartStandin
from tests.standin.contract_replay import Recording, load, replay, shape_differences

REPO_ROOT = Path(__file__).resolve().parents[2]
CORE_DIR = Path(
    os.environ.get("MOODLE_CONTRACT_DIR") or REPO_ROOT.parent / "shared" / "moodle-contract"
)

# Recordings of functions the stand-in does not implement, and why.
NOT_IMPLEMENTED = {
    "gradereport_user_get_grades_table": (
        "the grader report's HTML table; Passage reads grades through "
        "gradereport_user_get_grade_items"
    ),
}
# Recordings of functions that do not exist in Moodle 5.0 (they must fail as "unknown").
NONEXISTENT_FUNCTIONS = {"core_grades_get_grades", "core_nope_does_not_exist"}


def _rename_courses(*shortnames: str) -> Callable[[Site], None]:
    """The recording created courses with these short names (or id numbers): free them."""

    def prepare(site: Site) -> None:
        for course in site.courses.values():
            if course.shortname in shortnames:
                course.shortname += "-old"
            if course.idnumber in shortnames:
                course.idnumber += "-old"

    return prepare


def _free_cohorts(site: Site) -> None:
    for cohort in site.cohorts.values():
        cohort.idnumber += "-old"


def _free_categories(site: Site) -> None:
    for category in site.categories.values():
        if category.idnumber:
            category.idnumber += "-old"


def _free_users(site: Site) -> None:
    for user in site.users.values():
        if user.username in ("tcurie", "etu1", "etu2", "etu3", "etu4"):
            user.username += "-old"
            user.email = "old-" + user.email


def _free_groups(site: Site) -> None:
    for group in site.groups.values():
        group.name += " (old)"
        group.idnumber += "-old"


def _free_groupings(site: Site) -> None:
    for grouping in site.groupings.values():
        grouping.name += " (old)"
        grouping.idnumber += "-old"


def _no_rest_use(site: Site) -> None:
    site.roles[ROLE_USER].capabilities.discard(REST_USE)


# What the site looked like when a recording was taken, where the `contract` seed (the site as
# the recordings leave it) differs: mostly names a creation recording had yet to take.
PREPARE: dict[str, Callable[[Site], None]] = {
    "core_cohort_create_cohorts.json": _free_cohorts,
    "core_course_create_categories.json": _free_categories,
    "core_course_create_courses.json": _rename_courses(
        "CHIM231-2025", "CHIM231-2024", "PHYS101-2025"
    ),
    "core_course_duplicate_course.json": _rename_courses("testcourse_3_dup"),
    "core_course_duplicate_course__with_users.json": _rename_courses("testcourse_3_dupusers"),
    "core_course_duplicate_course__error_enrolments_option.json": _rename_courses(
        "testcourse_3_dupusers"
    ),
    "core_course_duplicate_course__users0.json": _rename_courses("testcourse_3_content0"),
    "core_user_create_users.json": _free_users,
    "core_group_create_groups.json": _free_groups,
    "core_group_create_groupings.json": _free_groupings,
    "error__student_without_rest_use_capability.json": _no_rest_use,
}


def _core_recordings() -> list[Path]:
    return sorted(p for p in CORE_DIR.glob("*.json"))


def _implemented(recording: Recording) -> bool:
    function = recording.function
    if not recording.endpoint.startswith("/webservice/rest/"):
        return True
    return not function or function in FUNCTIONS or function in NONEXISTENT_FUNCTIONS


def test_contract_recordings_are_found() -> None:
    assert len(_core_recordings()) > 100, f"no contract recordings in {CORE_DIR}"


def test_every_unimplemented_function_is_listed_with_a_reason() -> None:
    unlisted = {
        load(p).function
        for p in _core_recordings()
        if not _implemented(load(p)) and load(p).function not in NOT_IMPLEMENTED
    }
    assert not unlisted


@pytest.mark.parametrize("path", _core_recordings(), ids=lambda p: p.name)
def test_core_recording(path: Path, start_standin: StartStandin) -> None:
    recording = load(path)
    if recording.function in NOT_IMPLEMENTED:
        pytest.skip(f"not implemented: {NOT_IMPLEMENTED[recording.function]}")
    server = start_standin("contract", debug=recording.debug)
    prepare = PREPARE.get(path.name)
    if prepare is not None:
        prepare(server.site)
    check_answer(recording, replay(recording, server.url))


def check_answer(recording: Recording, response: object) -> None:
    import requests

    assert isinstance(response, requests.Response)
    data = recording.data
    assert response.status_code == data["http_status"], response.text[:500]
    assert _media_type(response.headers.get("Content-Type", "")) == _media_type(
        data["content_type"]
    ), response.headers.get("Content-Type")
    if "response_text" in data:
        _check_xml(data["response_text"], response.text)
        return
    if data.get("response") is None and "response_bytes" in data:
        _check_download(data, response)
        return
    recorded = data["response"]
    ours = response.json()
    if isinstance(recorded, dict) and "exception" in recorded:
        assert ours == recorded, f"error differs: {ours}"
        return
    if isinstance(recorded, dict) and "errorcode" in recorded and "error" in recorded:
        assert ours == recorded
        return
    differences = shape_differences(recorded, ours)
    assert not differences, "\n".join(differences[:20])


def _media_type(content_type: str) -> str:
    return content_type.split(";")[0].strip().lower()


def _check_download(data: dict[str, object], response: object) -> None:
    import requests

    assert isinstance(response, requests.Response)
    head = str(data.get("response_head_hex", ""))
    assert response.content[: len(head) // 2].hex() == head
    recorded_disposition = str(data.get("content_disposition", ""))
    if recorded_disposition:
        ours = response.headers.get("Content-Disposition", "")
        assert ours.split(";")[0] == recorded_disposition.split(";")[0]
        assert "filename=" in ours


def _check_xml(recorded_text: str, our_text: str) -> None:
    recorded = ElementTree.fromstring(recorded_text.encode("utf-8"))
    ours = ElementTree.fromstring(our_text.encode("utf-8"))
    assert ours.tag == recorded.tag
    if recorded.tag == "EXCEPTION":
        assert ours.attrib == recorded.attrib
        assert [(c.tag, c.text) for c in ours] == [(c.tag, c.text) for c in recorded]
        return
    assert _xml_shape(ours) == _xml_shape(recorded)


def _xml_shape(element: ElementTree.Element) -> object:
    """Tags and KEY names down the first item of every MULTIPLE (values ignored)."""
    children = list(element)
    if element.tag == "MULTIPLE":
        return ["MULTIPLE", _xml_shape(children[0]) if children else None]
    if element.tag == "KEY":
        return [element.attrib.get("name"), [_xml_shape(c) for c in children]]
    if element.tag == "VALUE":
        return "VALUE"
    return [element.tag, [_xml_shape(c) for c in children]]

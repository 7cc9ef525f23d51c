"""Every recording of a real Moodle 5.0, replayed against the stand-in: same HTTP status, same
content type, same answer shape, and for errors the same exception, errorcode and message.

Core recordings (/work/shared/moodle-contract, or $MOODLE_CONTRACT_DIR) run against the
`contract` seed, which reproduces the recorded site; the companion plugin's recordings
(tests/contract/local_passage) against `contract-plugin`, after the recordings taken before
them. Each test starts its own server, so a recording that changes the site cannot disturb
another.
"""

from __future__ import annotations

import os
import xml.etree.ElementTree as ElementTree
from collections.abc import Callable
from pathlib import Path

import pytest
import requests

from moodle_client.standin.registry import FUNCTIONS
from moodle_client.standin.rest import REST_USE
from moodle_client.standin.site import ROLE_USER, Site
from tests.conftest import StartStandin
from tests.standin.contract_replay import Recording, load, replay, shape_differences

REPO_ROOT = Path(__file__).resolve().parents[2]
CORE_DIR = Path(
    os.environ.get("MOODLE_CONTRACT_DIR") or REPO_ROOT.parent / "shared" / "moodle-contract"
)

# Recordings of functions the stand-in does not implement, and why (none at present).
NOT_IMPLEMENTED: dict[str, str] = {}
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


def check_answer(recording: Recording, response: requests.Response) -> None:
    data = recording.data
    assert response.status_code == data["http_status"], response.text[:500]
    assert response.headers.get("Content-Type") == data["content_type"]
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
    if not isinstance(recorded, dict | list):
        # null for a function without a return value; a status code (0 = GRADE_UPDATE_OK)
        assert ours == recorded
        return
    differences = shape_differences(recorded, ours)
    assert not differences, "\n".join(differences[:20])


def _check_download(data: dict[str, object], response: requests.Response) -> None:
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


# ----------------------------------------------------------------------- companion plugin

PLUGIN_DIR = REPO_ROOT / "tests" / "contract" / "local_passage"
# The plugin's recordings were taken in one session on one site (the `contract-plugin` seed):
# in this order, each one finding the site as the earlier ones left it. A recording is
# replayed after replaying every recording before it.
PLUGIN_SESSION = (
    "local_passage_get_course_inventory__source_with_user_data.json",
    "local_passage_get_course_inventory__error_missing_capability.json",
    "local_passage_get_course_inventory__error_nonexistent_course.json",
    "local_passage_list_cohort_syncs__empty.json",
    "local_passage_list_cohort_syncs__error_missing_capability.json",
    "local_passage_add_cohort_sync__created.json",
    "local_passage_add_cohort_sync__existing.json",
    "local_passage_list_cohort_syncs__one.json",
    "local_passage_add_cohort_sync__error_cohortnotfound.json",
    "local_passage_add_cohort_sync__error_invalidgroup.json",
    "local_passage_add_cohort_sync__error_invalidrole.json",
    "local_passage_add_cohort_sync__error_missing_capability.json",
    "local_passage_remove_cohort_sync__removed.json",
    "local_passage_remove_cohort_sync__already_gone.json",
    "local_passage_backup_course__runinline.json",
    "local_passage_backup_course__same_key_returns_existing.json",
    "local_passage_backup_course__queued.json",
    "local_passage_get_operations__queued.json",
    "local_passage_get_operations__finished_and_unknown.json",
    "local_passage_get_operations__not_visible.json",
    "local_passage_backup_course__error_empty_key.json",
    "local_passage_backup_course__error_flag_not_0_or_1.json",
    "local_passage_backup_course__error_missing_capability.json",
    "local_passage_backup_course__error_nonexistent_course.json",
    "endpoint__webservice_pluginfile__local_passage_backup.json",
    "endpoint__webservice_pluginfile__local_passage_backup_not_found.json",
    "endpoint__webservice_upload__backup_file.json",
    "local_passage_reset_course__error_keyconflict.json",
    "local_passage_reset_course__error_unknown_option.json",
    "local_passage_reset_course__runinline.json",
    "local_passage_get_course_inventory__source_after_reset.json",
    "local_passage_restore_course__error_coursenotempty.json",
    "local_passage_restore_course__error_bad_mode.json",
    "local_passage_restore_course__error_missing_capability.json",
    "local_passage_restore_course__error_nobackupfile.json",
    "local_passage_restore_course__runinline.json",
    "local_passage_restore_course__same_key_returns_existing.json",
    "local_passage_restore_course__error_alreadyrestored.json",
    "local_passage_get_course_inventory__restored_course.json",
    # Taken later, on another site, on a course created for them with newsitems=0.
    "local_passage_ensure_news_forum__created.json",
    "local_passage_ensure_news_forum__existing.json",
    "local_passage_ensure_news_forum__error_site_front_page.json",
    "local_passage_get_content_fingerprint__course.json",
    "local_passage_get_content_fingerprint__error_nonexistent_course.json",
    # Taken on a third site, with ids no other recording uses.
    "local_passage_get_operations__wait_unknown.json",
    "local_passage_get_operations__error_wait_not_an_integer.json",
)
BACKUP_OPERATION_ID = 7
# The course, without announcements forum, that the later recordings (news forum, content
# fingerprint) ask about here.
NO_NEWS_FORUM_COURSE_ID = 6
# Those recordings, taken on courses made for them, with their function.
LATER_ON_COURSE = ("local_passage_ensure_news_forum", "local_passage_get_content_fingerprint")


def _plugin_recordings() -> list[Path]:
    return sorted(PLUGIN_DIR.glob("*.json"))


def test_every_plugin_recording_has_its_place_in_the_session() -> None:
    names = {p.name for p in _plugin_recordings()}
    assert names <= set(PLUGIN_SESSION), sorted(names - set(PLUGIN_SESSION))


def _backup_of_operation(url: str, operationid: int) -> tuple[str, bytes]:
    """The file name and content of a finished backup operation of the stand-in."""
    answer = requests.post(
        f"{url}/webservice/rest/server.php",
        data={
            "wstoken": "admin",
            "wsfunction": "local_passage_get_operations",
            "moodlewsrestformat": "json",
            "ids[0]": str(operationid),
        },
        timeout=30,
    ).json()
    result = answer["operations"][0]["result"]
    download = requests.get(result["fileurl"], params={"token": "admin"}, timeout=30)
    return result["filename"], download.content


def _replay_plugin(recording: Recording, url: str) -> requests.Response:
    if (
        recording.function == "local_passage_ensure_news_forum"
        and recording.data["params"]["courseid"] != 1
    ):
        # Recorded on a course made for them: ask about the seed's course without one.
        params = {**recording.data["params"], "courseid": NO_NEWS_FORUM_COURSE_ID}
        recording = Recording(
            recording.path,
            {
                **recording.data,
                "params": params,
                "encoded_params": [f"courseid={NO_NEWS_FORUM_COURSE_ID}"],
            },
        )
    if recording.name.startswith("endpoint__webservice_upload"):
        _, content = _backup_of_operation(url, BACKUP_OPERATION_ID)
        return replay(recording, url, upload_content=content)
    if recording.name == "endpoint__webservice_pluginfile__local_passage_backup.json":
        # The file name carries the time of the backup: ask for the name the stand-in's
        # operation gave its file, at the recorded place (context, area, operation id).
        filename, _ = _backup_of_operation(url, BACKUP_OPERATION_ID)
        recorded_name = recording.endpoint.rsplit("/", 1)[1]
        recording = Recording(
            recording.path,
            {**recording.data, "endpoint": recording.endpoint.replace(recorded_name, filename)},
        )
    return replay(recording, url)


@pytest.mark.parametrize("path", _plugin_recordings(), ids=lambda p: p.name)
def test_plugin_recording(path: Path, start_standin: StartStandin) -> None:
    server = start_standin("contract-plugin")
    for name in PLUGIN_SESSION[: PLUGIN_SESSION.index(path.name)]:
        if (PLUGIN_DIR / name).exists():
            _replay_plugin(load(PLUGIN_DIR / name), server.url)
    check_answer(load(path), _replay_plugin(load(path), server.url))

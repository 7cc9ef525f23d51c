"""The client's calls against a real Moodle (see conftest.py for how to enable them)."""

from __future__ import annotations

from pathlib import Path

import pytest

from moodle_client import MoodleClient
from moodle_client.errors import FunctionUnavailable, InvalidToken, NotFound, ShortnameTaken
from moodle_client.types import NewCalendarEvent, NewCourse

pytestmark = pytest.mark.live


# Reads


def test_site_info_names_the_token_user_and_its_functions(live_client: MoodleClient) -> None:
    info = live_client.get_site_info()

    assert info.userid > 0
    assert info.username
    assert info.release
    assert info.has_function("core_webservice_get_site_info")
    assert info.siteurl.rstrip("/") == live_client.base_url


def test_an_invalid_token_is_refused(live_client: MoodleClient) -> None:
    stranger = MoodleClient(live_client.base_url, "not-a-token-of-this-site")

    with pytest.raises(InvalidToken):
        stranger.get_site_info()


def test_a_missing_function_is_told_apart_from_a_missing_course(
    live_client: MoodleClient,
) -> None:
    with pytest.raises(FunctionUnavailable):
        live_client.call("core_grades_get_grades", courseid=1)
    with pytest.raises(NotFound) as caught:
        live_client.get_course_contents(999_999_999)
    assert not isinstance(caught.value, FunctionUnavailable)


def test_a_missing_course_is_not_found(live_client: MoodleClient) -> None:
    with pytest.raises(NotFound):
        live_client.get_course(999_999_999)


def test_courses_and_their_contents_can_be_read(live_client: MoodleClient) -> None:
    categories = live_client.get_categories()
    assert categories
    found = live_client.search_courses("a", perpage=5)
    assert found.total >= len(found.courses)
    if not found.courses:
        pytest.skip("this Moodle has no course to read")
    course = live_client.get_course(found.courses[0].id)
    assert course.shortname == found.courses[0].shortname
    assert live_client.find_course_by_shortname(course.shortname) == course

    sections = live_client.get_course_contents(course.id, exclude_contents=True)
    assert sections[0].section == 0
    users = live_client.get_enrolled_users(course.id)
    grades = live_client.get_grade_items(course.id)
    assert all(user.id > 0 for user in users)
    assert all(item.courseid == course.id for item in grades)
    live_client.get_calendar_events([course.id])
    live_client.get_course_groups(course.id)
    live_client.get_forums([course.id])


def test_cohorts_can_be_read(live_client: MoodleClient) -> None:
    cohorts = live_client.get_cohorts()
    if not cohorts:
        pytest.skip("this Moodle has no cohort")
    members = live_client.get_cohort_members([cohorts[0].id])
    assert members[0].cohortid == cohorts[0].id


# Writes (MOODLE_LIVE_WRITE=1)


def test_course_lifecycle(live_client: MoodleClient, live_category: int, unique: str) -> None:
    created = live_client.create_course(
        NewCourse(
            fullname=f"Passage live {unique}",
            shortname=f"PL-{unique}",
            categoryid=live_category,
            startdate=1756684800,
        )
    )
    live_client.rename_course(created.id, fullname=f"Passage live {unique} (renamed)")
    live_client.set_course_visibility(created.id, visible=False)
    live_client.set_course_dates(created.id, startdate=1788220800, enddate=1819756800)
    course = live_client.get_course(created.id)
    assert course.fullname.endswith("(renamed)")
    assert not course.visible
    assert (course.startdate, course.enddate) == (1788220800, 1819756800)

    other = live_client.create_course(
        NewCourse(fullname="other", shortname=f"PL-{unique}-b", categoryid=live_category)
    )
    with pytest.raises(ShortnameTaken):
        live_client.update_course(other.id, shortname=f"PL-{unique}")
    with pytest.raises(ShortnameTaken):
        live_client.create_course(
            NewCourse(fullname="dup", shortname=f"PL-{unique}", categoryid=live_category)
        )

    copy = live_client.duplicate_course(
        created.id,
        fullname=f"Passage live {unique} copy",
        shortname=f"PL-{unique}-copy",
        categoryid=live_category,
        timeout=600,
    )
    assert live_client.get_enrolled_users(copy.id) == ()
    live_client.import_course(created.id, other.id, deletecontent=True, timeout=600)

    warnings = live_client.delete_courses([copy.id, 999_999_999], timeout=600)
    assert [warning.itemid for warning in warnings] == [999_999_999]


def test_groups_events_and_announcement(
    live_client: MoodleClient, live_category: int, unique: str
) -> None:
    course = live_client.create_course(
        NewCourse(
            fullname=f"Passage live {unique}", shortname=f"PL-{unique}", categoryid=live_category
        )
    )
    group = live_client.create_group(course.id, "Groupe A", idnumber=f"PL-{unique}-A")
    grouping = live_client.create_grouping(course.id, "TD")
    live_client.assign_grouping(grouping.id, [group.id])
    assert [item.id for item in live_client.get_course_groups(course.id)] == [group.id]

    created = live_client.create_calendar_events(
        [NewCalendarEvent(name="Examen", courseid=course.id, timestart=1788220800)]
    )
    assert [event.name for event in live_client.get_calendar_events([course.id])] == ["Examen"]
    assert created.warnings == ()

    try:
        posted = live_client.post_announcement(course.id, "Bienvenue", "<p>Rentree</p>")
    except NotFound:
        pytest.skip("the new course has no announcements forum yet on this Moodle")
    assert posted.discussionid > 0


def test_upload_into_a_draft_area_then_list_it(
    live_client: MoodleClient, live_writes: None, tmp_path: Path
) -> None:
    source = tmp_path / "notes.txt"
    source.write_text("passage live upload")

    upload = live_client.upload_file(source)

    draft = upload.files[0]
    listed = live_client.get_files(draft.contextid, "user", "draft", itemid=upload.itemid)
    assert [item.filename for item in listed] == ["notes.txt"]

"""Groups, grades, announcements, calendar events and users on the "small" seed."""

from __future__ import annotations

import itertools

import pytest

from moodle_client import MoodleClient
from moodle_client.errors import NotFound
from moodle_client.types import ManualEnrolment, NewCalendarEvent, NewCourse, NewUser

_numbers = itertools.count(1)


@pytest.fixture
def chim231(admin: MoodleClient) -> int:
    course = admin.find_course_by_shortname("CHIM231-2025")
    assert course is not None
    return course.id


@pytest.fixture
def empty_course(admin: MoodleClient) -> int:
    chimie = admin.get_categories(idnumber="SCI-CHIM")[0]
    number = next(_numbers)
    return admin.create_course(
        NewCourse(fullname=f"Acts {number}", shortname=f"ACTS-{number}", categoryid=chimie.id)
    ).id


def test_groups_and_groupings_of_a_course(admin: MoodleClient, chim231: int) -> None:
    groups = admin.get_course_groups(chim231)
    groupings = admin.get_course_groupings(chim231)

    assert {group.name for group in groups} >= {"TD 1", "TD 2"}
    assert all(group.courseid == chim231 for group in groups)
    assert [grouping.name for grouping in groupings] == ["Travaux dirigés"]


def test_groups_are_created_filled_and_grouped(admin: MoodleClient, empty_course: int) -> None:
    user = admin.create_users(
        [NewUser("grouped1", "Passw0rd!x1", "Gaston", "Groupe", "grouped1@example.com")]
    )[0]
    admin.enrol_users([ManualEnrolment(userid=user.id, courseid=empty_course, roleid=5)])

    group = admin.create_group(empty_course, "Groupe A", idnumber=f"GA-{empty_course}")
    grouping = admin.create_grouping(empty_course, "TD")
    admin.add_group_members(group.id, [user.id])
    admin.assign_grouping(grouping.id, [group.id])

    assert group.name == "Groupe A"
    assert admin.get_course_groupings(empty_course) == (grouping,)
    enrolled = admin.get_enrolled_users(empty_course)
    assert [g.name for g in enrolled[0].groups] == ["Groupe A"]


def test_grade_items_per_user(admin: MoodleClient, chim231: int) -> None:
    usergrades = admin.get_grade_items(chim231)

    assert usergrades
    assert all(item.courseid == chim231 for item in usergrades)
    items = usergrades[0].gradeitems
    assert any(item.itemtype == "course" for item in items)
    graded = [item for u in usergrades for item in u.gradeitems if item.graderaw is not None]
    assert graded
    one = admin.get_grade_items(chim231, userid=usergrades[0].userid)
    assert [u.userid for u in one] == [usergrades[0].userid]


def test_an_announcement_goes_to_the_news_forum(admin: MoodleClient, empty_course: int) -> None:
    forums = admin.get_forums([empty_course])
    assert [forum.type for forum in forums] == ["news"]

    posted = admin.post_announcement(empty_course, "Bienvenue", "<p>Rentrée</p>")

    assert posted.discussionid > 0
    assert posted.warnings == ()


def test_an_announcement_without_news_forum_is_not_found(admin: MoodleClient) -> None:
    with pytest.raises(NotFound) as caught:
        admin.post_announcement(999_999, "x", "y")

    assert caught.value.errorcode == "nonewsforum"


def test_calendar_events_are_created_and_read(admin: MoodleClient, empty_course: int) -> None:
    created = admin.create_calendar_events(
        [
            NewCalendarEvent(
                name="Examen partiel",
                courseid=empty_course,
                timestart=1_761_987_600,
                timeduration=7200,
                description="Amphi A",
            )
        ]
    )

    assert [event.name for event in created.events] == ["Examen partiel"]
    events = admin.get_calendar_events([empty_course])
    assert [(e.name, e.courseid, e.timeduration) for e in events] == [
        ("Examen partiel", empty_course, 7200)
    ]

"""The demo's data, prepared against the stand-ins it runs with: an admin can archive the courses
that left the curriculum, and only those."""

import pytest

from portal.demo import LEFT_CURRICULUM, prepare_data
from transition.admin_portal.operations import archive_preview, default_transition_preview
from transition.models import Campaign, Course, MoodleInstance
from transition.notifications.emails import admins, engineers


@pytest.fixture
def demo_campaign(db: None, start_standin) -> Campaign:
    current = start_standin(seed="demo")
    previous = start_standin(seed="demo-previous")
    prepare_data(current_url=current.url, previous_url=previous.url)
    return Campaign.objects.get()


def test_the_archive_preview_shows_the_courses_that_left_the_curriculum(
    demo_campaign: Campaign,
) -> None:
    preview = archive_preview(campaign=demo_campaign)

    assert preview.count == len(LEFT_CURRICULUM)
    leaving = Course.objects.filter(pk__in=preview.course_ids)
    assert sorted(course.curriculum_code.rsplit("-", 1)[0] for course in leaving) == sorted(
        LEFT_CURRICULUM
    )
    assert preview.notes == ()  # an archive category is chosen, an Apogée import exists


def test_courses_still_taught_are_not_archived_but_follow_the_default_transition(
    demo_campaign: Campaign,
) -> None:
    archived = set(archive_preview(campaign=demo_campaign).course_ids)
    still_taught = Course.objects.filter(
        instance__role=MoodleInstance.Role.CURRENT, shortname="CHIM231-2025"
    ).get()
    assert still_taught.pk not in archived
    default = set(default_transition_preview(campaign=demo_campaign).course_ids)
    assert still_taught.pk in default
    assert not archived & default
    # Last year's archives and the espaces complémentaires are never candidates.
    for shortname in ("ex_CHIM210-2024", "TUTO-CHIM"):
        course = Course.objects.get(instance__role=MoodleInstance.Role.CURRENT, shortname=shortname)
        assert course.pk not in archived


def test_the_demo_engineer_and_admin_receive_passages_emails(demo_campaign: Campaign) -> None:
    assert [user.username for user in engineers()] == ["engineer"]
    assert [user.username for user in admins()] == ["admin"]

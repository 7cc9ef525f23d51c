"""Archived courses wait out their year: a teacher does not prepare them for the next one."""

import re

from tests.factories import (
    CategoryFactory,
    CourseFactory,
    CourseRoleFactory,
    TransitionRequestFactory,
)
from tests.wizard.conftest import Wizard, World
from transition.models import Course, CourseRole, TransitionRequest


def taught_by_the_teacher(world: World, **fields: object) -> Course:
    person = CourseRole.objects.filter(person__user=world.teacher).first().person
    course = CourseFactory(instance=world.instance, **fields)
    CourseRoleFactory(course=course, person=person)
    return course


def shown(world: World) -> set[str]:
    response = world.client.get("/courses/")
    return {line.course.shortname for line in response.context["lines"]}


def test_a_course_named_with_the_archive_prefix_is_not_offered(world: World) -> None:
    taught_by_the_teacher(world, shortname="ex_CHIM210-2024", fullname="ex_Chimie 2024")
    assert "CHIM231-2025" in shown(world)
    assert "ex_CHIM210-2024" not in shown(world)
    assert b"ex_CHIM210-2024" not in world.client.get("/courses/").content


def test_a_course_in_the_archive_category_is_not_offered(world: World) -> None:
    archives = CategoryFactory(instance=world.instance, name="Archives")
    world.campaign.archive_category = archives
    world.campaign.save()
    taught_by_the_teacher(world, shortname="CHIM210-2024", category=archives)
    assert "CHIM210-2024" not in shown(world)


def test_the_wizard_does_not_offer_an_archived_course(world: World) -> None:
    archived = taught_by_the_teacher(world, shortname="ex_CHIM210-2024")
    wizard = Wizard(world.client)
    choices = wizard.page.context["wizard"]["form"].fields["courses"].queryset
    assert archived not in choices
    assert world.course("CHIM231-2025") in choices


def copied_this_campaign(world: World) -> tuple[Course, Course]:
    """CHIM232-2025 copied by this campaign into CHIM232-2027, which the teacher now teaches."""
    old = world.course("CHIM232-2025")
    new = taught_by_the_teacher(world, shortname="CHIM232-2027", fullname="Chimie 232")
    TransitionRequestFactory(
        campaign=world.campaign,
        course=old,
        requested_by=world.teacher,
        scenario=TransitionRequest.Scenario.FRESH_COPY,
        status=TransitionRequest.Status.DONE,
        target_course=new,
    )
    return old, new


def test_a_course_the_campaign_created_is_shown_as_its_sources_new_course(world: World) -> None:
    _old, new = copied_this_campaign(world)
    response = world.client.get("/courses/")
    line = {line.course.shortname: line for line in response.context["lines"]}["CHIM232-2027"]
    assert not line.selectable
    assert line.status != "no_choice"
    row = re.search(r'<tr data-course="CHIM232-2027".*?</tr>', response.content.decode(), re.S)
    shown = re.sub(r"<[^>]+>", "", row.group(0))
    assert "Nouveau cours créé par la copie de CHIM232-2025" in shown
    assert '<span class="text-nowrap">CHIM232-2025</span>' in row.group(0)
    assert f'value="{new.pk}"' not in response.content.decode()


def test_the_wizard_does_not_offer_a_course_the_campaign_created(world: World) -> None:
    _old, new = copied_this_campaign(world)
    choices = Wizard(world.client).page.context["wizard"]["form"].fields["courses"].queryset
    assert new not in choices
    assert world.course("CHIM231-2025") in choices


def test_a_fresh_copys_new_course_is_listed_before_the_sync_finds_the_teacher_in_it(
    world: World,
) -> None:
    new = CourseFactory(instance=world.instance, shortname="CHIM232-2027")
    TransitionRequestFactory(
        campaign=world.campaign,
        course=world.course("CHIM232-2025"),
        requested_by=world.teacher,
        scenario=TransitionRequest.Scenario.FRESH_COPY,
        status=TransitionRequest.Status.RUNNING,
        target_course=new,
    )
    line = {line.course.shortname: line for line in world.client.get("/courses/").context["lines"]}[
        "CHIM232-2027"
    ]
    assert line.created_by is not None and not line.selectable


def test_the_course_a_fresh_copy_archived_is_listed_to_follow_but_not_to_prepare(
    world: World,
) -> None:
    """Its request stays in sight; preparing it again (a reset of the archive, say) is not
    offered, nor taken by "prepare all the courses shown"."""
    old, _new = copied_this_campaign(world)
    Course.objects.filter(pk=old.pk).update(shortname="ex_CHIM232-2025")
    response = world.client.get("/courses/")
    lines = {line.course.shortname: line for line in response.context["lines"]}
    assert lines["ex_CHIM232-2025"].request is not None
    assert not lines["ex_CHIM232-2025"].selectable
    assert lines["CHIM231-2025"].selectable
    page = response.content.decode()
    assert f'value="{old.pk}"' not in page
    assert f'value="{world.course("CHIM231-2025").pk}"' in page

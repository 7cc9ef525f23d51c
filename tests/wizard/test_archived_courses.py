"""Archived courses wait out their year: a teacher does not prepare them for the next one."""

from tests.factories import CategoryFactory, CourseFactory, CourseRoleFactory
from tests.wizard.conftest import Wizard, World
from transition.models import Course, CourseRole


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

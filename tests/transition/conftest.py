"""Named people for permission tests: who teaches what, and the staff."""

from dataclasses import dataclass

import pytest

from tests.factories import CourseFactory, CourseRoleFactory, MoodleInstanceFactory, UserFactory
from transition.models import Course, MoodleInstance


@dataclass
class Cast:
    instance: MoodleInstance
    course: Course  # taught by `teacher`
    other_course: Course  # taught by `other_teacher`
    teacher: object
    other_teacher: object
    engineer: object
    admin: object


@pytest.fixture
def cast(db: None) -> Cast:
    instance = MoodleInstanceFactory(name="ecampus", role=MoodleInstance.Role.CURRENT)
    course = CourseFactory(instance=instance, shortname="L1CHIM-THERMO")
    other_course = CourseFactory(instance=instance, shortname="L2PHYS-MECA")
    teacher = UserFactory(username="claire.martin", roles=["teacher"])
    other_teacher = UserFactory(username="paul.durand", roles=["teacher"])
    CourseRoleFactory(course=course, person__user=teacher)
    CourseRoleFactory(course=other_course, person__user=other_teacher)
    return Cast(
        instance=instance,
        course=course,
        other_course=other_course,
        teacher=teacher,
        other_teacher=other_teacher,
        engineer=UserFactory(username="ines.ingenieure", roles=["engineer"]),
        admin=UserFactory(username="alain.admin", roles=["admin"]),
    )

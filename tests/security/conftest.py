"""The five people of the security review: nobody signed in, teacher A, teacher B, an engineer and
an admin, with a course, a request and a backup of teacher A's."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from tests.factories import (
    BackupFactory,
    CampaignFactory,
    CourseFactory,
    CourseRoleFactory,
    JobFactory,
    MoodleInstanceFactory,
    TransitionRequestFactory,
    UserFactory,
)
from transition.models import Backup, Campaign, Course, Job, MoodleInstance, TransitionRequest


@dataclass
class People:
    instance: MoodleInstance
    campaign: Campaign
    course: Course  # teacher A's
    other_course: Course  # teacher B's
    request: TransitionRequest  # teacher A's, on `course`
    job: Job
    backup: Backup
    teacher_a: Any
    teacher_b: Any
    engineer: Any
    admin: Any


@pytest.fixture
def people(db: None) -> People:
    instance = MoodleInstanceFactory(name="ecampus", role=MoodleInstance.Role.CURRENT)
    campaign = CampaignFactory(academic_year="2026-2027")
    course = CourseFactory(instance=instance, shortname="L1CHIM-THERMO")
    other_course = CourseFactory(instance=instance, shortname="L2PHYS-MECA")
    teacher_a = UserFactory(username="claire.martin", roles=["teacher"])
    teacher_b = UserFactory(username="paul.durand", roles=["teacher"])
    CourseRoleFactory(course=course, person__user=teacher_a)
    CourseRoleFactory(course=other_course, person__user=teacher_b)
    request = TransitionRequestFactory(
        campaign=campaign,
        course=course,
        requested_by=teacher_a,
        status=TransitionRequest.Status.DONE,
    )
    job = JobFactory(request=request, status=Job.Status.SUCCEEDED)
    backup = BackupFactory(course=course, campaign=campaign, job=job)
    return People(
        instance=instance,
        campaign=campaign,
        course=course,
        other_course=other_course,
        request=request,
        job=job,
        backup=backup,
        teacher_a=teacher_a,
        teacher_b=teacher_b,
        engineer=UserFactory(username="ines.ingenieure", roles=["engineer"]),
        admin=UserFactory(username="alain.admin", roles=["admin"]),
    )

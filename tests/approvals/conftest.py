"""Named people and a campaign for the approval, admin and dashboard tests."""

import datetime
from dataclasses import dataclass

import pytest
from django.utils import timezone

from tests.factories import (
    CampaignFactory,
    CategoryFactory,
    CourseFactory,
    CourseRoleFactory,
    MoodleInstanceFactory,
    UserFactory,
)
from transition.models import Campaign, Course, MoodleInstance, TransitionRequest
from transition.services.policies import policy_create_caen_default


@dataclass
class People:
    instance: MoodleInstance
    campaign: Campaign
    course: Course  # taught by `teacher`, in faculty Sciences
    other_course: Course  # taught by `other_teacher`, in faculty Lettres
    teacher: object
    other_teacher: object
    engineer: object
    admin: object


@pytest.fixture
def people(db: None) -> People:
    instance = MoodleInstanceFactory(name="ecampus", role=MoodleInstance.Role.CURRENT)
    sciences = CategoryFactory(instance=instance, name="Sciences", moodle_id=10, path="/10")
    chimie = CategoryFactory(
        instance=instance, name="Chimie", moodle_id=11, path="/10/11", parent=sciences
    )
    lettres = CategoryFactory(instance=instance, name="Lettres", moodle_id=20, path="/20")
    course = CourseFactory(
        instance=instance,
        shortname="L1CHIM-THERMO",
        category=chimie,
        calendar_type=Course.CalendarType.EARLY_OPENING,
    )
    other_course = CourseFactory(instance=instance, shortname="L2LET-ROMAN", category=lettres)
    # Names given, not drawn: the queue's filters search them.
    teacher = UserFactory(
        username="claire.martin", first_name="Claire", last_name="Martin", roles=["teacher"]
    )
    other_teacher = UserFactory(
        username="paul.durand", first_name="Paul", last_name="Durand", roles=["teacher"]
    )
    CourseRoleFactory(course=course, person__user=teacher)
    CourseRoleFactory(course=other_course, person__user=other_teacher)
    campaign = CampaignFactory(academic_year="2026-2027", policy=policy_create_caen_default())
    return People(
        instance=instance,
        campaign=campaign,
        course=course,
        other_course=other_course,
        teacher=teacher,
        other_teacher=other_teacher,
        engineer=UserFactory(username="ines.ingenieure", roles=["engineer"]),
        admin=UserFactory(username="alain.admin", roles=["admin"]),
    )


def pending_request(
    *, campaign: Campaign, course: Course, teacher: object, reason: str = ""
) -> TransitionRequest:
    """A special-calendar request submitted by the teacher, waiting for an engineer."""
    return TransitionRequest.objects.create(
        campaign=campaign,
        course=course,
        requested_by=teacher,
        scenario=TransitionRequest.Scenario.REUSE_RESET,
        status=TransitionRequest.Status.PENDING_APPROVAL,
        special_start_date=campaign.cutoff_date - datetime.timedelta(days=15),
        special_reason=reason or "La formation ouvre le 17 août pour les alternants.",
        submitted_at=timezone.now(),
    )


@pytest.fixture
def waiting(people: People) -> TransitionRequest:
    return pending_request(campaign=people.campaign, course=people.course, teacher=people.teacher)

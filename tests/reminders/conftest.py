"""A campaign open for choices with two reminder rounds, and teachers with and without
courses left to choose for, at fixed instants (the clock is the `now` each call is given)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import pytest

from tests.factories import (
    CampaignFactory,
    CategoryFactory,
    CourseFactory,
    CourseRoleFactory,
    MoodleInstanceFactory,
    PersonFactory,
    UserFactory,
)
from transition.models import Campaign, Course, MoodleInstance, TransitionRequest
from transition.notifications.emails import user_set_language
from transition.services.policies import policy_create_caen_default

LOCK = datetime.datetime(2027, 6, 15, 18, 0, tzinfo=datetime.UTC)


@dataclass
class School:
    campaign: Campaign
    claire: Any  # French, two courses without a choice (one in each faculty)
    john: Any  # English, one course without a choice
    nadia: Any  # chose for her only course
    chim: Course
    lett: Course
    bio: Course
    hist: Course

    def choose(self, course: Course, user: Any) -> TransitionRequest:
        return TransitionRequest.objects.create(
            campaign=self.campaign,
            course=course,
            requested_by=user,
            scenario=TransitionRequest.Scenario.NO_CHANGE,
            status=TransitionRequest.Status.SCHEDULED,
        )


@pytest.fixture
def school(db: None) -> School:
    instance = MoodleInstanceFactory(name="ecampus", role=MoodleInstance.Role.CURRENT)
    sciences = CategoryFactory(instance=instance, moodle_id=2, name="UFR des Sciences", path="/2")
    chimie = CategoryFactory(instance=instance, moodle_id=5, name="Chimie", path="/2/5")
    lettres = CategoryFactory(instance=instance, moodle_id=3, name="UFR des Humanités", path="/3")
    campaign = CampaignFactory(
        academic_year="2027-2028",
        policy=policy_create_caen_default(),
        status=Campaign.Status.OPEN,
        choices_open=LOCK - datetime.timedelta(days=60),
        choices_lock=LOCK,
        backup_window_start=LOCK + datetime.timedelta(days=20),
        backup_window_end=LOCK + datetime.timedelta(days=27),
        run_date=LOCK + datetime.timedelta(days=45),
        cutoff_date=(LOCK + datetime.timedelta(days=78)).date(),
        first_reminder_days=14,
        second_reminder_days=3,
    )
    claire = UserFactory(username="claire.dubois", first_name="Claire", roles=["teacher"])
    john = UserFactory(username="john.smith", first_name="John", roles=["teacher"])
    nadia = UserFactory(username="nadia.benali", first_name="Nadia", roles=["teacher"])
    user_set_language(user=claire, language="fr")
    user_set_language(user=john, language="en")
    chim = CourseFactory(instance=instance, category=chimie, shortname="CHIM231-2026")
    lett = CourseFactory(instance=instance, category=lettres, shortname="LETT101-2026")
    bio = CourseFactory(instance=instance, category=sciences, shortname="BIO101-2026")
    hist = CourseFactory(instance=instance, category=lettres, shortname="HIST201-2026")
    people = {user: PersonFactory(user=user, instance=instance) for user in (claire, john, nadia)}
    for course, user in ((chim, claire), (lett, claire), (bio, john), (hist, nadia)):
        CourseRoleFactory(course=course, person=people[user])
    school = School(campaign, claire, john, nadia, chim, lett, bio, hist)
    school.choose(hist, nadia)
    return school

"""The engine's steps that a real Moodle showed wrong, run in this process against a real
Moodle (see conftest.py for how to enable; writes need ``MOODLE_LIVE_WRITE=1``): a fresh copy
that enrols its teachers and gives next year's dates, after an announcement in a course that
has no announcements forum yet."""

from __future__ import annotations

import datetime
import os
from typing import Any

import pytest
from django.utils import timezone

from moodle_client import MoodleClient
from moodle_client.types.users import ManualEnrolment, NewUser
from tests.engine.conftest import engine_settings, run_until_idle  # noqa: F401 - autouse
from tests.factories import CampaignFactory, PolicyFactory, UserFactory
from transition.course_dates import day_timestamp
from transition.engine import services
from transition.models import Course, CourseRole, MoodleInstance, RequestPlan, TransitionRequest
from transition.request_spec import Announcement, ArchivePlan, FreshCopy, RequestSpec
from transition.review.engine import ReviewFacts, review_course
from transition.selectors import copy_teachers
from transition.services.sync import instance_sync
from transition.tokens import token_encrypt

pytestmark = [pytest.mark.live, pytest.mark.django_db]

EDITING_TEACHER_ROLE_ID = 3
START_2025 = datetime.date(2025, 9, 1)
END_2026 = datetime.date(2026, 6, 29)


@pytest.fixture
def teacher_course(live_client: MoodleClient, live_category: int, unique: str) -> dict[str, Any]:
    """A course made by web services without news items (so without announcements forum),
    taught by a new editing teacher."""
    (created,) = live_client.call(
        "core_course_create_courses",
        courses=[
            {
                "fullname": f"Passage steps {unique}",
                "shortname": f"PS-{unique}",
                "categoryid": live_category,
                "newsitems": 0,
                "startdate": day_timestamp(START_2025),
                "enddate": day_timestamp(END_2026),
            }
        ],
    )
    (teacher,) = live_client.create_users(
        [
            NewUser(
                username=f"ps-{unique}-teacher",
                password="Passage-Live-1!",
                firstname="Teacher",
                lastname=f"Steps {unique}",
                email=f"ps-{unique}-teacher@example.com",
            )
        ]
    )
    live_client.enrol_users(
        [
            ManualEnrolment(
                userid=teacher.id, courseid=int(created["id"]), roleid=EDITING_TEACHER_ROLE_ID
            )
        ]
    )
    return {"id": int(created["id"]), "shortname": created["shortname"], "teacher": teacher}


def test_a_fresh_copy_after_an_announcement_runs_on_a_real_moodle(
    live_client: MoodleClient, teacher_course: dict[str, Any], settings: Any, unique: str
) -> None:
    settings.MOODLE_ALLOW_HTTP = True
    instance = MoodleInstance.objects.create(
        name="live",
        url=os.environ["MOODLE_URL"],
        role=MoodleInstance.Role.CURRENT,
        token_encrypted=token_encrypt(os.environ["MOODLE_TOKEN"]),
    )
    instance_sync(instance=instance)
    course = Course.objects.get(instance=instance, moodle_id=teacher_course["id"])
    person = CourseRole.objects.get(course=course, role=CourseRole.EDITING_TEACHER).person
    person.user = UserFactory(username=person.moodle_username)
    person.save()
    campaign = CampaignFactory(
        academic_year="2026-2027",
        policy=PolicyFactory(),
        status="running",
        allow_asap=True,
        cutoff_date=datetime.date(2026, 9, 1),
    )
    assert [f for f in live_client.get_forums([course.moodle_id]) if f.type == "news"] == []
    spec = RequestSpec(
        scenario="fresh_copy",
        course_moodle_id=course.moodle_id,
        new_start_date=datetime.date(2026, 9, 1),
        announcement=Announcement(days_before=0, subject="Nouveau cours", message="<p>…</p>"),
        fresh_copy=FreshCopy(
            new_shortname=f"PS-{unique}-2026",
            new_fullname=f"Passage steps {unique} 2026",
            archive=ArchivePlan(prefix="ex_"),
            teachers=copy_teachers(course=course, campaign=campaign, user=person.user),
        ),
        asap=True,
    )
    inventory = live_client.get_course_inventory(course.moodle_id)
    review = review_course(inventory=inventory, spec=spec, governed={}, facts=ReviewFacts())
    request = TransitionRequest.objects.create(
        campaign=campaign,
        course=course,
        requested_by=person.user,
        scenario=spec.scenario,
        review_snapshot=review.to_json(),
        status=TransitionRequest.Status.APPROVED,
        submitted_at=timezone.now() - datetime.timedelta(minutes=1),
    )
    RequestPlan.objects.create(request=request, spec=spec.to_json())

    services.request_start(request=request)
    run_until_idle(request)

    request.refresh_from_db()
    jobs = list(
        request.jobs.order_by("position").values_list("kind", "status", "last_error_message")
    )
    assert request.status == TransitionRequest.Status.DONE, jobs
    (news,) = [f for f in live_client.get_forums([course.moodle_id]) if f.type == "news"]
    discussions = live_client.call("mod_forum_get_forum_discussions", forumid=news.id)
    assert [d["name"] for d in discussions["discussions"]] == ["Nouveau cours"]
    new = live_client.find_course_by_shortname(f"PS-{unique}-2026")
    assert new is not None
    assert new.startdate == day_timestamp(datetime.date(2026, 9, 1))
    assert new.enddate - new.startdate == day_timestamp(END_2026) - day_timestamp(START_2025)
    (enrolled,) = live_client.get_enrolled_users(new.id)
    assert enrolled.id == teacher_course["teacher"].id
    assert [role.shortname for role in enrolled.roles] == ["editingteacher"]
    assert live_client.get_course(course.moodle_id).shortname.startswith("ex_")

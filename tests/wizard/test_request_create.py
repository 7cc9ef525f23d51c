"""`requests_create_reviewed`: one request per course, all or none, the plan beside each."""

import datetime

import pytest

from tests.factories import (
    CampaignFactory,
    CourseFactory,
    CourseRoleFactory,
    TransitionRequestFactory,
    UserFactory,
)
from transition.errors import NotAllowed, RequestAlreadyOpen
from transition.models import RequestPlan, TransitionRequest
from transition.request_spec import RequestSpec, SpecialCalendar
from transition.review.results import CourseReview, ReviewWarning
from transition.services.request_create import (
    ReviewBlocked,
    ReviewedRequest,
    requests_create_reviewed,
)

Status = TransitionRequest.Status


@pytest.fixture
def teacher_and_courses(db):
    teacher = UserFactory(username="claire.dubois", roles=["teacher"])
    courses = [CourseFactory(shortname=name) for name in ("CHIM231", "CHIM232")]
    for course in courses:
        CourseRoleFactory(course=course, person__user=teacher, person__instance=course.instance)
    return teacher, courses


def reviewed(course, *, special=None, warnings=()):
    spec = RequestSpec(
        scenario="no_change", course_moodle_id=course.moodle_id, special_calendar=special
    )
    review = CourseReview(
        course_moodle_id=course.moodle_id,
        shortname=course.shortname,
        fullname=course.fullname,
        scenario="no_change",
        rows=(),
        warnings=tuple(warnings),
        generated_at=0,
    )
    return ReviewedRequest(course=course, spec=spec, review=review)


def test_requests_are_scheduled_for_the_run_date_with_their_plan(teacher_and_courses):
    teacher, courses = teacher_and_courses
    campaign = CampaignFactory()
    created = requests_create_reviewed(
        campaign=campaign, requested_by=teacher, reviewed=[reviewed(c) for c in courses]
    )
    assert [r.status for r in created] == [Status.SCHEDULED, Status.SCHEDULED]
    assert all(r.run_at == campaign.run_date for r in created)
    assert RequestPlan.objects.count() == 2


def test_a_special_calendar_waits_for_approval(teacher_and_courses):
    teacher, courses = teacher_and_courses
    special = SpecialCalendar(
        kind="early_opening", opens=datetime.date(2026, 8, 17), closes=None, reason="Prérentrée"
    )
    (request,) = requests_create_reviewed(
        campaign=CampaignFactory(),
        requested_by=teacher,
        reviewed=[reviewed(courses[0], special=special)],
    )
    assert request.status == Status.PENDING_APPROVAL
    assert request.special_start_date == datetime.date(2026, 8, 17)


def test_one_open_request_elsewhere_refuses_all_and_names_its_holder(teacher_and_courses):
    teacher, courses = teacher_and_courses
    campaign = CampaignFactory()
    holder = UserFactory(username="sophie.girard", first_name="Sophie", last_name="Girard")
    TransitionRequestFactory(campaign=campaign, course=courses[1], requested_by=holder)
    with pytest.raises(RequestAlreadyOpen, match="Sophie Girard"):
        requests_create_reviewed(
            campaign=campaign, requested_by=teacher, reviewed=[reviewed(c) for c in courses]
        )
    assert not TransitionRequest.objects.filter(requested_by=teacher).exists()


def test_a_blocked_review_is_refused(teacher_and_courses):
    teacher, courses = teacher_and_courses
    blocked = reviewed(courses[0], warnings=[ReviewWarning("restore_already", blocking=True)])
    with pytest.raises(ReviewBlocked):
        requests_create_reviewed(
            campaign=CampaignFactory(), requested_by=teacher, reviewed=[blocked]
        )


def test_only_a_teacher_of_the_course_may_request(teacher_and_courses):
    _, courses = teacher_and_courses
    stranger = UserFactory(username="paul.durand", roles=["teacher"])
    with pytest.raises(NotAllowed):
        requests_create_reviewed(
            campaign=CampaignFactory(), requested_by=stranger, reviewed=[reviewed(courses[0])]
        )

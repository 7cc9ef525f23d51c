"""Transition requests: who may create, submit, decide and cancel, and what state follows."""

import datetime

import pytest

from tests.factories import CampaignFactory, TransitionRequestFactory
from transition.errors import (
    CampaignNotOpen,
    CourseExcluded,
    InvalidTransition,
    NotAllowed,
    RequestAlreadyOpen,
)
from transition.models import AuditEvent, Campaign, Course, TransitionRequest
from transition.services.requests import (
    request_approve,
    request_ask_changes,
    request_cancel,
    request_create,
    request_reject,
    request_submit,
)

pytestmark = pytest.mark.django_db
Status = TransitionRequest.Status
Scenario = TransitionRequest.Scenario


def test_teacher_creates_a_draft_for_their_course(cast):
    campaign = CampaignFactory()
    request = request_create(
        campaign=campaign,
        course=cast.course,
        requested_by=cast.teacher,
        scenario=Scenario.REUSE_RESET,
        options={"reset_forum_all": "1"},
    )
    assert request.status == Status.DRAFT
    assert request.options == {"reset_forum_all": "1"}
    assert AuditEvent.objects.filter(action="request_create", request=request).exists()


def test_teacher_cannot_request_for_a_course_they_do_not_teach(cast):
    with pytest.raises(NotAllowed):
        request_create(
            campaign=CampaignFactory(),
            course=cast.other_course,
            requested_by=cast.teacher,
            scenario=Scenario.REUSE_RESET,
        )
    assert not TransitionRequest.objects.exists()


def test_second_open_request_for_the_same_course_is_refused(cast):
    campaign = CampaignFactory()
    request_create(
        campaign=campaign,
        course=cast.course,
        requested_by=cast.teacher,
        scenario=Scenario.NO_CHANGE,
    )
    with pytest.raises(RequestAlreadyOpen):
        request_create(
            campaign=campaign,
            course=cast.course,
            requested_by=cast.engineer,
            scenario=Scenario.FRESH_COPY,
        )
    assert TransitionRequest.objects.filter(course=cast.course).count() == 1


def test_requests_are_refused_once_the_campaign_is_locked(cast):
    with pytest.raises(CampaignNotOpen):
        request_create(
            campaign=CampaignFactory(status=Campaign.Status.LOCKED),
            course=cast.course,
            requested_by=cast.teacher,
            scenario=Scenario.REUSE_RESET,
        )


def test_courses_of_excluded_categories_are_left_alone(cast):
    # Seed 001: "Les cours de la catégorie « espaces complémentaires » ... ne sont pas concernés".
    campaign = CampaignFactory()
    campaign.excluded_categories.add(cast.course.category)
    with pytest.raises(CourseExcluded):
        request_create(
            campaign=campaign,
            course=cast.course,
            requested_by=cast.teacher,
            scenario=Scenario.REUSE_RESET,
        )


def test_standard_calendar_request_is_approved_on_submit(cast):
    request = TransitionRequestFactory(course=cast.course, requested_by=cast.teacher)
    request_submit(request=request, actor=cast.teacher)
    assert request.status == Status.APPROVED
    assert request.submitted_at is not None


def test_special_calendar_request_waits_for_an_engineer(cast):
    # Seed 001: special calendars "contactez votre ingénieur·e pédagogique".
    cast.course.calendar_type = Course.CalendarType.EARLY_OPENING
    cast.course.save()
    request = TransitionRequestFactory(course=cast.course, requested_by=cast.teacher)
    request_submit(request=request, actor=cast.teacher)
    assert request.status == Status.PENDING_APPROVAL


def test_special_dates_alone_need_approval(cast):
    request = TransitionRequestFactory(
        course=cast.course,
        requested_by=cast.teacher,
        special_start_date=datetime.date(2027, 8, 20),
        special_reason="Rentrée anticipée du DU",
    )
    request_submit(request=request, actor=cast.teacher)
    assert request.status == Status.PENDING_APPROVAL


def _pending(cast) -> TransitionRequest:
    return TransitionRequestFactory(
        course=cast.course, requested_by=cast.teacher, status=Status.PENDING_APPROVAL
    )


def test_engineer_approves_a_pending_request(cast):
    request = request_approve(request=_pending(cast), actor=cast.engineer, comment="OK")
    assert request.status == Status.APPROVED
    assert request.decided_by == cast.engineer
    assert request.decision_comment == "OK"


def test_engineer_asks_for_changes_then_the_teacher_submits_again(cast):
    request = request_ask_changes(request=_pending(cast), actor=cast.engineer, comment="Dates ?")
    assert request.status == Status.CHANGES_REQUESTED
    request_submit(request=request, actor=cast.teacher)
    assert request.status == Status.APPROVED


def test_engineer_rejects_a_pending_request(cast):
    request = request_reject(request=_pending(cast), actor=cast.engineer, comment="Hors maquette")
    assert request.status == Status.REJECTED


def test_teacher_cannot_approve_their_own_request(cast):
    request = _pending(cast)
    with pytest.raises(NotAllowed):
        request_approve(request=request, actor=cast.teacher)
    request.refresh_from_db()
    assert request.status == Status.PENDING_APPROVAL


def test_a_draft_cannot_be_approved(cast):
    request = TransitionRequestFactory(course=cast.course, requested_by=cast.teacher)
    with pytest.raises(InvalidTransition):
        request_approve(request=request, actor=cast.admin)


def test_teacher_cancels_an_approved_request(cast):
    request = TransitionRequestFactory(
        course=cast.course, requested_by=cast.teacher, status=Status.APPROVED
    )
    request_cancel(request=request, actor=cast.teacher)
    assert request.status == Status.CANCELLED


def test_a_running_request_cannot_be_cancelled(cast):
    request = TransitionRequestFactory(
        course=cast.course, requested_by=cast.teacher, status=Status.RUNNING
    )
    with pytest.raises(InvalidTransition):
        request_cancel(request=request, actor=cast.admin)
    request.refresh_from_db()
    assert request.status == Status.RUNNING


def test_another_teacher_cannot_cancel(cast):
    request = TransitionRequestFactory(course=cast.course, requested_by=cast.teacher)
    with pytest.raises(NotAllowed):
        request_cancel(request=request, actor=cast.other_teacher)

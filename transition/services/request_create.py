"""Creating the requests a teacher confirmed in the wizard, all of them or none."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.utils import timezone

from transition import permissions
from transition.engine.planner import Schedule, schedule_plan
from transition.errors import CampaignNotOpen, CourseExcluded, NotAllowed
from transition.models import Campaign, Course, RequestPlan, TransitionRequest
from transition.request_spec import RequestSpec
from transition.review.results import CourseReview
from transition.services.audit import audit_record
from transition.teaching import open_request_of, request_already_open

Status = TransitionRequest.Status


class ReviewBlocked(NotAllowed):
    """The review of a course carries a blocking warning: the scenario cannot run on it."""


@dataclass(frozen=True)
class ReviewedRequest:
    """One course's confirmed choice: what to do (spec) and what the teacher saw (review)."""

    course: Course
    spec: RequestSpec
    review: CourseReview
    source_course: Course | None = None


def request_status_for(*, course: Course, spec: RequestSpec) -> str:
    """Special calendars go to a pedagogical engineer first (seed 001); the rest is scheduled."""
    if spec.special_calendar is not None or course.calendar_type != Course.CalendarType.STANDARD:
        return Status.PENDING_APPROVAL
    return Status.SCHEDULED


def request_run_at(
    *, campaign: Campaign, spec: RequestSpec, now: datetime.datetime
) -> datetime.datetime:
    return now if spec.asap and campaign.allow_asap else campaign.run_date


@dataclass(frozen=True)
class Timing:
    """When a course's request would run if confirmed now, for each choice of the confirm
    step: on the campaign's run date, or as soon as possible (None when the campaign does not
    allow it). An announcement comes first, and the course is transformed no sooner than its
    notice after it."""

    on_run_date: Schedule
    asap: Schedule | None
    notice_days: int  # the announcement's notice, 0 without one


def request_timing(
    *, campaign: Campaign, on_run_date: RequestSpec, asap: RequestSpec, now: datetime.datetime
) -> Timing:
    """`on_run_date` and `asap`: the course's spec with each choice."""

    def schedule(spec: RequestSpec) -> Schedule:
        return schedule_plan(
            planned_run=request_run_at(campaign=campaign, spec=spec, now=now),
            confirmed_at=now,
            announcement=spec.announcement,
        )

    return Timing(
        on_run_date=schedule(on_run_date),
        asap=schedule(asap) if campaign.allow_asap else None,
        notice_days=on_run_date.announcement.days_before if on_run_date.announcement else 0,
    )


def requests_create_reviewed(
    *, campaign: Campaign, requested_by: AbstractBaseUser, reviewed: Sequence[ReviewedRequest]
) -> list[TransitionRequest]:
    """One request per course, each with its plan and review snapshot, in one transaction.

    Refused as a whole (nothing written) if any course may not be requested, is blocked by its
    review, or already has an open request: `RequestAlreadyOpen` then names who holds it.
    """
    if campaign.status != Campaign.Status.OPEN:
        raise CampaignNotOpen(f"Campaign {campaign} is {campaign.get_status_display()}.")
    excluded = set(campaign.excluded_categories.values_list("pk", flat=True))
    for item in reviewed:
        if not permissions.can_request_transition(requested_by, item.course):
            raise NotAllowed(f"{requested_by} may not request a transition of {item.course}.")
        if item.course.category_id in excluded:
            raise CourseExcluded(f"{item.course.shortname} is left alone by this campaign.")
        if item.review.blocked:
            raise ReviewBlocked(f"The review of {item.course.shortname} blocks this request.")
    now = timezone.now()
    created: list[TransitionRequest] = []
    try:
        with transaction.atomic():
            for item in reviewed:
                created.append(_create_one(campaign, requested_by, item, now))
    except IntegrityError as error:
        # The partial unique index is the guarantee; say who won the race.
        for item in reviewed:
            holder = open_request_of(course=item.course)
            if holder is not None:
                raise request_already_open(holder=holder) from error
        raise
    return created


def _create_one(
    campaign: Campaign,
    requested_by: AbstractBaseUser,
    item: ReviewedRequest,
    now: datetime.datetime,
) -> TransitionRequest:
    spec = item.spec
    special = spec.special_calendar
    request = TransitionRequest.objects.create(
        campaign=campaign,
        course=item.course,
        requested_by=requested_by,
        scenario=spec.scenario,
        options=dict(spec.reset_options),
        cohort_changes=[change.to_json() for change in spec.cohort_changes],
        review_snapshot=item.review.to_json(),
        source_course=item.source_course,
        successor_username=spec.hand_over.successor_username if spec.hand_over else "",
        special_start_date=special.opens if special else None,
        special_end_date=special.closes if special else None,
        special_reason=special.reason if special else "",
        status=request_status_for(course=item.course, spec=spec),
        run_at=request_run_at(campaign=campaign, spec=spec, now=now),
        submitted_at=now,
    )
    RequestPlan.objects.create(request=request, spec=spec.to_json())
    audit_record(
        action="request_create",
        actor=requested_by,
        campaign=campaign,
        course=item.course,
        request=request,
        details={"scenario": spec.scenario, "status": request.status},
    )
    return request

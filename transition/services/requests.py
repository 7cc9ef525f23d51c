"""A transition request's life.

draft → (submit) → pending_approval (special calendars) or approved
pending_approval → approved | changes_requested | rejected
changes_requested → (submit) → pending_approval or approved
any open state but running → cancelled
Scheduling and running belong to the job engine.
"""

import datetime
from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.utils import timezone

from transition import permissions
from transition.errors import (
    CampaignNotOpen,
    CourseExcluded,
    InvalidTransition,
    NotAllowed,
    RequestAlreadyOpen,
)
from transition.models import Campaign, Course, TransitionRequest
from transition.services.audit import audit_record

Status = TransitionRequest.Status


def request_needs_approval(*, request: TransitionRequest) -> bool:
    """Special calendars are handled with a pedagogical engineer (seed 001)."""
    return (
        request.course.calendar_type != Course.CalendarType.STANDARD
        or request.special_start_date is not None
        or request.special_end_date is not None
    )


def request_create(
    *,
    campaign: Campaign,
    course: Course,
    requested_by: AbstractBaseUser,
    scenario: str,
    options: dict[str, str] | None = None,
    cohort_changes: list[dict[str, Any]] | None = None,
    review_snapshot: dict[str, Any] | None = None,
    special_start_date: datetime.date | None = None,
    special_end_date: datetime.date | None = None,
    special_reason: str = "",
) -> TransitionRequest:
    if not permissions.can_request_transition(requested_by, course):
        raise NotAllowed(f"{requested_by} may not request a transition of {course.shortname}.")
    if campaign.status != Campaign.Status.OPEN:
        raise CampaignNotOpen(f"Campaign {campaign} is {campaign.get_status_display()}.")
    if course.category_id and campaign.excluded_categories.filter(pk=course.category_id).exists():
        raise CourseExcluded(f"{course.shortname} is in a category the campaign leaves alone.")
    request = TransitionRequest(
        campaign=campaign,
        course=course,
        requested_by=requested_by,
        scenario=scenario,
        options=options or {},
        cohort_changes=cohort_changes or [],
        review_snapshot=review_snapshot or {},
        special_start_date=special_start_date,
        special_end_date=special_end_date,
        special_reason=special_reason,
    )
    request.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            request.save()
            audit_record(
                action="request_create",
                actor=requested_by,
                campaign=campaign,
                course=course,
                request=request,
                details={"scenario": scenario},
            )
    except IntegrityError as error:
        # The partial unique index is the guarantee; two tabs racing both reach it.
        raise RequestAlreadyOpen(
            f"{course.shortname} already has a request in progress."
        ) from error
    return request


def _request_move(
    *,
    request: TransitionRequest,
    allowed_from: Iterable[str],
    to: str,
    actor: AbstractBaseUser,
    action: str,
    extra: dict[str, Any] | None = None,
) -> TransitionRequest:
    fields: dict[str, Any] = {"status": to, "updated_at": timezone.now(), **(extra or {})}
    with transaction.atomic():
        moved = TransitionRequest.objects.filter(
            pk=request.pk, status__in=list(allowed_from)
        ).update(**fields)
        if moved != 1:
            request.refresh_from_db()
            raise InvalidTransition(request, request.status, to)
        request.refresh_from_db()
        audit_record(
            action=action,
            actor=actor,
            campaign=request.campaign,
            course=request.course,
            request=request,
            details={"status": to},
        )
    return request


def request_submit(*, request: TransitionRequest, actor: AbstractBaseUser) -> TransitionRequest:
    """Send the request: to an engineer when the calendar is special, otherwise approved."""
    if not permissions.can_request_transition(actor, request.course):
        raise NotAllowed(f"{actor} may not submit a request for {request.course.shortname}.")
    target = Status.PENDING_APPROVAL if request_needs_approval(request=request) else Status.APPROVED
    return _request_move(
        request=request,
        allowed_from=[Status.DRAFT, Status.CHANGES_REQUESTED],
        to=target,
        actor=actor,
        action="request_submit",
        extra={"submitted_at": timezone.now()},
    )


def _decide(
    *, request: TransitionRequest, actor: AbstractBaseUser, to: str, action: str, comment: str
) -> TransitionRequest:
    if not permissions.can_decide_requests(actor):
        raise NotAllowed(f"{actor} may not decide on requests.")
    return _request_move(
        request=request,
        allowed_from=[Status.PENDING_APPROVAL],
        to=to,
        actor=actor,
        action=action,
        extra={"decided_by": actor, "decided_at": timezone.now(), "decision_comment": comment},
    )


def request_approve(
    *, request: TransitionRequest, actor: AbstractBaseUser, comment: str = ""
) -> TransitionRequest:
    return _decide(
        request=request, actor=actor, to=Status.APPROVED, action="request_approve", comment=comment
    )


def request_ask_changes(
    *, request: TransitionRequest, actor: AbstractBaseUser, comment: str
) -> TransitionRequest:
    return _decide(
        request=request,
        actor=actor,
        to=Status.CHANGES_REQUESTED,
        action="request_ask_changes",
        comment=comment,
    )


def request_reject(
    *, request: TransitionRequest, actor: AbstractBaseUser, comment: str
) -> TransitionRequest:
    return _decide(
        request=request, actor=actor, to=Status.REJECTED, action="request_reject", comment=comment
    )


def request_cancel(*, request: TransitionRequest, actor: AbstractBaseUser) -> TransitionRequest:
    """Withdraw a request that has not started running: nothing was done to the course yet."""
    if not permissions.can_withdraw_request(actor, request):
        raise NotAllowed(f"{actor} may not cancel the request for {request.course.shortname}.")
    return _request_move(
        request=request,
        allowed_from=[
            Status.DRAFT,
            Status.PENDING_APPROVAL,
            Status.CHANGES_REQUESTED,
            Status.APPROVED,
            Status.SCHEDULED,
        ],
        to=Status.CANCELLED,
        actor=actor,
        action="request_cancel",
    )

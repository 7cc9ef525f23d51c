"""Engineers' decisions on requests that wait for them, and the e-mails that follow.

The state changes themselves are `transition.services.requests`'s; this module adds what a
decision made from the approvals screen brings with it: a changed run date, a required comment,
bulk approval, and telling the teacher once the decision is committed.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from transition import notifications
from transition.engine.services import requests_asap_start
from transition.errors import InvalidTransition, NotAllowed, TransitionError
from transition.models import TransitionRequest
from transition.permissions import can_decide_requests
from transition.services import requests as request_services
from transition.services.audit import audit_record


class CommentRequired(TransitionError):
    """A rejection or a request for changes must tell the teacher why."""


class RunDateInPast(TransitionError):
    """An approval cannot schedule a request before now."""


def _check_can_decide(actor: AbstractBaseUser) -> None:
    if not can_decide_requests(actor):
        raise NotAllowed(f"{actor} may not decide on requests.")


def _tell_teacher_after_commit(request: TransitionRequest) -> None:
    request_id = request.pk
    transaction.on_commit(lambda: notifications.notify_request_status(request_id=request_id))


def request_approve(
    *,
    request: TransitionRequest,
    actor: AbstractBaseUser,
    run_at: datetime.datetime | None = None,
    comment: str = "",
) -> TransitionRequest:
    """Approve a waiting request, optionally moving the date it runs at."""
    _check_can_decide(actor)
    if run_at is not None and run_at < timezone.now():
        raise RunDateInPast(f"{run_at:%Y-%m-%d %H:%M} is in the past.")
    with transaction.atomic():
        previous_run_at = request.run_at
        request = request_services.request_approve(request=request, actor=actor, comment=comment)
        if run_at is not None and run_at != previous_run_at:
            TransitionRequest.objects.filter(pk=request.pk).update(run_at=run_at)
            request.run_at = run_at
            audit_record(
                action="request_set_run_at",
                actor=actor,
                campaign=request.campaign,
                course=request.course,
                request=request,
                details={
                    "from": previous_run_at.isoformat() if previous_run_at else None,
                    "to": run_at.isoformat(),
                },
            )
        _tell_teacher_after_commit(request)
    requests_asap_start(requests=[request])
    return request


def request_reject(
    *, request: TransitionRequest, actor: AbstractBaseUser, comment: str
) -> TransitionRequest:
    """Refuse the request; the course then follows the campaign's default transition."""
    _check_can_decide(actor)
    if not comment.strip():
        raise CommentRequired("Say why the request is rejected.")
    with transaction.atomic():
        request = request_services.request_reject(
            request=request, actor=actor, comment=comment.strip()
        )
        _tell_teacher_after_commit(request)
    return request


def request_ask_changes(
    *, request: TransitionRequest, actor: AbstractBaseUser, comment: str
) -> TransitionRequest:
    """Send the request back to the teacher, who changes it and submits it again."""
    _check_can_decide(actor)
    if not comment.strip():
        raise CommentRequired("Say what the teacher should change.")
    with transaction.atomic():
        request = request_services.request_ask_changes(
            request=request, actor=actor, comment=comment.strip()
        )
        _tell_teacher_after_commit(request)
    return request


@dataclass
class BulkApproval:
    approved: list[int] = field(default_factory=list)
    # (request id, why it was left as it is)
    skipped: list[tuple[int, str]] = field(default_factory=list)


def requests_bulk_approve(
    *,
    requests: Iterable[TransitionRequest],
    actor: AbstractBaseUser,
    run_at: datetime.datetime | None = None,
    comment: str = "",
) -> BulkApproval:
    """Approve each request on its own: one that moved meanwhile is skipped, not fatal."""
    _check_can_decide(actor)
    result = BulkApproval()
    for request in requests:
        try:
            request_approve(request=request, actor=actor, run_at=run_at, comment=comment)
        except (InvalidTransition, RunDateInPast) as refusal:
            result.skipped.append((request.pk, str(refusal)))
        else:
            result.approved.append(request.pk)
    return result

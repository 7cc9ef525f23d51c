"""/requests/<id>/: a request's timeline, counts, backup, checklist; cancel while not started."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from transition import permissions
from transition.engine.storage import backup_storage, backup_stream
from transition.errors import InvalidTransition, NotAllowed
from transition.keep_copy.selectors import kept_copy_for
from transition.models import Backup, Job, TransitionRequest
from transition.review.results import CourseReview, ReviewRow
from transition.services.requests import request_cancel

CANCELLABLE = (
    TransitionRequest.Status.DRAFT,
    TransitionRequest.Status.PENDING_APPROVAL,
    TransitionRequest.Status.CHANGES_REQUESTED,
    TransitionRequest.Status.APPROVED,
    TransitionRequest.Status.SCHEDULED,
)


@dataclass(frozen=True)
class CountLine:
    """A reviewed count, and what the verification found after the run (None before)."""

    row: ReviewRow
    after: int | None


def _request_visible(request: HttpRequest, pk: int) -> TransitionRequest:
    transition = get_object_or_404(
        TransitionRequest.objects.select_related("course", "campaign", "requested_by"), pk=pk
    )
    user = request.user
    if transition.requested_by_id != user.pk and not permissions.can_view_course(
        user, transition.course
    ):
        raise PermissionDenied
    return transition


def _count_lines(review: CourseReview, verify: Job | None) -> list[CountLine]:
    """Before: the review's totals. After: what verification found, once it ran."""
    verified = verify is not None and verify.status in (Job.Status.SUCCEEDED, Job.Status.FAILED)
    differences = {
        (d.get("section"), d.get("subject"), d.get("kind")): int(d.get("found", 0))
        for d in ((verify.result or {}).get("differences") or [] if verify else [])
    }
    lines = []
    for row in review.rows:
        if row.fate not in ("kept", "deleted") or row.section == "participants":
            continue
        after = None
        if verified:
            expected = row.total - row.affected if row.fate == "deleted" else row.total
            after = differences.get((row.section, row.subject, row.kind), expected)
        lines.append(CountLine(row=row, after=after))
    return lines


@login_required
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    transition = _request_visible(request, pk)
    review = (
        CourseReview.from_json(transition.review_snapshot) if transition.review_snapshot else None
    )
    jobs = list(transition.jobs.order_by("position", "created_at"))
    verify = next((job for job in jobs if job.kind == Job.Kind.VERIFY), None)
    backups = Backup.objects.filter(job__request=transition).order_by("-created_at")
    context: dict[str, Any] = {
        "transition": transition,
        "review": review,
        "jobs": jobs,
        "count_lines": _count_lines(review, verify) if review else [],
        "verified": verify is not None and verify.status == Job.Status.SUCCEEDED,
        "backups": backups,
        "can_download": _may_download(request, transition),
        "kept_copy": kept_copy_for(request=transition, user=request.user),
        "checklist": review.checklist if review else (),
        "can_cancel": transition.status in CANCELLABLE
        and permissions.can_withdraw_request(request.user, transition),
    }
    return render(request, "transition/requests/detail.html", context)


def _may_download(request: HttpRequest, transition: TransitionRequest) -> bool:
    return permissions.can_download_backup(request.user, transition)


@require_POST
@login_required
def request_cancel_view(request: HttpRequest, pk: int) -> HttpResponse:
    transition = _request_visible(request, pk)
    try:
        request_cancel(request=transition, actor=request.user)  # type: ignore[arg-type]
    except NotAllowed as error:
        raise PermissionDenied from error
    except InvalidTransition:
        messages.error(request, _("This request has started: it can no longer be cancelled."))
    else:
        messages.success(request, _("The request is cancelled; nothing was done to the course."))
    return redirect("request_detail", pk=transition.pk)


@login_required
def backup_download(request: HttpRequest, pk: int, backup_pk: int) -> FileResponse:
    transition = _request_visible(request, pk)
    if not _may_download(request, transition):
        raise PermissionDenied
    backup = get_object_or_404(Backup, pk=backup_pk, job__request=transition)
    if not backup_storage().exists(backup.storage_name):
        raise Http404(_("The backup file is no longer stored."))
    # Streamed from the storage as it is sent: object storage's own open() would first copy
    # the whole backup into memory.
    return FileResponse(
        backup_stream(backup.storage_name),
        as_attachment=True,
        filename=PurePosixPath(backup.storage_name).name,
        content_type="application/vnd.moodle.backup",
    )

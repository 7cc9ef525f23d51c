"""/requests/<id>/: a request's outcome, timeline (followed live through /progress/), counts,
backup and grade export downloads, checklist; cancel while not started."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST, require_safe

from transition import permissions
from transition.engine.planner import Schedule, plan_for_spec, request_schedule
from transition.engine.storage import backup_storage, backup_stream
from transition.error_texts import ErrorText, error_for_people
from transition.errors import InvalidTransition, NotAllowed
from transition.keep_copy.selectors import kept_copy_for
from transition.models import AuditEvent, Backup, Job, TransitionRequest
from transition.outcome import Outcome, calendar_and_reset, moodle_course_url, request_outcome
from transition.request_spec import RequestSpec
from transition.review.results import CourseReview, ReviewRow
from transition.services.requests import request_cancel
from transition.teacher_pages.grade_exports import grade_export_line
from transition.teaching import person_name

CANCELLABLE = (
    TransitionRequest.Status.DRAFT,
    TransitionRequest.Status.PENDING_APPROVAL,
    TransitionRequest.Status.CHANGES_REQUESTED,
    TransitionRequest.Status.APPROVED,
    TransitionRequest.Status.SCHEDULED,
)


FINISHED = (
    TransitionRequest.Status.DONE,
    TransitionRequest.Status.FAILED,
    TransitionRequest.Status.CANCELLED,
    TransitionRequest.Status.REJECTED,
)
WAITING_TO_RETRY = (Job.Status.QUEUED, Job.Status.WAITING)


@dataclass(frozen=True)
class JobLine:
    """A job as the timeline shows it: its error told as a sentence, the technical text apart."""

    job: Job
    error: ErrorText | None

    @property
    def percent(self) -> int:
        return round(self.job.progress * 100)


@dataclass(frozen=True)
class Decision:
    """An engineer's decision on the request, as the timeline says it."""

    action: str  # the audit action: request_approve, request_reject, request_ask_changes
    when: datetime.datetime
    who: str
    comment: str

    @property
    def label(self) -> str:
        return str(DECISION_LABELS[self.action])


DECISION_LABELS = {
    "request_approve": _lazy("Approved"),
    "request_reject": _lazy("Rejected"),
    "request_ask_changes": _lazy("Changes requested"),
}


def _decisions(transition: TransitionRequest) -> list[Decision]:
    """Every decision on the request, oldest first; the last one's comment is the request's."""
    events = list(
        AuditEvent.objects.filter(request=transition, action__in=DECISION_LABELS)
        .select_related("actor")
        .order_by("created_at")
    )
    return [
        Decision(
            action=event.action,
            when=event.created_at,
            who=person_name(event.actor) if event.actor else "",
            comment=transition.decision_comment if event is events[-1] else "",
        )
        for event in events
    ]


def _calendar_note(
    transition: TransitionRequest,
    outcome: Outcome | None,
    schedule: Schedule | None,
    reset: Job | None,
) -> str:
    """How the special calendar's dates bear on the reset (`reset`: the request's reset job),
    once the request is known."""
    if outcome is None or outcome.calendar is None:
        return ""
    started = reset.started_at if reset is not None else None
    reset_at = started or (schedule.run_at if schedule is not None else None)
    course_end = None
    if transition.review_snapshot:
        review = CourseReview.from_json(transition.review_snapshot)
        end = next((d for d in review.dates if d.kind == "enddate" and d.before_at), None)
        course_end = timezone.localdate(end.before_at) if end is not None else None
    return calendar_and_reset(
        outcome.calendar, reset_at=reset_at, course_end=course_end, done=started is not None
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


def _job_lines(jobs: list[Job]) -> list[JobLine]:
    return [
        JobLine(
            job=job,
            error=error_for_people(
                job.last_error_code or "internalerror", retrying=job.status in WAITING_TO_RETRY
            )
            if job.last_error_code or job.last_error_message
            else None,
        )
        for job in jobs
    ]


def _spec(transition: TransitionRequest) -> RequestSpec | None:
    """The request's plan as a spec; None for a request without one."""
    plan = getattr(transition, "plan", None)
    return plan.as_spec() if plan is not None else None


def _outcome(transition: TransitionRequest, spec: RequestSpec | None) -> Outcome | None:
    if spec is None:
        return None
    return request_outcome(
        spec=spec, course=transition.course, target_course=transition.target_course
    )


# The requests set to run, whose dates are known.
SCHEDULED = (
    TransitionRequest.Status.APPROVED,
    TransitionRequest.Status.SCHEDULED,
    TransitionRequest.Status.RUNNING,
)


def _schedule(transition: TransitionRequest, spec: RequestSpec | None) -> Schedule | None:
    """When the request's announcement goes out and its course is transformed (the
    transformation waits the announcement's notice, "as soon as possible" included), once the
    request is set to run; an engineer's approval decides it for the others."""
    if spec is None or transition.status not in SCHEDULED:
        return None
    return request_schedule(transition, spec)


def _offers_downloads(spec: RequestSpec | None, jobs: list[Job]) -> bool:
    """Whether the request backs the course up or exports its grades: only then has it
    something to download (a hand over has not)."""
    kinds = {job.kind for job in jobs}
    if spec is not None:
        kinds |= {step.kind for step in plan_for_spec(spec)}
    return bool(kinds & {Job.Kind.BACKUP, Job.Kind.GRADE_EXPORT})


def _progress_context(request: HttpRequest, transition: TransitionRequest) -> dict[str, Any]:
    jobs = list(transition.jobs.select_related("course").order_by("position", "created_at"))
    backups = list(
        Backup.objects.filter(job__request=transition)
        .select_related("course")
        .order_by("-created_at")
    )
    reset = next((job for job in jobs if job.kind == Job.Kind.RESET), None)
    exports = [
        job
        for job in jobs
        if job.kind == Job.Kind.GRADE_EXPORT and job.status == Job.Status.SUCCEEDED
    ]
    spec = _spec(transition)
    outcome = _outcome(transition, spec)
    schedule = _schedule(transition, spec)
    return {
        "transition": transition,
        "decisions": _decisions(transition),
        "calendar_note": _calendar_note(transition, outcome, schedule, reset),
        "job_lines": _job_lines(jobs),
        "backups": backups,
        "reset_job": reset,
        "grade_exports": [grade_export_line(job, transition) for job in exports],
        "outcome": outcome,
        "schedule": schedule,
        "old_course_url": moodle_course_url(transition.course),
        "can_download": _may_download(request, transition),
        "technical": permissions.is_staff_role(request.user),
        "finished": transition.status in FINISHED,
        "offers_downloads": _offers_downloads(spec, jobs),
        # Part of what the page follows live: the button goes once the request has started.
        "can_cancel": transition.status in CANCELLABLE
        and permissions.can_withdraw_request(request.user, transition),
    }


def _request_with_relations(request: HttpRequest, pk: int) -> TransitionRequest:
    transition = _request_visible(request, pk)
    return (
        TransitionRequest.objects.select_related(
            "course__instance", "campaign", "requested_by", "target_course__instance", "plan"
        )
        .filter(pk=transition.pk)
        .get()
    )


@login_required
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    transition = _request_with_relations(request, pk)
    review = (
        CourseReview.from_json(transition.review_snapshot) if transition.review_snapshot else None
    )
    context = _progress_context(request, transition)
    jobs = [line.job for line in context["job_lines"]]
    verify = next((job for job in jobs if job.kind == Job.Kind.VERIFY), None)
    context.update(
        {
            "review": review,
            "count_lines": _count_lines(review, verify) if review else [],
            "verified": verify is not None and verify.status == Job.Status.SUCCEEDED,
            "kept_copy": kept_copy_for(request=transition, user=request.user),
            "checklist": review.checklist if review else (),
        }
    )
    return render(request, "transition/requests/detail.html", context)


@require_safe
@login_required
def request_progress(request: HttpRequest, pk: int) -> JsonResponse:
    """What the request page follows without a reload: the status and the timeline."""
    transition = _request_with_relations(request, pk)
    context = _progress_context(request, transition)
    return JsonResponse(
        {
            "status": transition.status,
            "status_label": transition.get_status_display(),
            "finished": context["finished"],
            "jobs": [
                {
                    "kind": line.job.kind,
                    "status": line.job.status,
                    "progress": line.percent,
                    "error": line.error.what if line.error else "",
                }
                for line in context["job_lines"]
            ],
            "html": render_to_string(
                "transition/requests/_progress.html", context, request=request
            ),
        }
    )


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


@require_safe
@login_required
def grade_export_download(request: HttpRequest, pk: int, job_pk: int) -> FileResponse:
    """The gradebook exported before the reset, for whoever may download the backup."""
    transition = _request_visible(request, pk)
    if not _may_download(request, transition):
        raise PermissionDenied
    job = get_object_or_404(
        Job,
        pk=job_pk,
        request=transition,
        kind=Job.Kind.GRADE_EXPORT,
        status=Job.Status.SUCCEEDED,
    )
    name = str((job.result or {}).get("file") or "")
    if not name or not default_storage.exists(name):
        raise Http404(_("The grade export is no longer stored."))
    return FileResponse(
        default_storage.open(name, "rb"),
        as_attachment=True,
        filename=PurePosixPath(name).name,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )

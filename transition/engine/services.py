"""What screens and the beat call on the engine: start, cancel, retry, pause, back up.

Each service claims its change in the database (an UPDATE guarded by the current state), leaves
an AuditEvent, and sends jobs to the workers only once the transaction has committed.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from transition import permissions
from transition.engine.dispatch import Priority, jobs_send_on_commit
from transition.engine.errors import CourseBusy
from transition.engine.keys import campaign_backup_key, installation_key
from transition.engine.planner import request_plan_jobs, request_schedule, request_spec
from transition.errors import InvalidTransition, NotAllowed
from transition.models import AuditEvent, Campaign, Course, CourseLock, Job, TransitionRequest
from transition.services import campaigns as campaign_services
from transition.services import requests as request_services
from transition.services.audit import audit_record
from transition.teaching import open_request_of, request_already_open

logger = logging.getLogger(__name__)
Status = Job.Status
RequestStatus = TransitionRequest.Status
STARTABLE = (RequestStatus.APPROVED, RequestStatus.SCHEDULED)


def _require_admin(actor: AbstractBaseUser | None, what: str) -> None:
    if actor is not None and not permissions.can_manage_campaigns(actor):
        raise NotAllowed(f"{actor} may not {what}.")


def request_start(
    *, request: TransitionRequest, actor: AbstractBaseUser | None = None
) -> TransitionRequest:
    """Plan the request's jobs, take its course, and queue its first job.

    Raises `CourseBusy` when another request (or a campaign backup) holds the course: at most
    one request per course runs at a time, whichever worker or screen starts it.
    """
    request_plan_jobs(request=request)
    try:
        with transaction.atomic():
            moved = TransitionRequest.objects.filter(pk=request.pk, status__in=STARTABLE).update(
                status=RequestStatus.RUNNING, updated_at=timezone.now()
            )
            if moved != 1:
                request.refresh_from_db()
                raise InvalidTransition(request, request.status, RequestStatus.RUNNING)
            with transaction.atomic():
                CourseLock.objects.create(course=request.course, request=request)
            first = request.jobs.filter(status=Status.WAITING).order_by("position").first()
            if first is not None:
                Job.objects.filter(pk=first.pk).update(
                    status=Status.QUEUED, updated_at=timezone.now()
                )
                if first.not_before is None or first.not_before <= timezone.now():
                    jobs_send_on_commit([first.pk], priority=Priority.NEW)
            audit_record(
                action="request_start",
                actor=actor,
                campaign=request.campaign,
                course=request.course,
                request=request,
            )
            if first is None:
                from transition.engine.runner import request_advance

                request_advance(request_id=request.pk)
    except IntegrityError as error:
        holder = CourseLock.objects.filter(course=request.course).first()
        if actor is not None:
            audit_record(
                action="request_start",
                actor=actor,
                outcome=AuditEvent.Outcome.REFUSED,
                campaign=request.campaign,
                course=request.course,
                request=request,
                details={
                    "reason": "course_busy",
                    "holder_request": getattr(holder, "request_id", None),
                },
            )
        raise CourseBusy(
            f"{request.course.shortname} is being transformed by another request."
        ) from error
    request.refresh_from_db()
    return request


def _campaign_lets_run(campaign: Campaign, *, asap: bool) -> bool:
    if campaign.status == Campaign.Status.RUNNING:
        return True
    return (
        asap
        and campaign.allow_asap
        and campaign.status
        in (
            Campaign.Status.OPEN,
            Campaign.Status.LOCKED,
        )
    )


def request_start_if_due(*, request: TransitionRequest, now: datetime.datetime) -> bool:
    """Start the request if its time has come and its campaign lets it run; whether it
    started. A request whose course is held stays as it is, to be tried again later."""
    try:
        spec = request_spec(request)
    except TransitionRequest.plan.RelatedObjectDoesNotExist:
        logger.warning("request %s has no plan; it cannot start", request.pk)
        return False
    if not _campaign_lets_run(request.campaign, asap=spec.asap):
        return False
    if request_schedule(request, spec).start_at > now:
        return False
    try:
        request_start(request=request)
    except (CourseBusy, InvalidTransition):
        return False
    return True


def requests_asap_start(*, requests: Iterable[TransitionRequest]) -> int:
    """Start at once, at confirmation or approval, the requests asked "as soon as possible"
    (instead of waiting for the next beat); returns how many started."""
    now = timezone.now()
    return sum(
        request_start_if_due(request=request, now=now)
        for request in requests
        if request.status in STARTABLE
    )


def requests_due_enqueue(*, now: datetime.datetime | None = None) -> int:
    """Beat: start every approved request whose time has come; returns how many started.

    A request's time is its run time, or earlier by its announcement's `days_before`. A
    request whose course is held stays approved and is tried again at the next beat.
    """
    now = now or timezone.now()
    horizon = now + datetime.timedelta(days=366)
    candidates = (
        TransitionRequest.objects.filter(status__in=STARTABLE)
        .filter(
            Q(campaign__status=Campaign.Status.RUNNING)
            | Q(campaign__allow_asap=True, campaign__status__in=["open", "locked"])
        )
        .filter(Q(run_at__lte=horizon) | Q(run_at__isnull=True))
        .select_related("campaign", "course", "plan")
        .order_by("pk")
    )
    return sum(request_start_if_due(request=request, now=now) for request in candidates)


def request_cancel(*, request: TransitionRequest, actor: AbstractBaseUser) -> TransitionRequest:
    """Cancel a request in any open state, a running or failed one included.

    A running request stops before its next job: the Moodle operation under way ends, nothing
    after it starts. The course is freed once no job of the request runs any more.
    """
    if request.status not in (RequestStatus.RUNNING, RequestStatus.FAILED):
        return request_services.request_cancel(request=request, actor=actor)
    if not permissions.can_withdraw_request(actor, request):
        raise NotAllowed(f"{actor} may not cancel the request for {request.course.shortname}.")
    now = timezone.now()
    with transaction.atomic():
        moved = TransitionRequest.objects.filter(
            pk=request.pk, status__in=[RequestStatus.RUNNING, RequestStatus.FAILED]
        ).update(status=RequestStatus.CANCELLED, updated_at=now)
        if moved != 1:
            request.refresh_from_db()
            raise InvalidTransition(request, request.status, RequestStatus.CANCELLED)
        cancelled = request.jobs.filter(
            status__in=[Status.WAITING, Status.QUEUED, Status.FAILED]
        ).update(status=Status.CANCELLED, finished_at=now, updated_at=now)
        if not request.jobs.filter(status=Status.RUNNING).exists():
            CourseLock.objects.filter(request=request).delete()
        audit_record(
            action="request_cancel",
            actor=actor,
            campaign=request.campaign,
            course=request.course,
            request=request,
            details={"jobs_cancelled": cancelled},
        )
    request.refresh_from_db()
    return request


def job_retry(*, job_id: int, actor: AbstractBaseUser | None) -> Job:
    """Try a failed job again: its request runs again from this job.

    Moodle keeps a failed operation under its key, so the retry gets a new key generation and
    Moodle a fresh operation; a job that had succeeded is never run again.
    """
    _require_admin(actor, "retry jobs")
    now = timezone.now()
    with transaction.atomic():
        job = Job.objects.select_for_update(of=("self",)).select_related("request").get(pk=job_id)
        if job.status != Status.FAILED:
            raise InvalidTransition(job, job.status, Status.QUEUED)
        if job.request is not None:
            try:
                with transaction.atomic():
                    moved = TransitionRequest.objects.filter(
                        pk=job.request_id, status=RequestStatus.FAILED
                    ).update(status=RequestStatus.RUNNING, updated_at=now)
            except IntegrityError as error:
                # A failed request no longer holds its course: another may have taken it since.
                holder = open_request_of(course=job.request.course)
                if holder is None:
                    raise
                raise request_already_open(holder=holder) from error
            if moved != 1:
                raise InvalidTransition(job.request, job.request.status, RequestStatus.RUNNING)
        result = dict(job.result)
        if job.moodle_operation_id:
            result["generation"] = int(result.get("generation", 0)) + 1
        Job.objects.filter(pk=job.pk).update(
            status=Status.QUEUED,
            attempts=0,
            not_before=None,
            finished_at=None,
            moodle_operation_id=None,
            result=result,
            updated_at=now,
        )
        audit_record(
            action="job_retry",
            actor=actor,
            campaign=job.campaign,
            course=job.course,
            request=job.request,
            job=job,
            details={"errorcode": job.last_error_code},
        )
        jobs_send_on_commit([job.pk])
    job.refresh_from_db()
    return job


def job_cancel(*, job_id: int, actor: AbstractBaseUser | None) -> Job:
    """Cancel a job that has not succeeded; a job of a request cancels the whole request (the
    next jobs depend on it), and the request stops before its next job."""
    _require_admin(actor, "cancel jobs")
    job = Job.objects.select_related("request__course", "request__campaign").get(pk=job_id)
    if job.request is not None and job.request.status in (
        RequestStatus.RUNNING,
        RequestStatus.FAILED,
    ):
        request_cancel(request=job.request, actor=actor)  # type: ignore[arg-type]
        job.refresh_from_db()
        return job
    now = timezone.now()
    with transaction.atomic():
        moved = Job.objects.filter(
            pk=job.pk, status__in=[Status.WAITING, Status.QUEUED, Status.FAILED]
        ).update(status=Status.CANCELLED, finished_at=now, updated_at=now)
        if moved != 1:
            job.refresh_from_db()
            raise InvalidTransition(job, job.status, Status.CANCELLED)
        audit_record(
            action="job_cancel",
            actor=actor,
            campaign=job.campaign,
            course=job.course,
            request=job.request,
            job=job,
        )
    job.refresh_from_db()
    return job


def campaign_pause(*, campaign: Campaign, actor: AbstractBaseUser | None) -> Campaign:
    """No job of the campaign starts any more; the Moodle operations under way finish."""
    _require_admin(actor, "pause campaigns")
    return campaign_services.campaign_pause(campaign=campaign, actor=actor)


def campaign_resume(*, campaign: Campaign, actor: AbstractBaseUser | None) -> Campaign:
    """Run again: the queued jobs of the campaign are sent to the workers."""
    _require_admin(actor, "resume campaigns")
    with transaction.atomic():
        campaign = campaign_services.campaign_resume(campaign=campaign, actor=actor)
        now = timezone.now()
        due = Job.objects.filter(campaign=campaign, status=Status.QUEUED).filter(
            Q(not_before__isnull=True) | Q(not_before__lte=now)
        )
        ids = list(due.values_list("pk", flat=True))
        due.update(updated_at=now)
        jobs_send_on_commit(ids)
    return campaign


def campaign_backup_all(
    *, campaign: Campaign, actor: AbstractBaseUser | None, courses: list[Course] | None = None
) -> int:
    """Backup week: queue a backup of every course of the current platform the campaign
    covers (not only those with a request); returns how many backups were queued. Running it
    again queues only the courses not queued yet."""
    _require_admin(actor, "back up a campaign")
    if courses is None:
        courses = list(
            Course.objects.filter(
                instance__role="current", gone_from_moodle_at__isnull=True
            ).exclude(category__in=campaign.excluded_categories.all())
        )
    now = timezone.now()
    installation = installation_key()
    keys = {
        course.pk: campaign_backup_key(installation=installation, campaign=campaign, course=course)
        for course in courses
    }
    with transaction.atomic():
        created = Job.objects.bulk_create(
            [
                Job(
                    campaign=campaign,
                    course=course,
                    instance=course.instance,
                    kind=Job.Kind.BACKUP,
                    status=Status.QUEUED,
                    idempotency_key=keys[course.pk],
                    updated_at=now,
                )
                for course in courses
            ],
            ignore_conflicts=True,
        )
        ids = list(
            Job.objects.filter(idempotency_key__in=keys.values(), status=Status.QUEUED).values_list(
                "pk", flat=True
            )
        )
        audit_record(
            action="campaign_backup_all",
            actor=actor,
            campaign=campaign,
            details={"courses": len(courses), "queued": len(ids)},
        )
        jobs_send_on_commit(ids, priority=Priority.NEW)
    logger.info("campaign %s: %d backups queued (%d new rows)", campaign, len(ids), len(created))
    return len(ids)

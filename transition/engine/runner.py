"""Run one job: claim it in the database, take a Moodle slot, run its step, record the outcome.

Claiming is one UPDATE guarded by the job's state, so two workers given the same job (a
message delivered twice, a job resumed by the sweeper) never both run it. The step runs
outside any transaction; its outcome is recorded in one short transaction that also moves the
request to its next job.
"""

from __future__ import annotations

import logging
import threading
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from moodle_client import MoodleClient, MoodleError
from transition.engine.breaker import (
    is_outage,
    platform_answers,
    platform_mark_reachable,
    platform_mark_unreachable,
    platform_next_probe,
    probe_claim,
)
from transition.engine.concurrency import slot_acquire, slot_release, slot_renew
from transition.engine.config import EngineConfig, engine_config
from transition.engine.dispatch import job_priority, jobs_send_on_commit
from transition.engine.errors import PlanMismatch
from transition.engine.planner import (
    job_course_matches_plan,
    request_spec,
    run_after_announcement,
)
from transition.engine.retry import error_code_and_message, retry_decision
from transition.engine.steps import STEPS, StepContext
from transition.models import AuditEvent, Campaign, CourseLock, Job, MoodleInstance
from transition.models import TransitionRequest as Request
from transition.services.audit import audit_record
from transition.services.instances import instance_client

logger = logging.getLogger(__name__)
Status = Job.Status

SKIPPED = "skipped"
SUCCEEDED = "succeeded"
RETRYING = "retrying"
FAILED = "failed"
REQUEUED = "requeued"
LOST = "lost"
PAUSED = "paused"  # the platform is unreachable: the job waits for it, no attempt counted


def claimable(now: Any, config: EngineConfig) -> Q:
    """Jobs a worker may take now: queued and due, or running without a heartbeat (their
    worker died), of a running request (or of none), in a campaign that is not paused."""
    stale = now - timedelta(seconds=config.heartbeat_stale)
    return (
        (Q(status=Status.QUEUED) | Q(status=Status.RUNNING, heartbeat_at__lt=stale))
        & (Q(not_before__isnull=True) | Q(not_before__lte=now))
        & (Q(request__isnull=True) | Q(request__status=Request.Status.RUNNING))
        & ~Q(campaign__status=Campaign.Status.PAUSED)
    )


@lru_cache(maxsize=16)
def _client(pk: int, url: str, token_env_var: str, token_encrypted: str) -> MoodleClient:
    instance = MoodleInstance(
        pk=pk, url=url, token_env_var=token_env_var, token_encrypted=token_encrypted
    )
    return instance_client(instance=instance)


def client_for(instance: MoodleInstance) -> MoodleClient:
    """One client per platform and process, so its HTTP connections are reused."""
    return _client(instance.pk, instance.url, instance.token_env_var, instance.token_encrypted)


class Heartbeat:
    """While a step runs: tells the database the job is alive and renews its Moodle slot."""

    def __init__(self, *, job: Job, worker: str, holder: str, config: EngineConfig) -> None:
        self._job = job
        self._worker = worker
        self._holder = holder
        self._config = config
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._beat, name=f"heartbeat-{job.pk}", daemon=True)

    def __enter__(self) -> Heartbeat:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stop.set()
        self._thread.join(timeout=self._config.heartbeat_interval + 5)

    def _beat(self) -> None:
        try:
            while not self._stop.wait(self._config.heartbeat_interval):
                Job.objects.filter(
                    pk=self._job.pk, status=Status.RUNNING, locked_by=self._worker
                ).update(heartbeat_at=timezone.now())
                slot_renew(
                    instance=self._job.instance, holder=self._holder, lease=self._config.slot_lease
                )
        except Exception:  # a missed beat only makes the sweeper look sooner
            logger.exception("heartbeat of job %s failed", self._job.pk)
        finally:
            connection.close()


def job_run(*, job_id: int, worker: str) -> str:
    """Run job `job_id` if it can be claimed; returns what happened (for logs and tests)."""
    config = engine_config()
    now = timezone.now()
    claimed = Job.objects.filter(claimable(now, config), pk=job_id).update(
        status=Status.RUNNING,
        locked_by=worker,
        heartbeat_at=now,
        updated_at=now,
        attempts=F("attempts") + 1,
        started_at=Coalesce("started_at", Value(now)),
    )
    if claimed != 1:
        return SKIPPED
    job = Job.objects.select_related(
        "request__course__instance",
        "request__campaign",
        "request__plan",
        "course__instance",
        "course__category",
        "instance",
        "campaign",
    ).get(pk=job_id)
    if job.instance.unreachable_since is not None and not probe_claim(
        instance=job.instance, now=now
    ):
        probe_at = platform_next_probe(instance=job.instance) or now
        return _requeue(
            job,
            worker,
            delay=max((probe_at - timezone.now()).total_seconds(), config.slot_poll),
            code=job.last_error_code or "platformdown",
        )
    if job.request_id is None and not _course_hold(job):
        return _requeue(job, worker, delay=config.busy_delay, code="coursebusy")
    holder = f"job-{job.pk}@{worker}"
    if not slot_acquire(
        instance=job.instance,
        holder=holder,
        lease=config.slot_lease,
        wait=config.slot_wait,
        poll=config.slot_poll,
    ):
        _course_release_for(job)
        return _requeue(job, worker, delay=config.slot_poll, code="noslot")
    try:
        spec = request_spec(job.request) if job.request else None
        if spec is not None and not job_course_matches_plan(job=job, spec=spec):
            raise PlanMismatch(
                f"job {job.pk} is on course {job.course.shortname} ({job.instance.name}), "
                "not the course its request's confirmed plan names; nothing was done."
            )
        context = StepContext(
            job=job,
            spec=spec,
            client_for=client_for,
            remember=lambda **values: _remember(job, worker, values),
        )
        with Heartbeat(job=job, worker=worker, holder=holder, config=config):
            result = STEPS[job.kind](context)
    except Exception as error:  # every failure is recorded on the job
        if retry_decision(error=error, attempts=0, max_attempts=1).errorcode == "internalerror":
            logger.exception("job %s (%s) crashed", job.pk, job.kind)
        slot_release(instance=job.instance, holder=holder)
        _course_release_for(job)
        return job_record_failure(job=job, worker=worker, error=error)
    slot_release(instance=job.instance, holder=holder)
    _course_release_for(job)
    return job_record_success(job=job, worker=worker, result=result)


def _remember(job: Job, worker: str, values: dict[str, Any]) -> None:
    """Store at once what must survive a crash in the middle of the step."""
    fields: dict[str, Any] = {}
    if "moodle_operation_id" in values:
        job.moodle_operation_id = values.pop("moodle_operation_id")
        fields["moodle_operation_id"] = job.moodle_operation_id
    if values:
        job.result = {**job.result, **values}
        fields["result"] = job.result
    Job.objects.filter(pk=job.pk, locked_by=worker).update(**fields)


def _course_hold(job: Job) -> bool:
    """A job outside a request (a campaign backup) holds its course while it runs, so that it
    never backs up a course a request is half-way through."""
    try:
        with transaction.atomic():
            CourseLock.objects.create(course_id=job.course_id, job=job)
    except IntegrityError:
        return CourseLock.objects.filter(course_id=job.course_id, job=job).exists()
    return True


def _course_release_for(job: Job) -> None:
    if job.request_id is None:
        CourseLock.objects.filter(job=job).delete()


def _requeue(job: Job, worker: str, *, delay: float, code: str) -> str:
    """Give the job back without counting an attempt: it could not start (no slot, course
    held by a request, its platform unreachable)."""
    now = timezone.now()
    due = now + timedelta(seconds=delay)
    with transaction.atomic():
        given_back = Job.objects.filter(pk=job.pk, status=Status.RUNNING, locked_by=worker).update(
            status=Status.QUEUED,
            attempts=F("attempts") - 1,
            locked_by="",
            heartbeat_at=None,
            not_before=due,
            updated_at=due,
            last_error_code=code,
        )
        if given_back:
            jobs_send_on_commit(
                [job.pk],
                countdown=delay,
                priority=job_priority(position=job.position, attempts=job.attempts - 1),
            )
    return REQUEUED


def _audit(job: Job, outcome: str, details: dict[str, Any]) -> None:
    audit_record(
        action=f"job_{job.kind}",
        outcome=outcome,
        campaign=job.campaign,
        course=job.course,
        request=job.request,
        job=job,
        details={"attempt": job.attempts, "worker": job.locked_by, **details},
    )


def job_record_success(*, job: Job, worker: str, result: dict[str, Any]) -> str:
    now = timezone.now()
    merged = {**job.result, **result}
    with transaction.atomic():
        done = Job.objects.filter(pk=job.pk, status=Status.RUNNING, locked_by=worker).update(
            status=Status.SUCCEEDED,
            result=merged,
            progress=1.0,
            finished_at=now,
            updated_at=now,
            heartbeat_at=None,
            last_error_code="",
            last_error_message="",
        )
        if done != 1:
            return LOST
        platform_mark_reachable(instance=job.instance, now=now)
        job.result = merged
        _audit(job, AuditEvent.Outcome.SUCCESS, {"result": result})
        if job.request_id:
            request_advance(request_id=job.request_id)
    return SUCCEEDED


def job_wait_for_platform(*, job: Job, worker: str, error: BaseException) -> str:
    """Moodle did not answer: the job waits for its platform, without counting an attempt."""
    now = timezone.now()
    errorcode, message = error_code_and_message(error)
    with transaction.atomic():
        probe_at = platform_mark_unreachable(instance=job.instance, error=error, now=now)
        waiting = Job.objects.filter(pk=job.pk, status=Status.RUNNING, locked_by=worker).update(
            status=Status.QUEUED,
            attempts=F("attempts") - 1,
            not_before=probe_at,
            updated_at=now,
            locked_by="",
            heartbeat_at=None,
            last_error_code=errorcode[:100],
            # Moodle's and the network's own words stay with the platform (the dashboard's
            # outage banner) and in the audit log; the job's page, which its teacher reads, only
            # says that the job waits.
            last_error_message="",
        )
        if waiting != 1:
            return LOST
        _audit(
            job,
            AuditEvent.Outcome.FAILURE,
            {"errorcode": errorcode, "message": message, "platform_unreachable": True},
        )
        jobs_send_on_commit([job.pk], countdown=(probe_at - now).total_seconds())
    return PAUSED


def job_record_failure(*, job: Job, worker: str, error: BaseException) -> str:
    # A call that could not reach Moodle pauses the whole platform once Moodle is found not to
    # answer at all; a blip on one call (the site still answers) is an ordinary retry.
    if is_outage(error) and (
        job.instance.unreachable_since is not None or not platform_answers(job.instance)
    ):
        return job_wait_for_platform(job=job, worker=worker, error=error)
    decision = retry_decision(error=error, attempts=job.attempts, max_attempts=job.max_attempts)
    now = timezone.now()
    error_fields = {
        "last_error_code": decision.errorcode[:100],
        "last_error_message": decision.message,
        "locked_by": "",
        "heartbeat_at": None,
    }
    with transaction.atomic():
        if isinstance(error, MoodleError):  # Moodle answered: its platform is reachable
            platform_mark_reachable(instance=job.instance, now=now)
        mine = Job.objects.filter(pk=job.pk, status=Status.RUNNING, locked_by=worker)
        if decision.retry:
            due = now + timedelta(seconds=decision.delay)
            if (
                mine.update(status=Status.QUEUED, not_before=due, updated_at=due, **error_fields)
                != 1
            ):
                return LOST
            _audit(
                job,
                AuditEvent.Outcome.FAILURE,
                {
                    "errorcode": decision.errorcode,
                    "message": decision.message,
                    "retry_in": decision.delay,
                },
            )
            jobs_send_on_commit([job.pk], countdown=decision.delay)
            return RETRYING
        details = getattr(error, "details", None)
        result = {**job.result, "error_details": details} if details else job.result
        if (
            mine.update(
                status=Status.FAILED, finished_at=now, updated_at=now, result=result, **error_fields
            )
            != 1
        ):
            return LOST
        _audit(
            job,
            AuditEvent.Outcome.FAILURE,
            {"errorcode": decision.errorcode, "message": decision.message, "final": True},
        )
        if job.request_id:
            failed = Request.objects.filter(
                pk=job.request_id, status=Request.Status.RUNNING
            ).update(status=Request.Status.FAILED, updated_at=now)
            if failed:
                request = job.request
                assert request is not None
                audit_record(
                    action="request_fail",
                    outcome=AuditEvent.Outcome.FAILURE,
                    campaign=request.campaign,
                    course=request.course,
                    request=request,
                    job=job,
                    details={"errorcode": decision.errorcode, "message": decision.message},
                )
    return FAILED


def request_advance(*, request_id: int) -> None:
    """Queue the request's next job, or finish the request; call inside a transaction."""
    request = (
        Request.objects.select_for_update().select_related("campaign", "course").get(pk=request_id)
    )
    if request.status == Request.Status.CANCELLED:
        CourseLock.objects.filter(request=request).delete()
        return
    if request.status != Request.Status.RUNNING:
        return
    if request.jobs.filter(status__in=[Status.QUEUED, Status.RUNNING]).exists():
        return
    upcoming = request.jobs.filter(status=Status.WAITING).order_by("position").first()
    now = timezone.now()
    if upcoming is None:
        Request.objects.filter(pk=request.pk).update(status=Request.Status.DONE, updated_at=now)
        CourseLock.objects.filter(request=request).delete()
        audit_record(
            action="request_done", campaign=request.campaign, course=request.course, request=request
        )
        return
    not_before = _not_before_after_announcement(request, upcoming)
    Job.objects.filter(pk=upcoming.pk).update(
        status=Status.QUEUED, not_before=not_before, updated_at=now
    )
    if not_before is None or not_before <= now:
        jobs_send_on_commit([upcoming.pk])


def _not_before_after_announcement(request: Request, upcoming: Job) -> datetime | None:
    """The upcoming job's time; right after an announcement, never sooner than the notice the
    students were given, counted from when it was really posted."""
    announced = request.jobs.filter(
        position=upcoming.position - 1, kind=Job.Kind.ANNOUNCEMENT, status=Status.SUCCEEDED
    ).first()
    if announced is None:
        return upcoming.not_before
    return run_after_announcement(
        spec=request_spec(request),
        not_before=upcoming.not_before,
        posted_at=announced.finished_at or timezone.now(),
    )

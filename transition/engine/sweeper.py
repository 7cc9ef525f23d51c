"""Beat: find the jobs nobody is working on and send them again.

A running job whose heartbeat stopped lost its worker (killed, machine gone): it goes back to
the queue and resumes (its Moodle operation is found again by id or key), or fails once it has
used all its attempts. A queued job whose message is older than `requeue_after`, or that became
due since it was queued, is sent again: Redis may have restarted and lost it. Sending a job
twice is harmless, the first worker to claim it runs it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from transition.engine.config import engine_config
from transition.engine.dispatch import Priority, job_priority, jobs_send_on_commit
from transition.models import AuditEvent, Campaign, Job, TransitionRequest
from transition.services.audit import audit_record

Status = Job.Status


@dataclass(frozen=True)
class SweepReport:
    resumed: list[int]
    failed: list[int]
    resent: list[int]


def _active() -> Q:
    return (Q(request__isnull=True) | Q(request__status=TransitionRequest.Status.RUNNING)) & ~Q(
        campaign__status=Campaign.Status.PAUSED
    )


def jobs_sweep() -> SweepReport:
    config = engine_config()
    now = timezone.now()
    stale = now - timedelta(seconds=config.heartbeat_stale)
    resumed: list[int] = []
    failed: list[int] = []
    with transaction.atomic():
        lost = (
            Job.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(status=Status.RUNNING, heartbeat_at__lt=stale)
            .select_related("request", "campaign", "course")
        )
        for job in lost:
            if job.attempts >= job.max_attempts:
                Job.objects.filter(pk=job.pk).update(
                    status=Status.FAILED,
                    finished_at=now,
                    updated_at=now,
                    locked_by="",
                    last_error_code="workerlost",
                    last_error_message="The worker running this job stopped answering, "
                    "on every attempt.",
                )
                if job.request_id:
                    TransitionRequest.objects.filter(
                        pk=job.request_id, status=TransitionRequest.Status.RUNNING
                    ).update(status=TransitionRequest.Status.FAILED, updated_at=now)
                failed.append(job.pk)
                outcome = AuditEvent.Outcome.FAILURE
            else:
                Job.objects.filter(pk=job.pk).update(
                    status=Status.QUEUED,
                    locked_by="",
                    heartbeat_at=None,
                    updated_at=now,
                    last_error_code="workerlost",
                    last_error_message=f"Worker {job.locked_by} stopped answering; resumed.",
                )
                resumed.append(job.pk)
                outcome = AuditEvent.Outcome.SUCCESS
            audit_record(
                action="job_resume" if outcome == AuditEvent.Outcome.SUCCESS else "job_lost",
                outcome=outcome,
                campaign=job.campaign,
                course=job.course,
                request=job.request,
                job=job,
                details={"worker": job.locked_by, "attempts": job.attempts},
            )
        requeue_before = now - timedelta(seconds=config.requeue_after)
        forgotten = (
            Job.objects.filter(status=Status.QUEUED)
            .filter(Q(not_before__isnull=True) | Q(not_before__lte=now))
            .filter(Q(updated_at__lt=requeue_before) | Q(updated_at__lt=F("not_before")))
            .filter(_active())
            .exclude(pk__in=resumed)
        )
        # Each at the priority it was first sent with.
        resent_new: list[int] = []
        resent_under_way: list[int] = []
        for pk, position, attempts in forgotten.values_list("pk", "position", "attempts"):
            if job_priority(position=position, attempts=attempts) == Priority.NEW:
                resent_new.append(pk)
            else:
                resent_under_way.append(pk)
        resent = resent_under_way + resent_new
        Job.objects.filter(pk__in=resent).update(updated_at=now)
        jobs_send_on_commit(resumed + resent_under_way)
        jobs_send_on_commit(resent_new, priority=Priority.NEW)
    return SweepReport(resumed=resumed, failed=failed, resent=resent)

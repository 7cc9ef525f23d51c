"""Retry and cancel jobs from the dashboard, one by one or a whole group of failures.

A job that failed goes back to the queue with its attempts counted afresh; a job that has not
finished can be cancelled (a running one is left to finish its Moodle operation: cancelling it
would leave Moodle half-way). The state changes are claims in the database, so two admins
clicking at once change a job once.
"""

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from transition.errors import InvalidTransition
from transition.models import Campaign, Job, TransitionRequest
from transition.services.audit import audit_record

Status = Job.Status
RETRYABLE = (Status.FAILED, Status.CANCELLED)
CANCELLABLE = (Status.QUEUED, Status.WAITING, Status.FAILED)


def job_retry(*, job_id: int, actor: AbstractBaseUser) -> Job:
    """Queue a failed (or cancelled) job again; its request is running again."""
    with transaction.atomic():
        claimed = Job.objects.filter(pk=job_id, status__in=RETRYABLE).update(
            status=Status.QUEUED,
            attempts=0,
            not_before=None,
            finished_at=None,
            updated_at=timezone.now(),
        )
        job = Job.objects.select_related("request").get(pk=job_id)
        if claimed != 1:
            raise InvalidTransition(job, job.status, Status.QUEUED)
        if job.request is not None:
            TransitionRequest.objects.filter(
                pk=job.request_id,
                status__in=[TransitionRequest.Status.FAILED, TransitionRequest.Status.CANCELLED],
            ).update(status=TransitionRequest.Status.RUNNING, updated_at=timezone.now())
        audit_record(
            action="job_retry",
            actor=actor,
            campaign=job.campaign,
            course=job.course,
            request=job.request,
            job=job,
            details={"errorcode": job.last_error_code},
        )
    return job


def job_cancel(*, job_id: int, actor: AbstractBaseUser) -> Job:
    """Cancel a job that is not running, and the jobs of its request that were to follow it."""
    with transaction.atomic():
        claimed = Job.objects.filter(pk=job_id, status__in=CANCELLABLE).update(
            status=Status.CANCELLED, finished_at=timezone.now(), updated_at=timezone.now()
        )
        job = Job.objects.select_related("request").get(pk=job_id)
        if claimed != 1:
            raise InvalidTransition(job, job.status, Status.CANCELLED)
        if job.request is not None:
            Job.objects.filter(
                request=job.request_id,
                position__gt=job.position,
                status__in=[Status.QUEUED, Status.WAITING],
            ).update(status=Status.CANCELLED, finished_at=timezone.now())
            TransitionRequest.objects.filter(
                pk=job.request_id,
                status__in=[
                    TransitionRequest.Status.FAILED,
                    TransitionRequest.Status.SCHEDULED,
                    TransitionRequest.Status.RUNNING,
                ],
            ).update(status=TransitionRequest.Status.CANCELLED, updated_at=timezone.now())
        audit_record(
            action="job_cancel",
            actor=actor,
            campaign=job.campaign,
            course=job.course,
            request=job.request,
            job=job,
        )
    return job


def failed_job_ids(*, campaign: Campaign, errorcode: str) -> list[int]:
    return list(
        Job.objects.filter(
            campaign=campaign, status=Status.FAILED, last_error_code=errorcode
        ).values_list("pk", flat=True)
    )

"""Celery tasks of the job engine: each takes ids, and calls a service. No retry logic here:
job state and retries live in the database (`runner`, `retry`), and late acknowledgement with
the sweeper make sure a job outlives its worker."""

from __future__ import annotations

import os
import socket

from celery import current_task, shared_task

from transition.engine import breaker, runner, services, sweeper
from transition.models import Campaign


def worker_name() -> str:
    """The worker's node name (`name@host`, hosts told apart when workers run on several)
    and process id."""
    request = current_task.request if current_task else None
    node = getattr(request, "hostname", None) or socket.gethostname()
    return f"{node}:{os.getpid()}"


@shared_task(name="transition.engine.run_job", acks_late=True, reject_on_worker_lost=True)
def run_job(job_id: int) -> str:
    return runner.job_run(job_id=job_id, worker=worker_name())


@shared_task(name="transition.engine.sweep", acks_late=True)
def sweep() -> None:
    sweeper.jobs_sweep()
    breaker.platforms_probe()


@shared_task(name="transition.engine.start_due_requests", acks_late=True)
def start_due_requests() -> int:
    return services.requests_due_enqueue()


@shared_task(name="transition.engine.backup_campaign", acks_late=True)
def backup_campaign(campaign_id: int) -> int:
    campaign = Campaign.objects.get(pk=campaign_id)
    return services.campaign_backup_all(campaign=campaign, actor=None)

"""Sending jobs to the workers. The message carries only the job id; the job's state is in
the database, so a message lost (Redis restarted) or sent twice does no harm: the sweeper sends
it again, and a second copy finds the job already claimed."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from celery import current_app
from django.db import transaction

logger = logging.getLogger(__name__)

RUN_JOB_TASK = "transition.engine.run_job"


def jobs_send(job_ids: Iterable[int], *, countdown: float | None = None) -> None:
    for job_id in job_ids:
        try:
            current_app.send_task(RUN_JOB_TASK, args=[job_id], countdown=countdown or None)
        except Exception as error:  # the broker is down: the sweeper sends it later
            logger.warning("job %s not sent (%s); the sweeper will send it", job_id, error)


def jobs_send_on_commit(job_ids: Iterable[int], *, countdown: float | None = None) -> None:
    ids = list(job_ids)
    if ids:
        transaction.on_commit(lambda: jobs_send(ids, countdown=countdown))

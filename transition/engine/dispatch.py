"""Sending jobs to the workers. The message carries only the job id; the job's state is in
the database, so a message lost (Redis restarted) or sent twice does no harm: the sweeper sends
it again, and a second copy finds the job already claimed.

A job of work under way (a request's next job, a retry, a resumed job) goes ahead of new work
(a request's first job, a campaign backup). Each course then goes from its backup to its reset
and its check without waiting behind the whole campaign: it holds its lock, and its teacher
waits, for the least time; and the short checks that end requests are spread over the campaign
instead of piling up at its end, when the platform's slots would have little else to do.
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Iterable

from celery import current_app
from django.db import transaction

logger = logging.getLogger(__name__)

RUN_JOB_TASK = "transition.engine.run_job"


class Priority(enum.IntEnum):
    """Celery message priorities; with Redis the lowest number is served first (kombu's
    priority steps are 0, 3, 6 and 9). The demo's filesystem broker ignores them."""

    UNDER_WAY = 0
    NEW = 6


def job_priority(*, position: int, attempts: int) -> Priority:
    """A job never tried and first of its request (or alone: a campaign backup) is new work."""
    return Priority.UNDER_WAY if position or attempts else Priority.NEW


def jobs_send(
    job_ids: Iterable[int],
    *,
    countdown: float | None = None,
    priority: Priority = Priority.UNDER_WAY,
) -> None:
    for job_id in job_ids:
        try:
            current_app.send_task(
                RUN_JOB_TASK,
                args=[job_id],
                countdown=countdown or None,
                priority=int(priority),
            )
        except Exception as error:  # the broker is down: the sweeper sends it later
            logger.warning("job %s not sent (%s); the sweeper will send it", job_id, error)


def jobs_send_on_commit(
    job_ids: Iterable[int],
    *,
    countdown: float | None = None,
    priority: Priority = Priority.UNDER_WAY,
) -> None:
    ids = list(job_ids)
    if ids:
        transaction.on_commit(lambda: jobs_send(ids, countdown=countdown, priority=priority))

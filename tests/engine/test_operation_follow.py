"""A running Moodle operation is followed at the pace Moodle reports it: each look waits for
Moodle to say something changed, so the job sees the end when it comes and Moodle is not asked
again and again in between."""

from __future__ import annotations

import logging
import re

import pytest

from moodle_client.standin.passage.operations import passage_state
from tests.engine.conftest import approved_request, reset_spec, run_until_idle
from transition.engine import services
from transition.models import Job, TransitionRequest

pytestmark = pytest.mark.django_db

STANDIN_LOGGER = "moodle_client.standin.server"
LOOK = re.compile(r"wsfunction=local_passage_get_operations(?=[ &])")


def test_a_slow_backup_is_looked_at_once_per_step_moodle_reports(world, caplog) -> None:
    caplog.set_level(logging.DEBUG, logger=STANDIN_LOGGER)
    world.server.faults.set_latency("local_passage_backup_course", 1500)
    course = world.course("CHIM232-2025")
    request = approved_request(world, course, reset_spec(world, course))
    services.request_start(request=request)
    backup = request.jobs.get(kind=Job.Kind.BACKUP)

    run_until_idle(request)

    request.refresh_from_db()
    assert request.status == TransitionRequest.Status.DONE
    backup.refresh_from_db()
    operation = passage_state(world.server.site).operations[backup.moodle_operation_id]
    assert operation.status == "success"
    looks = sum(
        1 for r in caplog.records if r.name == STANDIN_LOGGER and LOOK.search(r.getMessage())
    )
    # Moodle reports the backup's progress in tenths (0.05, then 0.1 … 0.9), then its end:
    # about one look per report, not one per timer tick (a look every 50 ms would be 30).
    assert 1 <= looks <= 14, looks

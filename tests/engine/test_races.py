"""Two starts racing in two threads (two beats, or a beat and an admin's click): the database
lets exactly one through, and the plan is written once."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection

from tests.engine.conftest import approved_request, build_world, reset_spec
from transition.engine import services
from transition.engine.errors import CourseBusy
from transition.errors import InvalidTransition
from transition.models import CourseLock, Job, TransitionRequest


@pytest.mark.django_db(transaction=True)
def test_a_request_started_twice_at_once_runs_once(start_standin: Any) -> None:
    world = build_world(start_standin)
    course = world.course("CHIM232-2025")
    request = approved_request(world, course, reset_spec(world, course))
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def start() -> None:
        barrier.wait()
        try:
            services.request_start(request=TransitionRequest.objects.get(pk=request.pk))
            outcomes.append("started")
        except (InvalidTransition, CourseBusy) as error:
            outcomes.append(type(error).__name__)
        finally:
            connection.close()

    threads = [threading.Thread(target=start) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["InvalidTransition", "started"]
    assert Job.objects.filter(request=request).count() == 3
    assert Job.objects.filter(request=request, status=Job.Status.QUEUED).count() == 1
    assert CourseLock.objects.filter(course=course).count() == 1

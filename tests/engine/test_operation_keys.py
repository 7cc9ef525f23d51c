"""Operation keys never name another installation's work: a portal started on a fresh
database, a staging portal or a restored copy of the database share the Moodle, and none of them
may take an operation it did not ask for as its own, least of all a backup a reset rests on."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from moodle_client.standin.passage.operations import passage_state
from tests.engine.conftest import approved_request, reset_spec, run_until_idle
from transition.engine import services
from transition.models import Backup, Installation, Job, TransitionRequest

pytestmark = pytest.mark.django_db
Status = Job.Status


def backups_in_moodle(world, course) -> list:
    return [
        op
        for op in passage_state(world.server.site).operations.values()
        if op.type == "backup" and op.courseid == course.moodle_id
    ]


def resets_in_moodle(world, course) -> list:
    return [
        op
        for op in passage_state(world.server.site).operations.values()
        if op.type == "reset" and op.courseid == course.moodle_id
    ]


def portal_database_started_afresh(*, next_request_id: int) -> None:
    """What a new portal database on the same Moodle holds: no requests, no jobs, no backups,
    requests numbered from where the old database started, and no installation yet."""
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("TRUNCATE transition_transitionrequest RESTART IDENTITY CASCADE")
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence(%s, 'id'), %s, false)",
            ["transition_transitionrequest", next_request_id],
        )
    Installation.objects.all().delete()


def test_a_new_portal_database_on_the_same_moodle_takes_a_backup_of_its_own(world) -> None:
    course = world.course("CHIM232-2025")
    first = approved_request(world, course, reset_spec(world, course))
    services.request_start(request=first)
    run_until_idle(first)
    first.refresh_from_db()
    assert first.status == TransitionRequest.Status.DONE
    portal_database_started_afresh(next_request_id=first.pk)

    again = approved_request(world, course, reset_spec(world, course))
    services.request_start(request=again)
    run_until_idle(again)

    assert again.pk == first.pk
    again.refresh_from_db()
    assert again.status == TransitionRequest.Status.DONE
    assert len(backups_in_moodle(world, course)) == 2
    assert len(resets_in_moodle(world, course)) == 2
    backup_job = again.jobs.get(kind=Job.Kind.BACKUP)
    newest = max(backups_in_moodle(world, course), key=lambda op: op.id)
    assert backup_job.moodle_operation_id == newest.id
    assert Backup.objects.get(job=backup_job).moodle_contenthash == newest.result["contenthash"]


def test_two_installations_never_send_the_same_key(world) -> None:
    course = world.course("CHIM232-2025")
    first = approved_request(world, course, reset_spec(world, course))
    services.request_start(request=first)
    keys_before = set(first.jobs.values_list("idempotency_key", flat=True))
    portal_database_started_afresh(next_request_id=first.pk)

    again = approved_request(world, course, reset_spec(world, course))
    services.request_start(request=again)

    keys_after = set(again.jobs.values_list("idempotency_key", flat=True))
    assert again.pk == first.pk
    assert len(keys_after) == len(keys_before) and not keys_before & keys_after


def test_a_backup_moodle_took_before_the_job_was_planned_is_refused(world) -> None:
    """A copy of the portal's database restored on another server plans the same request
    again under the same keys; Moodle answers the backup it took 19 minutes earlier."""
    course = world.course("CHIM232-2025")
    request = approved_request(world, course, reset_spec(world, course))
    services.request_start(request=request)
    backup_job = request.jobs.get(kind=Job.Kind.BACKUP)
    earlier = world.client.backup_course(
        course.moodle_id, key=backup_job.idempotency_key, users=True, runinline=True
    )
    with world.server.site.lock:
        passage_state(world.server.site).operations[earlier.id].timecreated -= 19 * 60

    run_until_idle(request)

    backup_job.refresh_from_db()
    assert backup_job.status == Status.FAILED
    assert backup_job.last_error_code == "operationstale"
    assert not Backup.objects.filter(course=course).exists()
    assert resets_in_moodle(world, course) == []

    services.job_retry(job_id=backup_job.pk, actor=world.admin)
    run_until_idle(request)

    request.refresh_from_db()
    assert request.status == TransitionRequest.Status.DONE
    backup = Backup.objects.get(job=backup_job)
    taken = max(backups_in_moodle(world, course), key=lambda op: op.id)
    assert taken.id != earlier.id and backup.moodle_contenthash == taken.result["contenthash"]


def test_a_job_planned_just_now_accepts_its_operation_despite_a_slow_moodle_clock(world) -> None:
    course = world.course("CHIM232-2025")
    request = approved_request(world, course, reset_spec(world, course))
    services.request_start(request=request)
    Job.objects.filter(request=request).update(
        created_at=timezone.now() + datetime.timedelta(seconds=90)
    )

    run_until_idle(request)

    request.refresh_from_db()
    assert request.status == TransitionRequest.Status.DONE

"""The sweeper resumes jobs whose worker died and sends again jobs whose message was lost."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from moodle_client.standin.passage.operations import passage_state
from tests.engine.conftest import approved_request, reset_spec, run_until_idle
from transition.engine import runner, services, sweeper
from transition.engine.planner import request_spec
from transition.engine.steps import backup as backup_step
from transition.engine.steps.context import StepContext
from transition.engine.storage import backup_storage
from transition.models import AuditEvent, Backup, Job, TransitionRequest

pytestmark = pytest.mark.django_db
Status = Job.Status


def test_a_job_whose_worker_died_mid_backup_is_resumed_without_a_second_backup(world) -> None:
    course = world.course("CHIM232-2025")
    request = approved_request(world, course, reset_spec(world, course))
    services.request_start(request=request)
    backup = request.jobs.get(kind=Job.Kind.BACKUP)
    # A worker claimed the job, started the Moodle backup with the job's key, then was killed.
    operation = world.client.backup_course(course.moodle_id, key=backup.idempotency_key, users=True)
    long_ago = timezone.now() - datetime.timedelta(minutes=10)
    Job.objects.filter(pk=backup.pk).update(
        status=Status.RUNNING,
        locked_by="dead-host:123",
        attempts=1,
        heartbeat_at=long_ago,
        moodle_operation_id=operation.id,
    )

    report = sweeper.jobs_sweep()
    run_until_idle(request)

    assert report.resumed == [backup.pk]
    request.refresh_from_db()
    assert request.status == TransitionRequest.Status.DONE
    backups = [
        op for op in passage_state(world.server.site).operations.values() if op.type == "backup"
    ]
    assert [op.id for op in backups] == [operation.id]
    assert AuditEvent.objects.filter(action="job_resume", job=backup).exists()


def test_a_job_that_lost_its_worker_on_every_attempt_fails(world) -> None:
    course = world.course("CHIM232-2025")
    request = approved_request(world, course, reset_spec(world, course))
    services.request_start(request=request)
    backup = request.jobs.get(kind=Job.Kind.BACKUP)
    Job.objects.filter(pk=backup.pk).update(
        status=Status.RUNNING,
        attempts=backup.max_attempts,
        locked_by="dead-host:123",
        heartbeat_at=timezone.now() - datetime.timedelta(hours=1),
    )

    report = sweeper.jobs_sweep()

    assert report.failed == [backup.pk]
    backup.refresh_from_db()
    request.refresh_from_db()
    assert backup.status == Status.FAILED and backup.last_error_code == "workerlost"
    assert request.status == TransitionRequest.Status.FAILED


def test_queued_jobs_whose_message_may_be_lost_are_sent_again(world, settings) -> None:
    course = world.course("CHIM232-2025")
    request = approved_request(world, course, reset_spec(world, course))
    services.request_start(request=request)
    queued = request.jobs.get(status=Status.QUEUED)
    fresh = sweeper.jobs_sweep()
    Job.objects.filter(pk=queued.pk).update(updated_at=timezone.now() - datetime.timedelta(hours=1))

    old = sweeper.jobs_sweep()

    assert fresh.resent == []
    assert old.resent == [queued.pk]
    queued.refresh_from_db()
    assert queued.updated_at > timezone.now() - datetime.timedelta(minutes=1)


def test_paused_campaigns_are_not_swept(world) -> None:
    course = world.course("CHIM232-2025")
    request = approved_request(world, course, reset_spec(world, course))
    services.request_start(request=request)
    services.campaign_pause(campaign=world.campaign, actor=world.admin)
    request.jobs.filter(status=Status.QUEUED).update(
        updated_at=timezone.now() - datetime.timedelta(hours=1)
    )

    assert sweeper.jobs_sweep().resent == []


def test_a_run_thought_dead_that_stores_the_backup_first_leaves_the_resumed_run_done(
    world, monkeypatch
) -> None:
    """A worker only late (not dead) gets its job given to a new run by the sweeper. Both follow
    the same Moodle operation; the late one stores the backup first and has Moodle delete its
    copy. The new run then finds no file in Moodle: it takes the stored backup, and the request
    goes on, instead of failing on a backup that exists."""
    course = world.course("CHIM232-2025")
    request = approved_request(world, course, reset_spec(world, course))
    services.request_start(request=request)
    job = request.jobs.get(kind=Job.Kind.BACKUP)
    real_download = backup_step.backup_download

    def the_late_run_ends_meanwhile(**arguments: Any) -> Any:
        monkeypatch.setattr(backup_step, "backup_download", real_download)
        late = Job.objects.get(pk=job.pk)
        late.attempts -= 1  # the attempt before: its own file name
        backup_step.run(
            StepContext(
                job=late,
                spec=request_spec(request),
                client_for=runner.client_for,
                remember=lambda **values: None,
            )
        )
        return real_download(**arguments)

    monkeypatch.setattr(backup_step, "backup_download", the_late_run_ends_meanwhile)
    assert runner.job_run(job_id=job.pk, worker="resumed:2") == runner.SUCCEEDED
    run_until_idle(request)

    request.refresh_from_db()
    assert request.status == TransitionRequest.Status.DONE, [
        (j.kind, j.status, j.last_error_code) for j in request.jobs.order_by("position")
    ]
    (backup,) = Backup.objects.filter(job=job)
    assert backup.verified_at is not None
    assert backup_storage().exists(backup.storage_name)
    assert Job.objects.get(pk=job.pk).result["backup_id"] == backup.pk

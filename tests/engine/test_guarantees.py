"""The engine's guarantees, each shown failing the way it must: no destructive job without a
verified backup, one request per course, idempotent jobs, transient errors retried and
permanent ones kept, cancel and pause obeyed, every action audited."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from moodle_client.standin.passage.operations import passage_state
from tests.engine.conftest import approved_request, reset_spec, run_until_idle
from tests.factories import CampaignFactory, PolicyFactory
from transition.engine import runner, services
from transition.engine.errors import CourseBusy
from transition.engine.storage import backup_storage
from transition.errors import InvalidTransition
from transition.models import AuditEvent, Backup, CourseLock, Job, TransitionRequest
from transition.request_spec import ArchivePlan, CohortChange, FreshCopy, RequestSpec

pytestmark = pytest.mark.django_db
Status = Job.Status


def operations_of(world, kind: str) -> list:
    return [op for op in passage_state(world.server.site).operations.values() if op.type == kind]


def forum_posts(world, course) -> int:
    inventory = world.client.get_course_inventory(course.moodle_id)
    return sum(
        d.total
        for m in inventory.modules
        if m.modname == "forum"
        for d in m.data
        if d.kind == "posts"
    )


def skip_backup(request: TransitionRequest) -> None:
    """A plan edited by hand: the backup marked done without running, the next job queued."""
    backup = request.jobs.get(kind=Job.Kind.BACKUP)
    backup.status = Status.SUCCEEDED
    backup.save()
    request.jobs.filter(position=backup.position + 1).update(status=Status.QUEUED)


@pytest.mark.parametrize(
    "backup_state", ["none", "other_campaign", "checksum_mismatch", "file_gone"]
)
def test_reset_refuses_without_a_verified_backup_from_this_campaign(world, backup_state) -> None:
    course = world.course("CHIM231-2025")
    request = approved_request(world, course, reset_spec(world, course))
    services.request_start(request=request)
    if backup_state != "none":
        run_until_idle(request, limit=1)  # the real backup
        backup = Backup.objects.get(course=course)
        if backup_state == "other_campaign":
            backup.campaign = CampaignFactory(academic_year="2025-2026", policy=PolicyFactory())
            backup.save()
        elif backup_state == "checksum_mismatch":
            Backup.objects.filter(pk=backup.pk).update(sha1="0" * 40)
        else:
            backup_storage().delete(backup.storage_name)
    else:
        skip_backup(request)
    posts_before = forum_posts(world, course)

    run_until_idle(request)

    reset = request.jobs.get(kind=Job.Kind.RESET)
    assert reset.status == Status.FAILED
    assert reset.last_error_code == "backupmissing"
    assert operations_of(world, "reset") == []
    assert forum_posts(world, course) == posts_before > 0
    request.refresh_from_db()
    assert request.status == TransitionRequest.Status.FAILED


def test_cohort_removal_refuses_without_a_verified_backup(world) -> None:
    course = world.course("CHIM231-2025")
    moodle_course = world.moodle_course("CHIM231-2025")
    sync = world.server.site.enrol_instances_of(moodle_course.id, "cohort")[0]
    spec = RequestSpec(
        scenario="no_change",
        course_moodle_id=course.moodle_id,
        cohort_changes=(CohortChange("remove", "L1CHIM231", enrol_instance_id=sync.id),),
        asap=True,
    )
    request = approved_request(world, course, spec)
    services.request_start(request=request)
    skip_backup(request)

    run_until_idle(request)

    assert request.jobs.get(kind=Job.Kind.COHORT_RESYNC).last_error_code == "backupmissing"
    assert [s.id for s in world.client.list_cohort_syncs(course.moodle_id)] == [sync.id]


def test_archive_refuses_without_a_verified_backup(world) -> None:
    course = world.course("CHIM231-2025")
    spec = RequestSpec(
        scenario="fresh_copy",
        course_moodle_id=course.moodle_id,
        fresh_copy=FreshCopy("CHIM231-2026", "Chimie", ArchivePlan(prefix="ex_", hide=True)),
        asap=True,
    )
    request = approved_request(world, course, spec)
    services.request_start(request=request)
    skip_backup(request)

    run_until_idle(request)

    assert request.jobs.get(kind=Job.Kind.COPY).last_error_code == "backupmissing"
    assert world.client.get_course(course.moodle_id).shortname == "CHIM231-2025"


def test_transient_errors_are_retried_with_growing_delays_then_succeed(world) -> None:
    course = world.course("CHIM232-2025")
    request = approved_request(world, course, reset_spec(world, course))
    world.server.faults.fail_next("local_passage_backup_course", 3, "http503")
    world.server.faults.fail_next("pluginfile", 1, "drop")
    services.request_start(request=request)

    run_until_idle(request)

    request.refresh_from_db()
    assert request.status == TransitionRequest.Status.DONE
    backup = request.jobs.get(kind=Job.Kind.BACKUP)
    assert backup.attempts == 4
    delays = [
        event.details["retry_in"]
        for event in AuditEvent.objects.filter(job=backup, outcome="failure").order_by("pk")
    ]
    assert delays == [0.05, 0.1, 0.2]
    assert len(operations_of(world, "backup")) == 1


def test_moodle_unavailable_up_to_the_limit_fails_the_job_and_an_admin_retry_finishes_it(
    world,
) -> None:
    course = world.course("CHIM232-2025")
    request = approved_request(world, course, reset_spec(world, course))
    world.server.faults.set("local_passage_reset_course", 1.0, "http503")
    services.request_start(request=request)

    run_until_idle(request)

    reset = request.jobs.get(kind=Job.Kind.RESET)
    assert reset.status == Status.FAILED and reset.attempts == reset.max_attempts == 5
    assert reset.last_error_code == "httpstatus503" or reset.last_error_code.startswith("http")
    request.refresh_from_db()
    assert request.status == TransitionRequest.Status.FAILED
    assert CourseLock.objects.filter(course=course, request=request).exists()

    world.server.faults.clear()
    services.job_retry(job_id=reset.pk, actor=world.admin)
    run_until_idle(request)

    request.refresh_from_db()
    assert request.status == TransitionRequest.Status.DONE
    assert len(operations_of(world, "reset")) == 1
    assert AuditEvent.objects.filter(action="job_retry", actor=world.admin, job=reset).exists()


def test_a_permanent_moodle_error_fails_at_once_with_its_code_and_message(world) -> None:
    course = world.course("CHIM232-2025")
    spec = reset_spec(world, course)
    request = approved_request(world, course, spec)
    request.plan.spec = RequestSpec(
        scenario="reuse_reset",
        course_moodle_id=course.moodle_id,
        reset_options={**spec.reset_options, "reset_everything_please": "1"},
        asap=True,
    ).to_json()
    request.plan.save()
    services.request_start(request=request)

    run_until_idle(request)

    reset = request.jobs.get(kind=Job.Kind.RESET)
    assert reset.status == Status.FAILED
    assert reset.attempts == 1
    assert reset.last_error_code == "invalidparameter"
    assert reset.last_error_message
    assert request.jobs.get(kind=Job.Kind.VERIFY).status == Status.WAITING
    failure = AuditEvent.objects.get(job=reset, action="job_reset", outcome="failure")
    assert failure.details["errorcode"] == "invalidparameter"


def test_cancelling_a_failed_request_cancels_its_jobs_and_frees_the_course(world) -> None:
    course = world.course("CHIM232-2025")
    request = approved_request(world, course, reset_spec(world, course))
    world.server.faults.set("local_passage_reset_course", 1.0, "http503")
    services.request_start(request=request)
    run_until_idle(request)
    reset = request.jobs.get(kind=Job.Kind.RESET)

    services.job_cancel(job_id=reset.pk, actor=world.admin)

    request.refresh_from_db()
    assert request.status == TransitionRequest.Status.CANCELLED
    assert set(request.jobs.exclude(kind=Job.Kind.BACKUP).values_list("status", flat=True)) == {
        Status.CANCELLED
    }
    assert not CourseLock.objects.filter(course=course).exists()
    assert AuditEvent.objects.filter(action="request_cancel", actor=world.admin).exists()


def test_a_cancelled_request_stops_before_its_next_job(world) -> None:
    course = world.course("CHIM232-2025")
    request = approved_request(world, course, reset_spec(world, course, grade_export=True))
    services.request_start(request=request)
    run_until_idle(request, limit=2)  # grade export and backup

    services.request_cancel(request=request, actor=world.teacher)
    run_until_idle(request)

    assert operations_of(world, "reset") == []
    assert request.jobs.get(kind=Job.Kind.RESET).status == Status.CANCELLED


def test_two_requests_on_one_course_never_run_at_once(world) -> None:
    course = world.course("CHIM232-2025")
    first = approved_request(world, course, reset_spec(world, course))
    world.server.faults.set("local_passage_reset_course", 1.0, "http503")
    services.request_start(request=first)
    run_until_idle(first)
    first.refresh_from_db()
    assert first.status == TransitionRequest.Status.FAILED  # keeps the course: it may be retried
    world.server.faults.clear()
    second = approved_request(world, course, reset_spec(world, course))

    with pytest.raises(CourseBusy):
        services.request_start(request=second)
    assert services.requests_due_enqueue() == 0

    second.refresh_from_db()
    assert second.status == TransitionRequest.Status.APPROVED
    assert not second.jobs.exclude(status=Status.WAITING).exists()
    services.request_cancel(request=first, actor=world.admin)
    assert services.requests_due_enqueue() == 1
    run_until_idle(second)
    second.refresh_from_db()
    assert second.status == TransitionRequest.Status.DONE


def test_a_retry_after_success_does_nothing_twice(world) -> None:
    course = world.course("CHIM232-2025")
    request = approved_request(world, course, reset_spec(world, course))
    services.request_start(request=request)
    run_until_idle(request)
    operations = len(passage_state(world.server.site).operations)
    backups = Backup.objects.count()

    outcomes = [runner.job_run(job_id=job.pk, worker="late-copy") for job in request.jobs.all()]
    for job in request.jobs.all():
        with pytest.raises(InvalidTransition):
            services.job_retry(job_id=job.pk, actor=world.admin)
    services.requests_due_enqueue()

    assert outcomes == ["skipped"] * request.jobs.count()
    assert len(passage_state(world.server.site).operations) == operations
    assert Backup.objects.count() == backups


def test_a_backup_whose_answer_was_lost_is_found_again_not_taken_twice(world) -> None:
    course = world.course("CHIM232-2025")
    request = approved_request(world, course, reset_spec(world, course))
    world.server.faults.fail_next("local_passage_backup_course", 1, "drop_after")
    world.server.faults.fail_next("local_passage_reset_course", 1, "drop_after")
    services.request_start(request=request)

    run_until_idle(request)

    request.refresh_from_db()
    assert request.status == TransitionRequest.Status.DONE
    assert len(operations_of(world, "backup")) == 1
    assert len(operations_of(world, "reset")) == 1
    assert request.jobs.get(kind=Job.Kind.BACKUP).attempts == 2


def test_a_copy_whose_answer_was_lost_is_reused_not_copied_twice(world) -> None:
    course = world.course("CHIM232-2025")
    spec = RequestSpec(
        scenario="fresh_copy",
        course_moodle_id=course.moodle_id,
        fresh_copy=FreshCopy("CHIM232-2026", "Thermo 2026"),
        cohort_changes=(CohortChange("add", "L1CHIM241"),),
        asap=True,
    )
    request = approved_request(world, course, spec)
    world.server.faults.fail_next("core_course_duplicate_course", 1, "drop_after")
    world.server.faults.fail_next("local_passage_add_cohort_sync", 1, "drop_after")
    services.request_start(request=request)

    run_until_idle(request)

    request.refresh_from_db()
    assert request.status == TransitionRequest.Status.DONE
    copies = [
        c for c in world.server.site.courses.values() if c.shortname.startswith("CHIM232-2026")
    ]
    assert len(copies) == 1
    assert request.jobs.get(kind=Job.Kind.COPY).attempts == 2
    syncs = world.client.list_cohort_syncs(copies[0].id)
    assert [s.cohortidnumber for s in syncs] == ["L1CHIM241"]


def test_a_copy_refuses_a_short_name_taken_by_someone_elses_course(world) -> None:
    course = world.course("CHIM232-2025")
    taken = world.server.site.add_course("CHIM232-2026", "Autre", category=1)
    taken.timecreated -= 86400
    spec = RequestSpec(
        scenario="fresh_copy",
        course_moodle_id=course.moodle_id,
        fresh_copy=FreshCopy("CHIM232-2026", "Thermo 2026"),
        asap=True,
    )
    request = approved_request(world, course, spec)
    services.request_start(request=request)

    run_until_idle(request)

    copy = request.jobs.get(kind=Job.Kind.COPY)
    assert copy.status == Status.FAILED and copy.last_error_code == "shortnametaken"
    assert world.server.site.courses[taken.id].fullname == "Autre"


def test_a_paused_campaign_starts_no_job_until_resumed(world) -> None:
    course = world.course("CHIM232-2025")
    request = approved_request(world, course, reset_spec(world, course))
    services.request_start(request=request)
    services.campaign_pause(campaign=world.campaign, actor=world.admin)

    job = request.jobs.get(status=Status.QUEUED)
    assert runner.job_run(job_id=job.pk, worker="w") == "skipped"
    assert operations_of(world, "backup") == []

    services.campaign_resume(campaign=world.campaign, actor=world.admin)
    run_until_idle(request)
    request.refresh_from_db()
    assert request.status == TransitionRequest.Status.DONE


def test_due_requests_start_at_their_time_and_announcements_days_before(world) -> None:
    from transition.request_spec import Announcement

    later = world.course("CHIM232-2025")
    announced = world.course("PHYS101-2025")
    run_at = timezone.now() + datetime.timedelta(days=5)
    not_yet = approved_request(
        world,
        later,
        RequestSpec(scenario="reuse_reset", course_moodle_id=later.moodle_id),
        run_at=run_at,
    )
    spec = RequestSpec(
        scenario="reuse_reset",
        course_moodle_id=announced.moodle_id,
        announcement=Announcement(
            days_before=7, subject="Réinitialisation", message="<p>Bientôt</p>"
        ),
    )
    early = approved_request(world, announced, spec, run_at=run_at)

    assert services.requests_due_enqueue() == 1
    run_until_idle(early)

    not_yet.refresh_from_db()
    early.refresh_from_db()
    assert not_yet.status == TransitionRequest.Status.APPROVED
    assert early.status == TransitionRequest.Status.RUNNING
    assert early.jobs.get(kind=Job.Kind.ANNOUNCEMENT).status == Status.SUCCEEDED
    waiting = early.jobs.get(kind=Job.Kind.BACKUP)
    # Confirmed five days before its run with a week's notice: the run waits the full week.
    posted = early.jobs.get(kind=Job.Kind.ANNOUNCEMENT).finished_at
    assert waiting.status == Status.QUEUED
    assert waiting.not_before == posted + datetime.timedelta(days=7) > run_at
    assert operations_of(world, "backup") == []
    client = world.client
    news = next(f for f in client.get_forums([announced.moodle_id]) if f.type == "news")
    discussions = client.call("mod_forum_get_forum_discussions", forumid=news.id)["discussions"]
    assert [d["name"] for d in discussions].count("Réinitialisation") == 1


def test_as_soon_as_possible_still_gives_the_students_the_announcements_notice(world) -> None:
    from transition.request_spec import Announcement

    course = world.course("PHYS101-2025")
    spec = RequestSpec(
        scenario="reuse_reset",
        course_moodle_id=course.moodle_id,
        asap=True,
        announcement=Announcement(
            days_before=7, subject="Réinitialisation", message="<p>Dans une semaine</p>"
        ),
    )
    request = approved_request(world, course, spec)

    assert services.requests_due_enqueue() == 1
    run_until_idle(request)

    announcement = request.jobs.get(kind=Job.Kind.ANNOUNCEMENT)
    assert announcement.status == Status.SUCCEEDED
    backup = request.jobs.get(kind=Job.Kind.BACKUP)
    assert backup.status == Status.QUEUED
    # Posted now, the reset comes a week later: not two seconds after the post.
    assert backup.not_before >= announcement.finished_at + datetime.timedelta(days=7)
    assert operations_of(world, "backup") == operations_of(world, "reset") == []


def test_a_confirmation_too_late_for_the_notice_moves_the_run_after_it(world) -> None:
    from transition.engine.planner import request_schedule
    from transition.request_spec import Announcement

    course = world.course("PHYS101-2025")
    spec = RequestSpec(
        scenario="reuse_reset",
        course_moodle_id=course.moodle_id,
        announcement=Announcement(days_before=14, subject="Bientôt", message="<p>…</p>"),
    )
    run_at = timezone.now() + datetime.timedelta(days=3)
    request = approved_request(world, course, spec, run_at=run_at)

    schedule = request_schedule(request, spec)

    assert schedule.announce_at == request.submitted_at
    assert schedule.run_at == request.submitted_at + datetime.timedelta(days=14)

"""A Moodle platform that stops answering mid-campaign: its work pauses as a whole, the
dashboard says so, admins hear it once, and everything finishes once Moodle is back."""

import datetime

from django.core import mail
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from moodle_client.standin.passage.operations import passage_state
from tests.engine.conftest import approved_request, reset_spec, run_until_idle
from transition.engine import runner, services
from transition.engine.breaker import platform_mark_reachable
from transition.models import Job, MoodleInstance, TransitionRequest

COURSES = ("CHIM231-2025", "CHIM232-2025", "PHYS101-2025")


def operations_of(server, kind: str) -> list:
    return [op for op in passage_state(server.site).operations.values() if op.type == kind]


def dashboard_status(world) -> dict:
    client = Client()
    client.force_login(world.admin)
    with translation.override("en"):
        answer = client.get(
            reverse("dashboard:status") + f"?campaign={world.campaign.pk}",
            HTTP_ACCEPT_LANGUAGE="en",
        )
    assert answer.status_code == 200
    return answer.json()


def test_a_platform_down_mid_campaign_pauses_its_work_then_it_all_finishes(
    world, django_capture_on_commit_callbacks
) -> None:
    world.admin.email = "alain.admin@unicaen.example"
    world.admin.save()
    available = {c.shortname for c in world.instance.courses.all()}
    courses = [world.course(name) for name in COURSES if name in available]
    assert len(courses) >= 2
    requests = [approved_request(world, course, reset_spec(world, course)) for course in courses]
    for request in requests:
        services.request_start(request=request)
    # Some work is done, then Moodle stops answering.
    first = Job.objects.filter(status=Job.Status.QUEUED).order_by("pk").first()
    assert runner.job_run(job_id=first.pk, worker="test-worker") == runner.SUCCEEDED
    world.server.stop()

    with django_capture_on_commit_callbacks() as callbacks:
        outcomes = run_until_idle(limit=12)
    # What the breaker does after its transaction commits (the jobs' messages are not sent:
    # this test runs the jobs itself).
    for callback in callbacks:
        if "platform_mark_unreachable" in callback.__qualname__:
            callback()

    assert runner.PAUSED in outcomes
    assert not Job.objects.filter(status=Job.Status.FAILED).exists()
    instance = MoodleInstance.objects.get(pk=world.instance.pk)
    assert instance.unreachable_since is not None
    # No attempt is burnt waiting for the platform, and no network jargon is left on the job
    # for its teacher to read.
    waiting = Job.objects.filter(status=Job.Status.QUEUED)
    assert all(job.attempts == 0 for job in waiting)
    assert not any("HTTPConnectionPool" in job.last_error_message for job in waiting)
    status = dashboard_status(world)
    assert [outage["name"] for outage in status["outages"]] == ["ecampus"]
    assert "unreachable since" in status["outages"][0]["message"]
    assert status["retrying"] >= 1
    assert status["retrying_jobs"][0]["cause"] == "connection refused"
    assert "(connection refused)" in status["outages"][0]["message"]
    assert status["estimated_finish"] is None
    assert status["estimated_finish_label"] == "Unknown while a platform does not answer"
    # Admins are told once, in their language, however many jobs met the dead platform.
    told = [m for m in mail.outbox if "ne répond pas" in m.subject]
    assert len(told) == 1 and told[0].to == ["alain.admin@unicaen.example"]

    world.server = world.server.restart()
    run_until_idle(limit=200)

    for request in requests:
        request.refresh_from_db()
        assert request.status == TransitionRequest.Status.DONE
    assert not Job.objects.filter(status=Job.Status.FAILED).exists()
    instance.refresh_from_db()
    assert instance.unreachable_since is None
    # Nothing ran twice: one backup and one reset per course in Moodle.
    assert len(operations_of(world.server, "backup")) == len(courses)
    assert len(operations_of(world.server, "reset")) == len(courses)
    status = dashboard_status(world)
    assert status["outages"] == [] and status["retrying"] == 0
    assert len([m for m in mail.outbox if "ne répond pas" in m.subject]) == 1


def test_one_dropped_call_while_moodle_answers_is_an_ordinary_retry(world) -> None:
    course = world.course("CHIM232-2025")
    request = approved_request(world, course, reset_spec(world, course))
    world.server.faults.fail_next("local_passage_backup_course", 1, "drop")
    services.request_start(request=request)

    outcomes = run_until_idle(request)

    assert outcomes[0] == runner.RETRYING
    assert runner.PAUSED not in outcomes
    assert MoodleInstance.objects.get(pk=world.instance.pk).unreachable_since is None
    request.refresh_from_db()
    assert request.status == TransitionRequest.Status.DONE
    assert not [m for m in mail.outbox if "ne répond pas" in m.subject]


def test_a_platform_with_no_job_left_is_tried_by_the_beat_and_shown_back(world) -> None:
    from django.utils import timezone

    from transition.engine.breaker import platforms_probe

    MoodleInstance.objects.filter(pk=world.instance.pk).update(
        unreachable_since=timezone.now(),
        unreachable_error="connectionrefused: cannot reach Moodle",
        next_probe_at=timezone.now(),
    )
    world.server.stop()
    assert platforms_probe() == []
    assert MoodleInstance.objects.get(pk=world.instance.pk).unreachable_since is not None

    world.server = world.server.restart()
    MoodleInstance.objects.filter(pk=world.instance.pk).update(next_probe_at=timezone.now())
    assert platforms_probe() == ["ecampus"]
    assert MoodleInstance.objects.get(pk=world.instance.pk).unreachable_since is None


def test_moodle_back_wakes_the_paused_jobs_but_not_a_reset_waiting_out_its_notice(
    world,
) -> None:
    paused_course, announced_course = world.course("CHIM231-2025"), world.course("CHIM232-2025")
    paused = approved_request(world, paused_course, reset_spec(world, paused_course))
    announced = approved_request(world, announced_course, reset_spec(world, announced_course))
    for request in (paused, announced):
        services.request_start(request=request)
    # The announced course's reset waits a week after its announcement.
    notice_end = timezone.now() + datetime.timedelta(days=7)
    announced.jobs.filter(status=Job.Status.QUEUED).update(not_before=notice_end)
    world.server.stop()
    paused_job = paused.jobs.get(status=Job.Status.QUEUED)
    assert runner.job_run(job_id=paused_job.pk, worker="test-worker") == runner.PAUSED

    world.server = world.server.restart()
    instance = MoodleInstance.objects.get(pk=world.instance.pk)
    with transaction.atomic():
        assert platform_mark_reachable(instance=instance)

    paused_job.refresh_from_db()
    assert paused_job.not_before <= timezone.now()
    waiting = announced.jobs.get(status=Job.Status.QUEUED)
    assert waiting.not_before == notice_end

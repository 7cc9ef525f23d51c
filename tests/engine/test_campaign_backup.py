"""Backup week: every course of the campaign is backed up, not only those with a request."""

from __future__ import annotations

import pytest

from tests.engine.conftest import approved_request, reset_spec, run_until_idle
from transition.engine import services
from transition.models import AuditEvent, Backup, Course, CourseLock, Job

pytestmark = pytest.mark.django_db


def test_backup_all_backs_up_every_course_but_the_excluded_categories(world) -> None:
    excluded = Course.objects.get(instance=world.instance, shortname="TUTO-CHIM").category
    world.campaign.excluded_categories.add(excluded)

    queued = services.campaign_backup_all(campaign=world.campaign, actor=world.admin)
    again = services.campaign_backup_all(campaign=world.campaign, actor=world.admin)
    run_until_idle()

    covered = Course.objects.filter(instance=world.instance).exclude(category=excluded)
    assert queued == again == covered.count() == 5
    backed_up = set(
        Backup.objects.filter(campaign=world.campaign, verified_at__isnull=False).values_list(
            "course__shortname", flat=True
        )
    )
    assert backed_up == set(covered.values_list("shortname", flat=True))
    assert Job.objects.filter(kind=Job.Kind.BACKUP, request=None).count() == 5
    assert not CourseLock.objects.exists()
    assert AuditEvent.objects.filter(action="campaign_backup_all", actor=world.admin).count() == 2


def test_a_campaign_backup_waits_while_a_request_holds_the_course(world) -> None:
    course = world.course("CHIM232-2025")
    request = approved_request(world, course, reset_spec(world, course))
    services.request_start(request=request)
    services.campaign_backup_all(campaign=world.campaign, actor=world.admin, courses=[course])
    campaign_job = Job.objects.get(request=None, course=course)

    from transition.engine import runner

    assert runner.job_run(job_id=campaign_job.pk, worker="w") == "requeued"
    campaign_job.refresh_from_db()
    assert campaign_job.status == Job.Status.QUEUED and campaign_job.last_error_code == "coursebusy"
    assert campaign_job.attempts == 0

    run_until_idle(request)
    run_until_idle()
    campaign_job.refresh_from_db()
    assert campaign_job.status == Job.Status.SUCCEEDED


def test_only_admins_back_up_a_campaign(world) -> None:
    from transition.errors import NotAllowed

    with pytest.raises(NotAllowed):
        services.campaign_backup_all(campaign=world.campaign, actor=world.teacher)

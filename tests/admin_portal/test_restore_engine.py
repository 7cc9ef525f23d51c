"""A restore on request carried out by the job engine against the stand-in, end to end."""

from django.test import Client
from django.urls import reverse

from tests.engine.conftest import World, engine_settings, run_until_idle, world  # noqa: F401
from transition.engine import services as engine
from transition.models import Backup, Job, TransitionRequest


def test_the_backup_week_backup_is_restored_into_a_new_course(world: World) -> None:  # noqa: F811
    course = world.course("CHIM231-2025")
    engine.campaign_backup_all(campaign=world.campaign, actor=world.admin, courses=[course])
    run_until_idle()
    backup = Backup.objects.get(course=course, campaign=world.campaign, verified_at__isnull=False)

    client = Client()
    client.force_login(world.admin)
    client.post(
        reverse("admin_portal:restore_confirm", args=[backup.pk]),
        {
            "new_shortname": "CHIM231-R",
            "new_fullname": "Chimie générale (restaurée)",
            "new_category": course.category.pk,
            "mode": "delete",
            "campaign": world.campaign.pk,
            "acknowledge": "on",
        },
    )
    request = TransitionRequest.objects.get(course__shortname="CHIM231-R")
    engine.request_start(request=request)
    outcomes = run_until_idle(request)
    request.refresh_from_db()
    jobs = [(j.kind, j.status, j.last_error_code) for j in request.jobs.order_by("position")]
    assert request.status == TransitionRequest.Status.DONE, (outcomes, jobs)
    restore = request.jobs.get(kind=Job.Kind.RESTORE)
    assert restore.result["source_backup_id"] == backup.pk

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


def test_a_course_reset_by_mistake_comes_back_with_its_user_data_as_reviewed(
    world: World,  # noqa: F811
) -> None:
    # Seed 001: a course "malencontreusement réinitialisé" is restored on request. Its backup
    # week backup holds the students' work; the admin asks for it back, user data included.
    course = world.course("CHIM231-2025")
    engine.campaign_backup_all(campaign=world.campaign, actor=world.admin, courses=[course])
    run_until_idle()
    backup = Backup.objects.get(course=course, campaign=world.campaign, verified_at__isnull=False)
    posts_then = _student_posts(world.client.get_course_inventory(course.moodle_id))
    assert posts_then and backup.inventory

    client = Client()
    client.force_login(world.admin)
    choice = {
        "new_shortname": "CHIM231-R",
        "new_fullname": "Chimie générale (restaurée)",
        "new_category": course.category.pk,
        "mode": "delete",
        "users": "1",
        "campaign": world.campaign.pk,
    }
    page = client.get(reverse("admin_portal:restore_prepare", args=[backup.pk]), choice)
    review = page.context["review"]
    reviewed_posts = sum(
        r.students for r in review.rows if r.kind == "posts" and r.note == "restore_user_data"
    )
    assert reviewed_posts == posts_then
    client.post(
        reverse("admin_portal:restore_confirm", args=[backup.pk]), {**choice, "acknowledge": "on"}
    )
    request = TransitionRequest.objects.get(course__shortname="CHIM231-R")
    assert request.plan.as_spec().restore.users
    engine.request_start(request=request)
    run_until_idle(request)

    request.refresh_from_db()
    assert request.status == TransitionRequest.Status.DONE, list(
        request.jobs.values_list("kind", "status", "last_error_message")
    )
    restored = world.client.get_course_inventory(request.course.moodle_id)
    assert _student_posts(restored) == posts_then
    assert any(r.archetype == "student" and r.users for r in restored.roles)


def _student_posts(inventory) -> int:
    return sum(
        d.students
        for m in inventory.modules
        if m.modname == "forum"
        for d in m.data
        if d.kind == "posts"
    )

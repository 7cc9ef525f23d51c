"""Campaign operations carried out by the job engine against the stand-in, end to end."""

import pytest
from django.db.models import F

from tests.admin_portal.conftest import APOGEE_2026
from tests.engine.conftest import World, engine_settings, run_until_idle, world  # noqa: F401
from transition.admin_portal import operations
from transition.engine import services as engine
from transition.models import Backup, Category, Course, Job, TransitionRequest
from transition.services.cohorts import cohorts_import_apogee
from transition.services.policies import policy_create_caen_default


@pytest.fixture(autouse=True)
def caen_policy(world: World) -> None:  # noqa: F811
    world.campaign.policy = policy_create_caen_default()
    world.campaign.save()


def test_the_backup_week_backs_up_every_course(world: World) -> None:  # noqa: F811
    preview = operations.backup_week_preview(campaign=world.campaign)
    queued = operations.backup_week_run(campaign=world.campaign, actor=world.admin)
    run_until_idle()
    assert queued == preview.count
    verified = Backup.objects.filter(campaign=world.campaign, verified_at__isnull=False)
    assert verified.count() == preview.count
    assert operations.backup_week_preview(campaign=world.campaign).count == 0


def test_the_archive_renames_moves_and_resets_the_course_that_left(world: World) -> None:  # noqa: F811
    Course.objects.filter(instance=world.instance).update(curriculum_code=F("idnumber"))
    cohorts_import_apogee(instance=world.instance, data=APOGEE_2026)
    archives_in_moodle = world.server.site.add_category("Archives")
    world.campaign.archive_category = Category.objects.create(
        instance=world.instance, moodle_id=archives_in_moodle.id, name="Archives"
    )
    world.campaign.save()

    assert operations.archive_run(campaign=world.campaign, actor=world.admin) == 1
    request = TransitionRequest.objects.get(course__shortname="BIO101-2025")
    engine.request_start(request=request)
    run_until_idle(request)

    request.refresh_from_db()
    jobs = [
        (j.kind, j.status, j.last_error_code, j.last_error_message)
        for j in request.jobs.order_by("position")
    ]
    assert request.status == TransitionRequest.Status.DONE, jobs
    biology = world.moodle_course("ex_BIO101-2025")
    assert biology.category == archives_in_moodle.id
    assert biology.fullname.startswith("ex_")
    assert request.jobs.filter(kind=Job.Kind.RESET, status=Job.Status.SUCCEEDED).exists()


def test_the_default_transition_resets_a_course_nobody_chose_for(world: World) -> None:  # noqa: F811
    created = operations.default_transition_run(campaign=world.campaign, actor=world.admin)
    assert created == Course.objects.filter(instance=world.instance).count()
    request = TransitionRequest.objects.get(course__shortname="CHIM232-2025")
    engine.request_start(request=request)
    run_until_idle(request)
    request.refresh_from_db()
    jobs = [
        (j.kind, j.status, j.last_error_code, j.last_error_message)
        for j in request.jobs.order_by("position")
    ]
    assert request.status == TransitionRequest.Status.DONE, jobs

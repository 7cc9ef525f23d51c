"""Restore on request from a stored backup, reviewed against the stand-in before it is queued."""

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.admin_portal.conftest import Synced
from tests.factories import BackupFactory
from transition.engine.planner import request_plan_jobs
from transition.models import AuditEvent, Job, TransitionRequest
from transition.request_spec import RequestSpec


def admin(synced: Synced) -> Client:
    client = Client()
    client.force_login(synced.admin)
    return client


def stored_backup(synced: Synced, shortname: str = "CHIM231-2025"):
    return BackupFactory(
        course=synced.course(shortname),
        campaign=synced.campaign,
        verified_at=timezone.now(),
        storage_name=f"backups/{shortname}.mbz",
    )


def test_backups_are_found_by_the_course_code(synced: Synced) -> None:
    backup = stored_backup(synced)
    stored_backup(synced, "BIO101-2025")
    html = admin(synced).get(reverse("admin_portal:restore_search"), {"q": "chim231"}).content
    assert f'data-testid="backup-{backup.pk}"'.encode() in html
    assert b"BIO101-2025" not in html


def test_restore_into_an_empty_course_is_reviewed_then_queued_with_its_safety_backup(
    synced: Synced,
) -> None:
    backup = stored_backup(synced)
    target = synced.course("CHIM241-2026")  # empty but for its news forum
    client = admin(synced)
    choice = {"target": target.pk, "mode": "delete", "campaign": synced.campaign.pk}

    page = client.get(reverse("admin_portal:restore_prepare", args=[backup.pk]), choice)

    assert page.status_code == 200
    review = page.context["review"]
    assert review is not None and review.shortname == "CHIM241-2026"
    assert not review.blocked, [w.code for w in review.warnings]
    assert 'data-testid="review-CHIM241-2026"' in page.content.decode()
    assert not TransitionRequest.objects.exists()  # nothing before the confirmation

    client.post(reverse("admin_portal:restore_confirm", args=[backup.pk]), choice)
    assert not TransitionRequest.objects.exists()  # not acknowledged
    response = client.post(
        reverse("admin_portal:restore_confirm", args=[backup.pk]), {**choice, "acknowledge": "on"}
    )
    assert response.status_code == 302
    request = TransitionRequest.objects.get(course=target)
    assert request.status == TransitionRequest.Status.APPROVED
    assert request.scenario == TransitionRequest.Scenario.RESTORE_PREVIOUS
    assert request.source_course == backup.course
    assert request.review_snapshot["shortname"] == "CHIM241-2026"
    spec = RequestSpec.from_json(request.plan.spec)
    assert spec.restore is not None and spec.restore.mode == "delete"
    assert spec.restore.backup_id == backup.pk
    jobs = request_plan_jobs(request=request)
    # The target is backed up as it is now, then the stored file goes back in: no fresh backup
    # of the source is taken.
    assert [(job.kind, job.course) for job in jobs] == [
        (Job.Kind.BACKUP, target),
        (Job.Kind.RESTORE, target),
        (Job.Kind.VERIFY, target),
    ]
    assert AuditEvent.objects.filter(action="restore_on_request", request=request).exists()


def test_a_course_with_a_request_in_progress_is_not_restored_over_it(synced: Synced) -> None:
    backup = stored_backup(synced)
    target = synced.course("CHIM231-2025")
    TransitionRequest.objects.create(
        campaign=synced.campaign,
        course=target,
        requested_by=synced.admin,
        scenario=TransitionRequest.Scenario.REUSE_RESET,
        status=TransitionRequest.Status.RUNNING,
    )
    choice = {"target": target.pk, "mode": "delete", "campaign": synced.campaign.pk}
    admin(synced).post(
        reverse("admin_portal:restore_confirm", args=[backup.pk]), {**choice, "acknowledge": "on"}
    )
    assert TransitionRequest.objects.filter(course=target).count() == 1


def test_a_course_holding_content_is_not_restored_into_seed_003(synced: Synced) -> None:
    """ "Ne jamais restaurer dans un cours qui contient déjà du contenu": the review blocks."""
    backup = stored_backup(synced)
    target = synced.course("CHIM231-2025")
    choice = {"target": target.pk, "mode": "delete", "campaign": synced.campaign.pk}
    client = admin(synced)
    page = client.get(reverse("admin_portal:restore_prepare", args=[backup.pk]), choice)
    assert page.context["review"].blocked
    assert 'data-testid="restore-confirm"' not in page.content.decode()
    client.post(
        reverse("admin_portal:restore_confirm", args=[backup.pk]), {**choice, "acknowledge": "on"}
    )
    assert not TransitionRequest.objects.exists()


def test_restore_into_a_new_course_creates_it_in_moodle_then_queues_the_restore(
    synced: Synced,
) -> None:
    backup = stored_backup(synced)
    chimie = synced.course("CHIM231-2025").category
    choice = {
        "new_shortname": "CHIM231-RESTAURE",
        "new_fullname": "Chimie générale (restauration)",
        "new_category": chimie.pk,
        "mode": "delete",
        "campaign": synced.campaign.pk,
    }
    client = admin(synced)
    page = client.get(reverse("admin_portal:restore_prepare", args=[backup.pk]), choice)
    assert 'data-testid="restore-new-course"' in page.content.decode()
    assert not any(c.shortname == "CHIM231-RESTAURE" for c in synced.server.site.courses.values())

    client.post(
        reverse("admin_portal:restore_confirm", args=[backup.pk]), {**choice, "acknowledge": "on"}
    )

    in_moodle = [
        c for c in synced.server.site.courses.values() if c.shortname == "CHIM231-RESTAURE"
    ]
    assert len(in_moodle) == 1 and in_moodle[0].category == chimie.moodle_id
    target = synced.course("CHIM231-RESTAURE")
    assert target.moodle_id == in_moodle[0].id
    request = TransitionRequest.objects.get(course=target)
    assert request.source_course == backup.course
    assert RequestSpec.from_json(request.plan.spec).restore.backup_id == backup.pk


def test_a_choice_of_both_a_course_and_a_new_one_is_refused(synced: Synced) -> None:
    backup = stored_backup(synced)
    page = admin(synced).get(
        reverse("admin_portal:restore_prepare", args=[backup.pk]),
        {
            "target": synced.course("CHIM241-2026").pk,
            "new_shortname": "X",
            "mode": "delete",
            "campaign": synced.campaign.pk,
        },
    )
    assert page.context["form"].errors
    assert page.context["confirm"] is None

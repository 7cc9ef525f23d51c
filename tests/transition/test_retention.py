"""Backups kept per campaign retention, purged with an audit event per file, never while a
restore needs them; the admins' preview page."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from tests.factories import (
    BackupFactory,
    CampaignFactory,
    JobFactory,
    TransitionRequestFactory,
    UserFactory,
)
from transition.engine.storage import backup_storage
from transition.models import AuditEvent, Backup, Job, RequestPlan, TransitionRequest
from transition.services.retention import backups_due_for_purge, backups_purge

pytestmark = [pytest.mark.django_db, pytest.mark.retention]


@pytest.fixture(params=["local", pytest.param("s3", marks=pytest.mark.object_storage)])
def store(request: Any, settings: Any, tmp_path: Any) -> str:
    if request.param == "s3":
        request.getfixturevalue("s3_backups")
    else:
        settings.STORAGES = {
            **settings.STORAGES,
            "backups": {
                "BACKEND": "django.core.files.storage.FileSystemStorage",
                "OPTIONS": {"location": tmp_path / "backups"},
            },
        }
    return str(request.param)


def stored_backup(*, days_ago: int, retention: int = 400, **fields: Any) -> Backup:
    campaign = fields.pop("campaign", None) or CampaignFactory(backup_retention_days=retention)
    backup = BackupFactory(
        campaign=campaign, verified_at=timezone.now() - datetime.timedelta(days=days_ago), **fields
    )
    backup_storage().save(backup.storage_name, ContentFile(b"mbz" * 100))
    return backup


def test_a_backup_past_its_campaigns_retention_is_purged_with_an_audit_event(store) -> None:
    old = stored_backup(days_ago=401)
    young = stored_backup(days_ago=399)
    short = stored_backup(days_ago=31, retention=30)
    admin = UserFactory(roles=["admin"])

    assert set(backups_due_for_purge()) == {old, short}
    summary = backups_purge(actor=admin)

    assert summary.files == 2
    for backup in (old, short):
        backup.refresh_from_db()
        assert backup.purged_at is not None
        assert not backup_storage().exists(backup.storage_name)
        event = AuditEvent.objects.get(action="backup_purged", course=backup.course)
        assert event.details["backup"] == backup.storage_name and event.actor == admin
    assert backup_storage().exists(young.storage_name)
    # Run again: nothing more to delete, no second event.
    assert backups_purge().files == 0
    assert AuditEvent.objects.filter(action="backup_purged").count() == 2


def test_a_backup_a_pending_or_recent_restore_needs_is_never_purged(store) -> None:
    named = stored_backup(days_ago=500)
    source = stored_backup(days_ago=500)
    recent = stored_backup(days_ago=500)
    long_ago = stored_backup(days_ago=500)
    # An admin's restore naming a stored backup, approved but not run yet.
    pending = TransitionRequestFactory(
        scenario=TransitionRequest.Scenario.RESTORE_PREVIOUS,
        status=TransitionRequest.Status.APPROVED,
        source_course=named.course,
    )
    RequestPlan.objects.create(request=pending, spec={"restore": {"backup_id": named.pk}})
    # Last year's course restore under way: the backup of its source course may be reused.
    TransitionRequestFactory(
        scenario=TransitionRequest.Scenario.RESTORE_PREVIOUS,
        status=TransitionRequest.Status.RUNNING,
        source_course=source.course,
    )
    # Restores done 10 and 40 days ago.
    for backup, days in ((recent, 10), (long_ago, 40)):
        done = TransitionRequestFactory(
            scenario=TransitionRequest.Scenario.RESTORE_PREVIOUS,
            status=TransitionRequest.Status.DONE,
            source_course=backup.course,
        )
        RequestPlan.objects.create(request=done, spec={"restore": {"backup_id": backup.pk}})
        JobFactory(
            request=done,
            kind=Job.Kind.RESTORE,
            status=Job.Status.SUCCEEDED,
            finished_at=timezone.now() - datetime.timedelta(days=days),
        )

    assert list(backups_due_for_purge()) == [long_ago]
    backups_purge()
    for backup in (named, source, recent):
        assert backup_storage().exists(backup.storage_name)
    assert not backup_storage().exists(long_ago.storage_name)


def test_the_preview_lists_what_the_purge_would_delete_and_purges_on_request(client, store) -> None:
    old = stored_backup(days_ago=401)
    young = stored_backup(days_ago=10)
    client.force_login(UserFactory(roles=["admin"]))

    page = client.get("/admin-portal/backups/retention/")

    assert page.status_code == 200
    body = page.content.decode()
    assert old.course.shortname in body and young.course.shortname not in body
    answer = client.post("/admin-portal/backups/retention/", follow=True)
    assert answer.status_code == 200
    old.refresh_from_db()
    assert old.purged_at is not None and not backup_storage().exists(old.storage_name)


def test_only_admins_see_the_retention_preview(client) -> None:
    client.force_login(UserFactory(roles=["engineer"]))
    assert client.get("/admin-portal/backups/retention/").status_code == 403

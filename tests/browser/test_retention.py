"""The backup retention page in Debian's Chromium, in French: what the next purge deletes,
then the purge run from it."""

from __future__ import annotations

import datetime
import os
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from tests.browser import test_dashboard
from tests.factories import BackupFactory, CampaignFactory, UserFactory
from transition.engine.storage import backup_storage
from transition.models import AuditEvent, Backup

pytestmark = [pytest.mark.browser, pytest.mark.retention]
SCREENSHOTS = Path(os.environ.get("PASSAGE_SCREENSHOTS", "/tmp"))


def test_an_admin_previews_and_runs_the_purge_in_french(
    transactional_db: None, live_server: Any, browser: Any, settings: Any, tmp_path: Path
) -> None:
    settings.STORAGES = {
        **settings.STORAGES,
        "backups": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "backups"},
        },
    }
    UserFactory(username="alain.admin", roles=["admin"])
    campaign = CampaignFactory(academic_year="2024-2025", backup_retention_days=400)
    old = BackupFactory(
        campaign=campaign,
        verified_at=timezone.now() - datetime.timedelta(days=420),
        size=734_003_200,
    )
    BackupFactory(campaign=campaign, verified_at=timezone.now() - datetime.timedelta(days=30))
    backup_storage().save(old.storage_name, ContentFile(b"mbz"))

    page = browser.new_context(locale="fr-FR").new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "alain.admin")
    page.fill("input[name=password]", test_dashboard.PASSWORD)
    page.click("button[type=submit], input[type=submit]")
    page.goto(f"{live_server.url}/admin-portal/backups/retention/")

    summary = page.get_by_test_id("retention-summary")
    assert "1 fichier de sauvegarde serait supprimé maintenant (700,0\u00a0Mio)" in (
        summary.inner_text()
    )
    rows = page.get_by_test_id("retention-due").locator("tbody tr")
    assert rows.count() == 1 and old.course.shortname in rows.inner_text()
    page.screenshot(path=str(SCREENSHOTS / "storage-retention-preview.png"), full_page=True)

    page.get_by_role("button", name="Supprimer ces sauvegardes maintenant").click()

    assert "1 fichier de sauvegarde supprimé (700,0\u00a0Mio)." in page.inner_text("body")
    assert "Aucune sauvegarde n\u2019a dépassé sa durée de conservation." in (
        page.get_by_test_id("retention-summary").inner_text()
    )
    page.screenshot(path=str(SCREENSHOTS / "storage-retention-done.png"), full_page=True)
    assert Backup.objects.get(pk=old.pk).purged_at is not None
    assert AuditEvent.objects.filter(action="backup_purged").count() == 1

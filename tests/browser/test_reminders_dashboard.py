"""The dashboard's count of courses still without a choice, per faculty, in Chromium: an admin
sees it and reminds their teachers at once."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.factories import UserFactory
from tests.reminders.conftest import school  # noqa: F401 - the fixture

pytestmark = [pytest.mark.browser, pytest.mark.reminders]

SCREENSHOTS = os.environ.get("PASSAGE_SCREENSHOTS", "")


def test_an_admin_sees_the_courses_without_a_choice_and_reminds_their_teachers(
    transactional_db,
    live_server,
    browser,
    school,  # noqa: F811 - the fixture imported above
):
    admin = UserFactory(username="alain.admin", roles=["admin"])
    admin.set_password("admin-password-2026")
    admin.save()
    context = browser.new_context(locale="fr-FR")
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "alain.admin")
    page.fill("input[name=password]", "admin-password-2026")
    page.click("button[type=submit], input[type=submit]")
    page.goto(f"{live_server.url}/dashboard/?campaign={school.campaign.pk}")

    panel = page.locator("[data-testid=without-choice]")
    assert panel.locator("[data-testid=without-choice-total]").inner_text() == "3"
    rows = {
        row.get_attribute("data-faculty"): row.locator("[data-col=courses]").inner_text()
        for row in panel.locator("tr[data-faculty]").all()
    }
    assert rows == {"UFR des Sciences": "2", "UFR des Humanités": "1"}
    assert "14 puis 3 jours avant la fermeture des choix" in panel.inner_text()
    if SCREENSHOTS:
        panel.screenshot(path=str(Path(SCREENSHOTS) / "reminders-dashboard.png"))
    page.click("[data-testid=send-reminder-now]")
    assert "La relance part vers chaque enseignant" in page.locator("body").inner_text()
    context.close()

"""The admin follows a campaign in Chromium, in French, while the Moodle stand-in is stopped and
started again: the dashboard says the platform is unreachable within a minute, then recovers,
and the campaign ends with nothing failed and nothing run twice."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import override_settings

from moodle_client.standin.passage.operations import passage_state
from tests.engine.conftest import (
    FAST_ENGINE,
    World,
    approved_request,
    mirror,
    reset_spec,
    run_until_idle,
    slots_clear,
)
from tests.factories import CampaignFactory, PolicyFactory, UserFactory
from transition.engine import runner, services
from transition.models import Job, MoodleInstance, TransitionRequest

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery staple"
SCREENSHOTS = Path(os.environ.get("PASSAGE_SCREENSHOTS", "/tmp/passage-screenshots"))


@pytest.fixture
def world(transactional_db: None, start_standin: Any, tmp_path: Path) -> Iterator[World]:
    engine = {**FAST_ENGINE, "outage_probe_interval": 0.5}
    with override_settings(
        ENGINE=engine,
        MOODLE_TIMEOUT=3,
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
            "backups": {
                "BACKEND": "django.core.files.storage.FileSystemStorage",
                "OPTIONS": {"location": tmp_path / "backups"},
            },
        },
    ):
        runner._client.cache_clear()
        slots_clear()
        server = start_standin("small")
        admin = UserFactory(username="alain.admin", roles=["admin"])
        admin.set_password(PASSWORD)
        admin.save()
        yield World(
            server=server,
            instance=mirror(server, name="ecampus", role=MoodleInstance.Role.CURRENT),
            campaign=CampaignFactory(
                academic_year="2026-2027",
                policy=PolicyFactory(),
                status="running",
                allow_asap=True,
            ),
            teacher=UserFactory(username="teacher", roles=["teacher"]),
            admin=admin,
        )


def operations_of(server: Any, kind: str) -> list:
    return [op for op in passage_state(server.site).operations.values() if op.type == kind]


def test_the_dashboard_shows_a_stopped_moodle_then_the_campaign_finishes(
    world: World, live_server: Any, browser: Any
) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    courses = [world.course(name) for name in ("CHIM231-2025", "CHIM232-2025")]
    requests = [approved_request(world, c, reset_spec(world, c)) for c in courses]
    for request in requests:
        services.request_start(request=request)
    page = browser.new_context(locale="fr-FR").new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "alain.admin")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.goto(f"{live_server.url}/dashboard/?campaign={world.campaign.pk}")
    assert page.locator("[data-testid=platform-outages] .alert").count() == 0

    world.server.stop()
    outcomes = run_until_idle(limit=6)
    assert runner.PAUSED in outcomes

    outage = page.locator("[data-testid=platform-outages] .alert")
    outage.wait_for(timeout=60_000)
    assert "ecampus injoignable depuis" in outage.inner_text()
    assert page.locator("[data-testid=retrying-count]").inner_text() != "0"
    assert "Inconnue" in page.inner_text("[data-testid=estimated-finish]")
    page.screenshot(path=str(SCREENSHOTS / "dashboard-outage-fr.png"), full_page=True)

    world.server = world.server.restart()
    run_until_idle(limit=200)

    from playwright.sync_api import expect

    # Locators' waits: the page's Content-Security-Policy refuses the eval() a string predicate
    # of wait_for_function needs.
    expect(page.locator("[data-testid=platform-outages] .alert")).to_have_count(0, timeout=60_000)
    expect(page.locator("[data-testid=retrying-count]")).to_have_text("0", timeout=30_000)
    page.screenshot(path=str(SCREENSHOTS / "dashboard-recovered-fr.png"), full_page=True)
    for request in requests:
        request.refresh_from_db()
        assert request.status == TransitionRequest.Status.DONE
    assert not Job.objects.filter(status=Job.Status.FAILED).exists()
    assert len(operations_of(world.server, "backup")) == len(courses)
    assert len(operations_of(world.server, "reset")) == len(courses)
    assert page.locator("[data-count='jobs.failed']").inner_text() == "0"
    page.context.close()

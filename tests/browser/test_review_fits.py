"""The review of a 64-activity course fits in one screen at 1280 x 800 before its detail is
opened, in French, in Debian's Chromium."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth import get_user_model

from moodle_client.standin import StandinServer
from tests.factories import CampaignFactory, MoodleInstanceFactory
from transition.models import MoodleInstance
from transition.services.policies import policy_create_caen_default
from transition.services.sync import instance_sync
from transition.tokens import token_encrypt

pytestmark = pytest.mark.browser

ACTIVITIES = 64
KINDS = ("page", "resource", "url", "assign", "quiz", "forum", "folder", "label", "glossary")


@pytest.fixture
def big_course_site() -> Iterator[StandinServer]:
    server = StandinServer.start(seed="small")
    site = server.site
    course = next(c for c in site.courses.values() if c.shortname == "CHIM231-2025")
    present = sum(1 for m in site.course_modules.values() if m.course == course.id)
    for number in range(ACTIVITIES - present):
        kind = KINDS[number % len(KINDS)]
        site.add_module(course.id, kind, f"Séance {number + 1} — {kind}", section=1 + number % 12)
    assert sum(1 for m in site.course_modules.values() if m.course == course.id) == ACTIVITIES
    yield server
    server.stop()


def test_the_review_of_a_64_activity_course_fits_in_one_screen(
    transactional_db, live_server, big_course_site, browser
) -> None:
    instance = MoodleInstanceFactory(
        name="ecampus",
        role=MoodleInstance.Role.CURRENT,
        url=big_course_site.url,
        token_encrypted=token_encrypt("admin"),
    )
    instance_sync(instance=instance)
    CampaignFactory(academic_year="2026-2027", policy=policy_create_caen_default())
    teacher = get_user_model().objects.get(username="teacher")
    teacher.set_password("demo-password")
    teacher.save()
    page = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 800}).new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "teacher")
    page.fill("input[name=password]", "demo-password")
    page.click("button[type=submit], input[type=submit]")
    page.goto(f"{live_server.url}/courses/")
    page.check("input[aria-label='CHIM231-2025']")
    page.click("[data-testid=prepare-selected]")
    page.click("[data-testid=next]")
    page.locator("[data-testid='scenario-CHIM231-2025'] input[value=reuse_reset]").check()
    page.click("[data-testid=next]")
    page.click("[data-testid=next]")
    assert page.locator("#wizard-form").get_attribute("data-step") == "review"
    kept = page.locator("[data-testid='headline-CHIM231-2025'] [data-headline=kept]")
    assert int(kept.get_attribute("data-activities")) == ACTIVITIES
    # Everything down to the buttons is on the first screen; the detail stays closed.
    bottom = page.evaluate(
        "document.querySelector('[data-testid=next]').getBoundingClientRect().bottom"
    )
    assert bottom <= 800, bottom
    assert page.evaluate("document.documentElement.scrollHeight") <= 800
    page.screenshot(path=str(_artefact("review-64-activities.png")))
    # Every count stays reachable: the detail, once opened, lists every activity.
    page.locator("[data-testid='review-CHIM231-2025'] > summary").click()
    groups = page.locator("[data-testid='review-CHIM231-2025'] details[data-modname]")
    assert groups.count() >= ACTIVITIES


def _artefact(name: str) -> Any:
    from pathlib import Path

    folder = Path(__file__).resolve().parents[2] / "test-artefacts" / "browser" / "review"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / name

"""The pages keep working under the Content-Security-Policy, in Debian's Chromium: no resource
refused on the pages staff and teachers use, and the language list still switches the page."""

from __future__ import annotations

import os
from typing import Any

import pytest

from tests.factories import CampaignFactory, CourseFactory, CourseRoleFactory, UserFactory
from transition.models import MoodleInstance
from transition.services.policies import policy_create_caen_default

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery staple"


@pytest.fixture
def campus(transactional_db: None) -> Any:
    campaign = CampaignFactory(academic_year="2026-2027", policy=policy_create_caen_default())
    course = CourseFactory(instance__role=MoodleInstance.Role.CURRENT, shortname="L1CHIM-THERMO")
    teacher = UserFactory(username="claire.martin", roles=["teacher"])
    CourseRoleFactory(course=course, person__user=teacher)
    UserFactory(username="alain.admin", roles=["admin"])
    return campaign


def _signed_in(browser: Any, base_url: str, username: str) -> tuple[Any, list[str]]:
    page = browser.new_context(locale="fr-FR").new_page()  # French first, as the university
    refused: list[str] = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.on("pageerror", lambda error: refused.append(str(error)))
    page.goto(f"{base_url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    return page, refused


def test_staff_pages_run_under_the_policy(campus, live_server, browser):
    page, refused = _signed_in(browser, live_server.url, "alain.admin")
    for path in (
        "/",
        f"/dashboard/?campaign={campus.pk}",
        "/admin-portal/",
        "/admin-portal/campaigns/new/",
        "/admin-portal/policies/",
        "/approvals/",
        "/admin/",
        "/admin/transition/campaign/add/",
    ):
        response = page.goto(live_server.url + path)
        page.wait_for_load_state("networkidle")
        assert response.status == 200, path
        assert "Content-Security-Policy" in {name.title() for name in response.headers}
    # The admin's two-list picker of excluded categories is built by script.
    page.goto(live_server.url + "/admin/transition/campaign/add/")
    assert page.locator(".selector-available").count() == 1
    page.screenshot(path=os.environ.get("PASSAGE_SCREENSHOT_DIR", "/tmp") + "/csp-admin.png")
    assert refused == []


def test_the_language_list_switches_the_page_without_inline_script(campus, live_server, browser):
    page, refused = _signed_in(browser, live_server.url, "claire.martin")
    page.goto(live_server.url + "/courses/")
    assert page.locator("html").get_attribute("lang") == "fr"
    with page.expect_navigation():
        page.select_option("select[name=language]", "en")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    page.screenshot(path=os.environ.get("PASSAGE_SCREENSHOT_DIR", "/tmp") + "/csp-courses.png")
    assert refused == []


def test_five_wrong_passwords_show_the_lockout_page_in_french(campus, live_server, browser):
    page = browser.new_context(locale="fr-FR").new_page()
    for password in ["essai 1", "essai 2", "essai 3", "essai 4", "essai 5", PASSWORD]:
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("input[name=username]", "alain.admin")
        page.fill("input[name=password]", password)
        page.click("main button[type=submit]")
        page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Connexion bloquée"
    assert "Trop de mots de passe erronés" in page.locator("[data-testid=locked-out]").inner_text()
    page.screenshot(path=os.environ.get("PASSAGE_SCREENSHOT_DIR", "/tmp") + "/locked-out.png")

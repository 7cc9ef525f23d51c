"""An engineer approves a special-calendar request in Debian's Chromium."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from tests.approvals.conftest import pending_request
from tests.factories import CampaignFactory, MoodleInstanceFactory, UserFactory
from transition.models import Course, MoodleInstance, TransitionRequest
from transition.services.policies import policy_create_caen_default
from transition.services.sync import instance_sync
from transition.tokens import token_encrypt

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery staple"


def sign_in(browser: Any, base_url: str, username: str) -> Any:
    context = browser.new_context(locale="en-GB")
    page = context.new_page()
    page.goto(f"{base_url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit], input[type=submit]")
    return page


def test_an_engineer_approves_a_special_calendar_request_with_a_new_run_date(
    transactional_db: None, live_server: Any, browser: Any, start_standin: Any
) -> None:
    server = start_standin(seed="demo")
    instance = MoodleInstanceFactory(
        name="ecampus",
        url=server.url,
        role=MoodleInstance.Role.CURRENT,
        token_encrypted=token_encrypt("admin"),
    )
    instance_sync(instance=instance)
    campaign = CampaignFactory(academic_year="2026-2027", policy=policy_create_caen_default())
    course = Course.objects.get(instance=instance, shortname="CHIM236-2025")
    teacher = UserFactory(username="claire.dubois", email="claire.dubois@univ.example")
    request = pending_request(
        campaign=campaign,
        course=course,
        teacher=teacher,
        reason="Le cours ferme le 20 septembre : rattrapages de la session 2.",
    )
    UserFactory(username="ines.ingenieure", roles=["engineer"])

    page = sign_in(browser, live_server.url, "ines.ingenieure")
    page.goto(f"{live_server.url}/approvals/")
    row = page.locator("[data-testid='pending-CHIM236-2025']")
    assert "rattrapages" in row.inner_text()
    row.get_by_role("link").click()
    assert (
        "rattrapages de la session 2" in page.locator("[data-testid=special-reason]").inner_text()
    )
    run_at = timezone.localtime() + datetime.timedelta(days=5)
    form = page.locator("[data-testid=approve-form]")
    form.locator("input[name=run_at]").fill(run_at.strftime("%Y-%m-%dT%H:%M"))
    form.locator("textarea[name=comment]").fill("D'accord après la session 2.")
    form.get_by_role("button").click()
    page.wait_for_selector("[data-testid=approval-queue-empty]")
    assert "CHIM236-2025: approved." in page.content()

    request.refresh_from_db()
    assert request.status == TransitionRequest.Status.APPROVED
    assert timezone.localtime(request.run_at).strftime("%Y-%m-%d %H:%M") == run_at.strftime(
        "%Y-%m-%d %H:%M"
    )
    assert request.decision_comment == "D'accord après la session 2."
    assert [message.to for message in mail.outbox] == [["claire.dubois@univ.example"]]
    page.context.close()

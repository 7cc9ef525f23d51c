"""The staff side in Chromium, in French: an admin adds a platform on the portal's page, tests
it reachable then stopped, imports an Apogée file after its preview; an engineer approves a
special calendar from a page that shows its dates and what will run."""

from __future__ import annotations

import datetime
import os
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from tests.factories import CampaignFactory, CourseFactory, UserFactory
from transition.models import Cohort, MoodleInstance, RequestPlan, TransitionRequest
from transition.request_spec import RequestSpec, SpecialCalendar
from transition.services.policies import policy_create_caen_default
from transition.tokens import token_decrypt

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery staple"
SCREENSHOTS = Path(os.environ.get("PASSAGE_SCREENSHOTS", "/tmp/passage-screenshots"))
APOGEE = (
    "Code étape;Version;Libellé;Composante;Campus;Année\n"
    "L1CHIM;241;LICENCE 1 CHIMIE;UFR des Sciences;Caen;2026\n"
    "L2PHYS;241;LICENCE 2 PHYSIQUE;UFR des Sciences;Caen;2026\n"
).encode()


def sign_in(browser: Any, base_url: str, username: str, roles: list[str]) -> Any:
    user = UserFactory(username=username, roles=roles)
    user.set_password(PASSWORD)
    user.save()
    page = browser.new_context(locale="fr-FR").new_page()
    page.goto(f"{base_url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    return page


def shot(page: Any, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def test_an_admin_adds_tests_and_feeds_a_platform_in_the_portal(
    transactional_db: None, live_server: Any, browser: Any, start_standin: Any, tmp_path: Path
) -> None:
    server = start_standin(seed="small")
    page = sign_in(browser, live_server.url, "alain.admin", ["admin"])

    page.goto(f"{live_server.url}/admin-portal/instances/")
    page.click("[data-testid=instance-add]")
    page.fill("input[name=name]", "ecampus")
    page.fill("input[name=url]", server.url)
    page.select_option("select[name=role]", "current")
    page.fill("input[name=token]", "admin")
    shot(page, "platform-add-fr")
    page.click("[data-testid=instance-save]")
    page.wait_for_selector("[data-testid=instances]")
    instance = MoodleInstance.objects.get(name="ecampus")
    assert token_decrypt(instance.token_encrypted) == "admin"
    assert "admin" not in page.locator(f"[data-testid=edit-{instance.pk}]").inner_text()

    page.click(f"[data-testid=test-{instance.pk}]")
    page.wait_for_selector("[data-testid=connection-report]")
    assert page.locator("[data-testid=check-ok]").inner_text() == "Tout est en ordre"
    shot(page, "platform-test-ok-fr")

    server.stop()
    page.click(f"[data-testid=test-{instance.pk}]")
    page.wait_for_selector("[data-testid=connection-report]")
    problems = page.inner_text("[data-testid=check-problems]")
    assert "connexion refusée" in problems
    assert "jeton" not in problems.lower() and "plugin" not in problems.lower()
    shot(page, "platform-test-stopped-fr")

    export = tmp_path / "apogee.csv"
    export.write_bytes(APOGEE)
    page.goto(f"{live_server.url}/admin-portal/apogee/")
    assert page.locator("select[name=instance]").input_value() == str(instance.pk)
    page.set_input_files("input[name=file]", str(export))
    page.click("[data-testid=apogee-preview-button]")
    page.wait_for_selector("[data-testid=apogee-preview]")
    assert "2 cohortes à créer" in page.inner_text("[data-testid=apogee-preview-counts]")
    assert not Cohort.objects.exists()
    shot(page, "apogee-preview-fr")
    page.click("[data-testid=apogee-apply]")
    page.wait_for_selector(".alert-success")
    assert "2 cohortes créées" in page.inner_text(".alert-success")
    assert Cohort.objects.filter(instance=instance).count() == 2
    page.context.close()


def test_an_engineer_approves_a_special_calendar_seeing_its_dates(
    transactional_db: None, live_server: Any, browser: Any
) -> None:
    campaign = CampaignFactory(academic_year="2026-2027", policy=policy_create_caen_default())
    course = CourseFactory(shortname="CHIM231-2025", fullname="Chimie générale")
    opens = campaign.cutoff_date - datetime.timedelta(days=15)
    teacher = UserFactory(username="claire.martin", first_name="Claire", last_name="Martin")
    request = TransitionRequest.objects.create(
        campaign=campaign, course=course, requested_by=teacher,
        scenario=TransitionRequest.Scenario.REUSE_RESET,
        status=TransitionRequest.Status.PENDING_APPROVAL, special_start_date=opens,
        special_reason="Les alternants commencent mi-août.", submitted_at=timezone.now(),
    )  # fmt: skip
    RequestPlan.objects.create(
        request=request,
        spec=RequestSpec(
            scenario="reuse_reset", course_moodle_id=course.moodle_id,
            reset_options={"reset_forum_all": "1"},
            special_calendar=SpecialCalendar(
                kind="early_opening", opens=opens, closes=None, reason="alternants"
            ),
        ).to_json(),
    )  # fmt: skip
    page = sign_in(browser, live_server.url, "ines.ingenieure", ["engineer"])

    page.goto(f"{live_server.url}/approvals/requests/?special=on")
    page.click(f"[data-testid=request-{request.pk}] a")
    page.wait_for_selector("[data-testid=approve-form]")
    assert page.inner_text("[data-testid=chosen-calendar]") == "Ouverture anticipée"
    assert str(opens.day) in page.inner_text("[data-testid=special-opens]")
    steps = page.locator("[data-testid=approval-steps] li").all_inner_texts()
    assert steps[:2] == ["Sauvegarde (vérifiée avant toute modification)", "Réinitialisation"]
    shot(page, "approval-special-calendar-fr")
    page.click("[data-testid=approve-form] button[type=submit]")
    page.wait_for_selector(".alert-success")

    request.refresh_from_db()
    assert request.status != TransitionRequest.Status.PENDING_APPROVAL
    assert request.decided_by.username == "ines.ingenieure"
    page.context.close()

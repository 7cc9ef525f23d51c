"""The admin's campaign in Debian's Chromium: the dashboard refreshing itself, a failed job
retried from it, and the archive of the courses that left the curriculum on the demo data."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from tests.factories import CampaignFactory, MoodleInstanceFactory, UserFactory
from transition.models import Campaign, Category, Course, Job, MoodleInstance, TransitionRequest
from transition.services.cohorts import cohorts_import_apogee
from transition.services.policies import policy_create_caen_default
from transition.services.sync import instance_sync
from transition.tokens import token_encrypt

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery staple"
# Courses that are no longer taught next year: left out of the Apogée import below.
LEAVING = ("CHIM233-2025", "HIST201-2025")


@pytest.fixture
def demo(transactional_db: None, start_standin: Any) -> Campaign:
    """The demo university synced, next year's Apogée import, a locked campaign."""
    server = start_standin(seed="demo")
    instance = MoodleInstanceFactory(
        name="ecampus",
        url=server.url,
        role=MoodleInstance.Role.CURRENT,
        token_encrypted=token_encrypt("admin"),
    )
    instance_sync(instance=instance)
    codes = sorted(
        {
            course.curriculum_code.rsplit("-", 1)[0]
            for course in Course.objects.filter(instance=instance).exclude(curriculum_code="")
            if course.shortname not in LEAVING
        }
    )
    rows = "".join(f"{code[:-3]};{code[-3:]};{code};UFR;Caen;2026\n" for code in codes)
    cohorts_import_apogee(
        instance=instance,
        data=("Code étape;Version;Libellé;Composante;Campus;Année\n" + rows).encode(),
    )
    campaign = CampaignFactory(
        academic_year="2026-2027",
        policy=policy_create_caen_default(),
        status=Campaign.Status.LOCKED,
        archive_category=Category.objects.filter(
            instance=instance, name__icontains="archive"
        ).first(),
    )
    campaign.excluded_categories.set(
        Category.objects.filter(instance=instance, name__icontains="complémentaire")
    )
    UserFactory(username="alain.admin", roles=["admin"])
    return campaign


def sign_in_admin(browser: Any, base_url: str) -> Any:
    context = browser.new_context(locale="en-GB")
    page = context.new_page()
    page.goto(f"{base_url}/accounts/login/")
    page.fill("input[name=username]", "alain.admin")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit], input[type=submit]")
    return page


def test_the_archive_operation_runs_on_the_demo_after_its_preview(
    demo: Campaign, live_server: Any, browser: Any
) -> None:
    page = sign_in_admin(browser, live_server.url)
    page.goto(f"{live_server.url}/admin-portal/campaigns/{demo.pk}/operations/")
    card = page.locator("[data-testid=operation-archive]")
    assert card.locator("[data-testid=preview-archive]").inner_text() == str(len(LEAVING))
    card.locator("summary").click()
    for shortname in LEAVING:
        assert shortname in card.inner_text()
    card.locator("input[type=checkbox]").check()
    card.locator("[data-testid=run-archive]").click()

    page.wait_for_selector("#dashboard")
    assert "/dashboard/" in page.url
    archived = TransitionRequest.objects.filter(campaign=demo)
    assert sorted(r.course.shortname for r in archived) == sorted(LEAVING)
    assert all(r.status == TransitionRequest.Status.APPROVED for r in archived)
    assert Job.objects.filter(request__in=archived, kind=Job.Kind.ARCHIVE).count() == 2
    # Nothing left to archive: a second visit previews zero and offers no run.
    page.goto(f"{live_server.url}/admin-portal/campaigns/{demo.pk}/operations/")
    assert page.locator("[data-testid=preview-archive]").inner_text() == "0"
    assert page.locator("[data-testid=run-archive]").count() == 0
    page.context.close()


def failed_job(campaign: Campaign, shortname: str) -> Job:
    course = Course.objects.get(instance__role=MoodleInstance.Role.CURRENT, shortname=shortname)
    owner = UserFactory(username="claire.dubois")
    request = TransitionRequest.objects.create(
        campaign=campaign,
        course=course,
        requested_by=owner,
        scenario=TransitionRequest.Scenario.REUSE_RESET,
        status=TransitionRequest.Status.FAILED,
    )
    return Job.objects.create(
        request=request,
        campaign=campaign,
        course=course,
        instance=course.instance,
        kind=Job.Kind.BACKUP,
        status=Job.Status.FAILED,
        attempts=5,
        last_error_code="nopermissions",
        last_error_message="Sorry, but you do not currently have permissions to do that",
        idempotency_key="browser-failed-backup",
        finished_at=timezone.now() - datetime.timedelta(minutes=5),
    )


def test_a_failed_job_is_retried_from_the_dashboard(
    demo: Campaign, live_server: Any, browser: Any
) -> None:
    Campaign.objects.filter(pk=demo.pk).update(status=Campaign.Status.RUNNING)
    job = failed_job(demo, "CHIM231-2025")
    page = sign_in_admin(browser, live_server.url)
    page.goto(f"{live_server.url}/dashboard/?campaign={demo.pk}")
    group = page.locator("[data-testid=group-nopermissions]")
    assert group.locator("[data-group-count]").inner_text() == "1"
    failure = page.locator(f"[data-testid=failure-{job.pk}]")
    assert "CHIM231-2025" in failure.inner_text()
    assert "do not currently have permissions" in failure.inner_text()
    page.locator(f"[data-testid=retry-{job.pk}]").click()

    page.wait_for_selector("[data-testid=no-failures]")
    job.refresh_from_db()
    assert job.status == Job.Status.QUEUED
    assert job.request.status == TransitionRequest.Status.RUNNING
    page.context.close()


def test_the_dashboard_refreshes_its_counts_without_reloading(
    demo: Campaign, live_server: Any, browser: Any
) -> None:
    job = failed_job(demo, "CHIM232-2025")
    from playwright.sync_api import expect

    page = sign_in_admin(browser, live_server.url)
    page.goto(f"{live_server.url}/dashboard/?campaign={demo.pk}")
    page.evaluate("window.passageLoaded = true")
    assert page.locator("[data-count='jobs.succeeded']").inner_text() == "0"

    Job.objects.filter(pk=job.pk).update(status=Job.Status.SUCCEEDED)

    # A locator's wait, not wait_for_function: the page's Content-Security-Policy refuses the
    # eval() Playwright would run a string predicate with.
    expect(page.locator("[data-count='jobs.succeeded']")).to_have_text("1", timeout=15_000)
    assert page.evaluate("window.passageLoaded") is True  # the same page, not a reload
    assert page.locator("[data-count='jobs.failed']").inner_text() == "0"
    assert page.locator("#progress-chart polyline").count() == 1
    page.context.close()


def test_choosing_another_campaign_shows_it_without_an_inline_handler(
    demo: Campaign, live_server: Any, browser: Any
) -> None:
    other = CampaignFactory(academic_year="2025-2026", policy=demo.policy)
    page = sign_in_admin(browser, live_server.url)
    page.goto(f"{live_server.url}/dashboard/?campaign={demo.pk}")
    assert page.locator("select[name=campaign][onchange]").count() == 0

    page.select_option("select[name=campaign]", str(other.pk))

    page.wait_for_url(f"**/dashboard/?campaign={other.pk}")
    assert "2025-2026" in page.inner_text("h1")
    page.context.close()

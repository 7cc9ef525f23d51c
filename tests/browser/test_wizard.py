"""The wizard in Debian's Chromium, on the stand-in's demo university: one course, then three
courses with three scenarios, checking the review's rows against what the stand-in holds."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth import get_user_model

from moodle_client.standin import StandinServer
from tests.factories import CampaignFactory, MoodleInstanceFactory
from transition.models import Course, MoodleInstance, TransitionRequest
from transition.services.policies import policy_create_caen_default
from transition.services.sync import instance_sync
from transition.tokens import token_encrypt

pytestmark = pytest.mark.browser
# Playwright's sync API runs an event loop in this thread; the test's own database reads are
# plain synchronous code all the same.


@pytest.fixture(scope="module")
def demo_sites() -> Iterator[tuple[StandinServer, StandinServer]]:
    current = StandinServer.start(seed="demo")
    previous = StandinServer.start(seed="demo-previous")
    yield current, previous
    current.stop()
    previous.stop()


@pytest.fixture
def teacher_page(transactional_db, live_server, demo_sites, browser):
    current, previous = demo_sites
    for name, server, role in (
        ("ecampus", current, MoodleInstance.Role.CURRENT),
        ("ecampus-bleu", previous, MoodleInstance.Role.PREVIOUS),
    ):
        instance = MoodleInstanceFactory(
            name=name, role=role, url=server.url, token_encrypted=token_encrypt("admin")
        )
        instance_sync(instance=instance)
    CampaignFactory(academic_year="2026-2027", policy=policy_create_caen_default())
    teacher = get_user_model().objects.get(username="teacher")
    teacher.set_password("demo-password")
    teacher.save()
    context = browser.new_context(locale="en-GB")
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "teacher")
    page.fill("input[name=password]", "demo-password")
    page.click("button[type=submit], input[type=submit]")
    page.goto(f"{live_server.url}/courses/")
    yield page
    context.close()


def course(shortname: str) -> Course:
    return Course.objects.get(instance__role=MoodleInstance.Role.CURRENT, shortname=shortname)


def choose_scenario(page: Any, shortname: str, scenario: str) -> None:
    card = page.locator(f"[data-testid='scenario-{shortname}']")
    card.locator(f"input[type=radio][value={scenario}]").check()


def site_posts(server: StandinServer, shortname: str) -> int:
    site = server.site
    cid = next(c.id for c in site.courses.values() if c.shortname == shortname)
    return sum(1 for r in site.user_data.values() if r.courseid == cid and r.kind == "posts")


def review_total(page: Any, shortname: str, modname_kind: tuple[str, str]) -> tuple[int, set[str]]:
    """The sum of a kind's totals in a course's review table, and the fates shown for it."""
    # The detail is collapsed: its rows are read from the document, grouped by activity type.
    rows = page.locator(
        f"[data-testid='review-{shortname}'] details[data-modname='{modname_kind[0]}'] "
        f"tr[data-kind='{modname_kind[1]}']"
    )
    totals, fates = 0, set()
    for index in range(rows.count()):
        row = rows.nth(index)
        text = (row.locator("[data-col=total]").text_content() or "").strip()
        totals += int(text) if text.isdigit() else 0
        fates.add(row.get_attribute("data-fate"))
    return totals, fates


def test_one_course_through_the_wizard(teacher_page, demo_sites):
    page = teacher_page
    page.check("input[aria-label='CHIM231-2025']")
    page.click("[data-testid=prepare-selected]")
    assert page.is_checked(f"input[name='courses-courses'][value='{course('CHIM231-2025').pk}']")
    page.click("[data-testid=next]")
    choose_scenario(page, "CHIM231-2025", "reuse_reset")
    page.click("[data-testid=next]")
    # Options: locked ones are disabled, pre-filled from the Caen policy.
    assert page.is_disabled("input[name$='-reset_forum_all']")
    assert page.is_checked("input[name$='-reset_forum_all']")
    # Options a wider ticked option makes pointless are hidden, as on Moodle's reset page.
    assert page.locator("[data-overridden-by$='-reset_forum_all']").first.is_hidden()
    # Typing an Apogée code suggests cohorts (progressive enhancement).
    cohorts = page.locator("input[name$='-cohorts_add']")
    cohorts.fill("L1CHIM24")
    page.wait_for_selector("datalist option[value='L1CHIM241']", state="attached")
    cohorts.fill("")
    page.click("[data-testid=next]")
    total, fates = review_total(page, "CHIM231-2025", ("forum", "posts"))
    # The course's posts and the announcement the request posts first (on by default).
    assert total == site_posts(demo_sites[0], "CHIM231-2025") + 1 and fates == {"deleted"}
    _, glossary_fates = review_total(page, "CHIM231-2025", ("glossary", "entries"))
    assert glossary_fates == {"kept"}
    page.click("[data-testid=next]")
    page.check("input[name='confirm-acknowledge']")
    page.click("[data-testid=confirm]")
    page.wait_for_selector("[data-testid=request-status]")
    request = TransitionRequest.objects.get(course=course("CHIM231-2025"))
    assert request.status == TransitionRequest.Status.SCHEDULED
    assert page.url.endswith(f"/requests/{request.pk}/")


def test_three_courses_three_scenarios(teacher_page, demo_sites):
    page = teacher_page
    for shortname in ("CHIM231-2025", "CHIM232-2025", "CHIM235-2025"):
        page.check(f"input[aria-label='{shortname}']")
    page.click("[data-testid=prepare-selected]")
    page.click("[data-testid=next]")
    choose_scenario(page, "CHIM231-2025", "reuse_reset")
    choose_scenario(page, "CHIM232-2025", "fresh_copy")
    choose_scenario(page, "CHIM235-2025", "restore_previous")
    # Without JavaScript the fresh copy's fields are all shown; with it, only the chosen part.
    card = page.locator("[data-testid='scenario-CHIM232-2025']")
    assert card.locator("input[name$='-new_shortname']").input_value() == "CHIM232-2026"
    restore = page.locator("[data-testid='scenario-CHIM235-2025'] select[name$='-restore_source']")
    assert "CHIM235-2024" in restore.locator("option:checked").inner_text()
    page.click("[data-testid=next]")
    page.click("[data-testid=next]")
    summary = page.locator("[data-testid=review-summary]")
    assert summary.locator("[data-testid^=headline-]").count() == 3
    total, fates = review_total(page, "CHIM231-2025", ("forum", "posts"))
    # The course's posts and the announcement the request posts first (on by default).
    assert total == site_posts(demo_sites[0], "CHIM231-2025") + 1 and fates == {"deleted"}
    total, fates = review_total(page, "CHIM232-2025", ("forum", "posts"))
    assert total == site_posts(demo_sites[0], "CHIM232-2025") and fates <= {"kept"}
    # The review says when, with the dates before and after, and who teaches the new course.
    dates = page.locator("[data-testid='review-dates-CHIM231-2025'] tr[data-date]")
    assert dates.count() == 4  # announcement, run, start, end
    teachers = page.locator("[data-testid='review-CHIM232-2025'] tr[data-kind='teacher_role']")
    assert (
        "teacher" in (teachers.first.text_content() or "")
        and teachers.first.get_attribute("data-fate") == "added"
    )
    page.click("[data-testid=next]")
    page.check("input[name='confirm-acknowledge']")
    page.click("[data-testid=confirm]")
    page.wait_for_selector("[data-testid=campaign-courses]")
    scenarios = dict(TransitionRequest.objects.values_list("course__shortname", "scenario"))
    assert scenarios == {
        "CHIM231-2025": "reuse_reset",
        "CHIM232-2025": "fresh_copy",
        "CHIM235-2025": "restore_previous",
    }
    assert page.locator("tr[data-course='CHIM232-2025'][data-status='scheduled']").count() == 1

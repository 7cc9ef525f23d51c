"""Every scenario as `teacher` sees it on the running demo (`python -m portal.demo`, its stand-in
Moodles and its Celery worker), in French, in Debian's Chromium: from /courses/ through the
wizard to the finished request, followed live on its page without a reload.

What the pages show is checked against the stand-in's own records (a stand-in started from the
same seed: seeds are deterministic). One screenshot per step is saved under
`test-artefacts/browser/<scenario>/` (see the README).
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from moodle_client.standin import StandinServer

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
ARTEFACTS = ROOT / "test-artefacts" / "browser"
START_TIMEOUT = 180.0
RUN_TIMEOUT_MS = 240_000
WIDTH, HEIGHT = 1280, 800


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def demo_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = _free_port()
    var_dir = tmp_path_factory.mktemp("demo-var")
    log_path = var_dir / "demo.log"
    environment = {
        key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"
    }
    environment.update({"PORT": str(port), "PASSAGE_VAR_DIR": str(var_dir)})
    environment.pop("REDIS_URL", None)
    with log_path.open("wb") as log:
        demo = subprocess.Popen(
            [sys.executable, "-m", "portal.demo"],
            cwd=ROOT,
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + START_TIMEOUT
            while b"Passage demo is running" not in log_path.read_bytes():
                if demo.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("the demo did not start:\n" + log_path.read_text())
                time.sleep(0.5)
            yield f"http://127.0.0.1:{port}"
        finally:
            demo.send_signal(signal.SIGINT)
            try:
                demo.wait(timeout=30)
            except subprocess.TimeoutExpired:
                demo.kill()


@pytest.fixture(scope="module")
def seed_site() -> Iterator[Any]:
    """The demo's Moodle as its seed builds it, to count what the review must show."""
    server = StandinServer.start(seed="demo", port=0)
    yield server.site
    server.stop()


class Walk:
    """A signed-in French session that saves a screenshot per step of one scenario."""

    def __init__(self, browser: Any, url: str, scenario: str, username: str = "teacher") -> None:
        self.url = url
        self.folder = ARTEFACTS / scenario
        self.folder.mkdir(parents=True, exist_ok=True)
        self.step = 0
        self.context = browser.new_context(
            locale="fr-FR", viewport={"width": WIDTH, "height": HEIGHT}
        )
        self.page = self.context.new_page()
        self.page.goto(f"{url}/accounts/login/")
        self.page.fill("input[name=username]", username)
        self.page.fill("input[name=password]", "demo")
        self.page.click("button[type=submit], input[type=submit]")

    def shot(self, name: str) -> None:
        from playwright.sync_api import Error

        self.step += 1
        path = str(self.folder / f"{self.step:02d}-{name}.png")
        for attempt in range(3):
            # Chromium now and then refuses a capture while the shared machine is busy.
            try:
                self.page.screenshot(path=path)
                return
            except Error:
                if attempt == 2:
                    raise
                time.sleep(1)

    def close(self) -> None:
        self.context.close()


def course_records(site: Any, shortname: str, kind: str) -> int:
    cid = next(c.id for c in site.courses.values() if c.shortname == shortname)
    return sum(1 for r in site.user_data.values() if r.courseid == cid and r.kind == kind)


def headline(page: Any, shortname: str) -> Any:
    return page.locator(f"[data-testid='headline-{shortname}']")


def through_the_wizard(
    walk: Walk, shortname: str, scenario: str, fill: Any = None, *, announce: bool = True
) -> None:
    page = walk.page
    page.goto(f"{walk.url}/courses/")
    walk.shot("courses")
    page.check(f"input[aria-label='{shortname}']")
    page.click("[data-testid=prepare-selected]")
    walk.shot("wizard-courses")
    page.click("[data-testid=next]")
    card = page.locator(f"[data-testid='scenario-{shortname}']")
    card.locator(f"input[type=radio][value={scenario}]").check()
    if fill is not None:
        fill(card)
    walk.shot("scenario")
    page.click("[data-testid=next]")
    if page.locator("#wizard-form").get_attribute("data-step") == "options":
        if not announce:
            page.uncheck("input[name$='-announce']")
        walk.shot("options")
        page.click("[data-testid=next]")
    assert page.locator("#wizard-form").get_attribute("data-step") == "review", page.content()
    walk.shot("review")


def confirm_as_soon_as_possible(walk: Walk) -> None:
    page = walk.page
    page.click("[data-testid=next]")
    assert page.locator("#wizard-form").get_attribute("data-step") == "confirm"
    page.check("input[name$='confirm-when'][value=asap], input[name='confirm-when'][value=asap]")
    page.check("input[name='confirm-acknowledge']")
    walk.shot("confirm")
    page.click("[data-testid=confirm]")
    page.wait_for_selector("[data-testid=request-status]")
    walk.shot("request")


def follow_to_done(walk: Walk) -> None:
    """The request page reaches "done" by itself: the same document, never reloaded."""
    page = walk.page
    page.evaluate("window.__notReloaded = true")
    page.wait_for_selector("[data-testid=request-status][data-status=done]", timeout=RUN_TIMEOUT_MS)
    assert page.evaluate("window.__notReloaded === true")
    walk.shot("done")


def downloads_work(walk: Walk, *, grades: bool) -> None:
    page = walk.page
    links = ["[data-testid=download-backup]"]
    if grades:
        links.append("[data-testid=download-grades]")
    for selector in links:
        href = page.locator(selector).first.get_attribute("href")
        answer = page.request.get(walk.url + href)
        assert answer.status == 200 and len(answer.body()) > 0, selector


def test_reuse_and_reset_with_cohort_swap_and_announcement(browser, demo_url, seed_site):
    walk = Walk(browser, demo_url, "reuse_reset")
    try:
        through_the_wizard(walk, "CHIM231-2025", "reuse_reset")
        page = walk.page
        posts = course_records(seed_site, "CHIM231-2025", "posts")
        deleted = headline(page, "CHIM231-2025").locator("[data-headline=deleted]")
        assert deleted.locator("[data-deleted-kind=messages]").get_attribute("data-count") == str(
            posts
        )
        unenrolled = headline(page, "CHIM231-2025").locator("[data-headline=unenrolled]")
        assert "L1CHIM231" in unenrolled.inner_text()
        added = headline(page, "CHIM231-2025").locator("[data-headline=added]")
        assert "L1CHIM241" in added.inner_text()
        # The review fits in one screen before its detail is opened.
        assert page.evaluate("document.documentElement.scrollHeight") <= HEIGHT
        assert not page.locator("[data-testid='review-CHIM231-2025'] table").first.is_visible()
        confirm_as_soon_as_possible(walk)
        # The students are warned at once; the rest waits the announcement's notice, and the
        # page says until when, as a date, without a reload.
        page.evaluate("window.__notReloaded = true")
        page.wait_for_selector(
            "[data-job=announcement][data-job-status=succeeded]", timeout=RUN_TIMEOUT_MS
        )
        assert page.evaluate("window.__notReloaded === true")
        waiting = page.locator("[data-testid=not-before]").first.inner_text()
        assert re.search(r"pas avant le \d{1,2} \w+ 20\d\d", waiting), waiting
        walk.shot("announced")
    finally:
        walk.close()


def test_fresh_copy_names_the_new_course_everywhere(browser, demo_url):
    walk = Walk(browser, demo_url, "fresh_copy")
    try:
        through_the_wizard(walk, "CHIM232-2025", "fresh_copy")
        page = walk.page
        outcome = page.locator("[data-testid=new-course]").inner_text()
        new_name = re.search(r"CHIM232-\d{4}", outcome).group(0)
        assert "ex_CHIM232-2025" in page.locator("[data-testid=archiving]").inner_text()
        confirm_as_soon_as_possible(walk)
        follow_to_done(walk)
        link = page.locator("[data-testid=new-course] a")
        assert new_name in page.locator("[data-testid=new-course]").inner_text()
        assert "/course/view.php?id=" in link.get_attribute("href")
        page.goto(f"{demo_url}/courses/")
        walk.shot("courses-after")
        assert new_name in page.locator("[data-testid=new-course-ex_CHIM232-2025]").inner_text()
        page.goto(f"{demo_url}/")
        walk.shot("home-after")
        assert new_name in page.locator("[data-testid=my-courses]").inner_text()
    finally:
        walk.close()


def test_restore_from_the_previous_platform(browser, demo_url):
    walk = Walk(browser, demo_url, "restore_previous")
    try:
        through_the_wizard(walk, "CHIM235-2025", "restore_previous")
        confirm_as_soon_as_possible(walk)
        follow_to_done(walk)
        timeline = walk.page.locator("[data-testid=timeline]").inner_text()
        assert "Restauration" in timeline
    finally:
        walk.close()


def test_hand_over_to_a_colleague(browser, demo_url, seed_site):
    walk = Walk(browser, demo_url, "hand_over")
    successor = next(u.username for u in seed_site.users.values() if u.idnumber == "E0100")

    def colleague(card: Any) -> None:
        card.locator("input[name$='-successor_username']").fill(successor)

    try:
        through_the_wizard(walk, "CHIM233-2025", "hand_over", colleague)
        added = headline(walk.page, "CHIM233-2025").locator("[data-headline=added]")
        assert successor in added.inner_text()
        confirm_as_soon_as_possible(walk)
        follow_to_done(walk)
    finally:
        walk.close()


def test_special_calendar_waits_for_an_engineer_then_runs(browser, demo_url):
    walk = Walk(browser, demo_url, "special_calendar")

    def calendar(card: Any) -> None:
        card.locator("details summary").click()
        card.locator("select[name$='-special_calendar']").select_option("late_closing")
        card.locator("input[name$='-special_closes']").fill("2027-10-15")
        card.locator("textarea[name$='-special_reason']").fill("Rattrapages de la session 2")

    try:
        through_the_wizard(walk, "CHIM236-2025", "reuse_reset", calendar, announce=False)
        page = walk.page
        for place in ("review", "confirm"):
            text = page.locator("[data-testid=outcome]").first.inner_text()
            assert "15 octobre 2027" in text and "Rattrapages de la session 2" in text, place
            assert "ingénieur pédagogique" in text, place
            if place == "review":
                page.click("[data-testid=next]")
        page.check("input[name='confirm-when'][value=asap]")
        page.check("input[name='confirm-acknowledge']")
        walk.shot("confirm")
        page.click("[data-testid=confirm]")
        page.wait_for_selector("[data-testid=request-status][data-status=pending_approval]")
        walk.shot("request-waiting")
        assert "15 octobre 2027" in page.locator("[data-testid=special-calendar]").inner_text()
        request_url = page.url
        engineer = Walk(browser, demo_url, "special_calendar-engineer", username="engineer")
        try:
            pk = request_url.rstrip("/").rsplit("/", 1)[1]
            engineer.page.goto(f"{demo_url}/approvals/{pk}/")
            engineer.shot("approval")
            engineer.page.locator("[data-testid=approve-form]").get_by_role("button").click()
            engineer.shot("approved")
        finally:
            engineer.close()
        follow_to_done(walk)
        timeline = page.locator("[data-testid=timeline]").inner_text()
        assert "Changement de cohortes" in timeline and "Contrôle du résultat" in timeline
        assert page.locator("[data-testid=backup-verified]").count() == 1
        downloads_work(walk, grades=True)
    finally:
        walk.close()


@pytest.mark.parametrize("width", [1280, 390])
def test_the_teacher_pages_fit_the_screen_with_a_readable_language_menu(browser, demo_url, width):
    context = browser.new_context(locale="fr-FR", viewport={"width": width, "height": HEIGHT})
    page = context.new_page()
    try:
        page.goto(f"{demo_url}/accounts/login/")
        page.fill("input[name=username]", "teacher")
        page.fill("input[name=password]", "demo")
        page.click("button[type=submit], input[type=submit]")
        folder = ARTEFACTS / f"layout-{width}"
        folder.mkdir(parents=True, exist_ok=True)
        for name, path in (("home", "/"), ("courses", "/courses/")):
            page.goto(f"{demo_url}{path}")
            page.screenshot(path=str(folder / f"{name}.png"))
            assert page.evaluate("document.documentElement.scrollWidth") <= width, name
            if width >= 1280:
                # The navigation holds on one line.
                assert page.locator("nav.navbar").bounding_box()["height"] < 80, name
        if width < 768:
            page.click(".navbar-toggler")
            page.wait_for_selector("#passage-nav.show")
        menu = page.locator("select[name=language]")
        box = menu.bounding_box()
        assert box["width"] >= 90 and box["height"] >= 24
        assert menu.locator("option:checked").inner_text() == "Français"
    finally:
        context.close()

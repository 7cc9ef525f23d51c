"""Every scenario as `teacher` sees it on the running demo (`python -m portal.demo`, its stand-in
Moodles and its Celery worker), in French, in Debian's Chromium: from /courses/ through the
wizard to the finished request, followed live on its page without a reload.

What the pages show is checked against the stand-in's own records (a stand-in started from the
same seed: seeds are deterministic) and, once a request is done, against the demo's own Moodle
over its web services. One screenshot per step is saved under
`test-artefacts/browser/<scenario>/` (see the README); the walk in English under
`test-artefacts/browser/<scenario>-en/`.

Where the students' notice must pass before a reset, the test is the clock: it moves the waiting
job's time to now in the demo's database, and the demo's beat sends it like any job that falls
due.
"""

from __future__ import annotations

import datetime
import json
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
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


@dataclass(frozen=True)
class Demo:
    url: str
    var_dir: Path
    moodle_url: str  # this year's stand-in Moodle, as the demo prints it
    process: subprocess.Popen[bytes]

    def output_end(self) -> str:
        return (self.var_dir / "demo.log").read_text(errors="replace")[-6000:]


@contextmanager
def demo_running(var_dir: Path) -> Iterator[Demo]:
    port = _free_port()
    log_path = var_dir / "demo.log"
    environment = {
        key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"
    }
    environment.update(
        {
            "PORT": str(port),
            "PASSAGE_VAR_DIR": str(var_dir),
            # The beat's round: a job whose time has come goes within seconds, not a minute.
            "ENGINE_SWEEP_INTERVAL": "5",
        }
    )
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
            printed = re.search(r"this year's platform: (\S+)", log_path.read_text())
            assert printed is not None, log_path.read_text()
            yield Demo(f"http://127.0.0.1:{port}", var_dir, printed.group(1).rstrip("/"), demo)
        finally:
            demo.send_signal(signal.SIGINT)
            try:
                demo.wait(timeout=30)
            except subprocess.TimeoutExpired:
                demo.kill()


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    with demo_running(tmp_path_factory.mktemp("demo-var")) as running:
        yield running


@pytest.fixture(autouse=True)
def demo_still_running(demo: Demo) -> Iterator[None]:
    """A test after which the demo has stopped says why: the end of the demo's output."""
    yield
    if demo.process.poll() is not None:
        pytest.fail(f"the demo stopped (exit {demo.process.returncode}):\n{demo.output_end()}")


@pytest.fixture(scope="module")
def demo_url(demo: Demo) -> str:
    return demo.url


@pytest.fixture(scope="module")
def seed_site() -> Iterator[Any]:
    """The demo's Moodle as its seed builds it, to count what the review must show."""
    server = StandinServer.start(seed="demo", port=0)
    yield server.site
    server.stop()


class Walk:
    """A signed-in session (French unless told) that saves a screenshot per step of one
    scenario, each of the whole page."""

    def __init__(
        self,
        browser: Any,
        url: str,
        scenario: str,
        username: str = "teacher",
        *,
        locale: str = "fr-FR",
    ) -> None:
        self.url = url
        self.folder = ARTEFACTS / scenario
        self.folder.mkdir(parents=True, exist_ok=True)
        for old in self.folder.glob("*.png"):
            old.unlink()
        self.step = 0
        self.context = browser.new_context(
            locale=locale, viewport={"width": WIDTH, "height": HEIGHT}
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
                self.page.screenshot(path=path, full_page=True)
                return
            except Error:
                if attempt == 2:
                    raise
                time.sleep(1)

    def close(self) -> None:
        self.context.close()


def course_id(site: Any, shortname: str) -> int:
    return next(c.id for c in site.courses.values() if c.shortname == shortname)


def course_records(site: Any, shortname: str, kind: str) -> int:
    cid = course_id(site, shortname)
    return sum(1 for r in site.user_data.values() if r.courseid == cid and r.kind == kind)


def gradebook_grades(site: Any, shortname: str) -> int:
    cid = course_id(site, shortname)
    items = {item.id for item in site.grade_items.values() if item.courseid == cid}
    return sum(1 for grade in site.grades.values() if grade.itemid in items)


def moodle_call(demo: Demo, function: str, **params: Any) -> Any:
    """A web-service call to the demo's own Moodle (this year's stand-in), as an admin."""
    body = urllib.parse.urlencode(
        {"wstoken": "admin", "wsfunction": function, "moodlewsrestformat": "json", **params}
    ).encode()
    url = f"{demo.moodle_url}/webservice/rest/server.php"
    with urllib.request.urlopen(url, body, timeout=30) as answer:
        return json.load(answer)


def let_the_notice_pass(demo: Demo, request_pk: int) -> int:
    """The test is the clock: the request's job waiting out the students' notice falls due now.

    It changes nothing else: the demo's beat finds the job due (the sweeper sends every queued
    job whose time has come) as it would once the days had passed. Returns how many jobs moved.
    """
    now = datetime.datetime.now(datetime.UTC).replace(tzinfo=None)
    stamp = now.isoformat(sep=" ", timespec="microseconds")  # as Django stores it in SQLite
    database = demo.var_dir / "demo.sqlite3"
    with closing(sqlite3.connect(database, timeout=30)) as connection, connection:
        return connection.execute(
            "UPDATE transition_job SET not_before = ? "
            "WHERE request_id = ? AND status = 'queued' AND not_before > ?",
            (stamp, request_pk, stamp),
        ).rowcount


def headline(page: Any, shortname: str) -> Any:
    return page.locator(f"[data-testid='headline-{shortname}']")


def deleted_count(page: Any, shortname: str, label: str) -> int:
    deleted = headline(page, shortname).locator("[data-headline=deleted]")
    return int(deleted.locator(f"[data-deleted-kind='{label}']").get_attribute("data-count"))


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
    following(walk)
    walk.shot("request")


def following(walk: Walk) -> None:
    """Marks the request page's document: a reload would lose the mark."""
    walk.page.evaluate("window.__notReloaded = true")


def follow_to_done(walk: Walk) -> None:
    """The request page reaches "done" by itself: the same document, never reloaded since it
    was first shown (`following`)."""
    page = walk.page
    page.wait_for_selector("[data-testid=request-status][data-status=done]", timeout=RUN_TIMEOUT_MS)
    assert page.evaluate("window.__notReloaded === true")
    walk.shot("done")


def jobs_shown(page: Any) -> list[tuple[str, str]]:
    """The timeline's jobs, in order, with their status."""
    items = page.locator("[data-testid=timeline] [data-job]")
    return [
        (items.nth(i).get_attribute("data-job"), items.nth(i).get_attribute("data-job-status"))
        for i in range(items.count())
    ]


def downloads_work(walk: Walk, *, backups: int, grades: bool) -> None:
    """The request page offers each backup taken and the grade export (when there is one); each
    download answers with its content: a backup is the file whose SHA-256 the page shows."""
    import hashlib

    page = walk.page
    listed = page.locator("[data-testid=downloads] [data-testid=backup]")
    assert listed.count() == backups
    for index in range(backups):
        backup = listed.nth(index)
        href = backup.locator("[data-testid=download-backup]").get_attribute("href")
        answer = page.request.get(walk.url + href)
        assert answer.status == 200, href
        body = answer.body()
        assert len(body) > 0, href
        assert (
            hashlib.sha256(body).hexdigest()
            == backup.locator("[data-testid=sha256]").inner_text().strip()
        )
    links = page.locator("[data-testid=download-grades]")
    assert links.count() == (1 if grades else 0)
    if grades:
        answer = page.request.get(walk.url + links.get_attribute("href"))
        assert answer.status == 200
        assert answer.body()[:2] == b"PK", "an .xlsx workbook is a zip archive"


def test_reuse_and_reset_with_cohort_swap_and_announcement(browser, demo, seed_site):
    walk = Walk(browser, demo.url, "reuse_reset")
    course = "CHIM231-2025"
    try:
        through_the_wizard(walk, course, "reuse_reset")
        page = walk.page
        # The course's posts, and the announcement the request posts to the students first.
        assert deleted_count(page, course, "messages") == (
            course_records(seed_site, course, "posts") + 1
        )
        assert deleted_count(page, course, "travaux remis") == course_records(
            seed_site, course, "submissions"
        )
        # Grades: the gradebook's, which hold the activities' own grades too (counted once).
        assert deleted_count(page, course, "notes") == gradebook_grades(seed_site, course)
        unenrolled = headline(page, course).locator("[data-headline=unenrolled]")
        assert "L1CHIM231" in unenrolled.inner_text()
        added = headline(page, course).locator("[data-headline=added] [data-added]")
        members = {
            added.nth(i).get_attribute("data-added"): int(added.nth(i).get_attribute("data-count"))
            for i in range(added.count())
        }
        assert "L1CHIM241" in members
        # The review fits in one screen before its detail is opened.
        assert page.evaluate("document.documentElement.scrollHeight") <= HEIGHT
        assert not page.locator("[data-testid='review-CHIM231-2025'] table").first.is_visible()
        confirm_as_soon_as_possible(walk)
        # The students are warned at once; the rest waits the announcement's notice, and the
        # page says until when, as a date, without a reload.
        page.wait_for_selector(
            "[data-job=announcement][data-job-status=succeeded]", timeout=RUN_TIMEOUT_MS
        )
        assert page.evaluate("window.__notReloaded === true")
        waiting = page.locator("[data-testid=not-before]").first.inner_text()
        assert re.search(r"pas avant le \d{1,2} \w+ 20\d\d", waiting), waiting
        walk.shot("announced")
        request_pk = int(page.url.rstrip("/").rsplit("/", 1)[1])
        assert let_the_notice_pass(demo, request_pk) == 1
        follow_to_done(walk)
        assert jobs_shown(page) == [
            ("announcement", "succeeded"),
            ("grade_export", "succeeded"),
            ("backup", "succeeded"),
            ("reset", "succeeded"),
            ("cohort_resync", "succeeded"),
            ("verify", "succeeded"),
        ]
        timeline = page.locator("[data-testid=timeline]").inner_text()
        assert "Changement de cohortes" in timeline and "Contrôle du résultat" in timeline
        assert page.locator("[data-testid=not-before]").count() == 0
        assert page.locator("[data-testid=backup-verified]").count() == 1
        downloads_work(walk, backups=1, grades=True)
        # The demo's Moodle now enrols next year's cohorts in place of this year's.
        syncs = moodle_call(
            demo, "local_passage_list_cohort_syncs", courseid=course_id(seed_site, course)
        )["instances"]
        now_synced = {sync["cohortidnumber"]: sync["users"] for sync in syncs}
        assert now_synced == members, now_synced
    finally:
        walk.close()


def fresh_copy_reviewed(walk: Walk, course: str, *, separator: str = "\u202f; ") -> str:
    """The fresh copy from /courses/ to its review; returns the new course's short name."""
    through_the_wizard(walk, course, "fresh_copy")
    page = walk.page
    # The teacher and their colleague both become teachers of the new course, in one line
    # punctuated as the language does.
    added = headline(page, course).locator("[data-headline=added]").inner_text()
    assert added.count(separator) == 1, added
    outcome = page.locator("[data-testid=new-course]").inner_text()
    new_name = re.search(r"CHIM232-\d{4}", outcome).group(0)
    assert f"ex_{course}" in page.locator("[data-testid=archiving]").inner_text()
    return new_name


def fresh_copy_done(walk: Walk, new_name: str) -> None:
    """Confirmed, followed to done: the page links the new course and offers the backup."""
    page = walk.page
    confirm_as_soon_as_possible(walk)
    follow_to_done(walk)
    link = page.locator("[data-testid=new-course] a")
    assert new_name in page.locator("[data-testid=new-course]").inner_text()
    assert "/course/view.php?id=" in link.get_attribute("href")
    assert [status for _, status in jobs_shown(page)] == ["succeeded"] * 4
    downloads_work(walk, backups=1, grades=False)


def test_fresh_copy_names_the_new_course_everywhere(browser, demo_url):
    walk = Walk(browser, demo_url, "fresh_copy")
    try:
        new_name = fresh_copy_reviewed(walk, "CHIM232-2025")
        fresh_copy_done(walk, new_name)
        page = walk.page
        page.goto(f"{demo_url}/courses/")
        walk.shot("courses-after")
        assert new_name in page.locator("[data-testid=new-course-ex_CHIM232-2025]").inner_text()
        # The old course is listed where the archiving moved it.
        archived = page.locator("tr", has=page.locator("[data-testid=new-course-ex_CHIM232-2025]"))
        assert "Archives" in archived.inner_text()
        # Listed to follow its request, not to prepare again.
        assert archived.locator("input[type=checkbox]").count() == 0
        # The new course is next year's already: shown as the copy's, not to prepare again.
        created = page.locator(f"tr[data-course='{new_name}']")
        assert "Nouveau cours créé par la copie de CHIM232-2025" in created.inner_text()
        assert "Pas encore de choix" not in created.inner_text()
        assert created.locator("input[type=checkbox]").count() == 0
        page.goto(f"{demo_url}/")
        walk.shot("home-after")
        assert new_name in page.locator("[data-testid=my-courses]").inner_text()
    finally:
        walk.close()


def test_restore_from_the_previous_platform(browser, demo_url):
    walk = Walk(browser, demo_url, "restore_previous")
    try:
        through_the_wizard(walk, "CHIM235-2025", "restore_previous")
        # The headline says what comes back, and from which course of the previous platform.
        restored = headline(walk.page, "CHIM235-2025").locator("[data-headline=restored]")
        assert "CHIM235-2024" in restored.inner_text(), restored.inner_text()
        assert int(restored.get_attribute("data-activities")) > 0
        assert "sans aucune donnée d\u2019utilisateur" in restored.inner_text()
        confirm_as_soon_as_possible(walk)
        follow_to_done(walk)
        timeline = walk.page.locator("[data-testid=timeline]").inner_text()
        assert "Restauration" in timeline
        # The course backed up before the restore, and last year's course backed up to restore.
        backups = [kind for kind, _ in jobs_shown(walk.page)].count("backup")
        assert backups == 2
        downloads_work(walk, backups=backups, grades=False)
        # Last year's backup says whose it is.
        listed = walk.page.locator("[data-testid=downloads] [data-testid=backup]")
        named = [listed.nth(i).inner_text() for i in range(backups)]
        assert sum("CHIM235-2024" in line for line in named) == 1, named
    finally:
        walk.close()


def test_hand_over_to_a_colleague(browser, demo_url, seed_site):
    walk = Walk(browser, demo_url, "hand_over")
    person = next(u for u in seed_site.users.values() if u.idnumber == "E0100")
    successor, full_name = person.username, f"{person.firstname} {person.lastname}"

    def colleague(card: Any) -> None:
        card.locator("input[name$='-successor_username']").fill(successor)

    try:
        through_the_wizard(walk, "CHIM233-2025", "hand_over", colleague)
        added = headline(walk.page, "CHIM233-2025").locator("[data-headline=added]")
        # Named as people read it, not by the username typed.
        assert full_name in added.inner_text() and successor not in added.inner_text()
        confirm_as_soon_as_possible(walk)
        follow_to_done(walk)
        assert full_name in walk.page.locator("[data-testid=hand-over]").inner_text()
        assert jobs_shown(walk.page) == [("hand_over", "succeeded")]
        # Nothing is backed up or deleted: the request has nothing to download.
        downloads_work(walk, backups=0, grades=False)
        assert walk.page.locator("[data-testid=downloads]").count() == 0
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
        following(walk)
        walk.shot("request-waiting")
        assert "15 octobre 2027" in page.locator("[data-testid=special-calendar]").inner_text()
        waiting = page.locator("[data-testid=approval-state]").inner_text()
        assert "En attente" in waiting and "ingénieur pédagogique" in waiting, waiting
        assert page.locator("[data-testid=cancel]").count() == 1
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
        assert "En attente" not in page.locator("[data-testid=approval-state]").inner_text()
        # The timeline says what the engineer decided; the calendar, how it bears on the reset.
        assert "Validée le" in page.locator("[data-decision=request_approve]").inner_text()
        assert "15 octobre 2027" in page.locator("[data-testid=calendar-and-reset]").inner_text()
        # Started, then done: the page no longer offers to cancel, and its greeting has not
        # gone stale.
        assert page.locator("[data-testid=cancel]").count() == 0
        greeting = page.locator("main > [role=alert]").first.inner_text()
        assert "demande enregistrée" in greeting and "En attente" not in greeting, greeting
        timeline = page.locator("[data-testid=timeline]").inner_text()
        assert "Changement de cohortes" in timeline and "Contrôle du résultat" in timeline
        assert page.locator("[data-testid=backup-verified]").count() == 1
        downloads_work(walk, backups=1, grades=True)
    finally:
        walk.close()


# Words of the French pages that an English page must not show.
FRENCH_WORDS = (
    "Récapitulatif",
    "Conservé",
    "Supprimé",
    "Nouveau cours",
    "Ancien cours",
    "Suivant",
    "Retour",
    "Confirmer",
    "Sauvegarde",
    "Terminé",
    "Télécharger",
    "activités",
    " le ",
    " la ",
    " les ",
    " des ",
)


def no_french(text: str) -> list[str]:
    return [word.strip() for word in FRENCH_WORDS if word in text]


def test_fresh_copy_in_english(browser, tmp_path):
    """A teacher whose browser asks for British English, who also picks English in the menu,
    walks a fresh copy in English (a demo of its own: the French walk copies the same course)."""
    with demo_running(tmp_path) as own:
        walk = Walk(browser, own.url, "fresh_copy-en", locale="en-GB")
        try:
            page = walk.page
            with page.expect_navigation():
                page.select_option("select[name=language]", "en")
            assert page.locator("html").get_attribute("lang") == "en"
            assert page.locator("select[name=language] option:checked").inner_text() == "English"
            new_name = fresh_copy_reviewed(walk, "CHIM232-2025", separator="; ")
            review = page.locator("main").inner_text()
            for words in ("Review", "New course", "Old course, archived", "Kept", "Next"):
                assert words in review, words
            # Dates day first, as the French pages give them.
            start = page.locator("[data-testid=new-start-date]").first.inner_text()
            assert re.search(r"New start date: 1 September 20\d\d\b", start), start
            assert " ; " not in review
            assert no_french(review) == [], no_french(review)
            fresh_copy_done(walk, new_name)
            done = page.locator("main").inner_text()
            for words in ("Done", "Backup", "Download the backup", "Progress", "request recorded"):
                assert words in done, words
            assert not re.search(r"\b[ap]\.m\.", done), done
            assert no_french(done) == [], no_french(done)
        finally:
            walk.close()


def course_table_fits(page: Any, width: int) -> None:
    """/courses/'s table shows whole, without a scroll of its own: every column inside the
    screen, the status readable, each short name on one line."""
    table = page.locator("[data-testid=campaign-courses]")
    box = table.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= width, box
    scroll = page.evaluate(
        "() => { const w = document.querySelector('[data-testid=campaign-courses]')"
        ".parentElement; return [w.scrollWidth, w.clientWidth]; }"
    )
    assert scroll[0] <= scroll[1], scroll
    rows = table.locator("tbody tr[data-course]")
    assert rows.count() > 0
    for i in range(rows.count()):
        row = rows.nth(i)
        status = row.locator("td").last.bounding_box()
        assert status["x"] + status["width"] <= width, row.get_attribute("data-course")
        assert status["width"] >= 90, (row.get_attribute("data-course"), status)
        lines = row.locator("code").first.evaluate("code => code.getClientRects().length")
        assert lines == 1, row.get_attribute("data-course")


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
            if name == "courses":
                course_table_fits(page, width)
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

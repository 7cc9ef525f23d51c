"""The demo, end to end: `python -m portal.demo` running, a teacher signs in with Chromium and
sees the courses Moodle says they teach."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from moodle_client import MoodleClient
from moodle_client.standin import StandinServer

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT = 120.0


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def demo_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = _free_port()
    var_dir = tmp_path_factory.mktemp("demo-var")
    log = (var_dir / "demo.log").open("wb")
    environment = {
        key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"
    }
    environment.update({"PORT": str(port), "PASSAGE_VAR_DIR": str(var_dir)})
    environment.pop("REDIS_URL", None)
    demo = subprocess.Popen(
        [sys.executable, "-m", "portal.demo"],
        cwd=ROOT,
        env=environment,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while b"Passage demo is running" not in (var_dir / "demo.log").read_bytes():
            if demo.poll() is not None or time.monotonic() > deadline:
                pytest.fail("the demo did not start:\n" + (var_dir / "demo.log").read_text())
            time.sleep(0.5)
        yield url
    finally:
        demo.send_signal(signal.SIGINT)
        try:
            demo.wait(timeout=30)
        except subprocess.TimeoutExpired:
            demo.kill()
        log.close()
    assert b"Passage demo stopped." in (var_dir / "demo.log").read_bytes()


def _courses_moodle_says_teacher_teaches() -> set[str]:
    """Asked of a stand-in started from the same seed, independently of the portal."""
    with StandinServer.start(seed="demo", port=0) as moodle:
        client = MoodleClient(moodle.url, "admin")
        userid = moodle.site.user_by_username("teacher").id
        return {
            course.shortname
            for course in client.get_user_courses(userid)
            if any(
                role.shortname == "editingteacher"
                for user in client.get_enrolled_users(course.id)
                if user.id == userid
                for role in user.roles
            )
        }


def test_teacher_signs_in_and_sees_their_courses(demo_url: str, browser: Any) -> None:
    expected = _courses_moodle_says_teacher_teaches()
    assert len(expected) >= 2
    page = browser.new_page(locale="fr-FR")
    page.goto(demo_url)
    assert "/accounts/login/" in page.url
    page.fill("input[name=username]", "teacher")
    page.fill("input[name=password]", "demo")
    page.click("button[type=submit]")
    page.wait_for_selector("[data-testid=my-courses]")
    assert page.inner_text("h1") == "Mes cours dans Moodle"
    shown = {
        code.strip()
        for code in page.locator("[data-testid=my-courses] tbody tr td code").all_inner_texts()
    }
    assert expected <= shown
    assert page.inner_text("[data-testid=signed-in-as]")


def test_the_demo_refuses_a_wrong_password(demo_url: str, browser: Any) -> None:
    page = browser.new_page()
    page.goto(demo_url + "accounts/login/")
    page.fill("input[name=username]", "teacher")
    page.fill("input[name=password]", "not-the-password")
    page.click("button[type=submit]")
    assert "/accounts/login/" in page.url
    assert page.locator("[data-testid=my-courses]").count() == 0


def test_demo_serves_its_static_files(demo_url: str) -> None:
    with urllib.request.urlopen(demo_url + "static/vendor/bootstrap/css/bootstrap.min.css") as css:
        assert css.status == 200
    with pytest.raises(urllib.error.HTTPError):
        urllib.request.urlopen(demo_url + "static/missing.css")


def test_the_demo_shows_the_portals_own_pages_as_production_does(
    demo_url: str, browser: Any
) -> None:
    """DEBUG is off in the demo: a missing page is the portal's, in French, and the dashboard's
    script and styles come through WhiteNoise."""
    page = browser.new_page(locale="fr-FR")
    page.goto(demo_url + "accounts/login/")
    page.fill("input[name=username]", "admin")
    page.fill("input[name=password]", "demo")
    page.click("button[type=submit]")
    answer = page.goto(demo_url + "nulle-part/")
    assert answer is not None and answer.status == 404
    assert page.inner_text("h1") == "Page introuvable"
    assert "Using the URLconf" not in page.content()
    page.goto(demo_url + "dashboard/")
    page.wait_for_selector("[data-testid=last-refresh]:not(:empty)", timeout=20_000)
    assert (
        page.evaluate("getComputedStyle(document.querySelector('.navbar')).display") == "flex"
    )  # Bootstrap's CSS, served by WhiteNoise

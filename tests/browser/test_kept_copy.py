"""Keeping a copy of what the reset deletes, in Debian's Chromium, on the stand-in's demo
university: the teacher ticks it, the review counts it, the engine builds it before the reset,
the teacher downloads it from the request's page and opens it."""

from __future__ import annotations

import os
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model

from moodle_client.standin import StandinServer
from tests.engine.conftest import engine_settings, run_until_idle  # noqa: F401 - autouse
from tests.factories import CampaignFactory, MoodleInstanceFactory
from transition.models import KeptCopy, MoodleInstance, TransitionRequest
from transition.services.policies import policy_create_caen_default
from transition.services.sync import instance_sync
from transition.tokens import token_encrypt

pytestmark = [pytest.mark.browser, pytest.mark.keep_copy]

SHORTNAME = "CHIM231-2025"
SCREENSHOTS = os.environ.get("PASSAGE_SCREENSHOTS", "")


@pytest.fixture(scope="module")
def demo_site() -> Iterator[StandinServer]:
    server = StandinServer.start(seed="demo")
    yield server
    server.stop()


@pytest.fixture
def teacher_page(transactional_db, live_server, demo_site, browser):
    instance = MoodleInstanceFactory(
        name="ecampus",
        role=MoodleInstance.Role.CURRENT,
        url=demo_site.url,
        token_encrypted=token_encrypt("admin"),
    )
    instance_sync(instance=instance)
    CampaignFactory(academic_year="2026-2027", policy=policy_create_caen_default(), allow_asap=True)
    teacher = get_user_model().objects.get(username="teacher")
    teacher.set_password("demo-password")
    teacher.save()
    context = browser.new_context(locale="fr-FR", accept_downloads=True)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "teacher")
    page.fill("input[name=password]", "demo-password")
    page.click("button[type=submit], input[type=submit]")
    page.goto(f"{live_server.url}/courses/")
    yield page
    context.close()


def shot(page: Any, name: str, selector: str = "") -> None:
    """A screenshot to look at (PASSAGE_SCREENSHOTS=folder): the page, or one part of it."""
    if not SCREENSHOTS:
        return
    path = str(Path(SCREENSHOTS) / f"{name}.png")
    if selector:
        page.locator(selector).screenshot(path=path)
    else:
        page.screenshot(path=path, full_page=True)


def counts_shown(page: Any, selector: str, attribute: str, column: str = "") -> dict[str, int]:
    cells = page.locator(selector)
    found = {}
    for index in range(cells.count()):
        cell = cells.nth(index)
        text = (cell.locator(column) if column else cell).inner_text()
        found[cell.get_attribute(attribute)] = int(re.search(r"\d+", text).group())
    return found


def test_the_teacher_downloads_and_opens_the_copy_of_what_the_reset_deleted(
    teacher_page, demo_site, tmp_path
):
    page = teacher_page
    page.check(f"input[aria-label='{SHORTNAME}']")
    page.click("[data-testid=prepare-selected]")
    page.click("[data-testid=next]")
    page.locator(f"[data-testid='scenario-{SHORTNAME}'] input[value=reuse_reset]").check()
    page.click("[data-testid=next]")
    page.check("[data-testid=keep-copy-option] input[type=checkbox]")
    page.uncheck("input[name$='-announce']")
    shot(page, "kept-copy-options", f"[data-testid='options-{SHORTNAME}']")
    page.click("[data-testid=next]")
    reviewed = counts_shown(page, f"[data-testid='kept-{SHORTNAME}'] li[data-kept]", "data-kept")
    shot(page, "kept-copy-review", f"[data-testid='kept-{SHORTNAME}']")
    assert reviewed["forum_posts"] > 0 and reviewed["assign_submissions"] > 0
    page.click("[data-testid=next]")
    page.check("input[name='confirm-acknowledge']")
    page.check("input[name='confirm-when'][value=asap]")
    page.click("[data-testid=confirm]")
    page.wait_for_selector("[data-testid=request-status]")
    request = TransitionRequest.objects.get(course__shortname=SHORTNAME)

    # "As soon as possible": the request started when the teacher confirmed.
    run_until_idle(request)

    request.refresh_from_db()
    assert request.status == TransitionRequest.Status.DONE
    assert KeptCopy.objects.get(request=request).counts == reviewed
    page.reload()
    on_page = counts_shown(
        page, "[data-testid=kept-copy] tr[data-kept]", "data-kept", "[data-col=copy]"
    )
    assert on_page == reviewed
    shot(page, "kept-copy-request", "[data-testid=kept-copy]")
    with page.expect_download() as download_info:
        page.click("[data-testid=kept-copy-download]")
    archive = tmp_path / "copy.zip"
    download_info.value.save_as(archive)
    folder = tmp_path / "copy"
    zipfile.ZipFile(archive).extractall(folder)

    page.goto((folder / "index.html").as_uri())
    in_copy = counts_shown(page, "td[data-count]", "data-count")
    assert in_copy == reviewed
    shot(page, "kept-copy-index")
    page.click('a:has-text("Forum d\'entraide")')
    posts = page.locator("article[data-post]")
    forum = next(
        m for m in demo_site.site.course_modules.values()
        if m.name == "Forum d'entraide"
        and demo_site.site.courses[m.course].shortname == SHORTNAME
    )  # fmt: skip
    # The reset deleted them in Moodle; the copy shows every one, with its author.
    assert not list(demo_site.site.user_data_of(cmid=forum.id, kind="posts"))
    assert posts.count() > 0
    assert posts.count() == sum(
        1 for line in (folder / "forums.csv").read_text("utf-8-sig").splitlines()[1:]
        if line.startswith("Forum d'entraide,")
    )  # fmt: skip
    assert all(posts.nth(i).locator(".meta").inner_text().strip() for i in range(posts.count()))
    shot(page, "kept-copy-forum")

"""The whole portal against a real Moodle: the nightly sync, the wizard in Debian's Chromium
as a teacher the sync brought in, a real Celery worker (with its beat) over Redis.

Each scenario compares the review with what Moodle holds before (read through core web
services, not the plugin's inventory the review is built from) and Moodle's state after the
run with the review. Every test runs twice, each time with a fresh portal database whose
requests are numbered from 1 again, against the same Moodle: what an earlier installation left
there must not be taken for this one's work.

Needs ``MOODLE_URL``, ``MOODLE_TOKEN``, ``MOODLE_LIVE_WRITE=1`` and
``MOODLE_LIVE_TEMPLATE_COURSE`` (see README, "Live tests"). A second "previous platform" is the
same Moodle registered a second time in the portal, its courses in their own category.
"""

from __future__ import annotations

import datetime
import hashlib
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from moodle_client import MoodleClient
from tests.engine.worker_process import CeleryWorker, broker_purge, redis_ensure_up
from tests.factories import CampaignFactory, UserFactory
from tests.live.campus import (
    PASSWORD,
    Campus,
    campus_build,
    campus_remove,
    discussions_of,
    modules_of,
    students_of,
    teachers_of,
)
from transition.engine.sweeper import jobs_sweep
from transition.models import Backup, Category, Course, Job, MoodleInstance, TransitionRequest
from transition.services.policies import policy_create_caen_default
from transition.services.sync import instance_sync
from transition.tokens import token_encrypt

pytestmark = [
    pytest.mark.browser,
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True, reset_sequences=True),
]

# Production's beat (a round a minute: "as soon as possible" must not wait for it) and looks at
# operations, shorter retries for a small course.
LIVE_ENGINE = {
    "retry_base_delay": 2.0,
    "retry_max_delay": 10.0,
    "heartbeat_interval": 5.0,
    "heartbeat_stale": 120.0,
    "requeue_after": 120.0,
    "slot_wait": 10.0,
    "busy_delay": 5.0,
    "sweep_interval": 60.0,
}
# How long a whole request may take on a small course of a real Moodle.
REQUEST_TIMEOUT = 300.0
FINAL = {TransitionRequest.Status.DONE, TransitionRequest.Status.FAILED}


@pytest.fixture(params=["first portal", "second portal"])
def portal_run(request: pytest.FixtureRequest) -> str:
    """Both runs use the same Moodle; each has its own fresh database (ids from 1)."""
    return request.param


@pytest.fixture
def campus(
    live_client: MoodleClient, live_category: int, unique: str, portal_run: str
) -> Iterator[Campus]:
    built = campus_build(live_client, categoryid=live_category, unique=unique)
    yield built
    campus_remove(built)


@dataclass
class Portal:
    url: str
    page: Any
    worker: CeleryWorker
    current: MoodleInstance
    previous: MoodleInstance
    campaign: Any
    client: MoodleClient

    def sync(self) -> None:
        for instance in (self.current, self.previous):
            instance_sync(instance=instance)

    def course(self, moodle_id: int, *, previous: bool = False) -> Course:
        instance = self.previous if previous else self.current
        return Course.objects.get(instance=instance, moodle_id=moodle_id)

    def wait(self, condition: Callable[[], bool], what: str, timeout: float = REQUEST_TIMEOUT):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if condition():
                return
            if Job.objects.filter(status=Job.Status.FAILED).exists():
                break  # a failed job never comes back by itself
            time.sleep(0.5)
        jobs = list(Job.objects.order_by("pk").values_list("kind", "status", "last_error_code"))
        raise AssertionError(
            f"timed out waiting for {what}; jobs {jobs}\n{self.worker.output()[-3000:]}"
        )

    def settle(self, request: TransitionRequest) -> TransitionRequest:
        self.wait(lambda: _fresh(request).status in FINAL, f"request {request.pk} to end")
        request = _fresh(request)
        jobs = [(j.kind, j.status, j.last_error_code) for j in request.jobs.order_by("position")]
        assert request.status == TransitionRequest.Status.DONE, jobs
        return request


def _fresh(request: TransitionRequest) -> TransitionRequest:
    return TransitionRequest.objects.get(pk=request.pk)


@pytest.fixture
def portal(
    live_server: Any,
    live_client: MoodleClient,
    browser: Any,
    settings: Any,
    tmp_path: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[Portal]:
    settings.ENGINE = LIVE_ENGINE
    settings.MOODLE_TIMEOUT = 120
    settings.STORAGES = {
        **settings.STORAGES,
        "backups": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "backups"},
        },
    }
    monkeypatch.setenv("PASSAGE_TEST_MOODLE_TIMEOUT", "120")
    token = token_encrypt(os.environ["MOODLE_TOKEN"].strip())
    current = MoodleInstance.objects.create(
        name="ecampus", url=live_client.base_url, role="current", token_encrypted=token
    )
    previous = MoodleInstance.objects.create(
        name="ecampus-previous", url=live_client.base_url, role="previous", token_encrypted=token
    )
    campaign = CampaignFactory(
        academic_year="2026-2027", policy=policy_create_caen_default(), allow_asap=True
    )
    redis_ensure_up()
    broker_purge()
    worker = CeleryWorker(
        storage=tmp_path, engine=LIVE_ENGINE, concurrency=2, log=tmp_path / "worker.log"
    ).start()
    context = browser.new_context(locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(120_000)
    try:
        yield Portal(
            url=live_server.url,
            page=page,
            worker=worker,
            current=current,
            previous=previous,
            campaign=campaign,
            client=live_client,
        )
    finally:
        context.close()
        worker.stop()
        broker_purge()


def sign_in(portal: Portal, username: str) -> None:
    """Give the account the sync created a password (no CAS here), and sign in with it."""
    user = get_user_model().objects.get(username=username)
    user.set_password(PASSWORD)
    user.save()
    page = portal.page
    page.goto(f"{portal.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit], input[type=submit]")


def wizard_to_options(portal: Portal, shortname: str, scenario: str) -> Any:
    page = portal.page
    page.goto(f"{portal.url}/courses/")
    page.check(f"input[aria-label='{shortname}']")
    page.click("[data-testid=prepare-selected]")
    page.click("[data-testid=next]")
    card = page.locator(f"[data-testid='scenario-{shortname}']")
    card.locator(f"input[type=radio][value={scenario}]").check()
    return card


def confirm(portal: Portal, shortname: str) -> TransitionRequest:
    page = portal.page
    page.click("[data-testid=next]")
    page.check("input[name='confirm-acknowledge']")
    asap = page.locator("input[name='confirm-when'][value='asap']")
    if asap.count():
        asap.check()
    page.click("[data-testid=confirm]")
    page.wait_for_selector("[data-testid=request-status], [data-testid=campaign-courses]")
    return TransitionRequest.objects.get(course__shortname=shortname)


def review_rows(page: Any, shortname: str, kind: str, subject: str | None = None) -> list[Any]:
    selector = f"[data-testid='review-{shortname}'] tr[data-kind='{kind}']"
    if subject is not None:
        selector += f"[data-subject='{subject}']"
    rows = page.locator(selector)
    return [rows.nth(index) for index in range(rows.count())]


def review_total(page: Any, shortname: str, kind: str, subject: str | None = None) -> int:
    total = 0
    for row in review_rows(page, shortname, kind, subject):
        text = (row.locator("[data-col=total]").text_content() or "").strip()
        total += int(text) if text.isdigit() else 0
    return total


def review_fates(page: Any, shortname: str, kind: str, subject: str | None = None) -> set[str]:
    return {row.get_attribute("data-fate") for row in review_rows(page, shortname, kind, subject)}


def backup_matches_moodle(backup: Backup) -> None:
    """The stored file is the one Moodle wrote: its SHA-1 is Moodle's content hash."""
    from django.core.files.storage import storages

    with storages["backups"].open(backup.storage_name, "rb") as stored:
        digest = hashlib.sha1(stored.read()).hexdigest()
    assert backup.moodle_contenthash == digest


def test_reuse_and_reset_with_cohort_swap_and_announcement(portal: Portal, campus: Campus) -> None:
    client = portal.client
    shortname = f"LIVER{campus.unique}-2025"
    courseid = campus.course_taught(shortname, posts=3, news_forum=False)
    assert not [f for f in client.get_forums([courseid]) if f.type == "news"], (
        "the course must have no announcements forum yet"
    )
    portal.sync()
    sign_in(portal, campus.teacher.username)
    wizard_to_options(portal, shortname, "reuse_reset")
    page = portal.page
    page.click("[data-testid=next]")
    page.fill("input[name$='-cohorts_add']", campus.new_cohort.idnumber)
    page.check("input[name$='-announce']")
    page.fill("input[name$='-announce_days']", "1")
    page.click("[data-testid=next]")

    # The review against Moodle's state before.
    before_students = students_of(client, courseid)
    assert review_total(page, shortname, "posts") == len(discussions_of(client, courseid))
    assert review_fates(page, shortname, "posts") == {"deleted"}
    old, new = campus.old_cohort, campus.new_cohort
    assert review_total(page, shortname, "cohort_students", old.idnumber) == len(old.members)
    assert review_fates(page, shortname, "cohort_students", old.idnumber) == {"unenrolled"}
    # The cohort being added shows how many students it brings.
    assert review_total(page, shortname, "cohort_students", new.idnumber) == len(new.members)
    assert review_fates(page, shortname, "cohort_students", new.idnumber) == {"added"}
    assert before_students == set(old.members)
    request = confirm(portal, shortname)
    confirmed = timezone.now()

    # The announcement goes out at once, into the announcements forum Moodle creates.
    portal.wait(
        lambda: request.jobs.filter(
            kind=Job.Kind.ANNOUNCEMENT, status=Job.Status.SUCCEEDED
        ).exists(),
        "the announcement",
    )
    announcement = request.jobs.get(kind=Job.Kind.ANNOUNCEMENT)
    assert (announcement.started_at - confirmed).total_seconds() < 15
    news = discussions_of(client, courseid, news=True)
    assert len(news) == 1
    # The reset waits the announcement's days: the students have time to read it.
    reset = request.jobs.get(kind=Job.Kind.RESET)
    assert reset.status in (Job.Status.QUEUED, Job.Status.WAITING)
    assert students_of(client, courseid) == before_students
    first_after = request.jobs.filter(position=announcement.position + 1).get()
    assert first_after.not_before is not None
    assert first_after.not_before >= announcement.finished_at + datetime.timedelta(days=1)

    # A day later (the clock moved by hand): the rest runs.
    request.jobs.filter(status__in=(Job.Status.QUEUED, Job.Status.WAITING)).update(
        not_before=timezone.now()
    )
    jobs_sweep()
    request = portal.settle(request)

    # Moodle's state after equals the review.
    assert discussions_of(client, courseid) == []
    assert students_of(client, courseid) == set(new.members)
    syncs = client.list_cohort_syncs(courseid)
    assert {sync.cohortidnumber for sync in syncs} == {new.idnumber}
    assert teachers_of(client, courseid) == {campus.teacher.username}
    backup = Backup.objects.get(job__request=request)
    backup_matches_moodle(backup)


def test_fresh_copy_enrols_the_teacher_and_archives_the_old_course(
    portal: Portal, campus: Campus
) -> None:
    client = portal.client
    shortname = f"LIVEC{campus.unique}-2025"
    courseid = campus.course_taught(shortname)
    portal.sync()
    sign_in(portal, campus.teacher.username)
    card = wizard_to_options(portal, shortname, "fresh_copy")
    new_shortname = card.locator("input[name$='-new_shortname']").input_value()
    assert new_shortname == f"LIVEC{campus.unique}-2026"
    hide = card.locator("input[name$='-archive_hide']").is_checked()
    prefix = card.locator("input[name$='-archive_prefix']").is_checked()
    page = portal.page
    page.click("[data-testid=next]")
    page.click("[data-testid=next]")
    posts = len(discussions_of(client, courseid))
    assert review_total(portal.page, shortname, "posts") == posts
    assert review_fates(portal.page, shortname, "posts") <= {"kept"}
    # The review says who will teach the new course.
    section = page.locator(f"[data-testid='review-course-{shortname}']")
    assert campus.teacher.username in section.inner_text() or (
        "Teacher Live" in section.inner_text()
    )
    request = confirm(portal, shortname)
    portal.settle(request)

    new = client.find_course_by_shortname(new_shortname)
    assert new is not None
    assert modules_of(client, new.id) == modules_of(client, courseid)
    # The requesting teacher teaches the new course.
    assert teachers_of(client, new.id) == {campus.teacher.username}
    old = client.get_course(courseid)
    assert old.fullname.startswith(portal.campaign.archive_prefix) == prefix
    assert (not old.visible) == hide
    # The old course keeps its posts: nothing of it was reset.
    assert len(discussions_of(client, courseid)) == posts


def test_restore_from_the_previous_platform(
    portal: Portal, campus: Campus, live_client: MoodleClient
) -> None:
    client = portal.client
    previous_category = client.create_category(
        f"Passage live previous {campus.unique}", parent=campus.categoryid
    )
    source_shortname = f"LIVEP{campus.unique}-2024"
    sourceid = campus.course_taught(source_shortname, categoryid=previous_category.id)
    target_shortname = f"LIVEP{campus.unique}-2025"
    targetid = campus.course_empty(target_shortname)
    portal.sync()
    sign_in(portal, campus.teacher.username)
    card = wizard_to_options(portal, target_shortname, "restore_previous")
    source = portal.course(sourceid, previous=True)
    card.locator("select[name$='-restore_source']").select_option(str(source.pk))
    page = portal.page
    page.click("[data-testid=next]")
    page.click("[data-testid=next]")
    rows = review_rows(page, target_shortname, "activity")
    assert rows and any(source_shortname in (row.text_content() or "") for row in rows)
    assert not (review_fates(page, target_shortname, "activity") >= {"deleted", "blocked"})
    request = confirm(portal, target_shortname)
    portal.settle(request)

    assert modules_of(client, targetid) == modules_of(client, sourceid)
    # Anonymous: the previous platform's students do not come with the content.
    assert students_of(client, targetid) == set()


def test_restore_on_request_with_user_data(portal: Portal, campus: Campus) -> None:
    client = portal.client
    shortname = f"LIVEQ{campus.unique}-2025"
    courseid = campus.course_taught(shortname, posts=2)
    portal.sync()
    course = portal.course(courseid)
    admin = UserFactory(username=f"admin-{campus.unique}", roles=["admin"])
    # Backup week: the campaign's backup of the course, with its user data.
    from transition.engine.services import campaign_backup_all

    campaign_backup_all(campaign=portal.campaign, actor=admin, courses=[course])
    portal.wait(
        lambda: Backup.objects.filter(course=course, verified_at__isnull=False).exists(),
        "the campaign's backup",
    )
    backup = Backup.objects.get(course=course)
    posts = len(discussions_of(client, courseid))
    students = students_of(client, courseid)

    admin.set_password(PASSWORD)
    admin.save()
    page = portal.page
    page.goto(f"{portal.url}/accounts/login/")
    page.fill("input[name=username]", admin.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit], input[type=submit]")
    page.goto(f"{portal.url}/admin-portal/restore/{backup.pk}/")
    # Into a new course (the form proposes the same course first).
    page.locator("select[name$='target']").select_option("")
    new_shortname = f"LIVEQ{campus.unique}-R"
    page.fill("input[name$='new_shortname']", new_shortname)
    page.fill("input[name$='new_fullname']", f"Restored {campus.unique}")
    category = Category.objects.get(instance=portal.current, moodle_id=campus.categoryid)
    page.locator("select[name$='new_category']").select_option(str(category.pk))
    # The admin chooses what comes back: the content and its user data.
    page.locator("select[name$='users']").select_option("1")
    page.click("[data-testid=restore-review]")
    # The review counts what comes back.
    page.wait_for_selector("[data-testid=restore-confirm]")
    posts_rows = page.locator("tr[data-kind='posts']")
    counted = sum(
        int(text) if text.isdigit() else 0
        for text in (
            (posts_rows.nth(i).locator("[data-col=total]").text_content() or "").strip()
            for i in range(posts_rows.count())
        )
    )
    assert counted == posts
    page.check("input[name$='acknowledge']")
    page.click("[data-testid=restore-run]")
    portal.wait(
        lambda: TransitionRequest.objects.filter(course__shortname=new_shortname).exists(),
        "the restore request",
    )
    request = portal.settle(TransitionRequest.objects.get(course__shortname=new_shortname))

    restored = client.find_course_by_shortname(new_shortname)
    assert restored is not None and request.course.moodle_id == restored.id
    assert len(discussions_of(client, restored.id)) == posts
    assert students_of(client, restored.id) == students

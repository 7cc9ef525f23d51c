"""The whole portal against a real Moodle: the nightly sync, the wizard in Debian's Chromium
as a teacher the sync brought in, a real Celery worker (with its beat) over Redis.

Each scenario compares the review with what Moodle holds before (read through core web
services, not the plugin's inventory the review is built from) and Moodle's state after the
run with the review; with ``MOODLE_LIVE_DATABASE`` also with Moodle's rows, read in SQL
(`tests.live.moodle_db`). Every test runs twice, each time with a fresh portal database whose
requests are numbered from 1 again, against the same Moodle: what an earlier installation left
there must not be taken for this one's work.

Needs ``MOODLE_URL``, ``MOODLE_TOKEN``, ``MOODLE_LIVE_WRITE=1`` and
``MOODLE_LIVE_TEMPLATE_COURSE`` (see README, "Live tests"); ``MOODLE_LIVE_DATABASE`` adds the
SQL checks. A second "previous platform" is the
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
    END_DATE,
    PASSWORD,
    START_DATE,
    Campus,
    campus_build,
    campus_remove,
    discussions_of,
    modules_of,
    students_of,
    teachers_of,
)
from tests.live.moodle_db import SKIP_REASON, MoodleDatabase
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


def review_group_rows(page: Any, shortname: str, kind: str, modname: str) -> list[Any]:
    """The detail's rows of one kind in the groups of one module type ("" outside activities:
    course, gradebook, groups)."""
    rows = page.locator(
        f"[data-testid='review-{shortname}'] details[data-modname='{modname}'] "
        f"tr[data-kind='{kind}']"
    )
    return [rows.nth(index) for index in range(rows.count())]


# The review's counts compared with Moodle's rows: name -> (row kind, module type of its group).
REVIEWED_DATA = {
    "forum posts": ("posts", "forum"),
    "assignment submissions": ("submissions", "assign"),
    "assignment grades": ("grades", "assign"),
    "gradebook grades": ("grades", ""),
}


@dataclass(frozen=True)
class Reviewed:
    total: int
    fates: frozenset[str]

    @property
    def deletes_all(self) -> bool:
        return self.fates == {"deleted"}

    @property
    def keeps_all(self) -> bool:
        return self.fates <= {"kept"}


def review_data(page: Any, shortname: str) -> dict[str, Reviewed]:
    found = {}
    for name, (kind, modname) in REVIEWED_DATA.items():
        rows = review_group_rows(page, shortname, kind, modname)
        total = 0
        for row in rows:
            text = (row.locator("[data-col=total]").text_content() or "").strip()
            total += int(text) if text.isdigit() else 0
        found[name] = Reviewed(total, frozenset(row.get_attribute("data-fate") for row in rows))
    return found


def moodle_data(db: MoodleDatabase, courseid: int) -> dict[str, int]:
    """The rows behind each of REVIEWED_DATA in Moodle's database."""
    return {
        "forum posts": db.forum_posts(courseid),
        "assignment submissions": db.assign_submissions(courseid),
        "assignment grades": db.assign_grades(courseid),
        "gradebook grades": db.gradebook_grades(courseid),
    }


def data_after_as_reviewed(
    reviewed: dict[str, Reviewed], before: dict[str, int], after: dict[str, int]
) -> None:
    """What the review deletes is gone, what it keeps is there."""
    for name, review in reviewed.items():
        if review.deletes_all:
            assert after[name] == 0, (name, review, after)
        elif review.keeps_all:
            assert after[name] == before[name], (name, review, before, after)
        else:
            raise AssertionError(f"{name}: the review gives mixed fates {review.fates}")


def review_dates(page: Any, shortname: str) -> dict[str, tuple[int, int]]:
    """The review's dates table: kind -> (before, after) as Unix times (0: none)."""
    rows = page.locator(f"[data-testid='review-dates-{shortname}'] tr[data-date]")
    return {
        rows.nth(i).get_attribute("data-date"): (
            int(rows.nth(i).get_attribute("data-before")),
            int(rows.nth(i).get_attribute("data-after")),
        )
        for i in range(rows.count())
    }


def headline_count(page: Any, shortname: str, headline: str) -> int:
    item = page.locator(f"[data-testid='headline-{shortname}'] li[data-headline='{headline}']")
    return int(item.get_attribute("data-count") or 0)


def backup_matches_moodle(backup: Backup) -> None:
    """The stored file is the one Moodle wrote: its SHA-1 is Moodle's content hash."""
    from django.core.files.storage import storages

    with storages["backups"].open(backup.storage_name, "rb") as stored:
        digest = hashlib.sha1(stored.read()).hexdigest()
    assert backup.moodle_contenthash == digest


def test_reuse_and_reset_with_cohort_swap_and_announcement(
    portal: Portal, campus: Campus, moodle_db: MoodleDatabase | None
) -> None:
    client = portal.client
    db = moodle_db
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
    # The course's posts, and the announcement the request posts first: all deleted.
    assert review_total(page, shortname, "posts") == len(discussions_of(client, courseid)) + 1
    assert review_fates(page, shortname, "posts") == {"deleted"}
    old, new = campus.old_cohort, campus.new_cohort
    assert review_total(page, shortname, "cohort_students", old.idnumber) == len(old.members)
    assert review_fates(page, shortname, "cohort_students", old.idnumber) == {"unenrolled"}
    # The cohort being added shows how many students it brings.
    assert review_total(page, shortname, "cohort_students", new.idnumber) == len(new.members)
    assert review_fates(page, shortname, "cohort_students", new.idnumber) == {"added"}
    assert before_students == set(old.members)
    # The dates the campaign gives: start and end move to next year, the same day.
    dates = review_dates(page, shortname)
    assert dates["startdate"][0] == START_DATE and dates["enddate"][0] == END_DATE
    assert dates["startdate"][1] > START_DATE
    reviewed = review_data(page, shortname)
    unenrolled = headline_count(page, shortname, "unenrolled")
    if db is not None:
        # The same, against Moodle's rows.
        data_before = moodle_data(db, courseid)
        announced = {**data_before, "forum posts": data_before["forum posts"] + 1}
        assert {name: r.total for name, r in reviewed.items()} == announced
        enrolled = db.enrolled_by_method(courseid)
        assert enrolled.get(old.idnumber) == set(old.members)
        assert review_total(page, shortname, "cohort_students", old.idnumber) == len(
            enrolled[old.idnumber]
        )
        assert review_total(page, shortname, "cohort_students", new.idnumber) == db.cohort_members(
            new.idnumber
        )
        assert unenrolled == len(db.students(courseid))
        course_before = db.course(courseid)
        assert (course_before.startdate, course_before.enddate) == (
            dates["startdate"][0],
            dates["enddate"][0],
        )
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
    after = client.get_course(courseid)
    assert (after.startdate, after.enddate) == (dates["startdate"][1], dates["enddate"][1])
    backup = Backup.objects.get(job__request=request)
    backup_matches_moodle(backup)

    if db is None:
        pytest.skip(SKIP_REASON)
    # Moodle's rows after equal the review: what it deletes is gone (the announcement too),
    # what it keeps is there.
    data_after_as_reviewed(reviewed, data_before, moodle_data(db, courseid))
    enrolled = db.enrolled_by_method(courseid)
    assert old.idnumber not in enrolled
    assert enrolled.get(new.idnumber) == set(new.members)
    assert db.students(courseid) == set(new.members)
    assert db.cohort_syncs(courseid) == {new.idnumber}
    assert db.role_holders(courseid, "editingteacher") == {campus.teacher.username}
    course_after = db.course(courseid)
    assert (course_after.startdate, course_after.enddate) == (
        dates["startdate"][1],
        dates["enddate"][1],
    )
    assert backup.moodle_operation_id in db.backup_operations(courseid)
    assert db.operation_contenthash(backup.moodle_operation_id) == backup.moodle_contenthash


def test_fresh_copy_enrols_the_teacher_and_archives_the_old_course(
    portal: Portal, campus: Campus, moodle_db: MoodleDatabase | None
) -> None:
    client = portal.client
    db = moodle_db
    shortname = f"LIVEC{campus.unique}-2025"
    courseid = campus.course_taught(shortname)
    portal.sync()
    sign_in(portal, campus.teacher.username)
    card = wizard_to_options(portal, shortname, "fresh_copy")
    new_shortname = card.locator("input[name$='-new_shortname']").input_value()
    assert new_shortname == f"LIVEC{campus.unique}-2026"
    hide = card.locator("input[name$='-archive_hide']").is_checked()
    prefix = card.locator("input[name$='-archive_prefix']").is_checked()
    move = card.locator("input[name$='-archive_move']")
    moves = move.count() > 0 and move.is_checked()
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
    # The new course's dates: last year's, moved to the campaign's year.
    dates = review_dates(page, shortname)
    assert dates["startdate"][0] == START_DATE and dates["enddate"][0] == END_DATE
    reviewed = review_data(page, shortname)
    if db is not None:
        data_before = moodle_data(db, courseid)
        assert {name: r.total for name, r in reviewed.items()} == data_before
        old_before = db.course(courseid)
    request = confirm(portal, shortname)
    portal.settle(request)

    new = client.find_course_by_shortname(new_shortname)
    assert new is not None
    assert modules_of(client, new.id) == modules_of(client, courseid)
    # The requesting teacher teaches the new course.
    assert teachers_of(client, new.id) == {campus.teacher.username}
    assert (new.startdate, new.enddate) == (dates["startdate"][1], dates["enddate"][1])
    old = client.get_course(courseid)
    assert old.fullname.startswith(portal.campaign.archive_prefix) == prefix
    assert (not old.visible) == hide
    # The old course keeps its posts: nothing of it was reset.
    assert len(discussions_of(client, courseid)) == posts

    if db is None:
        pytest.skip(SKIP_REASON)
    # The new course in Moodle's rows: its dates as reviewed, its teacher's role assignment
    # in its own context.
    copied = db.course(new.id)
    assert (copied.startdate, copied.enddate) == (dates["startdate"][1], dates["enddate"][1])
    assert db.role_holders(new.id, "editingteacher") == {campus.teacher.username}
    assert moodle_data(db, new.id)["forum posts"] == 0
    # The old course archived as reviewed, its data all there.
    data_after_as_reviewed(reviewed, data_before, moodle_data(db, courseid))
    archived = db.course(courseid)
    archive_prefix = portal.campaign.archive_prefix if prefix else ""
    assert archived.shortname == archive_prefix + old_before.shortname
    assert archived.fullname == archive_prefix + old_before.fullname
    category = portal.campaign.archive_category
    assert archived.category == (category.moodle_id if moves else old_before.category)
    assert archived.visible == (old_before.visible and not hide)
    assert (archived.startdate, archived.enddate) == (old_before.startdate, old_before.enddate)


def previous_platform_course(portal: Portal, campus: Campus, shortname: str) -> int:
    """A course the teacher taught last year, in a category of its own: the previous platform
    is the same Moodle, registered a second time."""
    category = portal.client.create_category(
        f"Passage live previous {campus.unique}", parent=campus.categoryid
    )
    return campus.course_taught(shortname, categoryid=category.id)


def test_restore_from_the_previous_platform(
    portal: Portal, campus: Campus, live_client: MoodleClient, moodle_db: MoodleDatabase | None
) -> None:
    client = portal.client
    db = moodle_db
    source_shortname = f"LIVEP{campus.unique}-2024"
    sourceid = previous_platform_course(portal, campus, source_shortname)
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
    # Nothing of the course stored yet: the review says it is backed up at the run.
    dates = review_dates(page, target_shortname)
    assert "backup_new" in dates and "backup_restored" not in dates
    request = confirm(portal, target_shortname)
    portal.settle(request)

    assert modules_of(client, targetid) == modules_of(client, sourceid)
    # Anonymous: the previous platform's students do not come with the content.
    assert students_of(client, targetid) == set()
    (backup,) = Backup.objects.filter(course=source)
    assert not backup.includes_users
    backup_matches_moodle(backup)

    if db is None:
        pytest.skip(SKIP_REASON)
    assert db.modules(targetid) == db.modules(sourceid)
    assert db.students(targetid) == set()
    assert moodle_data(db, targetid)["forum posts"] == 0
    assert db.backup_operations(sourceid) == [backup.moodle_operation_id]
    assert db.operation_contenthash(backup.moodle_operation_id) == backup.moodle_contenthash


def test_restore_from_the_previous_platform_backs_up_again_only_a_changed_course(
    portal: Portal, campus: Campus, moodle_db: MoodleDatabase | None
) -> None:
    """A stored anonymous backup is restored again only while the course has not changed on
    the previous platform since it was taken (seed 003: "restaurer le lendemain")."""
    client = portal.client
    db = moodle_db
    source_shortname = f"LIVES{campus.unique}-2024"
    sourceid = previous_platform_course(portal, campus, source_shortname)
    targets = {step: campus.course_empty(f"LIVES{campus.unique}-2025{step}") for step in "ABC"}
    portal.sync()
    sign_in(portal, campus.teacher.username)
    source = portal.course(sourceid, previous=True)
    page = portal.page

    def restore(step: str) -> tuple[dict[str, tuple[int, int]], TransitionRequest]:
        shortname = f"LIVES{campus.unique}-2025{step}"
        card = wizard_to_options(portal, shortname, "restore_previous")
        card.locator("select[name$='-restore_source']").select_option(str(source.pk))
        page.click("[data-testid=next]")
        page.click("[data-testid=next]")
        dates = review_dates(page, shortname)
        request = portal.settle(confirm(portal, shortname))
        assert modules_of(client, targets[step]) == modules_of(client, sourceid)
        return dates, request

    def backups() -> list[Backup]:
        return list(Backup.objects.filter(course=source).order_by("pk"))

    def restored_backup(request: TransitionRequest) -> int:
        # The previous platform's backup job (the target course is backed up too).
        return request.jobs.get(kind=Job.Kind.BACKUP, instance=portal.previous).result["backup_id"]

    # A first restore backs the course up.
    dates, request = restore("A")
    assert "backup_new" in dates and "backup_restored" not in dates
    (first,) = backups()
    assert restored_backup(request) == first.pk
    operations = db.backup_operations(sourceid) if db is not None else []
    if db is not None:
        assert operations == [first.moodle_operation_id]

    # Unchanged since: the stored backup is restored again, and the review names its date.
    dates, request = restore("B")
    assert first.verified_at is not None
    assert dates.get("backup_restored") == (0, int(first.verified_at.timestamp()))
    assert "backup_new" not in dates
    assert backups() == [first]
    assert restored_backup(request) == first.pk
    if db is not None:
        assert db.backup_operations(sourceid) == operations

    # Changed on the previous platform (its settings edited): the stored backup no longer
    # holds the course, a new one is taken.
    fingerprint = client.get_content_fingerprint(sourceid).fingerprint
    assert fingerprint == first.content_fingerprint
    time.sleep(1.1)  # Moodle records modification times in seconds
    client.update_course(sourceid, fullname=f"Passage live {source_shortname}, edited")
    assert client.get_content_fingerprint(sourceid).fingerprint != fingerprint
    dates, request = restore("C")
    assert "backup_restored" not in dates and "backup_new" in dates
    first_again, second = backups()
    assert first_again == first
    assert second.verified_at is not None and second.verified_at > first.verified_at
    assert second.content_fingerprint != first.content_fingerprint
    assert restored_backup(request) == second.pk
    backup_matches_moodle(second)

    if db is None:
        pytest.skip(SKIP_REASON)
    assert db.backup_operations(sourceid) == [*operations, second.moodle_operation_id]
    assert db.operation_contenthash(second.moodle_operation_id) == second.moodle_contenthash
    assert db.course(sourceid).fullname.endswith(", edited")
    for targetid in targets.values():
        assert db.modules(targetid) == db.modules(sourceid)
        assert db.students(targetid) == set()


def test_restore_on_request_with_user_data(
    portal: Portal, campus: Campus, moodle_db: MoodleDatabase | None
) -> None:
    client = portal.client
    db = moodle_db
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
    if db is not None:
        # The backup holds the course as Moodle's rows had it when it was taken.
        assert counted == db.forum_posts(courseid)
        assert backup.includes_users
        assert db.operation_contenthash(backup.moodle_operation_id) == backup.moodle_contenthash
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

    if db is None:
        pytest.skip(SKIP_REASON)
    assert db.forum_posts(restored.id) == db.forum_posts(courseid) == counted
    assert db.students(restored.id) == db.students(courseid) == students
    assert db.modules(restored.id) == db.modules(courseid)

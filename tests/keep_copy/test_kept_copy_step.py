"""Keeping a copy of what the reset deletes: built before the backup and the reset, checked
against Moodle's counts, stored next to the course's backups."""

from __future__ import annotations

import datetime
import io
import json
import zipfile

import pytest
from django.utils import timezone

from tests.engine.conftest import approved_request, reset_spec, run_until_idle
from transition.engine import services
from transition.engine.planner import plan_for_spec
from transition.engine.storage import backup_storage
from transition.keep_copy.counts import kept_counts
from transition.models import Job, KeptCopy, TransitionRequest
from transition.request_spec import Announcement

pytestmark = [pytest.mark.django_db, pytest.mark.keep_copy]


def kinds(request: TransitionRequest) -> list[str]:
    return list(request.jobs.order_by("position").values_list("kind", flat=True))


def archive_of(kept: KeptCopy) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(backup_storage().open(kept.storage_name).read()))


def test_the_copy_is_planned_before_the_backup_and_the_reset(world) -> None:
    course = world.course("CHIM231-2025")
    spec = reset_spec(world, course, keep_copy=True, grade_export=True)
    assert [job.kind for job in plan_for_spec(spec)] == [
        "grade_export",
        "keep_copy",
        "backup",
        "reset",
        "verify",
    ]


def test_reset_with_a_kept_copy_keeps_every_post_submission_grade_and_attempt(world) -> None:
    course = world.course("CHIM231-2025")
    before = world.client.get_course_inventory(course.moodle_id)
    spec = reset_spec(world, course, keep_copy=True)
    request = approved_request(world, course, spec)
    reviewed = request.review_snapshot["kept"]

    services.request_start(request=request)
    run_until_idle(request)

    request.refresh_from_db()
    assert request.status == TransitionRequest.Status.DONE
    assert kinds(request) == ["keep_copy", "backup", "reset", "verify"]
    kept = KeptCopy.objects.get(request=request)
    assert kept.counts == reviewed == kept_counts(before)
    assert reviewed["forum_posts"] > 0 and reviewed["quiz_attempts"] > 0
    assert reviewed["assign_submissions"] > 0 and reviewed["assign_grades"] > 0
    assert reviewed["glossary_entries"] > 0 and reviewed["data_entries"] > 0
    assert reviewed["wiki_pages"] > 0
    # The reset deleted them in Moodle; the copy still holds them.
    after = world.client.get_course_inventory(course.moodle_id)
    assert kept_counts(after)["forum_posts"] == 0
    archive = archive_of(kept)
    names = set(archive.namelist())
    assert {"index.html", "forums.csv", "assignments.csv", "quizzes.csv", "glossaries.csv",
            "databases.csv", "wikis.csv", "gradebook.xlsx", "README.txt",
            "manifest.json"} <= names  # fmt: skip
    for name, key in (
        ("glossaries.csv", "glossary_entries"),
        ("databases.csv", "data_entries"),
        ("wikis.csv", "wiki_pages"),
        ("quizzes.csv", "quiz_attempts"),
    ):
        rows = archive.read(name).decode("utf-8-sig").strip().splitlines()[1:]
        assert len(rows) == reviewed[key], name  # fmt: skip
    forum_pages = [name for name in names if name.startswith("forums/")]
    posts_in_pages = sum(archive.read(name).decode().count("<article") for name in forum_pages)
    assert posts_in_pages == reviewed["forum_posts"]
    posts_in_csv = archive.read("forums.csv").decode("utf-8-sig").strip().count("\n")
    assert posts_in_csv == reviewed["forum_posts"]
    assert json.loads(archive.read("manifest.json"))["counts"] == reviewed
    # Every author of the forum is named, with the date of each post.
    site = world.server.site
    moodle_course = world.moodle_course("CHIM231-2025")
    page = "".join(archive.read(name).decode() for name in forum_pages)
    for post in site.user_data.having("courseid", moodle_course.id):
        if post.kind == "posts":
            assert site.users[post.userid].fullname in page
    # In the requester's language (the site's, French, as they chose none).
    assert "données personnelles" in archive.read("README.txt").decode()
    assert kept.storage_name.startswith(f"{world.instance.pk}/{course.moodle_id}/")


def test_the_copy_holds_the_announcement_posted_before_it_as_the_review_said(world) -> None:
    course = world.course("CHIM231-2025")
    before = kept_counts(world.client.get_course_inventory(course.moodle_id))
    announcement = Announcement(days_before=14, subject="Réinitialisation", message="…")
    spec = reset_spec(world, course, keep_copy=True, announcement=announcement)
    request = approved_request(world, course, spec)
    reviewed = request.review_snapshot["kept"]
    assert reviewed["forum_posts"] == before["forum_posts"] + 1

    services.request_start(request=request)
    run_until_idle(request)
    # The reset waits the announcement's notice, "as soon as possible" too: let it pass.
    waiting = request.jobs.get(status=Job.Status.QUEUED)
    assert waiting.kind == Job.Kind.KEEP_COPY
    assert waiting.not_before >= timezone.now() + datetime.timedelta(days=13)
    request.jobs.filter(pk=waiting.pk).update(not_before=timezone.now())
    run_until_idle(request)

    request.refresh_from_db()
    assert kinds(request)[:3] == ["announcement", "keep_copy", "backup"]
    assert request.status == TransitionRequest.Status.DONE
    assert KeptCopy.objects.get(request=request).counts == reviewed


def test_a_copy_that_misses_what_moodle_counts_stops_the_request_before_the_reset(world) -> None:
    course = world.course("CHIM231-2025")
    moodle_course = world.moodle_course("CHIM231-2025")
    site = world.server.site
    forum = next(
        m for m in site.course_modules_of(moodle_course.id) if m.name == "Forum d'entraide"
    )
    # A post Moodle counts in the course that no discussion listing returns.
    site.add_user_data(
        "posts",
        courseid=moodle_course.id,
        cmid=forum.id,
        userid=next(iter(site.users)),
        itemid=0,
        data={"subject": "Orphan", "message": "…", "parent": 0},
    )
    request = approved_request(world, course, reset_spec(world, course, keep_copy=True))

    services.request_start(request=request)
    run_until_idle(request)

    request.refresh_from_db()
    assert request.status == TransitionRequest.Status.FAILED
    job = request.jobs.get(kind=Job.Kind.KEEP_COPY)
    assert job.status == Job.Status.FAILED
    assert job.last_error_code == "keptcopyincomplete"
    assert "forum_posts" in job.last_error_message
    assert (
        not request.jobs.filter(kind=Job.Kind.RESET)
        .exclude(status="cancelled")
        .exclude(status="waiting")
        .exists()
    )
    assert not KeptCopy.objects.filter(request=request).exists()
    assert kept_counts(world.client.get_course_inventory(course.moodle_id))["forum_posts"] > 0

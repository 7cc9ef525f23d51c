"""The full plan of every scenario, run by the engine's services against the stand-in Moodle,
with Moodle's final state and Passage's records checked."""

from __future__ import annotations

import datetime
import hashlib

import pytest
from django.utils import timezone

from moodle_client.standin.passage.operations import passage_state
from tests.engine.conftest import approved_request, mirror, reset_spec, run_until_idle
from tests.factories import UserFactory
from transition.course_dates import day_timestamp
from transition.engine import services
from transition.engine.storage import backup_storage
from transition.models import (
    AuditEvent,
    Backup,
    Course,
    CourseLock,
    CourseRole,
    Job,
    MoodleInstance,
    Person,
    TransitionRequest,
)
from transition.request_spec import (
    Announcement,
    ArchivePlan,
    CohortChange,
    FreshCopy,
    HandOver,
    RequestSpec,
    RestorePlan,
)
from transition.review.gather import source_facts_read

pytestmark = pytest.mark.django_db


def kinds(request: TransitionRequest) -> list[str]:
    return list(request.jobs.order_by("position").values_list("kind", flat=True))


def test_reuse_reset_backs_up_resets_swaps_cohorts_and_verifies(world) -> None:
    course = world.course("CHIM231-2025")
    moodle_course = world.moodle_course("CHIM231-2025")
    old_sync = next(
        e
        for e in world.server.site.enrol_instances.values()
        if e.courseid == moodle_course.id and e.enrol == "cohort"
    )
    spec = reset_spec(
        world,
        course,
        grade_export=True,
        cohort_changes=(
            CohortChange("remove", "L1CHIM231", enrol_instance_id=old_sync.id),
            CohortChange("add", "L1CHIM241"),
        ),
    )
    request = approved_request(world, course, spec)

    services.request_start(request=request)
    outcomes = run_until_idle(request)

    request.refresh_from_db()
    assert request.status == TransitionRequest.Status.DONE, failures(request)
    assert kinds(request) == ["grade_export", "backup", "reset", "cohort_resync", "verify"]
    assert outcomes == ["succeeded"] * 5
    backup = Backup.objects.get(course=course, campaign=world.campaign)
    stored = backup_storage().open(backup.storage_name).read()
    assert len(stored) == backup.size
    assert hashlib.sha1(stored).hexdigest() == backup.sha1 == backup.moodle_contenthash
    assert hashlib.sha256(stored).hexdigest() == backup.sha256
    assert backup.includes_users
    inventory = world.client.get_course_inventory(course.moodle_id)
    forum_posts = [
        d.total
        for m in inventory.modules
        if m.modname == "forum"
        for d in m.data
        if d.kind == "posts"
    ]
    assert sum(forum_posts) == 0
    syncs = world.client.list_cohort_syncs(course.moodle_id)
    assert [s.cohortidnumber for s in syncs] == ["L1CHIM241"]
    assert not CourseLock.objects.filter(course=course).exists()
    actions = set(AuditEvent.objects.filter(request=request).values_list("action", flat=True))
    assert {"request_start", "job_backup", "job_reset", "job_verify", "request_done"} <= actions
    export = request.jobs.get(kind=Job.Kind.GRADE_EXPORT)
    assert export.result["users"] > 0


def test_fresh_copy_creates_a_copy_without_user_data_and_archives_the_old_course(world) -> None:
    course = world.course("CHIM231-2025")
    archive = next(
        c for c in world.server.site.categories.values() if c.name == "Espaces complémentaires"
    )
    claire = next(u for u in world.server.site.users.values() if u.username == "teacher")
    person = Person.objects.create(
        instance=world.instance,
        user=world.teacher,
        moodle_userid=claire.id,
        moodle_username="teacher",
    )
    spec = RequestSpec(
        scenario="fresh_copy",
        course_moodle_id=course.moodle_id,
        fresh_copy=FreshCopy(
            new_shortname="CHIM231-2026",
            new_fullname="Chimie générale 2026",
            archive=ArchivePlan(prefix="ex_", move_to_category_moodle_id=archive.id, hide=True),
            teachers=("teacher", "mlefebvre"),
        ),
        new_start_date=datetime.date(2026, 9, 1),
        cohort_changes=(CohortChange("add", "L1CHIM241"),),
        asap=True,
    )
    source = world.client.get_course(course.moodle_id)
    request = approved_request(world, course, spec)

    services.request_start(request=request)
    run_until_idle(request)

    request.refresh_from_db()
    assert request.status == TransitionRequest.Status.DONE, failures(request)
    assert kinds(request) == ["backup", "copy", "archive", "cohort_resync", "verify"]
    client = world.client
    new = client.find_course_by_shortname("CHIM231-2026")
    assert new is not None and new.fullname == "Chimie générale 2026"
    # Next year's dates: the end follows the start, so the copy never ends before it begins.
    assert new.startdate == day_timestamp(datetime.date(2026, 9, 1))
    assert new.enddate - new.startdate == source.enddate - source.startdate
    new_inventory = client.get_course_inventory(new.id)
    assert all(d.students == 0 for m in new_inventory.modules for d in m.data)
    assert [s.cohortidnumber for s in client.list_cohort_syncs(new.id)] == ["L1CHIM241"]
    old = client.get_course(course.moodle_id)
    assert old.shortname == "ex_CHIM231-2025"
    assert old.categoryid == archive.id and not old.visible
    # The portal's own record of the old course follows: the teacher's lists show it archived.
    course.refresh_from_db()
    assert course.shortname == "ex_CHIM231-2025" and not course.visible
    assert course.category is not None and course.category.moodle_id == archive.id
    request.refresh_from_db()
    assert request.target_course is not None and request.target_course.moodle_id == new.id
    # Moodle's copy enrols nobody: the teachers the review named teach the new course, next
    # to the students of the cohort added.
    teachers = {
        user.username: [role.shortname for role in user.roles]
        for user in client.get_enrolled_users(new.id)
        if not user.username.startswith("etu")
    }
    assert teachers == {"teacher": ["editingteacher"], "mlefebvre": ["editingteacher"]}
    assert person.course_roles.filter(
        course=request.target_course, role=CourseRole.EDITING_TEACHER
    ).exists()
    copy = request.jobs.get(kind=Job.Kind.COPY)
    assert copy.result["teachers_enrolled"] == ["teacher", "mlefebvre"]


def test_restore_previous_restores_last_years_anonymous_backup_into_the_empty_course(
    world, start_standin
) -> None:
    previous_server = start_standin("small")
    previous = mirror(previous_server, name="ecampus-2025", role=MoodleInstance.Role.PREVIOUS)
    source = Course.objects.get(instance=previous, shortname="CHIM231-2025")
    target = world.course("CHIM241-2026")
    spec = RequestSpec(
        scenario="restore_previous",
        course_moodle_id=target.moodle_id,
        restore=RestorePlan(
            source_instance_id=previous.pk, source_course_moodle_id=source.moodle_id
        ),
        asap=True,
    )
    request = approved_request(world, target, spec, source_course=source)

    services.request_start(request=request)
    run_until_idle(request)

    request.refresh_from_db()
    assert request.status == TransitionRequest.Status.DONE, failures(request)
    assert kinds(request) == ["backup", "backup", "restore", "verify"]
    source_backup = Backup.objects.get(course=source)
    assert not source_backup.includes_users
    inventory = world.client.get_course_inventory(target.moodle_id)
    assert inventory.restore.restored
    assert len(inventory.modules) > 2
    assert all(d.students == 0 for m in inventory.modules for d in m.data)
    assert Backup.objects.filter(course=target, campaign=world.campaign).exists()


def test_restore_reuses_a_stored_anonymous_backup_of_last_years_course(
    world, start_standin
) -> None:
    previous_server = start_standin("small")
    previous = mirror(previous_server, name="ecampus-2025", role=MoodleInstance.Role.PREVIOUS)
    source = Course.objects.get(instance=previous, shortname="CHIM231-2025")
    target = world.course("CHIM241-2026")
    spec = RequestSpec(
        scenario="restore_previous",
        course_moodle_id=target.moodle_id,
        restore=RestorePlan(
            source_instance_id=previous.pk, source_course_moodle_id=source.moodle_id
        ),
        asap=True,
    )
    request = approved_request(world, target, spec, source_course=source)
    services.request_start(request=request)
    run_until_idle(request)
    first_backup = Backup.objects.get(course=source)
    operations_before = len(passage_state(previous_server.site).operations)

    # The same course restored into another empty course: last year's backup is used again.
    spare = previous_server.site  # the previous platform is not touched again
    other = world.server.site.add_course("CHIM241-2026-B", "Chimie B", category=1)
    other_course = Course.objects.create(
        instance=world.instance, moodle_id=other.id, shortname=other.shortname, fullname=""
    )
    second = approved_request(
        world,
        other_course,
        RequestSpec(
            scenario="restore_previous",
            course_moodle_id=other.id,
            restore=spec.restore,
            asap=True,
        ),
        source_course=source,
    )
    services.request_start(request=second)
    run_until_idle(second)

    second.refresh_from_db()
    assert second.status == TransitionRequest.Status.DONE, failures(second)
    assert len(passage_state(spare).operations) == operations_before
    assert second.jobs.get(position=1).result["backup_id"] == first_backup.pk


def test_a_course_changed_on_the_old_platform_since_its_backup_is_backed_up_again(
    world, start_standin
) -> None:
    previous_server = start_standin("small")
    previous = mirror(previous_server, name="ecampus-2025", role=MoodleInstance.Role.PREVIOUS)
    source = Course.objects.get(instance=previous, shortname="CHIM231-2025")
    plan = RestorePlan(source_instance_id=previous.pk, source_course_moodle_id=source.moodle_id)
    target = world.course("CHIM241-2026")
    first = approved_request(
        world,
        target,
        RequestSpec(
            scenario="restore_previous",
            course_moodle_id=target.moodle_id,
            restore=plan,
            asap=True,
        ),
        source_course=source,
    )
    services.request_start(request=first)
    run_until_idle(first)
    first_backup = Backup.objects.get(course=source)
    assert len(first_backup.content_fingerprint) == 40
    # The review of another restore names that backup, by its date, while nothing changed.
    taken = int(first_backup.verified_at.timestamp())
    assert source_facts_read(source=source).backup_at == taken

    # Seed 003: "si vous avez modifié le cours [...], restaurez le lendemain". The teacher adds
    # a page to last year's course after that backup.
    old_site = previous_server.site
    old_site.add_module(source.moodle_id, "page", "Corrigé du partiel", section=1)
    assert source_facts_read(source=source).backup_at == 0
    other = world.server.site.add_course("CHIM241-2026-B", "Chimie B", category=1)
    other_course = Course.objects.create(
        instance=world.instance, moodle_id=other.id, shortname=other.shortname, fullname=""
    )
    second = approved_request(
        world,
        other_course,
        RequestSpec(
            scenario="restore_previous", course_moodle_id=other.id, restore=plan, asap=True
        ),
        source_course=source,
    )
    services.request_start(request=second)
    run_until_idle(second)

    second.refresh_from_db()
    assert second.status == TransitionRequest.Status.DONE, failures(second)
    fresh = Backup.objects.get(pk=second.jobs.get(position=1).result["backup_id"])
    assert fresh.pk != first_backup.pk
    assert fresh.content_fingerprint != first_backup.content_fingerprint
    names = [m.name for m in world.server.site.course_modules_of(other.id)]
    assert "Corrigé du partiel" in names


def test_hand_over_gives_the_successor_the_teacher_role_and_removes_the_owners(world) -> None:
    course = world.course("CHIM232-2025")
    site = world.server.site
    successor = next(u for u in site.users.values() if u.username == "mlefebvre")
    Person.objects.create(
        user=UserFactory(username="mlefebvre"),
        instance=world.instance,
        moodle_userid=successor.id,
        moodle_username="mlefebvre",
    )
    spec = RequestSpec(
        scenario="hand_over",
        course_moodle_id=course.moodle_id,
        hand_over=HandOver(
            successor_username="mlefebvre", remove_own_role=True, own_username="teacher"
        ),
        asap=True,
    )
    request = approved_request(world, course, spec)

    services.request_start(request=request)
    run_until_idle(request)

    request.refresh_from_db()
    assert request.status == TransitionRequest.Status.DONE, failures(request)
    moodle_course = site.courses[course.moodle_id]
    holders = {
        site.users[a.userid].username
        for a in site.role_assignments.values()
        if a.contextid == moodle_course.contextid and a.roleid == 3
    }
    assert "mlefebvre" in holders and "teacher" not in holders


def test_no_change_request_is_done_without_touching_moodle(world) -> None:
    course = world.course("PHYS101-2025")
    spec = RequestSpec(scenario="no_change", course_moodle_id=course.moodle_id, asap=True)
    request = approved_request(world, course, spec)

    services.request_start(request=request)

    request.refresh_from_db()
    assert request.status == TransitionRequest.Status.DONE
    assert not request.jobs.exists()
    assert not passage_state(world.server.site).operations


def test_verify_fails_the_request_with_the_table_of_differences(world) -> None:
    course = world.course("CHIM231-2025")
    spec = reset_spec(world, course)
    request = approved_request(world, course, spec)
    # Moodle kept the forum posts the review said would be deleted (an option left out).
    lenient = {k: v for k, v in spec.reset_options.items() if not k.startswith("reset_forum")}
    request.plan.spec = RequestSpec(
        scenario="reuse_reset",
        course_moodle_id=course.moodle_id,
        reset_options=lenient,
        asap=True,
    ).to_json()
    request.plan.save()

    services.request_start(request=request)
    run_until_idle(request)

    request.refresh_from_db()
    assert request.status == TransitionRequest.Status.FAILED
    verify = request.jobs.get(kind=Job.Kind.VERIFY)
    assert verify.status == Job.Status.FAILED
    assert verify.last_error_code == "verifymismatch"
    posts = [d for d in verify.result["error_details"] if d["kind"] == "posts"]
    assert posts and all(d["fate"] == "deleted" and d["found"] > d["expected"] for d in posts)


def failures(request: TransitionRequest) -> list[tuple[str, str, str, str]]:
    return [
        (j.kind, j.status, j.last_error_code, j.last_error_message)
        for j in request.jobs.order_by("position")
    ]


def test_an_announcement_creates_the_news_forum_a_restored_course_does_not_have_yet(
    world,
) -> None:
    # Moodle creates the announcements forum lazily: a course restored from a backup without
    # one, or generated, has none until someone opens it.
    course = world.course("PHYS101-2025")
    site = world.server.site
    site.delete_module(site.news_forum(course.moodle_id).id)
    client = world.client
    assert [f for f in client.get_forums([course.moodle_id]) if f.type == "news"] == []
    spec = RequestSpec(
        scenario="reuse_reset",
        course_moodle_id=course.moodle_id,
        announcement=Announcement(days_before=7, subject="Réinitialisation", message="<p>…</p>"),
    )
    request = approved_request(
        world, course, spec, run_at=timezone.now() + datetime.timedelta(days=5)
    )

    services.request_start(request=request)
    run_until_idle(request)

    job = request.jobs.get(kind=Job.Kind.ANNOUNCEMENT)
    assert job.status == Job.Status.SUCCEEDED, job.last_error_message
    (news,) = [f for f in client.get_forums([course.moodle_id]) if f.type == "news"]
    discussions = client.call("mod_forum_get_forum_discussions", forumid=news.id)["discussions"]
    assert [d["name"] for d in discussions] == ["Réinitialisation"]
    assert job.result["news_forum_created"] is True

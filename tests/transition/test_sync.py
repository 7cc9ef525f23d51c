"""Sync against the stand-in Moodle over HTTP: counts, idempotence, courses gone from Moodle."""

from collections.abc import Callable

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from moodle_client import MoodleClient, MoodleUnavailable
from moodle_client.standin import StandinServer
from moodle_client.standin.registry import FUNCTIONS
from tests.factories import CohortFactory, TransitionRequestFactory
from transition import selectors
from transition.models import Category, Cohort, Course, CourseCohort, CourseRole, MoodleInstance
from transition.services.instances import instance_check, instance_create
from transition.services.sync import instance_sync
from transition.tasks import sync_instance

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_moodle(start_standin: Callable[..., StandinServer]) -> StandinServer:
    return start_standin(seed="small")


@pytest.fixture
def instance(small_moodle: StandinServer) -> MoodleInstance:
    return instance_create(
        name="ecampus", url=small_moodle.url, role=MoodleInstance.Role.CURRENT, token="admin"
    )


def test_first_sync_creates_what_moodle_holds(instance, small_moodle):
    site = small_moodle.site
    summary = instance_sync(instance=instance)
    real_courses = [c for c in site.courses.values() if c.id != 1]
    assert summary.courses.created == len(real_courses) == Course.objects.count()
    assert summary.categories.created == len(site.categories) == Category.objects.count()
    assert summary.cohorts.created == len(site.cohorts) == Cohort.objects.count()
    assert summary.course_cohorts.created == CourseCohort.objects.count() >= 1
    assert (summary.courses.gone, summary.courses.updated, summary.courses.unchanged) == (0, 0, 0)
    assert summary.notes == []
    chemistry = Course.objects.get(shortname="CHIM231-2025")
    assert chemistry.category.name == "Chimie"
    assert chemistry.category.parent.name == "Sciences"
    assert chemistry.curriculum_code == "CHIM231-2025"
    link = CourseCohort.objects.get(course=chemistry)
    assert link.cohort.idnumber.startswith("L1CHIM")


def test_a_second_sync_changes_nothing(instance):
    instance_sync(instance=instance)
    again = instance_sync(instance=instance)
    for counts in (
        again.categories,
        again.courses,
        again.people,
        again.teachers,
        again.cohorts,
        again.course_cohorts,
    ):
        assert (counts.created, counts.updated, counts.gone) == (0, 0, 0)
    assert again.courses.unchanged == Course.objects.count()


def test_a_course_deleted_in_moodle_is_marked_never_deleted(instance, small_moodle):
    instance_sync(instance=instance)
    course = Course.objects.get(shortname="CHIM231-2025")
    request = TransitionRequestFactory(course=course)
    client = MoodleClient(small_moodle.url, "admin")
    assert client.delete_courses([course.moodle_id]) == ()
    summary = instance_sync(instance=instance)
    assert summary.courses.gone == 1
    course.refresh_from_db()
    assert course.gone_from_moodle_at is not None
    assert request.course == course  # its request still stands on it
    assert course not in selectors.courses_for_teacher(
        user=get_user_model().objects.get(username="teacher")
    )
    assert instance_sync(instance=instance).courses.gone == 0  # marked once


def test_a_course_changed_in_moodle_is_updated(instance, small_moodle):
    instance_sync(instance=instance)
    course = Course.objects.get(shortname="CHIM231-2025")
    MoodleClient(small_moodle.url, "admin").update_course(
        course.moodle_id, fullname="Chimie générale et minérale", visible=False
    )
    summary = instance_sync(instance=instance)
    assert (summary.courses.updated, summary.courses.created) == (1, 0)
    course.refresh_from_db()
    assert (course.fullname, course.visible) == ("Chimie générale et minérale", False)


def test_teachers_get_an_account_linked_by_username(instance, small_moodle):
    instance_sync(instance=instance)
    teacher = get_user_model().objects.get(username="teacher")
    assert not teacher.has_usable_password()
    assert teacher.groups.filter(name="teacher").exists()
    person = teacher.moodle_people.get(instance=instance)
    moodle_user = small_moodle.site.user_by_username("teacher")
    assert person.moodle_userid == moodle_user.id
    taught = {c.shortname for c in selectors.courses_for_teacher(user=teacher)}
    expected = {
        course.shortname
        for role in CourseRole.objects.filter(person=person, role=CourseRole.EDITING_TEACHER)
        for course in [role.course]
    }
    assert taught == expected
    assert len(taught) >= 3


def test_an_existing_account_keeps_its_password(instance):
    user = get_user_model().objects.create_user("teacher", password="un mot de passe long")
    instance_sync(instance=instance)
    user.refresh_from_db()
    assert user.check_password("un mot de passe long")
    assert user.moodle_people.count() == 1


def test_a_cohort_imported_from_apogee_is_linked_to_moodle_by_idnumber(instance, small_moodle):
    imported = CohortFactory(
        instance=instance, idnumber="L1CHIM241", moodle_id=None, label="LICENCE 1 CHIMIE"
    )
    summary = instance_sync(instance=instance)
    imported.refresh_from_db()
    moodle_cohort = next(c for c in small_moodle.site.cohorts.values() if c.idnumber == "L1CHIM241")
    assert imported.moodle_id == moodle_cohort.id
    assert imported.label == "LICENCE 1 CHIMIE"  # Apogée's fields stay
    assert summary.cohorts.updated == 1


def test_without_the_plugin_cohort_links_are_skipped_with_a_note(instance, small_moodle):
    admin = small_moodle.site.user_by_username("admin")
    core_only = [name for name in FUNCTIONS if not name.startswith("local_passage_")]
    small_moodle.site.add_token("coreonly", admin.id, functions=core_only)
    instance_create(name="core-only", url=small_moodle.url, role="previous", token="coreonly")
    summary = instance_sync(instance=MoodleInstance.objects.get(name="core-only"))
    assert summary.courses.created >= 1
    assert summary.course_cohorts.created == 0
    assert any("local_passage_list_cohort_syncs" in note for note in summary.notes)


def test_instance_check_records_the_release_and_the_plugin(instance):
    assert instance_check(instance=instance).ok
    assert instance.moodle_release
    assert instance.plugin_version
    assert instance.last_check_error == ""


def test_command_shows_progress_and_summary(instance, capsys):
    call_command("sync_moodle", "--instance", "ecampus")
    out = capsys.readouterr().out
    assert "courses [" in out
    assert "courses:" in out and "created" in out and "gone from Moodle" in out


def test_worker_task_runs_the_same_sync(instance):
    sync_instance(instance.pk)
    assert Course.objects.filter(instance=instance).exists()
    instance.refresh_from_db()
    assert instance.last_synced_at is not None


def test_a_sync_that_fails_half_way_writes_nothing(instance, small_moodle):
    # Moodle stops answering after the courses were read: the previous picture stays whole.
    small_moodle.faults.set("core_cohort_get_cohorts", 1.0, "http503")
    with pytest.raises(MoodleUnavailable):
        instance_sync(instance=instance)
    assert not Course.objects.exists()
    assert not Category.objects.exists()
    instance.refresh_from_db()
    assert instance.last_synced_at is None


def test_command_names_the_platform_it_could_not_reach(instance, small_moodle, capsys):
    small_moodle.stop()
    with pytest.raises(CommandError, match="Sync failed for: ecampus"):
        call_command("sync_moodle")
    assert "ecampus:" in capsys.readouterr().err

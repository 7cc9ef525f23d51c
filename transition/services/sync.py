"""Mirror what a Moodle platform says into Passage's tables.

Categories, courses, teachers, cohorts and course-cohort links. Every Moodle call happens first,
outside any transaction; the writes then happen in one transaction, in bulk, so a sync that fails
half-way leaves the previous picture whole. Running it twice changes nothing the second time.
A course that disappeared from Moodle is marked, never deleted.
"""

import datetime
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from moodle_client import AccessDenied, FunctionUnavailable, MoodleClient, NotFound
from moodle_client.types.cohorts import Cohort as MoodleCohort
from moodle_client.types.courses import Category as MoodleCategory
from moodle_client.types.courses import Course as MoodleCourse
from moodle_client.types.passage import CohortSync
from moodle_client.types.users import EnrolledUser
from transition.models import (
    Category,
    Cohort,
    Course,
    CourseCohort,
    CourseRole,
    MoodleInstance,
    Person,
)
from transition.permissions import Role
from transition.services.audit import audit_record
from transition.services.instances import instance_client

logger = logging.getLogger(__name__)

# Roles that make someone a teacher of a course in Passage's eyes.
TEACHING_ROLES = frozenset({CourseRole.EDITING_TEACHER, CourseRole.TEACHER})
SITE_COURSE_FORMAT = "site"
# Only what linking a teacher needs: a course of 800 students answers far less this way.
ENROLLED_USER_FIELDS = ("id", "username", "firstname", "lastname", "email", "roles")

# (stage, done, total): lets the command draw a progress bar.
Progress = Callable[[str, int, int], None]


@dataclass
class SyncCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    gone: int = 0

    def __str__(self) -> str:
        return (
            f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged, "
            f"{self.gone} gone from Moodle"
        )


@dataclass
class SyncSummary:
    instance: str
    categories: SyncCounts = field(default_factory=SyncCounts)
    courses: SyncCounts = field(default_factory=SyncCounts)
    people: SyncCounts = field(default_factory=SyncCounts)
    teachers: SyncCounts = field(default_factory=SyncCounts)
    cohorts: SyncCounts = field(default_factory=SyncCounts)
    course_cohorts: SyncCounts = field(default_factory=SyncCounts)
    notes: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        return [
            f"{self.instance}",
            f"  categories:     {self.categories}",
            f"  courses:        {self.courses}",
            f"  people:         {self.people}",
            f"  teacher roles:  {self.teachers}",
            f"  cohorts:        {self.cohorts}",
            f"  cohort links:   {self.course_cohorts}",
            *(f"  note: {note}" for note in self.notes),
        ]


@dataclass
class MoodlePicture:
    """Everything read from Moodle for one sync, before any write."""

    categories: tuple[MoodleCategory, ...]
    courses: tuple[MoodleCourse, ...]
    # Enrolled teachers per Moodle course id, for the courses whose participants could be read.
    teachers: dict[int, list[EnrolledUser]]
    cohorts: tuple[MoodleCohort, ...]
    # Cohort-sync instances per Moodle course id; None when the plugin is not available.
    cohort_syncs: dict[int, tuple[CohortSync, ...]] | None
    notes: list[str]


def instance_sync(
    *,
    instance: MoodleInstance,
    client: MoodleClient | None = None,
    progress: Progress | None = None,
) -> SyncSummary:
    """Refresh the instance's categories, courses, teachers, cohorts and cohort links."""
    client = client or instance_client(instance=instance)
    picture = moodle_read(client=client, progress=progress)
    summary = SyncSummary(instance=instance.name, notes=list(picture.notes))
    now = timezone.now()
    with transaction.atomic():
        categories = _write_categories(instance, picture.categories, summary.categories, now)
        courses = _write_courses(instance, picture.courses, categories, summary, now)
        _write_teachers(instance, picture.teachers, courses, summary, now)
        cohorts = _write_cohorts(instance, picture.cohorts, summary.cohorts, now)
        if picture.cohort_syncs is not None:
            _write_course_cohorts(
                instance, picture.cohort_syncs, courses, cohorts, summary.course_cohorts, now
            )
        MoodleInstance.objects.filter(pk=instance.pk).update(last_synced_at=now)
        audit_record(
            action="instance_sync",
            details={"instance": instance.name, "summary": summary.lines()},
        )
    instance.last_synced_at = now
    return summary


def moodle_read(*, client: MoodleClient, progress: Progress | None = None) -> MoodlePicture:
    """Every Moodle call of a sync. Per-course failures become notes, not a failed sync."""
    notes: list[str] = []
    categories = client.get_categories()
    courses = _all_courses(client)
    teachers: dict[int, list[EnrolledUser]] = {}
    cohort_syncs: dict[int, tuple[CohortSync, ...]] | None = {}
    for done, course in enumerate(courses, start=1):
        try:
            teachers[course.id] = [
                user
                for user in client.get_enrolled_users(course.id, userfields=ENROLLED_USER_FIELDS)
                # Accounts are linked by username; a user without one cannot sign in anyway.
                if user.username and any(role.shortname in TEACHING_ROLES for role in user.roles)
            ]
        except (NotFound, AccessDenied) as error:
            notes.append(f"teachers of {course.shortname} not read: {error}")
        if cohort_syncs is not None:
            try:
                cohort_syncs[course.id] = client.list_cohort_syncs(course.id)
            except FunctionUnavailable:
                notes.append(
                    "cohort links skipped: the Passage plugin's local_passage_list_cohort_syncs "
                    "is not available on this Moodle"
                )
                cohort_syncs = None
            except (NotFound, AccessDenied) as error:
                notes.append(f"cohort links of {course.shortname} not read: {error}")
        if progress is not None:
            progress("courses", done, len(courses))
    cohorts = client.get_cohorts()
    return MoodlePicture(
        categories=categories,
        courses=courses,
        teachers=teachers,
        cohorts=cohorts,
        cohort_syncs=cohort_syncs,
        notes=notes,
    )


def _all_courses(client: MoodleClient) -> tuple[MoodleCourse, ...]:
    # core_course_get_courses_by_field without a field lists every course in one call; the
    # client's typed readers all name a field, so the answer is parsed with its dataclass here.
    answer: dict[str, Any] = client.call("core_course_get_courses_by_field")
    courses = (MoodleCourse.from_json(item) for item in answer["courses"])
    return tuple(course for course in courses if course.format != SITE_COURSE_FORMAT)


def _timestamp(value: int) -> datetime.datetime | None:
    return datetime.datetime.fromtimestamp(value, tz=datetime.UTC) if value else None


def _upsert(
    *,
    model: type[Any],
    existing: dict[Any, Any],
    incoming: dict[Any, dict[str, Any]],
    counts: SyncCounts,
    now: datetime.datetime,
    mark_gone: bool,
    extra: dict[str, Any] | None = None,
) -> None:
    """Create, update or leave each incoming row, then mark (or delete) the rows Moodle lost.

    `existing` and `incoming` are keyed alike; `extra` holds the fields of created rows only
    (the instance). Rows with a `gone_from_moodle_at` field are marked when they vanish and
    unmarked when they come back; other rows (links, roles) are deleted when they vanish.
    """
    to_create: list[Any] = []
    to_update: list[Any] = []
    unchanged: list[int] = []
    changed_fields: set[str] = set()
    for key, values in incoming.items():
        row = existing.get(key)
        if row is None:
            to_create.append(model(**(extra or {}), **values, synced_at=now))
            continue
        differing = {name for name, value in values.items() if getattr(row, name) != value}
        returning = mark_gone and row.gone_from_moodle_at is not None
        if differing or returning:
            for name in differing:
                setattr(row, name, values[name])
            changed_fields |= differing
            if returning:
                row.gone_from_moodle_at = None
                changed_fields.add("gone_from_moodle_at")
            row.synced_at = now
            to_update.append(row)
        else:
            unchanged.append(row.pk)
    model.objects.bulk_create(to_create, batch_size=500)
    if to_update:
        model.objects.bulk_update(to_update, sorted(changed_fields | {"synced_at"}), batch_size=500)
    if unchanged:
        model.objects.filter(pk__in=unchanged).update(synced_at=now)
    counts.created += len(to_create)
    counts.updated += len(to_update)
    counts.unchanged += len(unchanged)
    vanished = [row.pk for key, row in existing.items() if key not in incoming]
    if mark_gone:
        counts.gone += model.objects.filter(
            pk__in=vanished, gone_from_moodle_at__isnull=True
        ).update(gone_from_moodle_at=now)
    elif vanished:
        counts.gone += model.objects.filter(pk__in=vanished).delete()[0]


def _write_categories(
    instance: MoodleInstance,
    categories: tuple[MoodleCategory, ...],
    counts: SyncCounts,
    now: datetime.datetime,
) -> dict[int, int]:
    """Returns Moodle category id → Category pk."""
    existing = {row.moodle_id: row for row in Category.objects.filter(instance=instance)}
    incoming = {
        category.id: {
            "moodle_id": category.id,
            "name": category.name,
            "idnumber": category.idnumber,
            "path": category.path,
        }
        for category in categories
    }
    _upsert(
        model=Category,
        existing=existing,
        incoming=incoming,
        counts=counts,
        now=now,
        mark_gone=True,
        extra={"instance": instance},
    )
    pks = dict(Category.objects.filter(instance=instance).values_list("moodle_id", "pk"))
    # Parents in a second pass: a parent may have been created in this very sync.
    parents = {category.id: category.parent for category in categories}
    reparented = []
    for row in Category.objects.filter(instance=instance, moodle_id__in=incoming):
        parent_pk = pks.get(parents[row.moodle_id])
        if row.parent_id != parent_pk:
            row.parent_id = parent_pk
            reparented.append(row)
    Category.objects.bulk_update(reparented, ["parent"], batch_size=500)
    return pks


def _write_courses(
    instance: MoodleInstance,
    courses: tuple[MoodleCourse, ...],
    categories: dict[int, int],
    summary: SyncSummary,
    now: datetime.datetime,
) -> dict[int, int]:
    """Returns Moodle course id → Course pk, for the courses present in Moodle."""
    existing = {row.moodle_id: row for row in Course.objects.filter(instance=instance)}
    incoming: dict[int, dict[str, Any]] = {}
    for course in courses:
        startdate, enddate = _timestamp(course.startdate), _timestamp(course.enddate)
        if startdate and enddate and enddate < startdate:
            summary.notes.append(f"{course.shortname}: its end date precedes its start; ignored")
            enddate = None
        values: dict[str, Any] = {
            "moodle_id": course.id,
            "shortname": course.shortname,
            "fullname": course.fullname,
            "idnumber": course.idnumber,
            "category_id": categories.get(course.categoryid),
            "startdate": startdate,
            "enddate": enddate,
            "visible": course.visible,
        }
        known = existing.get(course.id)
        if known is None or not known.curriculum_code:
            # Courses created from Apogée carry its code as their ID number.
            values["curriculum_code"] = course.idnumber
        incoming[course.id] = values
    _upsert(
        model=Course,
        existing=existing,
        incoming=incoming,
        counts=summary.courses,
        now=now,
        mark_gone=True,
        extra={"instance": instance},
    )
    return dict(
        Course.objects.filter(instance=instance, moodle_id__in=incoming).values_list(
            "moodle_id", "pk"
        )
    )


def _write_teachers(
    instance: MoodleInstance,
    teachers: dict[int, list[EnrolledUser]],
    courses: dict[int, int],
    summary: SyncSummary,
    now: datetime.datetime,
) -> None:
    moodle_users = {user.id: user for users in teachers.values() for user in users}
    user_ids = _django_users_for(moodle_users.values())
    existing_people = {row.moodle_userid: row for row in Person.objects.filter(instance=instance)}
    _upsert(
        model=Person,
        existing=existing_people,
        incoming={
            user.id: {
                "moodle_userid": user.id,
                "user_id": user_ids[user.username],
                "moodle_username": user.username,
                "firstname": user.firstname,
                "lastname": user.lastname,
                "email": user.email,
            }
            for user in moodle_users.values()
        },
        counts=summary.people,
        now=now,
        mark_gone=False,
        extra={"instance": instance},
    )
    # People who no longer teach anything are kept: their requests and history point at them.
    summary.people.gone = 0
    people = dict(Person.objects.filter(instance=instance).values_list("moodle_userid", "pk"))
    read_courses = [courses[moodle_id] for moodle_id in teachers if moodle_id in courses]
    existing_roles = {
        (row.course_id, row.person_id, row.role): row
        for row in CourseRole.objects.filter(course_id__in=read_courses)
    }
    incoming_roles: dict[tuple[int, int, str], dict[str, Any]] = {}
    for moodle_course_id, users in teachers.items():
        course_pk = courses.get(moodle_course_id)
        if course_pk is None:
            continue
        for user in users:
            for role in user.roles:
                if role.shortname in TEACHING_ROLES:
                    key = (course_pk, people[user.id], role.shortname)
                    incoming_roles[key] = {
                        "course_id": course_pk,
                        "person_id": people[user.id],
                        "role": role.shortname,
                    }
    _upsert(
        model=CourseRole,
        existing=existing_roles,
        incoming=incoming_roles,
        counts=summary.teachers,
        now=now,
        mark_gone=False,
    )


def _django_users_for(moodle_users: Iterable[EnrolledUser]) -> dict[str, int]:
    """The Django account of each teacher, by username, created (no password) when missing.

    With CAS the username signs them in; without it an admin sets a password.
    """
    user_model = get_user_model()
    wanted = {user.username: user for user in moodle_users if user.username}
    known = dict(user_model.objects.filter(username__in=wanted).values_list("username", "pk"))
    user_model.objects.bulk_create(
        [
            user_model(
                username=username,
                first_name=user.firstname[:150],
                last_name=user.lastname[:150],
                email=user.email,
                password=make_password(None),
            )
            for username, user in wanted.items()
            if username not in known
        ],
        batch_size=500,
    )
    ids = dict(user_model.objects.filter(username__in=wanted).values_list("username", "pk"))
    teacher_group, _ = Group.objects.get_or_create(name=Role.TEACHER)
    teacher_group.user_set.add(*ids.values())
    return ids


def _write_cohorts(
    instance: MoodleInstance,
    cohorts: tuple[MoodleCohort, ...],
    counts: SyncCounts,
    now: datetime.datetime,
) -> dict[int, int]:
    """Returns Moodle cohort id → Cohort pk.

    A cohort imported from Apogée before Moodle had it is linked by its idnumber.
    """
    rows = list(Cohort.objects.filter(instance=instance))
    by_moodle_id = {row.moodle_id: row for row in rows if row.moodle_id is not None}
    by_idnumber = {row.idnumber: row for row in rows if row.moodle_id is None and row.idnumber}
    existing: dict[int, Cohort] = dict(by_moodle_id)
    for cohort in cohorts:
        if cohort.id not in existing and cohort.idnumber in by_idnumber:
            existing[cohort.id] = by_idnumber[cohort.idnumber]
    _upsert(
        model=Cohort,
        existing=existing,
        incoming={
            cohort.id: {"moodle_id": cohort.id, "idnumber": cohort.idnumber, "name": cohort.name}
            for cohort in cohorts
        },
        counts=counts,
        now=now,
        mark_gone=True,
        extra={"instance": instance},
    )
    return dict(
        Cohort.objects.filter(instance=instance, moodle_id__isnull=False).values_list(
            "moodle_id", "pk"
        )
    )


def _write_course_cohorts(
    instance: MoodleInstance,
    cohort_syncs: dict[int, tuple[CohortSync, ...]],
    courses: dict[int, int],
    cohorts: dict[int, int],
    counts: SyncCounts,
    now: datetime.datetime,
) -> None:
    read_courses = [courses[moodle_id] for moodle_id in cohort_syncs if moodle_id in courses]
    existing = {
        (row.course_id, row.enrol_instance_id): row
        for row in CourseCohort.objects.filter(course_id__in=read_courses)
    }
    incoming: dict[tuple[int, int], dict[str, Any]] = {}
    for moodle_course_id, syncs in cohort_syncs.items():
        course_pk = courses.get(moodle_course_id)
        if course_pk is None:
            continue
        for sync in syncs:
            cohort_pk = cohorts.get(sync.cohortid)
            if cohort_pk is None:
                # A category cohort the site-wide listing did not show.
                cohort_pk = Cohort.objects.create(
                    instance=instance,
                    moodle_id=sync.cohortid,
                    idnumber=sync.cohortidnumber,
                    name=sync.cohortname,
                    synced_at=now,
                ).pk
                cohorts[sync.cohortid] = cohort_pk
            incoming[(course_pk, sync.id)] = {
                "course_id": course_pk,
                "enrol_instance_id": sync.id,
                "cohort_id": cohort_pk,
                "role": sync.roleshortname,
                "group_id": sync.groupid,
                "enabled": sync.status == 0,
                "users": sync.users,
            }
    _upsert(
        model=CourseCohort,
        existing=existing,
        incoming=incoming,
        counts=counts,
        now=now,
        mark_gone=False,
    )

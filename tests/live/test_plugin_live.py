"""The companion plugin local_passage against a real Moodle (see conftest.py for how to enable).

The write tests build what they need inside the test category: a course whose activities are
imported from a course of the site that has some (``MOODLE_LIVE_TEMPLATE_COURSE`` names it by
shortname, otherwise the first one found), with a teacher, students, a group, calendar events
and forum posts. The cohort test needs a cohort with members on the site. The refusal for a
missing capability needs ``MOODLE_LIVE_LIMITED_TOKEN``, a token on the Passage service of a
user who lacks ``local/passage:use``.
"""

from __future__ import annotations

import os
import tarfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

import pytest

from moodle_client import MoodleClient
from moodle_client.errors import (
    AccessDenied,
    AlreadyRestored,
    CohortNotFound,
    CourseNotEmpty,
    InvalidParameter,
    KeyConflict,
    NoBackupFile,
)
from moodle_client.types import NewCalendarEvent, NewCourse
from moodle_client.types.passage import CourseInventory
from moodle_client.types.users import ManualEnrolment, NewUser

pytestmark = pytest.mark.live

# Role ids of a standard Moodle install.
STUDENT_ROLE_ID = 5
EDITING_TEACHER_ROLE_ID = 3
# How many courses of the site are looked at to find one with activities to import.
TEMPLATE_CANDIDATES = 30
# The reset form's defaults (RESET_OPTIONS.md), plus emptying the groups.
RESET_OPTIONS = {
    "reset_events": 1,
    "reset_notes": 1,
    "reset_roles_local": 1,
    "reset_gradebook_grades": 1,
    "unenrol_users": [STUDENT_ROLE_ID],
    "reset_forum_all": 1,
    "reset_assign_submissions": 1,
    "reset_choice": 1,
    "reset_groups_members": 1,
}


@dataclass(frozen=True)
class ContentCourse:
    id: int
    studentids: tuple[int, ...]
    groupid: int


def _module_names(client: MoodleClient, courseid: int) -> Counter[tuple[str, str]]:
    sections = client.get_course_contents(courseid, exclude_contents=True)
    return Counter(
        (module.modname, module.name) for section in sections for module in section.modules
    )


def _template_course_id(client: MoodleClient) -> int | None:
    shortname = os.environ.get("MOODLE_LIVE_TEMPLATE_COURSE", "").strip()
    if shortname:
        course = client.find_course_by_shortname(shortname)
        return course.id if course else None
    checked = 0
    for category in client.get_categories():
        if category.idnumber.startswith("PASSAGE-LIVE-"):
            continue
        for course in client.get_courses_in_category(category.id):
            checked += 1
            modules = _module_names(client, course.id)
            if sum(modules.values()) >= 2 and client.get_forums([course.id]):
                return course.id
            if checked >= TEMPLATE_CANDIDATES:
                return None
    return None


def _new_course(client: MoodleClient, categoryid: int, shortname: str) -> int:
    course = NewCourse(
        fullname=f"Passage plugin {shortname}", shortname=shortname, categoryid=categoryid
    )
    return client.create_course(course).id


@pytest.fixture
def content_course(live_client: MoodleClient, live_category: int, unique: str) -> ContentCourse:
    """A course with activities, a teacher, three students in a group, events and forum posts."""
    templateid = _template_course_id(live_client)
    if templateid is None:
        pytest.skip("this Moodle has no course with activities and a forum to copy from")
    courseid = _new_course(live_client, live_category, f"PP-{unique}")
    live_client.import_course(templateid, courseid, timeout=600)

    people = live_client.create_users(
        [
            NewUser(
                username=f"pp-{unique}-{name}",
                password="Passage-Live-1!",
                firstname=name.capitalize(),
                lastname=f"Live {unique}",
                email=f"pp-{unique}-{name}@example.com",
            )
            for name in ("teacher", "student1", "student2", "student3")
        ]
    )
    teacher, students = people[0], people[1:]
    live_client.enrol_users(
        [ManualEnrolment(userid=teacher.id, courseid=courseid, roleid=EDITING_TEACHER_ROLE_ID)]
        + [
            ManualEnrolment(userid=student.id, courseid=courseid, roleid=STUDENT_ROLE_ID)
            for student in students
        ]
    )
    group = live_client.create_group(courseid, "Groupe A", idnumber=f"PP-{unique}-A")
    live_client.add_group_members(group.id, [student.id for student in students])
    live_client.create_calendar_events(
        [
            NewCalendarEvent(name="Examen", courseid=courseid, timestart=1788220800),
            NewCalendarEvent(name="Rentrée", courseid=courseid, timestart=1788000000),
        ]
    )
    forum = live_client.get_forums([courseid])[0]
    live_client.add_discussion(forum.id, "Question", "<p>Une question</p>")
    live_client.add_discussion(forum.id, "Réponse", "<p>Une réponse</p>")
    return ContentCourse(
        id=courseid, studentids=tuple(student.id for student in students), groupid=group.id
    )


@pytest.fixture
def empty_course(live_client: MoodleClient, live_category: int, unique: str) -> Iterator[int]:
    yield _new_course(live_client, live_category, f"PP-{unique}-empty")


def _role_users(inventory: CourseInventory, shortname: str) -> int:
    return sum(role.users for role in inventory.roles if role.shortname == shortname)


def _group_members(inventory: CourseInventory, groupid: int) -> int:
    return next(group.members for group in inventory.groups if group.id == groupid)


def _module_total(inventory: CourseInventory, kind: str) -> int:
    return sum(
        count.total for module in inventory.modules for count in module.data if count.kind == kind
    )


def test_backup_gives_a_gzip_tar_whose_sha1_is_the_contenthash(
    live_client: MoodleClient, content_course: ContentCourse, unique: str, tmp_path: Path
) -> None:
    key = f"pp-{unique}-backup"

    operation = live_client.backup_course(
        content_course.id, key=key, users=True, runinline=True, timeout=600
    )

    assert operation.succeeded, operation.error
    assert operation.result.filename.endswith(".mbz")
    downloaded = live_client.download_file(operation.result.fileurl, tmp_path / "course.mbz")
    assert downloaded.sha1 == operation.result.contenthash
    assert downloaded.size == operation.result.filesize
    with tarfile.open(downloaded.path, "r:gz") as archive:
        names = archive.getnames()
    assert "moodle_backup.xml" in names
    assert any(name.startswith("activities/forum_") for name in names)
    assert "users.xml" in names

    again = live_client.backup_course(content_course.id, key=key, users=True, runinline=True)
    assert again.id == operation.id
    assert again.timefinished == operation.timefinished


def test_a_queued_backup_is_an_operation_that_can_be_read_back(
    live_client: MoodleClient, content_course: ContentCourse, unique: str
) -> None:
    operation = live_client.backup_course(content_course.id, key=f"pp-{unique}-queued")

    assert operation.status in ("queued", "running", "success")
    found = live_client.get_operations([operation.id, 999_999_999])
    assert [item.id for item in found.operations] == [operation.id]
    assert [warning.itemid for warning in found.warnings] == [999_999_999]


def test_a_waiting_look_answers_when_the_backup_moves_on_and_the_end_is_seen(
    live_client: MoodleClient, content_course: ContentCourse, unique: str
) -> None:
    operation = live_client.backup_course(content_course.id, key=f"pp-{unique}-waited")

    looks = [operation]
    while not looks[-1].finished:
        looks.append(live_client.get_operation(operation.id, wait=30))

    # Every answer came because the backup moved on (status or progress), none because the
    # 30 s ran out, and the last one is its end.
    assert all(a.status != b.status or a.progress != b.progress for a, b in pairwise(looks))
    assert looks[-1].succeeded, looks[-1].error


def test_reset_deletes_the_chosen_data_and_keeps_the_rest(
    live_client: MoodleClient, content_course: ContentCourse, unique: str
) -> None:
    before = live_client.get_course_inventory(content_course.id)
    assert before.coursedata_count("events").total == 2
    assert _module_total(before, "posts") >= 2
    assert _role_users(before, "student") == len(content_course.studentids)
    assert _group_members(before, content_course.groupid) == len(content_course.studentids)

    operation = live_client.reset_course(
        content_course.id, RESET_OPTIONS, f"pp-{unique}-reset", runinline=True, timeout=600
    )

    assert operation.succeeded, operation.error
    assert operation.result.components
    # Moodle lists the module types it cannot reset (lti...) with this error; nothing else may fail.
    failed = [c for c in operation.result.components if c.error not in ("", "Reset not supported")]
    assert failed == []
    after = live_client.get_course_inventory(content_course.id)
    assert after.coursedata_count("events").total == 0
    assert _module_total(after, "posts") == 0
    assert _module_total(after, "discussions") == 0
    assert _role_users(after, "student") == 0
    assert all(group.members == 0 for group in after.groups)
    # What the reset must not touch.
    assert [(m.cmid, m.modname, m.name) for m in after.modules] == [
        (m.cmid, m.modname, m.name) for m in before.modules
    ]
    assert [group.id for group in after.groups] == [group.id for group in before.groups]
    assert _role_users(after, "editingteacher") == _role_users(before, "editingteacher")


def test_reset_refuses_an_option_the_reset_form_does_not_have(
    live_client: MoodleClient, content_course: ContentCourse, unique: str
) -> None:
    with pytest.raises(InvalidParameter):
        live_client.reset_course(
            content_course.id, {"reset_everything": 1}, f"pp-{unique}-bad", runinline=True
        )

    assert _role_users(live_client.get_course_inventory(content_course.id), "student") == 3


def test_a_key_reused_for_other_work_is_a_conflict(
    live_client: MoodleClient, content_course: ContentCourse, unique: str
) -> None:
    key = f"pp-{unique}-shared"
    live_client.backup_course(content_course.id, key=key, runinline=True, timeout=600)

    with pytest.raises(KeyConflict):
        live_client.reset_course(content_course.id, RESET_OPTIONS, key, runinline=True)


def test_restore_into_an_empty_course_reproduces_the_modules(
    live_client: MoodleClient,
    content_course: ContentCourse,
    empty_course: int,
    live_category: int,
    unique: str,
    tmp_path: Path,
) -> None:
    backup = live_client.backup_course(
        content_course.id, key=f"pp-{unique}-src", runinline=True, timeout=600
    )
    mbz = live_client.download_file(backup.result.fileurl, tmp_path / backup.result.filename)
    draft = live_client.upload_file(mbz.path)
    key = f"pp-{unique}-restore"

    operation = live_client.restore_course(
        empty_course, draft.itemid, key=key, settings={"users": False}, runinline=True, timeout=600
    )

    assert operation.succeeded, operation.error
    assert operation.result.restoredcourseid == empty_course
    assert _module_names(live_client, empty_course) == _module_names(live_client, content_course.id)
    assert live_client.get_course_inventory(empty_course).restore.restored
    retried = live_client.restore_course(empty_course, draft.itemid, key=key, runinline=True)
    assert retried.id == operation.id

    with pytest.raises(AlreadyRestored):
        live_client.restore_course(empty_course, draft.itemid, key=f"{key}-2", runinline=True)
    with pytest.raises(CourseNotEmpty):
        live_client.restore_course(content_course.id, draft.itemid, key=f"{key}-3", runinline=True)
    notes = tmp_path / "notes.txt"
    notes.write_text("not a backup")
    other = _new_course(live_client, live_category, f"PP-{unique}-other")
    with pytest.raises(NoBackupFile):
        live_client.restore_course(
            other, live_client.upload_file(notes).itemid, key=f"{key}-4", runinline=True
        )


def test_cohort_sync_enrols_the_members_and_its_removal_unenrols_them(
    live_client: MoodleClient, empty_course: int, content_course: ContentCourse
) -> None:
    cohorts = [cohort for cohort in live_client.get_cohorts() if cohort.idnumber]
    members = (
        {
            item.cohortid: item.userids
            for item in live_client.get_cohort_members([cohort.id for cohort in cohorts])
        }
        if cohorts
        else {}
    )
    cohort = next((c for c in cohorts if members.get(c.id)), None)
    if cohort is None:
        pytest.skip("this Moodle has no cohort with an idnumber and members")
    size = len(members[cohort.id])
    assert live_client.list_cohort_syncs(empty_course) == ()

    added = live_client.add_cohort_sync(empty_course, cohort.idnumber)

    assert added.created
    assert added.instance.users == size
    assert len(live_client.get_enrolled_users(empty_course)) == size
    again = live_client.add_cohort_sync(empty_course, cohort.idnumber)
    assert (again.created, again.instance.id) == (False, added.instance.id)
    assert [sync.id for sync in live_client.list_cohort_syncs(empty_course)] == [added.instance.id]

    removed = live_client.remove_cohort_sync(empty_course, added.instance.id)

    assert (removed.removed, removed.unenrolled) == (True, size)
    assert live_client.get_enrolled_users(empty_course) == ()
    assert live_client.list_cohort_syncs(empty_course) == ()
    repeated = live_client.remove_cohort_sync(empty_course, added.instance.id)
    assert (repeated.removed, repeated.unenrolled) == (False, 0)

    with pytest.raises(CohortNotFound):
        live_client.add_cohort_sync(empty_course, "PASSAGE-NO-SUCH-COHORT")
    with pytest.raises(InvalidParameter) as caught:
        live_client.add_cohort_sync(empty_course, cohort.idnumber, roleshortname="nosuchrole")
    assert caught.value.errorcode == "invalidrole"
    with pytest.raises(InvalidParameter) as caught:
        live_client.add_cohort_sync(empty_course, cohort.idnumber, groupid=content_course.groupid)
    assert caught.value.errorcode == "invalidgroup"


def test_a_user_without_the_passage_capability_is_refused(
    live_client: MoodleClient, content_course: ContentCourse, unique: str
) -> None:
    token = os.environ.get("MOODLE_LIVE_LIMITED_TOKEN", "").strip()
    if not token:
        pytest.skip("needs MOODLE_LIVE_LIMITED_TOKEN, a token of a user without local/passage:use")
    limited = MoodleClient(live_client.base_url, token)
    # A teacher of the course: what is missing is Passage's capability, not access to the course.
    teacherid = limited.get_site_info().userid
    live_client.enrol_users(
        [
            ManualEnrolment(
                userid=teacherid, courseid=content_course.id, roleid=EDITING_TEACHER_ROLE_ID
            )
        ]
    )
    operation = live_client.backup_course(
        content_course.id, key=f"pp-{unique}-seen", runinline=True
    )

    with pytest.raises(AccessDenied):
        limited.backup_course(content_course.id, key=f"pp-{unique}-limited", runinline=True)
    with pytest.raises(AccessDenied):
        limited.get_course_inventory(content_course.id)
    with pytest.raises(AccessDenied):
        limited.list_cohort_syncs(content_course.id)
    hidden = limited.get_operations([operation.id])
    assert hidden.operations == ()
    assert [warning.warningcode for warning in hidden.warnings] == ["notfound"]


def test_a_course_without_announcements_forum_gets_one_from_the_plugin(
    live_client: MoodleClient, live_category: int, unique: str
) -> None:
    # Without news items to show, Moodle makes no announcements forum when the course is
    # created, nor in a copy of it: a post has nowhere to go until the plugin makes one.
    (created,) = live_client.call(
        "core_course_create_courses",
        courses=[
            {
                "fullname": f"Passage news {unique}",
                "shortname": f"PN-{unique}",
                "categoryid": live_category,
                "newsitems": 0,
            }
        ],
    )
    courseid = int(created["id"])
    copy = live_client.duplicate_course(
        courseid,
        fullname=f"Passage news copy {unique}",
        shortname=f"PN-{unique}-2",
        categoryid=live_category,
        users=False,
        timeout=600,
    )
    for course in (courseid, copy.id):
        assert [f for f in live_client.get_forums([course]) if f.type == "news"] == []
    assert live_client.get_enrolled_users(copy.id) == ()

    first = live_client.ensure_news_forum(courseid)
    # mod_forum's web services find it at once (its context exists, nobody opened the course).
    answer = live_client.call("mod_forum_get_forum_discussions", forumid=first.forumid)
    assert answer["discussions"] == []
    again = live_client.ensure_news_forum(courseid)

    assert first.created and not again.created
    assert (again.forumid, again.cmid) == (first.forumid, first.cmid)
    (news,) = [f for f in live_client.get_forums([courseid]) if f.type == "news"]
    assert (news.id, news.cmid) == (first.forumid, first.cmid)
    assert live_client.add_discussion(first.forumid, "Bienvenue", "<p>Rentrée</p>").discussionid


def test_a_copy_without_user_data_enrols_nobody_and_takes_its_teacher_by_manual_enrolment(
    live_client: MoodleClient, live_category: int, unique: str
) -> None:
    source = _new_course(live_client, live_category, f"PT-{unique}")
    (teacher,) = live_client.create_users(
        [
            NewUser(
                username=f"pt-{unique}-teacher",
                password="Passage-Live-1!",
                firstname="Teacher",
                lastname=f"Live {unique}",
                email=f"pt-{unique}-teacher@example.com",
            )
        ]
    )
    live_client.enrol_users(
        [ManualEnrolment(userid=teacher.id, courseid=source, roleid=EDITING_TEACHER_ROLE_ID)]
    )
    copy = live_client.duplicate_course(
        source,
        fullname=f"Passage teacher copy {unique}",
        shortname=f"PT-{unique}-2",
        categoryid=live_category,
        users=False,
        timeout=600,
    )
    assert live_client.get_enrolled_users(copy.id) == ()

    live_client.enrol_users(
        [ManualEnrolment(userid=teacher.id, courseid=copy.id, roleid=EDITING_TEACHER_ROLE_ID)]
    )

    (enrolled,) = live_client.get_enrolled_users(copy.id)
    assert enrolled.id == teacher.id
    assert [role.shortname for role in enrolled.roles] == ["editingteacher"]


def test_the_content_fingerprint_ignores_passages_backup_and_follows_the_content(
    live_client: MoodleClient, content_course: ContentCourse, unique: str
) -> None:
    courseid = content_course.id
    before = live_client.get_content_fingerprint(courseid)
    live_client.backup_course(courseid, key=f"fp-{unique}", anonymize=True, runinline=True)
    assert live_client.get_content_fingerprint(courseid) == before

    live_client.update_course(courseid, fullname=f"Passage plugin PP-{unique} (edited)")

    after = live_client.get_content_fingerprint(courseid)
    assert after.fingerprint != before.fingerprint
    assert after.timemodified >= before.timemodified


def test_a_restore_with_the_portals_user_settings_brings_the_students_work_back(
    live_client: MoodleClient,
    content_course: ContentCourse,
    empty_course: int,
    unique: str,
    tmp_path: Path,
) -> None:
    from transition.engine.steps.restore import RESTORE_SETTINGS_WITH_USERS

    before = live_client.get_course_inventory(content_course.id)
    backup = live_client.backup_course(
        content_course.id, key=f"pp-{unique}-users", users=True, runinline=True, timeout=600
    )
    mbz = live_client.download_file(backup.result.fileurl, tmp_path / backup.result.filename)
    draft = live_client.upload_file(mbz.path)

    operation = live_client.restore_course(
        empty_course,
        draft.itemid,
        key=f"pp-{unique}-users-restore",
        settings=RESTORE_SETTINGS_WITH_USERS,
        runinline=True,
        timeout=600,
    )

    assert operation.succeeded, operation.error
    after = live_client.get_course_inventory(empty_course)
    assert _role_users(after, "student") == _role_users(before, "student") == 3
    assert _module_total(after, "posts") == _module_total(before, "posts") > 0

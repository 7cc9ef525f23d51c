"""Typed course, category and content calls against the stand-in Moodle over HTTP."""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from moodle_client import MoodleClient
from moodle_client.errors import NotFound, ShortnameTaken
from moodle_client.types import ManualEnrolment, NewCourse

START = 1_756_684_800
END = 1_782_864_000
_numbers = itertools.count(1)


@pytest.fixture
def category(admin: MoodleClient) -> int:
    number = next(_numbers)
    return admin.create_category(f"Courses test {number}", idnumber=f"CT-{number}").id


@pytest.fixture
def course(admin: MoodleClient, category: int) -> int:
    number = next(_numbers)
    created = admin.create_course(
        NewCourse(
            fullname=f"Chimie {number} (2025-2026)",
            shortname=f"CHIM-{number}",
            categoryid=category,
            idnumber=f"CHIM-{number}-ID",
            summary="Cours de chimie",
            format="topics",
            numsections=3,
            startdate=START,
            enddate=END,
            visible=True,
        )
    )
    assert created.shortname == f"CHIM-{number}"
    return created.id


def test_a_created_course_reads_back_by_id_shortname_idnumber_and_category(
    admin: MoodleClient, course: int, category: int
) -> None:
    read = admin.get_course(course)

    assert read.id == course
    assert read.fullname.startswith("Chimie ")
    assert read.idnumber == f"{read.shortname}-ID"
    assert read.categoryid == category
    assert (read.startdate, read.enddate, read.visible, read.format) == (START, END, True, "topics")
    assert admin.find_course_by_shortname(read.shortname) == read
    assert admin.find_course_by_idnumber(read.idnumber) == read
    assert admin.get_courses_in_category(category) == (read,)
    assert admin.get_courses([course, 999_999]) == (read,)
    assert admin.get_courses([]) == ()


def test_missing_courses_are_none_or_not_found(admin: MoodleClient) -> None:
    assert admin.find_course_by_shortname("NO-SUCH-COURSE") is None
    with pytest.raises(NotFound):
        admin.get_course(999_999)


def test_search_finds_a_course_by_its_name(admin: MoodleClient, course: int) -> None:
    fullname = admin.get_course(course).fullname

    found = admin.search_courses(fullname, perpage=5)

    assert found.total >= 1
    assert course in [item.id for item in found.courses]


def test_rename_move_hide_and_dates(admin: MoodleClient, course: int) -> None:
    archive = admin.create_category("Archives rename test")

    admin.rename_course(course, fullname="Chimie (archive)", shortname=f"ARCH-{course}")
    admin.move_course(course, categoryid=archive.id)
    admin.set_course_visibility(course, visible=False)
    admin.set_course_dates(course, startdate=START + 86400, enddate=0)

    read = admin.get_course(course)
    assert (read.fullname, read.shortname) == ("Chimie (archive)", f"ARCH-{course}")
    assert read.categoryid == archive.id
    assert read.visible is False
    assert (read.startdate, read.enddate) == (START + 86400, 0)


def test_a_taken_shortname_is_reported_on_create_and_update(
    admin: MoodleClient, course: int, category: int
) -> None:
    taken = admin.get_course(course).shortname
    other = admin.create_course(
        NewCourse(fullname="Other", shortname=f"OTHER-{course}", categoryid=category)
    )

    with pytest.raises(ShortnameTaken) as on_create:
        admin.create_course(NewCourse(fullname="Dup", shortname=taken, categoryid=category))
    with pytest.raises(ShortnameTaken) as on_update:
        admin.update_course(other.id, shortname=taken)

    assert on_create.value.errorcode == on_update.value.errorcode == "shortnametaken"
    assert taken in on_update.value.message
    assert admin.get_course(other.id).shortname == f"OTHER-{course}"


def test_updating_a_missing_course_is_not_found(admin: MoodleClient) -> None:
    with pytest.raises(NotFound):
        admin.rename_course(999_999, fullname="x")


def test_duplicate_copies_no_user_data_unless_asked(
    admin: MoodleClient, course: int, category: int, moodle: Any
) -> None:
    student = _student(moodle, f"dup{course}")
    admin.enrol_users([ManualEnrolment(userid=student, courseid=course, roleid=5)])

    content_only = admin.duplicate_course(
        course, fullname="Copy", shortname=f"COPY-{course}", categoryid=category
    )
    with_users = admin.duplicate_course(
        course, fullname="Copy", shortname=f"COPYU-{course}", categoryid=category, users=True
    )

    assert content_only.shortname == f"COPY-{course}"
    assert admin.get_enrolled_users(content_only.id) == ()
    assert [user.id for user in admin.get_enrolled_users(with_users.id)] == [student]


def test_import_replaces_content_with_deletecontent(admin: MoodleClient, category: int) -> None:
    source = admin.create_course(NewCourse(fullname="S", shortname="IMP-SRC", categoryid=category))
    target = admin.create_course(NewCourse(fullname="T", shortname="IMP-TGT", categoryid=category))

    admin.import_course(source.id, target.id, deletecontent=True)

    modules = [m for s in admin.get_course_contents(target.id) for m in s.modules]
    assert [module.modname for module in modules] == ["forum"]
    with pytest.raises(ValueError):
        admin.import_course(target.id, target.id)


def test_delete_reports_what_it_could_not_delete(admin: MoodleClient, category: int) -> None:
    doomed = admin.create_course(NewCourse(fullname="D", shortname="DEL-1", categoryid=category))

    warnings = admin.delete_courses([doomed.id, 999_999])

    assert [(warning.itemid, warning.item) for warning in warnings] == [(999_999, "course")]
    assert admin.find_course_by_shortname("DEL-1") is None


def test_categories_are_found_by_idnumber_and_name(admin: MoodleClient) -> None:
    created = admin.create_category("Physique test", idnumber="PHYS-TEST")
    child = admin.create_category("Physique L1", parent=created.id)

    by_idnumber = admin.get_categories(idnumber="PHYS-TEST")
    assert [item.id for item in by_idnumber] == [created.id]
    assert [item.id for item in admin.get_categories(name="Physique L1")] == [child.id]
    assert admin.get_categories(parent=created.id)[0].parent == created.id
    with_children = admin.get_categories(idnumber="PHYS-TEST", include_subcategories=True)
    assert {item.id for item in with_children} == {created.id, child.id}


def test_contents_list_sections_and_modules(admin: MoodleClient, course: int) -> None:
    sections = admin.get_course_contents(course)

    assert [section.section for section in sections] == [0, 1, 2, 3]
    news = sections[0].modules[0]
    assert news.modname == "forum"
    assert news.id > 0
    only_first = admin.get_course_contents(course, section_number=1, exclude_contents=True)
    assert [section.section for section in only_first] == [1]


def _student(moodle: Any, username: str) -> int:
    with moodle.site.lock:
        user = moodle.site.add_user(username, "Etu", username.title())
    return int(user.id)

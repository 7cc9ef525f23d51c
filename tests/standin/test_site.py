"""The site model's shared rules: enrolments and the roles they carry, who counts as a
student, capabilities, deleting a module."""

from __future__ import annotations

import pickle

from moodle_client.standin.functions.group import add_group
from moodle_client.standin.site import (
    ROLE_EDITINGTEACHER,
    ROLE_MANAGER,
    ROLE_STUDENT,
    Site,
)


def course_site() -> tuple[Site, int]:
    site = Site()
    site.add_category("Category 1", id=1)
    course = site.add_course("C1", "Course one", category=1, numsections=2)
    return site, course.id


def test_a_new_course_has_its_sections_and_news_forum() -> None:
    site, courseid = course_site()
    assert [s.section for s in site.course_sections(courseid)] == [0, 1, 2]
    news = site.news_forum(courseid)
    assert news is not None and site.sections[news.section].section == 0


def test_cohort_enrolment_roles_carry_the_instance_and_go_with_it() -> None:
    site, courseid = course_site()
    user = site.add_user("etu", "Eve", "Student")
    manual = site.add_enrol_instance(courseid, "manual")
    cohort = site.add_enrol_instance(courseid, "cohort", customint1=1)
    site.enrol_user(manual, user.id)
    site.enrol_user(cohort, user.id)
    contextid = site.courses[courseid].contextid
    assert {
        (a.component, a.itemid) for a in site.role_assignments.values() if a.contextid == contextid
    } == {("", 0), ("enrol_cohort", cohort.id)}
    assert site.users_enrolled(courseid) == {user.id: ["manual", "cohort"]}

    site.unenrol_user(cohort, user.id)
    assert site.users_enrolled(courseid) == {user.id: ["manual"]}
    assert [r.shortname for r in site.course_roles(courseid, user.id)] == ["student"]


def test_the_last_unenrolment_removes_roles_and_group_memberships() -> None:
    site, courseid = course_site()
    user = site.add_user("etu", "Eve", "Student")
    manual = site.add_enrol_instance(courseid, "manual")
    site.enrol_user(manual, user.id)
    group = add_group(site, courseid, "TD 1", members=[user.id])
    site.unenrol_user(manual, user.id)
    assert site.course_roles(courseid, user.id) == []
    assert group.members == []


def test_former_students_count_as_students() -> None:
    site, courseid = course_site()
    teacher = site.add_user("prof", "Paul", "Teacher")
    former = site.add_user("old", "Olga", "Former")
    site.enrol_user(
        site.add_enrol_instance(courseid, "manual"), teacher.id, roleid=ROLE_EDITINGTEACHER
    )
    assert not site.is_student(teacher.id, courseid)
    assert site.is_student(former.id, courseid)


def test_capabilities_follow_roles_up_the_context_tree() -> None:
    site, courseid = course_site()
    manager = site.add_user("mgr", "Mia", "Manager")
    teacher = site.add_user("prof", "Paul", "Teacher")
    category_context = site.categories[1].contextid
    course_context = site.courses[courseid].contextid
    site.assign_role(ROLE_MANAGER, manager.id, category_context)
    site.assign_role(ROLE_EDITINGTEACHER, teacher.id, course_context)
    assert site.has_capability(manager.id, "moodle/course:create", course_context)
    assert site.has_capability(teacher.id, "moodle/course:update", course_context)
    assert not site.has_capability(teacher.id, "moodle/course:create", category_context)
    assert not site.has_capability(teacher.id, "moodle/backup:userinfo", course_context)


def test_deleting_a_module_deletes_what_belongs_to_it() -> None:
    site, courseid = course_site()
    student = site.add_user("etu", "Eve", "Student")
    assign = site.add_module(courseid, "assign", "Essay", section=1)
    site.add_user_data("submissions", courseid=courseid, cmid=assign.id, userid=student.id)
    item = site.add_grade_item(courseid, "mod", module=assign)
    site.set_grade(item.id, student.id, 12.0)
    site.add_event(
        "Essay due",
        eventtype="due",
        timestart=1,
        courseid=courseid,
        modulename="assign",
        instance=assign.instance,
    )
    site.add_file(assign.contextid, "mod_assign", "intro", 0, "/", "brief.pdf", b"%PDF")

    site.delete_module(assign.id)

    assert assign.id not in site.sections[assign.section].sequence
    assert not list(site.user_data_of(cmid=assign.id))
    assert item.id not in site.grade_items and not site.grades
    assert not site.events and not site.files
    assert assign.contextid not in site.contexts


def test_a_site_survives_pickling_for_state_files() -> None:
    site, courseid = course_site()
    copy = pickle.loads(pickle.dumps(site))
    assert copy.courses[courseid].shortname == "C1"
    assert copy.next_id("course") == site.next_id("course")  # the id sequences come along
    assert ROLE_STUDENT in copy.roles
    with copy.lock:  # a fresh lock: locks do not pickle
        pass

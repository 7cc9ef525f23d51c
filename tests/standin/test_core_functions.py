"""What the stand-in's core functions do to the site, quirks of Moodle 5.0 included, checked
through the web service on the `contract` seed."""

from __future__ import annotations

from typing import Any

import pytest
import requests

from moodle_client.standin import StandinServer
from tests.conftest import StartStandin


class Moodle:
    def __init__(self, server: StandinServer, token: str = "admin") -> None:
        self.server = server
        self.token = token

    def __call__(self, function: str, **params: Any) -> Any:
        fields: list[tuple[str, str]] = []

        def walk(prefix: str, value: Any) -> None:
            if isinstance(value, dict):
                for key, item in value.items():
                    walk(f"{prefix}[{key}]", item)
            elif isinstance(value, list):
                for index, item in enumerate(value):
                    walk(f"{prefix}[{index}]", item)
            else:
                fields.append((prefix, str(int(value) if isinstance(value, bool) else value)))

        for name, value in params.items():
            walk(name, value)
        response = requests.post(
            f"{self.server.url}/webservice/rest/server.php",
            params={"wstoken": self.token, "wsfunction": function, "moodlewsrestformat": "json"},
            data=fields,
            timeout=10,
        )
        assert response.status_code == 200
        return response.json()


@pytest.fixture
def moodle(start_standin: StartStandin) -> Moodle:
    return Moodle(start_standin("contract"))


def enrolled_ids(moodle: Moodle, courseid: int) -> set[int]:
    return {u["id"] for u in moodle("core_enrol_get_enrolled_users", courseid=courseid)}


def module_names(moodle: Moodle, courseid: int) -> list[str]:
    return [
        m["name"]
        for s in moodle("core_course_get_contents", courseid=courseid)
        for m in s["modules"]
    ]


def test_unfiltered_course_lists_include_the_site_course(moodle: Moodle) -> None:
    listed = moodle("core_course_get_courses")
    by_field = moodle("core_course_get_courses_by_field")["courses"]
    assert {"site"} == {c["format"] for c in listed if c["id"] == 1}
    assert 1 in {c["id"] for c in by_field}
    assert moodle("core_course_get_courses_by_field", field="id", value="abc") == {
        "courses": [],
        "warnings": [],
    }


def test_duplicate_without_options_copies_enrolments_and_user_data(moodle: Moodle) -> None:
    site = moodle.server.site
    copy = moodle(
        "core_course_duplicate_course",
        courseid=4,
        fullname="Copy",
        shortname="copy-all",
        categoryid=1,
    )
    assert len(enrolled_ids(moodle, copy["id"])) == len(enrolled_ids(moodle, 4)) == 103
    assert sum(1 for r in site.user_data_of(courseid=copy["id"], kind="posts")) == 10
    copied_grades = [
        g for g in site.grades.values() if site.grade_items[g.itemid].courseid == copy["id"]
    ]
    assert len(copied_grades) == 1010


def test_duplicate_with_users_0_copies_content_only(moodle: Moodle) -> None:
    copy = moodle(
        "core_course_duplicate_course",
        courseid=4,
        fullname="Content",
        shortname="copy-content",
        categoryid=1,
        options=[{"name": "users", "value": 0}],
    )
    assert enrolled_ids(moodle, copy["id"]) == set()
    assert module_names(moodle, copy["id"]) == module_names(moodle, 4)
    assert not list(moodle.server.site.user_data_of(courseid=copy["id"]))


def test_duplicate_refuses_the_enrolments_option_and_a_taken_short_name(moodle: Moodle) -> None:
    refused = moodle(
        "core_course_duplicate_course",
        courseid=4,
        fullname="x",
        shortname="y",
        categoryid=1,
        options=[{"name": "enrolments", "value": 1}],
    )
    taken = moodle(
        "core_course_duplicate_course",
        courseid=4,
        fullname="x",
        shortname="testcourse_3_dup",
        categoryid=1,
    )
    assert refused["errorcode"] == "setting_by_name_not_found"
    assert taken["message"] == (
        "Short name is already used for another course (Test course: S (duplicate))"
    )
    assert "y" not in {c.shortname for c in moodle.server.site.courses.values()}


def test_import_into_the_same_course_doubles_its_activities(moodle: Moodle) -> None:
    before = module_names(moodle, 5)
    assert moodle("core_course_import_course", importfrom=5, importto=5) is None
    after = module_names(moodle, 5)
    assert sorted(after) == sorted(before * 2)


def test_import_with_deletecontent_replaces_content_and_keeps_participants(moodle: Moodle) -> None:
    participants = enrolled_ids(moodle, 5)
    moodle("core_course_import_course", importfrom=3, importto=5, deletecontent=1)
    assert sorted(module_names(moodle, 5)) == sorted(module_names(moodle, 3))
    assert enrolled_ids(moodle, 5) == participants


def test_enrolment_methods_never_list_manual_or_cohort_instances(moodle: Moodle) -> None:
    site = moodle.server.site
    methods_of_5 = {i.enrol for i in site.enrol_instances_of(5)}
    assert {"manual", "cohort"} <= methods_of_5
    assert moodle("core_enrol_get_course_enrolment_methods", courseid=5) == []
    assert [m["type"] for m in moodle("core_enrol_get_course_enrolment_methods", courseid=7)] == [
        "self"
    ]


def test_manual_unenrol_keeps_the_cohort_enrolment(moodle: Moodle) -> None:
    moodle("enrol_manual_enrol_users", enrolments=[{"roleid": 5, "userid": 107, "courseid": 5}])
    assert moodle("enrol_manual_unenrol_users", enrolments=[{"userid": 107, "courseid": 5}]) is None
    assert 107 in enrolled_ids(moodle, 5)
    methods = moodle.server.site.users_enrolled(5)[107]
    assert methods == ["cohort"]


def test_unenrol_removes_a_manual_only_user(moodle: Moodle) -> None:
    moodle("enrol_manual_unenrol_users", enrolments=[{"userid": 106, "courseid": 5}])
    assert 106 not in enrolled_ids(moodle, 5)


def test_adding_a_member_to_a_synced_cohort_enrols_them(moodle: Moodle) -> None:
    answer = moodle(
        "core_cohort_add_cohort_members",
        members=[
            {
                "cohorttype": {"type": "idnumber", "value": "L1CHIM231"},
                "usertype": {"type": "username", "value": "etu3"},
            },
            {
                "cohorttype": {"type": "idnumber", "value": "L1CHIM231"},
                "usertype": {"type": "idnumber", "value": "E2025003"},
            },
        ],
    )
    assert answer["warnings"] == [
        {"warningcode": "1", "message": "invalid parameter: usertype=idnumber"}
    ]
    assert "cohort" in moodle.server.site.users_enrolled(5)[106]


def test_create_courses_fails_whole_when_one_short_name_is_taken(moodle: Moodle) -> None:
    answer = moodle(
        "core_course_create_courses",
        courses=[
            {"fullname": "New", "shortname": "NEW-1", "categoryid": 1},
            {"fullname": "Dup", "shortname": "CHIM231-2025", "categoryid": 3},
        ],
    )
    assert answer["errorcode"] == "shortnametaken"
    assert "NEW-1" not in {c.shortname for c in moodle.server.site.courses.values()}


def test_created_course_has_sections_news_forum_and_a_manual_instance(moodle: Moodle) -> None:
    [created] = moodle(
        "core_course_create_courses",
        courses=[{"fullname": "New", "shortname": "NEW-1", "categoryid": 1, "numsections": 3}],
    )
    contents = moodle("core_course_get_contents", courseid=created["id"])
    assert [s["section"] for s in contents] == [0, 1, 2, 3]
    assert [m["name"] for m in contents[0]["modules"]] == ["Announcements"]
    enrolled = moodle(
        "enrol_manual_enrol_users",
        enrolments=[{"roleid": 5, "userid": 104, "courseid": created["id"]}],
    )
    assert enrolled is None


def test_update_courses_warns_per_course_and_updates_the_others(moodle: Moodle) -> None:
    answer = moodle(
        "core_course_update_courses",
        courses=[
            {"id": 7, "shortname": "CHIM231-2025"},
            {"id": 999999, "fullname": "x"},
            {"id": 6, "fullname": "Renamed", "categoryid": 1},
        ],
    )
    assert [w["warningcode"] for w in answer["warnings"]] == [
        "shortnametaken",
        "invalidrecordunknown",
    ]
    course = moodle.server.site.courses[6]
    assert (course.fullname, course.category) == ("Renamed", 1)


def test_a_course_moved_to_another_category_has_its_contexts_below_that_category(
    moodle: Moodle,
) -> None:
    site = moodle.server.site
    course = site.courses[5]  # CHIM231-2025, in Chimie, with activities
    chimie, archives = site.categories[3], site.categories[2]
    below_course = {course.contextid, *site.child_context_ids(course.contextid)}
    assert len(below_course) > 1

    moodle("core_course_update_courses", courses=[{"id": 5, "categoryid": archives.id}])
    assert below_course <= set(site.child_context_ids(archives.contextid))
    assert not below_course & set(site.child_context_ids(chimie.contextid))


def test_delete_courses_removes_everything_of_the_course(moodle: Moodle) -> None:
    site = moodle.server.site
    answer = moodle("core_course_delete_courses", courseids=[4, 999999])
    assert answer["warnings"][0]["warningcode"] == "unknowncourseidnumber"
    assert 4 not in site.courses
    assert not any(m.course == 4 for m in site.course_modules.values())
    assert not list(site.user_data_of(courseid=4))
    assert moodle("core_course_get_contents", courseid=4)["errorcode"] == ("invalidrecordunknown")


def test_student_token_reads_its_course_but_manages_nothing(start_standin: StartStandin) -> None:
    student = Moodle(start_standin("contract"), token="student-etu1")
    assert student("core_course_get_contents", courseid=5)
    assert student("core_course_get_contents", courseid=7)["errorcode"] == (
        "errorcoursecontextnotvalid"
    )
    refused = student(
        "enrol_manual_enrol_users", enrolments=[{"roleid": 5, "userid": 105, "courseid": 5}]
    )
    assert refused["message"] == (
        "Sorry, but you do not currently have permissions to do that (Enrol users)."
    )


def test_roles_assign_and_unassign_in_a_course_but_not_a_teacher_at_category(
    moodle: Moodle,
) -> None:
    site = moodle.server.site
    moodle(
        "core_role_assign_roles",
        assignments=[{"roleid": 4, "userid": 106, "contextlevel": "course", "instanceid": 5}],
    )
    assert [r.shortname for r in site.course_roles(5, 106)] == ["teacher", "student"]
    moodle(
        "core_role_unassign_roles",
        unassignments=[{"roleid": 4, "userid": 106, "contextlevel": "course", "instanceid": 5}],
    )
    assert [r.shortname for r in site.course_roles(5, 106)] == ["student"]
    refused = moodle(
        "core_role_assign_roles",
        assignments=[{"roleid": 4, "userid": 106, "contextlevel": "coursecat", "instanceid": 3}],
    )
    assert refused["errorcode"] == "invalidparameter"


def test_groups_take_only_enrolled_members(moodle: Moodle) -> None:
    [group] = moodle(
        "core_group_create_groups", groups=[{"courseid": 5, "name": "Groupe C", "description": ""}]
    )
    refused = moodle(
        "core_group_add_group_members", members=[{"groupid": group["id"], "userid": 3}]
    )
    accepted = moodle(
        "core_group_add_group_members", members=[{"groupid": group["id"], "userid": 105}]
    )
    assert refused["errorcode"] == "invalidparameter"
    assert accepted is None
    assert moodle.server.site.groups[group["id"]].members == [105]


def test_grades_written_show_in_the_user_report(moodle: Moodle) -> None:
    assert (
        moodle(
            "core_grades_update_grades",
            source="portal",
            courseid=4,
            component="mod_assign",
            activityid=18,
            itemnumber=0,
            grades=[{"studentid": 104, "grade": 77}],
        )
        == 0
    )
    report = moodle("gradereport_user_get_grade_items", courseid=4, userid=104)
    [assignment] = [i for i in report["usergrades"][0]["gradeitems"] if i.get("cmid") == 18]
    assert assignment["graderaw"] == 77


def test_new_discussion_comes_first_in_the_forum(moodle: Moodle) -> None:
    started = moodle(
        "mod_forum_add_discussion", forumid=3, subject="Bienvenue", message="<p>Hello</p>"
    )
    listed = moodle("mod_forum_get_forum_discussions", forumid=3, page=0, perpage=2)
    assert listed["discussions"][0]["discussion"] == started["discussionid"]
    assert listed["discussions"][0]["subject"] == "Bienvenue"


def test_calendar_events_created_are_read_back(moodle: Moodle) -> None:
    moodle(
        "core_calendar_create_calendar_events",
        events=[{"name": "Exam", "courseid": 6, "eventtype": "course", "timestart": 1761987600}],
    )
    events = moodle("core_calendar_get_calendar_events", events={"courseids": [6]})
    assert [e["name"] for e in events["events"]] == ["Exam"]


def test_files_of_the_course_backup_area(moodle: Moodle) -> None:
    listed = moodle(
        "core_files_get_files",
        contextid=18,
        component="backup",
        filearea="course",
        itemid=0,
        filepath="/",
        filename="",
    )
    assert [f["filename"] for f in listed["files"]] == [
        "backup-moodle2-course-3-testcourse_2-20261123-0821.mbz"
    ]
    assert [p["filename"] for p in listed["parents"]] == ["System", "Category 1", "Test course: XS"]


def test_a_course_the_user_may_not_delete_is_a_warning(start_standin: StartStandin) -> None:
    student = Moodle(start_standin("contract"), token="student-etu1")
    answer = student("core_course_delete_courses", courseids=[5])
    assert [w["warningcode"] for w in answer["warnings"]] == ["cannotdeletecourse"]
    assert 5 in student.server.site.courses


def test_enrolled_users_filtered_by_capability_and_sorted(moodle: Moodle) -> None:
    editors = moodle(
        "core_enrol_get_enrolled_users",
        courseid=5,
        options=[
            {"name": "withcapability", "value": "moodle/course:update"},
            {"name": "userfields", "value": "id"},
        ],
    )
    by_name = moodle(
        "core_enrol_get_enrolled_users",
        courseid=5,
        options=[
            {"name": "sortby", "value": "lastname"},
            {"name": "sortdirection", "value": "DESC"},
        ],
    )
    assert {u["username"] for u in editors} == {"tcurie", "etu4"}  # etu4 is a manager there
    assert [u["lastname"] for u in by_name] == ["Petit", "Martin", "Leroy", "Durand", "Curie"]


def test_duplicate_carries_groups_and_their_members_only_with_users(moodle: Moodle) -> None:
    site = moodle.server.site
    with_users = moodle(
        "core_course_duplicate_course",
        courseid=5,
        fullname="A",
        shortname="groups-users",
        categoryid=3,
    )
    without = moodle(
        "core_course_duplicate_course",
        courseid=5,
        fullname="B",
        shortname="groups-empty",
        categoryid=3,
        options=[{"name": "users", "value": 0}],
    )

    def groups(courseid: int) -> dict[str, list[int]]:
        return {g.name: g.members for g in site.groups.values() if g.courseid == courseid}

    assert groups(with_users["id"]) == groups(5) == {"Groupe A": [104], "Groupe B": [105]}
    assert groups(without["id"]) == {"Groupe A": [], "Groupe B": []}


def test_a_student_sees_every_visible_course_of_the_catalogue(start_standin: StartStandin) -> None:
    student = Moodle(start_standin("contract"), token="student-etu1")
    shown = {c["id"] for c in student("core_course_get_courses_by_field")["courses"]}
    assert {1, 2, 3, 4, 5, 7} <= shown  # enrolled in 4 and 5 only
    assert 6 not in shown  # hidden

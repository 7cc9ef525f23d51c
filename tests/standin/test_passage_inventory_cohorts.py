"""The course inventory (students' data apart from others') and cohort syncs."""

from __future__ import annotations

from typing import Any

from moodle_client.standin.seeds.builders import add_group
from moodle_client.standin.site import MODULE_DATA_KINDS
from tests.standin.passage_helpers import (
    Moodle,
    course_data,
    data_count,
    module_id,
    moodle_fixture,  # noqa: F401
)

LOADED = "CHIM231-2025"


def test_inventory_lists_every_kind_of_every_module_zero_included(moodle: Moodle) -> None:
    inventory = moodle.inventory(moodle.course(LOADED))
    for module in inventory["modules"]:
        kinds = [d["kind"] for d in module["data"]]
        assert kinds == [*MODULE_DATA_KINDS.get(module["modname"], ()), "completions"]
        for data in module["data"]:
            assert data["total"] == data["students"] + data["others"]
    assert [d["kind"] for d in inventory["coursedata"]] == [
        "events",
        "notes",
        "comments",
        "coursecompletions",
        "blogassociations",
        "competencyratings",
    ]


def test_teachers_data_counts_as_others_and_former_students_as_students(moodle: Moodle) -> None:
    courseid = moodle.course(LOADED)
    inventory = moodle.inventory(courseid)
    quiz = module_id(inventory, "quiz")
    # Ten enrolled students and one who left the course attempted the quiz; so did the teacher.
    assert data_count(inventory, quiz, "attempts", "students") == 11
    assert data_count(inventory, quiz, "attempts", "others") == 1
    # Removing a student's role leaves them with no role in the course: still a student.
    site = moodle.site
    student = site.user_by_username("etu01")
    assert student is not None
    with site.lock:
        site.unassign_roles(userid=student.id, contextid=site.courses[courseid].contextid)
    assert data_count(moodle.inventory(courseid), quiz, "attempts", "students") == 11


def test_inventory_enrolments_roles_groups_gradebook(moodle: Moodle) -> None:
    inventory = moodle.inventory(moodle.course(LOADED))
    methods = {e["method"]: e for e in inventory["enrolments"]}
    assert methods["cohort"]["cohortidnumber"] == "L1CHIM231"
    assert methods["cohort"]["name"] == "Cohort sync (LICENCE 1 CHIMIE - Student (student))"
    assert methods["cohort"]["users"] == 6
    assert methods["cohort"]["groupid"] == inventory["groups"][0]["id"]
    assert methods["manual"]["users"] == 7
    assert {r["shortname"]: r["users"] for r in inventory["roles"]} == {
        "editingteacher": 1,
        "teacher": 1,
        "student": 10,
    }
    assert [(g["name"], g["members"]) for g in inventory["groups"]] == [("TD 1", 6), ("TD 2", 2)]
    gradebook = inventory["gradebook"]
    assert gradebook["manualitems"] == 1
    assert gradebook["activityitems"] == 5
    assert gradebook["grades"] == gradebook["studentgrades"] + 1  # the teacher's quiz grade
    assert inventory["restore"] == {"restored": False, "timerestored": 0, "operationid": 0}
    assert course_data(inventory, "events") == 3


def test_teacher_with_a_second_role_shows_both_roles(moodle: Moodle) -> None:
    inventory = moodle.inventory(moodle.course("CHIM232-2025"))
    assert {r["shortname"]: r["users"] for r in inventory["roles"]}["manager"] == 1


def test_inventory_needs_the_course_update_capability(moodle: Moodle) -> None:
    answer = moodle.call(
        "local_passage_get_course_inventory", "teacher", courseid=moodle.course("BIO101-2025")
    )
    assert answer["errorcode"] == "nopermissions"


# ----------------------------------------------------------------------- cohort syncs


def syncs(moodle: Moodle, courseid: int) -> list[dict[str, Any]]:
    return moodle.ok("local_passage_list_cohort_syncs", courseid=courseid)["instances"]  # type: ignore[no-any-return]


def test_adding_a_cohort_enrols_its_members_in_the_group_once(moodle: Moodle) -> None:
    courseid = moodle.course("CHIM241-2026")
    site = moodle.site
    with site.lock:
        group = add_group(site, site.courses[courseid], "TD A")
    first = moodle.ok(
        "local_passage_add_cohort_sync",
        courseid=courseid,
        cohortidnumber="L1CHIM241",
        groupid=group.id,
    )
    assert first["created"] is True
    instance = first["instance"]
    assert (instance["cohortidnumber"], instance["roleshortname"], instance["users"]) == (
        "L1CHIM241",
        "student",
        6,
    )
    again = moodle.ok(
        "local_passage_add_cohort_sync", courseid=courseid, cohortidnumber="L1CHIM241"
    )
    assert again == {"instance": instance, "created": False}
    inventory = moodle.inventory(courseid)
    assert {r["shortname"]: r["users"] for r in inventory["roles"]}["student"] == 6
    assert inventory["groups"][0]["members"] == 6
    assert syncs(moodle, courseid) == [instance]


def test_removing_a_cohort_sync_unenrols_only_who_came_through_it(moodle: Moodle) -> None:
    courseid = moodle.course(LOADED)
    [instance] = syncs(moodle, courseid)
    answer = moodle.ok(
        "local_passage_remove_cohort_sync", courseid=courseid, instanceid=instance["id"]
    )
    assert answer == {"removed": True, "unenrolled": 6}
    inventory = moodle.inventory(courseid)
    assert [e["method"] for e in inventory["enrolments"]] == ["manual"]
    # etu05 had also been enrolled by hand: still a student of the course.
    assert {r["shortname"]: r["users"] for r in inventory["roles"]}["student"] == 5
    etu05 = moodle.site.user_by_username("etu05")
    assert etu05 is not None and moodle.site.is_enrolled(courseid, etu05.id)
    assert inventory["groups"][0]["members"] == 0
    again = moodle.ok(
        "local_passage_remove_cohort_sync", courseid=courseid, instanceid=instance["id"]
    )
    assert again == {"removed": False, "unenrolled": 0}


def test_cohort_sync_refusals(moodle: Moodle) -> None:
    courseid = moodle.course("CHIM241-2026")
    other_group = moodle.inventory(moodle.course(LOADED))["groups"][0]["id"]
    cases = [
        ({"cohortidnumber": "NOPE"}, "cohortnotfound"),
        ({"cohortidnumber": "L1CHIM241", "roleshortname": "coursecreator"}, "invalidrole"),
        ({"cohortidnumber": "L1CHIM241", "groupid": other_group}, "invalidgroup"),
    ]
    for params, errorcode in cases:
        answer = moodle.call("local_passage_add_cohort_sync", courseid=courseid, **params)
        assert answer["errorcode"] == errorcode
    assert syncs(moodle, courseid) == []
    answer = moodle.call(
        "local_passage_add_cohort_sync",
        "teacher",
        courseid=moodle.course("BIO101-2025"),
        cohortidnumber="L1CHIM241",
    )
    assert answer["errorcode"] == "nopermissions"


def test_teacher_swaps_last_years_cohort_for_next_years(moodle: Moodle) -> None:
    courseid = moodle.course(LOADED)
    [old] = syncs(moodle, courseid)
    moodle.ok(
        "local_passage_remove_cohort_sync", "teacher", courseid=courseid, instanceid=old["id"]
    )
    added = moodle.ok(
        "local_passage_add_cohort_sync", "teacher", courseid=courseid, cohortidnumber="L1CHIM241"
    )
    assert [s["cohortidnumber"] for s in syncs(moodle, courseid)] == ["L1CHIM241"]
    assert added["instance"]["users"] == 6


def test_someone_joining_a_synced_cohort_is_enrolled(moodle: Moodle) -> None:
    courseid = moodle.course("CHIM241-2026")
    moodle.ok("local_passage_add_cohort_sync", courseid=courseid, cohortidnumber="L1CHIM241")
    newcomer = moodle.ok(
        "core_user_create_users",
        users=[
            {
                "username": "nouvelle",
                "firstname": "Inès",
                "lastname": "Nouvelle",
                "email": "ines.nouvelle@unicaen.example",
                "password": "Passage-2026!",
            }
        ],
    )[0]
    moodle.ok(
        "core_cohort_add_cohort_members",
        members=[
            {
                "cohorttype": {"type": "idnumber", "value": "L1CHIM241"},
                "usertype": {"type": "id", "value": str(newcomer["id"])},
            }
        ],
    )
    [instance] = syncs(moodle, courseid)
    assert instance["users"] == 7
    assert moodle.site.is_enrolled(courseid, newcomer["id"])


def test_the_news_forum_is_made_lazily_and_the_plugin_makes_it_once(moodle: Moodle) -> None:
    # mod_forum's course_created observer makes it only for a course with news items to show.
    (created,) = moodle.ok(
        "core_course_create_courses",
        courses=[
            {"fullname": "Sans annonces", "shortname": "NONEWS", "categoryid": 1, "newsitems": 0}
        ],
    )
    courseid = created["id"]
    assert moodle.site.news_forum(courseid) is None
    copy = moodle.ok(
        "core_course_duplicate_course",
        courseid=courseid,
        fullname="Copie",
        shortname="NONEWS-2",
        categoryid=1,
        options=[{"name": "users", "value": 0}],
    )
    assert moodle.site.news_forum(copy["id"]) is None

    first = moodle.ok("local_passage_ensure_news_forum", courseid=courseid)
    again = moodle.ok("local_passage_ensure_news_forum", courseid=courseid)

    news = moodle.site.news_forum(courseid)
    assert news is not None and news.name == "Announcements"
    assert first == {"forumid": news.instance, "cmid": news.id, "created": True}
    assert again == {**first, "created": False}
    assert moodle.call("local_passage_ensure_news_forum", courseid=1)["errorcode"] == (
        "invalidparameter"
    )
    # Saving the course with news items to show makes it too (course_updated observer).
    moodle.ok("core_course_update_courses", courses=[{"id": copy["id"], "newsitems": 5}])
    assert moodle.site.news_forum(copy["id"]) is not None

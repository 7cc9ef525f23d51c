"""Every course reset option of Moodle 5.0 has its effect in the stand-in (RESET_OPTIONS.md).

Each test resets CHIM231-2025 of the `small` seed through local_passage_reset_course and reads
the result back through the inventory (or the site, for what the inventory does not show).
"""

from __future__ import annotations

from typing import Any

import pytest

from moodle_client.standin.reset import ROLE_OVERRIDES_KEY
from moodle_client.standin.site import CONTEXT_MODULE, ROLE_STUDENT
from tests.standin.passage_helpers import (
    Moodle,
    course_data,
    data_count,
    module_id,
    moodle_fixture,  # noqa: F401
)

LOADED = "CHIM231-2025"
YEAR = 365 * 86400


def components(operation: dict[str, Any]) -> list[tuple[str, str, str]]:
    return [(c["component"], c["item"], c["error"]) for c in operation["result"]["components"]]


def reset_loaded(moodle: Moodle, **options: Any) -> tuple[dict[str, Any], dict[str, Any], Any]:
    courseid = moodle.course(LOADED)
    before = moodle.inventory(courseid)
    operation = moodle.reset(courseid, **options)
    return before, moodle.inventory(courseid), operation


def enrolment_users(inventory: dict[str, Any], method: str) -> int:
    return sum(e["users"] for e in inventory["enrolments"] if e["method"] == method)


def role_users(inventory: dict[str, Any], shortname: str) -> int:
    return sum(r["users"] for r in inventory["roles"] if r["shortname"] == shortname)


# ----------------------------------------------------------------------- general


def test_new_start_date_shifts_every_date_of_the_course(moodle: Moodle) -> None:
    courseid = moodle.course(LOADED)
    course = moodle.site.courses[courseid]
    old_start, old_end = course.startdate, course.enddate
    assign = next(m for m in moodle.site.course_modules_of(courseid) if m.modname == "assign")
    old_due = assign.settings["duedate"]
    old_events = sorted(e.timestart for e in moodle.site.events.values() if e.courseid == courseid)

    operation = moodle.reset(courseid, reset_start_date=old_start + YEAR)

    assert (course.startdate, course.enddate) == (old_start + YEAR, old_end + YEAR)
    assert assign.settings["duedate"] == old_due + YEAR
    events = sorted(e.timestart for e in moodle.site.events.values() if e.courseid == courseid)
    assert events == [t + YEAR for t in old_events]
    assert ("General", "Date", "") in components(operation)
    assert ("Assignments", "Date", "") in components(operation)


def test_new_end_date_is_set_as_given(moodle: Moodle) -> None:
    courseid = moodle.course(LOADED)
    moodle.reset(courseid, reset_end_date=1_800_000_000)
    assert moodle.inventory(courseid)["course"]["enddate"] == 1_800_000_000


@pytest.mark.parametrize(
    ("option", "kind", "item"),
    [
        ("reset_events", "events", "Events"),
        ("reset_notes", "notes", "All notes"),
        ("delete_blog_associations", "blogassociations", "Blog associations"),
        ("reset_competency_ratings", "competencyratings", "Competency ratings"),
    ],
)
def test_general_option_deletes_its_course_data(
    moodle: Moodle, option: str, kind: str, item: str
) -> None:
    before, after, operation = reset_loaded(moodle, **{option: 1})
    assert course_data(before, kind) > 0
    assert course_data(after, kind) == 0
    assert ("General", item, "") in components(operation)


def test_course_comments_go_but_activity_comments_stay(moodle: Moodle) -> None:
    before, after, _ = reset_loaded(moodle, reset_comments=1)
    glossary = module_id(before, "glossary")
    assert course_data(before, "comments") > 0
    assert course_data(after, "comments") == 0
    assert data_count(after, glossary, "comments") == data_count(before, glossary, "comments")


def test_completion_reset_deletes_course_and_activity_completion(moodle: Moodle) -> None:
    before, after, _ = reset_loaded(moodle, reset_completion=1)
    assign = module_id(before, "assign")
    assert data_count(before, assign, "completions") > 0
    assert data_count(after, assign, "completions") == 0
    assert course_data(after, "coursecompletions") == 0


def test_option_left_out_deletes_nothing(moodle: Moodle) -> None:
    before, after, operation = reset_loaded(moodle, reset_events=0)
    assert after["modules"] == before["modules"]
    assert after["coursedata"] == before["coursedata"]
    # SCORM packages, wikis and workshops always report their (unmoved) dates, as in Moodle.
    assert {c[1] for c in components(operation)} == {"Date"}


# ----------------------------------------------------------------------- roles


def test_unenrolling_students_keeps_cohort_members_and_teachers(moodle: Moodle) -> None:
    before, after, operation = reset_loaded(moodle, unenrol_users=str(ROLE_STUDENT))
    assert enrolment_users(before, "manual") == 7
    # Only the teachers keep a manual enrolment; the cohort sync keeps all six members,
    # including the one who had also been enrolled by hand.
    assert enrolment_users(after, "manual") == 2
    assert enrolment_users(after, "cohort") == enrolment_users(before, "cohort") == 6
    assert role_users(after, "student") == 6
    assert role_users(after, "editingteacher") == 1
    assert ("Roles", "Unenrol (5)", "") in components(operation)


def test_unenrolling_a_role_from_someone_with_two_roles_only_removes_that_role(
    moodle: Moodle,
) -> None:
    courseid = moodle.course("CHIM232-2025")
    before = moodle.inventory(courseid)
    assert role_users(before, "manager") == 1
    moodle.reset(courseid, unenrol_users="1")  # manager
    after = moodle.inventory(courseid)
    assert role_users(after, "manager") == 0
    assert role_users(after, "editingteacher") == 1
    assert enrolment_users(after, "manual") == enrolment_users(before, "manual")


def test_unenrolling_no_roles_removes_people_enrolled_without_a_role(moodle: Moodle) -> None:
    courseid = moodle.course(LOADED)
    site = moodle.site
    with site.lock:
        manual = site.enrol_instances_of(courseid, "manual")[0]
        loner = site.add_user("sansrole", "Paul", "Sansrole")
        site.enrol_user(manual, loner.id, roleid=0)
    moodle.reset(courseid, unenrol_users="0")
    assert not site.is_enrolled(courseid, loner.id)
    assert enrolment_users(moodle.inventory(courseid), "manual") == 7


def test_local_role_assignments_go_but_course_roles_stay(moodle: Moodle) -> None:
    courseid = moodle.course(LOADED)
    site = moodle.site

    def local_assignments() -> int:
        return sum(
            1
            for a in site.role_assignments.values()
            if site.contexts[a.contextid].contextlevel == CONTEXT_MODULE
            and site.course_of_context(a.contextid) == site.courses[courseid]
        )

    roles_before = moodle.inventory(courseid)["roles"]
    assert local_assignments() == 1
    operation = moodle.reset(courseid, reset_roles_local=1)
    assert local_assignments() == 0
    assert moodle.inventory(courseid)["roles"] == roles_before
    assert ("Roles", "All local role assignments", "") in components(operation)


def test_permission_overrides_are_deleted(moodle: Moodle) -> None:
    courseid = moodle.course(LOADED)
    contextid = moodle.site.courses[courseid].contextid
    assert contextid in moodle.site.extra[ROLE_OVERRIDES_KEY]
    operation = moodle.reset(courseid, reset_roles_overrides=1)
    assert contextid not in moodle.site.extra[ROLE_OVERRIDES_KEY]
    assert ("Roles", "All overrides in course", "") in components(operation)


# ----------------------------------------------------------------------- gradebook and groups


def test_gradebook_grades_go_but_items_stay(moodle: Moodle) -> None:
    before, after, operation = reset_loaded(moodle, reset_gradebook_grades=1)
    assert before["gradebook"]["grades"] > 0
    assert after["gradebook"]["grades"] == 0
    assert after["gradebook"]["manualitems"] == before["gradebook"]["manualitems"] == 1
    assert after["gradebook"]["activityitems"] == before["gradebook"]["activityitems"]
    assert ("Gradebook", "All grades", "") in components(operation)


def test_gradebook_items_reset_deletes_manual_items_and_their_grades(moodle: Moodle) -> None:
    before, after, _ = reset_loaded(moodle, reset_gradebook_items=1)
    assert after["gradebook"]["manualitems"] == 0
    assert after["gradebook"]["activityitems"] == before["gradebook"]["activityitems"]
    # The activities still hold their grades: only the manual item's grades are gone.
    assert 0 < after["gradebook"]["grades"] < before["gradebook"]["grades"]


def test_groups_remove_deletes_groups(moodle: Moodle) -> None:
    before, after, _ = reset_loaded(moodle, reset_groups_remove=1)
    assert len(before["groups"]) == 2
    assert after["groups"] == []
    assert after["groupings"][0]["groups"] == 0


def test_groups_members_empties_groups_and_keeps_them(moodle: Moodle) -> None:
    before, after, _ = reset_loaded(moodle, reset_groups_members=1)
    assert [g["name"] for g in after["groups"]] == [g["name"] for g in before["groups"]]
    assert sum(g["members"] for g in before["groups"]) > 0
    assert all(g["members"] == 0 for g in after["groups"])


def test_groupings_remove_deletes_groupings_and_keeps_groups(moodle: Moodle) -> None:
    before, after, _ = reset_loaded(moodle, reset_groupings_remove=1)
    assert after["groupings"] == []
    assert after["groups"] == before["groups"]


def test_groupings_members_empties_groupings(moodle: Moodle) -> None:
    _, after, _ = reset_loaded(moodle, reset_groupings_members=1)
    assert [g["groups"] for g in after["groupings"]] == [0]


# ----------------------------------------------------------------------- activities

# (option, modname, index among that module type, kinds emptied, kinds kept, status item)
MODULE_CASES = [
    # Moodle 5.0 keeps the assignment's grades unless the gradebook's go too (see below).
    ("reset_assign_submissions", "assign", 0, ["submissions"], ["grades"], "All submissions"),
    ("reset_choice", "choice", 0, ["responses"], [], "All responses"),
    ("reset_data", "data", 0, ["entries", "ratings", "comments"], [], "All entries"),
    ("reset_data_ratings", "data", 0, ["ratings"], ["entries", "comments"], "All ratings"),
    ("reset_data_comments", "data", 0, ["comments"], ["entries", "ratings"], "All comments"),
    ("reset_forum_ratings", "forum", 1, ["ratings"], ["posts", "discussions"], ""),
    ("reset_forum_subscriptions", "forum", 1, ["subscriptions"], ["posts"], ""),
    ("reset_glossary_ratings", "glossary", 0, ["ratings"], ["entries"], "All ratings"),
    ("reset_glossary_comments", "glossary", 0, ["comments"], ["entries"], "All comments"),
    ("reset_h5pactivity", "h5pactivity", 0, ["attempts"], [], "All H5P attempts"),
    ("reset_lesson", "lesson", 0, ["attempts", "grades"], ["overrides"], "All lesson attempts"),
    ("reset_quiz_attempts", "quiz", 0, ["attempts", "grades"], ["overrides"], "All quiz attempts"),
    ("reset_scorm", "scorm", 0, ["attempts"], [], "All SCORM attempts"),
    ("reset_wiki_pages", "wiki", 0, ["pages", "comments"], [], "All wiki pages"),
    ("reset_wiki_comments", "wiki", 0, ["comments"], ["pages"], "All comments"),
    ("reset_workshop_submissions", "workshop", 0, ["submissions", "assessments"], [], ""),
    ("reset_workshop_assessments", "workshop", 0, ["assessments"], ["submissions"], ""),
    ("reset_bigbluebuttonbn_logs", "bigbluebuttonbn", 0, ["logs"], ["recordings"], ""),
    ("reset_bigbluebuttonbn_recordings", "bigbluebuttonbn", 0, ["recordings"], ["logs"], ""),
]


@pytest.mark.parametrize(
    ("option", "modname", "index", "emptied", "kept", "item"),
    MODULE_CASES,
    ids=[case[0] for case in MODULE_CASES],
)
def test_module_option_deletes_its_data(
    moodle: Moodle,
    option: str,
    modname: str,
    index: int,
    emptied: list[str],
    kept: list[str],
    item: str,
) -> None:
    before, after, operation = reset_loaded(moodle, **{option: 1})
    cmid = module_id(before, modname, index)
    for kind in emptied:
        assert data_count(before, cmid, kind) > 0, kind
        assert data_count(after, cmid, kind) == 0, kind
    for kind in kept:
        assert data_count(after, cmid, kind) == data_count(before, cmid, kind) > 0, kind
    if item:
        assert item in [c[1] for c in components(operation)]


def test_assignment_grades_go_only_with_the_gradebooks(moodle: Moodle) -> None:
    before, after, _ = reset_loaded(moodle, reset_assign_submissions=1, reset_gradebook_grades=1)
    cmid = module_id(before, "assign")
    assert data_count(before, cmid, "grades") > 0
    assert data_count(after, cmid, "grades") == 0


def test_activity_reset_also_clears_its_gradebook_grades(moodle: Moodle) -> None:
    courseid = moodle.course(LOADED)
    site = moodle.site
    quiz = next(m for m in site.course_modules_of(courseid) if m.modname == "quiz")
    item = next(i for i in site.grade_items.values() if i.cmid == quiz.id)
    assert any(g.itemid == item.id for g in site.grades.values())
    moodle.reset(courseid, reset_quiz_attempts=1)
    assert not any(g.itemid == item.id for g in site.grades.values())


@pytest.mark.parametrize("modname", ["assign", "quiz", "lesson"])
def test_user_and_group_overrides_are_reset_apart(moodle: Moodle, modname: str) -> None:
    before, after_users, _ = reset_loaded(moodle, **{f"reset_{modname}_user_overrides": 1})
    cmid = module_id(before, modname)
    assert data_count(before, cmid, "overrides") == 2
    assert data_count(after_users, cmid, "overrides") == 1
    moodle.reset(moodle.course(LOADED), key="groups", **{f"reset_{modname}_group_overrides": 1})
    assert data_count(moodle.inventory(moodle.course(LOADED)), cmid, "overrides") == 0


def test_forum_all_deletes_every_post_teachers_included(moodle: Moodle) -> None:
    before, after, operation = reset_loaded(moodle, reset_forum_all=1)
    for cmid in (module_id(before, "forum", 0), module_id(before, "forum", 1)):
        assert data_count(before, cmid, "posts", "others") > 0
        assert data_count(after, cmid, "posts") == 0
        assert data_count(after, cmid, "discussions") == 0
    assert ("Forums", "All posts", "") in components(operation)


def test_forum_types_empty_only_forums_of_those_types(moodle: Moodle) -> None:
    before, after, operation = reset_loaded(moodle, reset_forum_types="news")
    news, general = module_id(before, "forum", 0), module_id(before, "forum", 1)
    assert data_count(after, news, "posts") == 0
    assert data_count(after, general, "posts") == data_count(before, general, "posts") > 0
    assert ("Forums", "Delete posts from: Announcements", "") in components(operation)


@pytest.mark.parametrize(
    ("option", "item"),
    [
        ("reset_forum_digests", "All per-user forum digest preferences"),
        ("reset_forum_track_prefs", "All forum tracking preferences"),
        ("reset_forum_tags", "All forum tags"),
        ("reset_glossary_tags", "All glossary tags"),
        ("reset_data_tags", "All database tags"),
        ("reset_book_tags", "All book tags"),
        ("reset_wiki_tags", "All wiki tags"),
        ("reset_bigbluebuttonbn_tags", "Deleted tags"),
    ],
)
def test_preference_and_tag_options_are_reported(moodle: Moodle, option: str, item: str) -> None:
    _, _, operation = reset_loaded(moodle, **{option: 1})
    assert item in [c[1] for c in components(operation)]


def test_bigbluebutton_events_go_and_other_events_stay(moodle: Moodle) -> None:
    before, after, _ = reset_loaded(moodle, reset_bigbluebuttonbn_events=1)
    assert course_data(after, "events") == course_data(before, "events") - 1


def test_glossary_entries_stay_unless_asked(moodle: Moodle) -> None:
    before, after, _ = reset_loaded(moodle, reset_glossary_ratings=1, reset_glossary_all=0)
    cmid = module_id(before, "glossary")
    assert data_count(after, cmid, "entries", "students") == data_count(
        before, cmid, "entries", "students"
    )


def test_glossary_all_deletes_entries_of_every_glossary(moodle: Moodle) -> None:
    before, after, _ = reset_loaded(moodle, reset_glossary_all=1)
    for index in (0, 1):
        assert data_count(after, module_id(before, "glossary", index), "entries") == 0


def test_glossary_types_empty_only_those_glossaries(moodle: Moodle) -> None:
    before, after, _ = reset_loaded(moodle, reset_glossary_types="secondary")
    main, secondary = module_id(before, "glossary", 0), module_id(before, "glossary", 1)
    assert data_count(after, secondary, "entries") == 0
    assert data_count(after, main, "entries") == data_count(before, main, "entries")


@pytest.mark.parametrize(
    ("option", "modname"),
    [
        ("reset_glossary_notenrolled", "glossary"),
        ("reset_data_notenrolled", "data"),
    ],
)
def test_entries_of_people_no_longer_enrolled_go(moodle: Moodle, option: str, modname: str) -> None:
    courseid = moodle.course(LOADED)
    site = moodle.site
    cmid = next(m.id for m in site.course_modules_of(courseid) if m.modname == modname)

    def authors() -> set[int]:
        return {r.userid for r in site.user_data_of(cmid=cmid, kind="entries")}

    former = site.user_by_username("etu13")
    assert former is not None and former.id in authors()
    moodle.reset(courseid, **{option: 1})
    assert former.id not in authors()
    assert site.user_by_username("teacher").id in authors()  # type: ignore[union-attr]
    # Unenrolling the students first makes their entries "not enrolled" too.
    moodle.reset(courseid, key="again", unenrol_users="5", **{option: 1})
    assert all(site.is_enrolled(courseid, userid) for userid in authors())


def test_feedback_option_names_its_activity(moodle: Moodle) -> None:
    courseid = moodle.course(LOADED)
    feedback = next(m for m in moodle.site.course_modules_of(courseid) if m.modname == "feedback")
    before = moodle.inventory(courseid)
    operation = moodle.reset(courseid, **{f"feedback_reset_data_{feedback.instance}": 1})
    after = moodle.inventory(courseid)
    assert data_count(before, feedback.id, "responses") > 0
    assert data_count(after, feedback.id, "responses") == 0
    assert (f"Feedback:{feedback.name}", "Responses", "") in components(operation)


def test_workshop_phase_goes_back_to_setup(moodle: Moodle) -> None:
    courseid = moodle.course(LOADED)
    workshop = next(m for m in moodle.site.course_modules_of(courseid) if m.modname == "workshop")
    assert workshop.settings["phase"] == 30
    moodle.reset(courseid, reset_workshop_phase=1)
    assert workshop.settings["phase"] == 10


def test_wiki_pages_stay_without_the_wiki_option(moodle: Moodle) -> None:
    before, after, _ = reset_loaded(moodle, reset_forum_all=1, reset_assign_submissions=1)
    cmid = module_id(before, "wiki")
    assert data_count(after, cmid, "pages") == data_count(before, cmid, "pages") > 0


# ----------------------------------------------------------------------- refusals and reports


def test_unknown_option_is_an_invalid_parameter(moodle: Moodle) -> None:
    answer = moodle.call(
        "local_passage_reset_course",
        courseid=moodle.course(LOADED),
        options=[{"name": "reset_everything", "value": "1"}],
        key="bad",
    )
    assert answer["errorcode"] == "invalidparameter"
    assert moodle.site.extra.get("local_passage") is None or not any(
        o.key == "bad" for o in moodle.site.extra["local_passage"].operations.values()
    )


def test_feedback_option_of_another_course_is_refused(moodle: Moodle) -> None:
    answer = moodle.call(
        "local_passage_reset_course",
        courseid=moodle.course(LOADED),
        options=[{"name": "feedback_reset_data_999", "value": "1"}],
        key="bad",
    )
    assert answer["errorcode"] == "invalidparameter"


def test_modules_without_reset_support_are_reported(moodle: Moodle) -> None:
    operation = moodle.reset(moodle.course("TUTO-CHIM"), reset_events=1)
    assert ("External tools", "", "Reset not supported") in components(operation)
    assert ("Question banks", "", "Reset not supported") in components(operation)
    inventory = moodle.inventory(moodle.course("TUTO-CHIM"))
    assert {m["modname"]: m["resettable"] for m in inventory["modules"]} == {
        "forum": True,
        "lti": False,
        "qbank": False,
        "page": True,
    }

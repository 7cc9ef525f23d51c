"""The University of Caen's yearly reset (seeds/001), run as the portal would send it, leaves
what the guide says it leaves.

"Sont conservés : les ressources, les activités, les groupes et groupements (sans leurs
membres)... Sont supprimés : toutes les traces des étudiants... Sont désinscrits : les étudiants
inscrits manuellement pendant l'année. Deux exceptions : tous les messages des forums sont
supprimés (y compris ceux des enseignants) ; les articles rédigés par les étudiants sont
conservés [glossaire]."
"""

from __future__ import annotations

from tests.standin.passage_helpers import (
    Moodle,
    course_data,
    data_count,
    module_id,
    moodle_fixture,  # noqa: F401
)

CAEN_OPTIONS = {
    "reset_events": 1,
    "reset_notes": 1,
    "reset_completion": 1,
    "reset_roles_local": 1,
    "unenrol_users": "5",
    "reset_gradebook_grades": 1,
    "reset_groups_members": 1,
    "reset_assign_submissions": 1,
    "reset_assign_user_overrides": 1,
    "reset_assign_group_overrides": 1,
    "reset_choice": 1,
    "reset_data": 1,
    "reset_forum_all": 1,
    "reset_glossary_all": 0,
    "reset_glossary_ratings": 1,
    "reset_glossary_comments": 1,
    "reset_h5pactivity": 1,
    "reset_lesson": 1,
    "reset_quiz_attempts": 1,
    "reset_scorm": 1,
    "reset_wiki_pages": 1,
    "reset_workshop_submissions": 1,
    "reset_workshop_assessments": 1,
    "reset_workshop_phase": 1,
}


def test_caen_reset_keeps_teaching_material_and_deletes_student_traces(moodle: Moodle) -> None:
    courseid = moodle.course("CHIM231-2025")
    before = moodle.inventory(courseid)
    feedback = next(m for m in before["modules"] if m["modname"] == "feedback")
    options = {**CAEN_OPTIONS, f"feedback_reset_data_{feedback['instance']}": 1}
    moodle.reset(courseid, **options)
    after = moodle.inventory(courseid)

    # Resources and activities stay, with their settings.
    assert [(m["cmid"], m["name"]) for m in after["modules"]] == [
        (m["cmid"], m["name"]) for m in before["modules"]
    ]
    # Groups and groupings stay, without their members.
    assert [g["name"] for g in after["groups"]] == [g["name"] for g in before["groups"]]
    assert all(g["members"] == 0 for g in after["groups"])
    assert after["groupings"] == before["groupings"]
    # Forum posts go, the teachers' included.
    for index in (0, 1):
        assert data_count(after, module_id(after, "forum", index), "posts") == 0
    # The students' glossary entries stay.
    glossary = module_id(after, "glossary")
    assert (
        data_count(after, glossary, "entries", "students")
        == data_count(before, glossary, "entries", "students")
        > 0
    )
    # Every other student trace goes: submissions, attempts, responses, completion, grades...
    for modname, kind in (
        ("assign", "submissions"),
        ("quiz", "attempts"),
        ("h5pactivity", "attempts"),
        ("lesson", "attempts"),
        ("scorm", "attempts"),
        ("choice", "responses"),
        ("feedback", "responses"),
        ("data", "entries"),
        ("wiki", "pages"),
        ("workshop", "submissions"),
        ("assign", "completions"),
    ):
        assert data_count(after, module_id(after, modname), kind, "students") == 0, modname
    assert after["gradebook"]["grades"] == 0
    assert after["gradebook"]["manualitems"] == 1  # the item stays, its grades go
    assert course_data(after, "events") == 0
    # Students enrolled by hand are unenrolled; the cohort (Apogée) enrolments stay.
    methods = {e["method"]: e["users"] for e in after["enrolments"]}
    assert methods == {"manual": 2, "cohort": 6}

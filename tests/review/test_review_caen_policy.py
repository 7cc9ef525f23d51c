"""The review under the Université de Caen policy, one test per line of its guide (seed 001)."""

import pytest
from django.utils import translation

from tests.review.inventories import chemistry_course
from transition.models import PolicyRule
from transition.request_spec import CohortChange, FreshCopy, RequestSpec, RestorePlan
from transition.review.engine import ReviewFacts, review_course
from transition.review.policy_locks import option_rules, policy_options
from transition.review.results import Fate, ReviewRow, Section
from transition.services.policies import CAEN_RULES

CAEN = [
    PolicyRule(data_kind=kind, action=action, locked=locked, reason=reason)
    for kind, action, locked, reason in CAEN_RULES
]


def caen_review(*, cohort_changes=(), inventory=None, facts=None, grade_export=True):
    inventory = inventory or chemistry_course()
    governed = option_rules(rules=CAEN, inventory=inventory)
    spec = RequestSpec(
        scenario="reuse_reset",
        course_moodle_id=inventory.course.id,
        reset_options=policy_options(governed=governed, inventory=inventory),
        cohort_changes=tuple(cohort_changes),
        grade_export=grade_export,
    )
    return review_course(
        inventory=inventory, spec=spec, governed=governed, facts=facts or ReviewFacts()
    )


@pytest.fixture(scope="module")
def review():
    return caen_review()


def row(review, subject: str, kind: str) -> ReviewRow:
    (found,) = [r for r in review.rows if r.subject == subject and r.kind == kind]
    return found


def test_forum_posts_are_deleted_teachers_included(review):
    # « Activité forum : tous les messages des forums sont supprimés (y compris ceux des
    # enseignants). »
    posts = row(review, "Annonces", "posts")
    assert (posts.total, posts.students, posts.others) == (21, 19, 2)
    assert posts.fate == Fate.DELETED and posts.affected == 21
    assert posts.locked and "y compris ceux des enseignants" in posts.reason
    assert posts.option == "reset_forum_all"


def test_glossary_entries_written_by_students_are_kept(review):
    # « Activité glossaire : les articles rédigés par les étudiants sont conservés. »
    entries = row(review, "Glossaire", "entries")
    assert entries.fate == Fate.KEPT and entries.affected == 0 and entries.students == 34
    assert entries.rule == "glossary_entries"


def test_glossary_ratings_and_comments_are_deleted(review):
    assert row(review, "Glossaire", "ratings").fate == Fate.DELETED
    assert row(review, "Glossaire", "comments").affected == 2


def test_assignment_submissions_and_grades_are_deleted(review):
    # « Devoir — Supprimé : Devoirs remis, Notes et commentaires »
    assert row(review, "Devoir 1", "submissions").affected == 58
    assert row(review, "Devoir 1", "grades").fate == Fate.DELETED


def test_quiz_and_h5p_attempts_are_deleted(review):
    # « Tests — Supprimé : Tentatives, Réponses, Notes » ; « H5P — Tentatives »
    assert row(review, "Test 1", "attempts").affected == 123
    assert row(review, "Molécules", "attempts").fate == Fate.DELETED


def test_database_entries_are_deleted(review):
    # « Base de données — Supprimé : Fiches créées »
    assert row(review, "Fiches", "entries").affected == 13


def test_choice_and_feedback_responses_are_deleted(review):
    # « Consultation, Feedback — Supprimé : Réponses des étudiants »
    assert row(review, "Choix du binôme", "responses").fate == Fate.DELETED
    feedback = row(review, "Retours", "responses")
    assert feedback.fate == Fate.DELETED and feedback.option == "feedback_reset_data_112"


def test_wiki_pages_of_former_students_are_hidden_not_deleted(review):
    # « Dans les wikis, les pages des étudiants réapparaissent lorsque les anciens utilisateurs
    # sont réinscrits » : Moodle keeps the pages.
    pages = row(review, "Wiki du cours", "pages")
    assert pages.fate == Fate.KEPT and pages.note == "wiki_hidden"


def test_completion_is_deleted(review):
    # « achèvements d'activités » are student traces.
    assert row(review, "Programme", "completions").fate == Fate.DELETED
    assert row(review, "", "coursecompletions").affected == 40


def test_bbb_recordings_are_kept(review):
    # « BBB : la suppression des enregistrements est indépendante de la réinitialisation »
    assert row(review, "Classe virtuelle", "recordings").fate == Fate.KEPT


def test_groups_are_kept_without_their_members(review):
    # « Les groupes et groupements sont conservés. Les groupes sont vidés de leurs membres. »
    groups = review.rows_in(Section.GROUPS)
    by_kind = {r.kind: r for r in groups}
    assert by_kind["groups"].fate == Fate.KEPT and by_kind["groups"].total == 2
    assert by_kind["members"].fate == Fate.DELETED and by_kind["members"].affected == 70
    assert by_kind["groupings"].fate == Fate.KEPT


def test_grades_are_deleted_including_manual_ones(review):
    # « Les notes sont supprimées, y compris celles ajoutées manuellement dans le carnet »
    grades = row(review, "", "grades")
    assert grades.fate == Fate.DELETED and grades.affected == 250
    assert row(review, "", "manualitems").fate == Fate.KEPT


def test_manually_enrolled_students_are_unenrolled(review):
    # « Sont désinscrits : les étudiants inscrits manuellement pendant l'année. »
    manual = [r for r in review.rows_in(Section.PARTICIPANTS) if r.kind == "students"]
    assert [(r.total, r.fate) for r in manual] == [(6, Fate.UNENROLLED)]
    assert manual[0].locked


def test_teachers_stay_enrolled(review):
    teachers = row(review, "editingteacher", "role_holders")
    assert teachers.fate == Fate.KEPT and teachers.total == 2


def test_cohort_students_stay_unless_the_cohort_is_removed(review):
    cohort = row(review, "L1CHIM231", "cohort_students")
    assert cohort.fate == Fate.KEPT and cohort.total == 64
    assert "cohort_stays" in [w.code for w in review.warnings]
    removed = caen_review(
        cohort_changes=[
            CohortChange(action="remove", cohort_idnumber="L1CHIM231", enrol_instance_id=71)
        ]
    )
    cohort = row(removed, "L1CHIM231", "cohort_students")
    assert (cohort.fate, cohort.affected) == (Fate.UNENROLLED, 64)
    assert "cohort_stays" not in [w.code for w in removed.warnings]


def test_activities_moodle_cannot_reset_are_named(review):
    (warning,) = [w for w in review.warnings if w.code == "not_resettable"]
    assert "Outil externe" in warning.message
    # Completion is reset course-wide, external tools included (reset_completion).
    assert row(review, "Outil externe", "completions").fate == Fate.DELETED


def test_settings_to_check_next_year_come_from_the_guide(review):
    with translation.override("en"):
        checks = {r.subject: r.note_text for r in review.checklist}
    assert "Due date" in checks["Devoir 1"]
    assert "Time limit" in checks["Test 1"]
    assert "Programme" not in checks  # a page has nothing listed to check


def test_teacher_holding_the_student_role_is_warned():
    review = caen_review(facts=ReviewFacts(teacher_roles=("editingteacher", "student")))
    (warning,) = [w for w in review.warnings if w.code == "other_role"]
    assert "student" in warning.message and not warning.blocking


def test_review_survives_its_json_snapshot(review):
    from transition.review.results import CourseReview

    again = CourseReview.from_json(review.to_json())
    assert again == review
    assert review.to_json()["counts"]["deleted"] == sum(
        r.affected for r in review.rows if r.fate == Fate.DELETED
    )


def test_restore_into_an_already_restored_course_is_blocked():
    from transition.request_spec import RestorePlan

    inventory = chemistry_course(
        modules=[],
        restore={"restored": True, "timerestored": 1782000000, "operationid": 3},
    )
    spec = RequestSpec(
        scenario="restore_previous",
        course_moodle_id=42,
        restore=RestorePlan(source_instance_id=2, source_course_moodle_id=7),
    )
    review = review_course(inventory=inventory, spec=spec, governed={}, facts=ReviewFacts())
    assert review.blocked
    assert [w.code for w in review.warnings] == ["restore_already"]


def test_another_teachers_open_request_blocks_and_names_them():
    review = caen_review(facts=ReviewFacts(open_request_holder="Sophie Girard"))
    (warning,) = [w for w in review.warnings if w.code == "open_request"]
    assert warning.blocking and "Sophie Girard" in warning.message


def test_the_cohort_added_is_counted_with_its_members() -> None:
    review = caen_review(
        cohort_changes=[CohortChange("add", "L1CHIM241")],
        facts=ReviewFacts(cohort_sizes={"L1CHIM241": 58}),
    )

    added = row(review, "L1CHIM241", "cohort_students")

    assert added.fate == Fate.ADDED
    assert (added.total, added.students, added.affected) == (58, 58, 58)


def test_students_who_stay_are_not_explained_by_the_unenrolment_rule() -> None:
    # A fresh copy keeps last year's course as it is: its students are kept, and the policy's
    # reason for unenrolling them ("Sont désinscrits") does not apply.
    inventory = chemistry_course()
    governed = option_rules(rules=CAEN, inventory=inventory)
    spec = RequestSpec(
        scenario="fresh_copy",
        course_moodle_id=inventory.course.id,
        fresh_copy=FreshCopy(new_shortname="CHIM231-2026", new_fullname=""),
    )

    review = review_course(inventory=inventory, spec=spec, governed=governed, facts=ReviewFacts())

    (students,) = [r for r in review.rows if r.kind == "students"]
    assert students.fate == Fate.KEPT
    assert (students.rule, students.reason, students.locked) == ("", "", False)


def test_a_blocked_restore_deletes_nothing() -> None:
    # The course holds content: the restore is blocked, so no row may say it is deleted.
    inventory = chemistry_course()
    spec = RequestSpec(
        scenario="restore_previous",
        course_moodle_id=inventory.course.id,
        restore=RestorePlan(source_instance_id=1, source_course_moodle_id=7),
    )

    review = review_course(inventory=inventory, spec=spec, governed={}, facts=ReviewFacts())

    assert review.blocked
    assert not [r for r in review.rows if r.fate in (Fate.DELETED, Fate.ADDED)]
    assert {r.note for r in review.rows if r.section == Section.ACTIVITY} == {"restore_blocked"}

"""The Université de Caen policy of seed 001, and the reset options it means."""

import pytest

from transition.models import PolicyRule
from transition.policy_options import (
    UnsupportedRule,
    policy_reset_options,
    rule_actions,
    rule_reset_options,
)
from transition.reset_options import option_named
from transition.services.policies import CAEN_POLICY_NAME, policy_create_caen_default

pytestmark = pytest.mark.django_db
Kind = PolicyRule.DataKind
Action = PolicyRule.Action


def _rule(kind: str) -> PolicyRule:
    return policy_create_caen_default().rules.get(data_kind=kind)


def test_caen_policy_has_one_rule_for_every_kind_of_data():
    policy = policy_create_caen_default()
    assert policy.name == CAEN_POLICY_NAME
    assert sorted(policy.rules.values_list("data_kind", flat=True)) == sorted(Kind.values)


def test_caen_policy_is_created_once():
    assert policy_create_caen_default() == policy_create_caen_default()
    assert PolicyRule.objects.count() == len(Kind.values)


def test_forum_posts_are_deleted_for_everyone_including_teachers():
    # "tous les messages des forums sont supprimés (y compris ceux des enseignants)"
    rule = _rule(Kind.FORUM_POSTS)
    assert (rule.action, rule.locked) == (Action.DELETE, True)
    assert "y compris ceux des enseignants" in rule.reason


def test_glossary_entries_written_by_students_are_kept():
    # "Activité « glossaire » : les articles rédigés par les étudiants sont conservés."
    assert _rule(Kind.GLOSSARY_ENTRIES).action == Action.KEEP


def test_groups_are_kept_without_their_members():
    # "Les groupes et groupements sont conservés. Les groupes sont vidés de leurs membres."
    assert _rule(Kind.GROUPS).action == Action.KEEP
    assert _rule(Kind.GROUPINGS).action == Action.KEEP
    assert _rule(Kind.GROUP_MEMBERS).action == Action.DELETE


def test_wiki_pages_of_users_no_longer_enrolled_go():
    assert _rule(Kind.WIKI_PAGES).action == Action.DELETE_NOT_ENROLLED


def test_caen_reset_options_delete_student_traces_and_keep_teaching_material():
    options = policy_reset_options(policy=policy_create_caen_default(), feedback_ids=[7])
    deleted = {name for name, value in options.items() if value not in ("0", "")}
    assert {
        "reset_forum_all",
        "reset_assign_submissions",
        "reset_quiz_attempts",
        "reset_h5pactivity",
        "reset_data",
        "reset_choice",
        "feedback_reset_data_7",
        "reset_completion",
        "reset_groups_members",
        "reset_gradebook_grades",
        "unenrol_users",
    } <= deleted
    assert options["unenrol_users"] == "5"
    for kept in (
        "reset_glossary_all",
        "reset_glossary_notenrolled",
        "reset_groups_remove",
        "reset_groupings_remove",
        "reset_gradebook_items",
        "reset_wiki_pages",
        "reset_bigbluebuttonbn_recordings",
    ):
        assert options[kept] == "0", kept


def test_every_option_a_rule_can_send_is_a_moodle_reset_option():
    for kind in Kind.values:
        for action in rule_actions(kind):
            for name in rule_reset_options(kind=kind, action=action, feedback_ids=[3]):
                assert option_named(name).name == name


def test_grades_cannot_be_deleted_for_former_students_only():
    with pytest.raises(UnsupportedRule):
        rule_reset_options(kind=Kind.GRADES, action=Action.DELETE_NOT_ENROLLED)


def test_student_enrolments_unenrol_every_student_role_given():
    options = rule_reset_options(
        kind=Kind.STUDENT_ENROLMENTS, action=Action.DELETE, student_role_ids=[9, 5]
    )
    assert options == {"unenrol_users": "5,9"}

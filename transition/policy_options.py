"""What each policy rule means in Moodle reset options (names of `transition.reset_options`).

A rule is (kind of data, action). `rule_reset_options` gives the options that carry it out;
`policy_reset_options` adds up the rules of a policy into the option set a reset sends to
`local_passage_reset_course` ({name: value}, values as Moodle's form posts them).
"""

from collections.abc import Iterable, Mapping

from transition.models import Policy, PolicyRule
from transition.reset_options import feedback_option_name

Kind = PolicyRule.DataKind
Action = PolicyRule.Action

# For each kind: the options a "delete" ticks. "keep" sends the same options unticked.
_DELETE_OPTIONS: Mapping[str, tuple[str, ...]] = {
    Kind.FORUM_POSTS: ("reset_forum_all",),
    Kind.FORUM_SUBSCRIPTIONS: ("reset_forum_subscriptions",),
    Kind.GLOSSARY_ENTRIES: ("reset_glossary_all",),
    Kind.GLOSSARY_RATINGS: ("reset_glossary_ratings", "reset_glossary_comments"),
    Kind.ASSIGN_SUBMISSIONS: ("reset_assign_submissions",),
    Kind.ASSIGN_OVERRIDES: ("reset_assign_user_overrides", "reset_assign_group_overrides"),
    Kind.QUIZ_ATTEMPTS: ("reset_quiz_attempts",),
    Kind.QUIZ_OVERRIDES: ("reset_quiz_user_overrides", "reset_quiz_group_overrides"),
    Kind.LESSON_ATTEMPTS: (
        "reset_lesson",
        "reset_lesson_user_overrides",
        "reset_lesson_group_overrides",
    ),
    Kind.H5P_ATTEMPTS: ("reset_h5pactivity",),
    Kind.SCORM_ATTEMPTS: ("reset_scorm",),
    Kind.WORKSHOP_SUBMISSIONS: (
        "reset_workshop_submissions",
        "reset_workshop_assessments",
        "reset_workshop_phase",
    ),
    Kind.DATA_ENTRIES: ("reset_data",),
    Kind.WIKI_PAGES: ("reset_wiki_pages", "reset_wiki_comments"),
    Kind.CHOICE_RESPONSES: ("reset_choice",),
    Kind.FEEDBACK_RESPONSES: (),  # one option per feedback activity, see below
    Kind.BBB_RECORDINGS: ("reset_bigbluebuttonbn_recordings", "reset_bigbluebuttonbn_logs"),
    Kind.COMPLETION: ("reset_completion",),
    Kind.GROUPS: ("reset_groups_remove",),
    Kind.GROUP_MEMBERS: ("reset_groups_members",),
    Kind.GROUPINGS: ("reset_groupings_remove",),
    Kind.STUDENT_ENROLMENTS: (),  # unenrol_users takes role ids, see below
    Kind.GRADES: ("reset_gradebook_grades",),
    Kind.GRADE_ITEMS: ("reset_gradebook_items",),
    Kind.EVENTS: ("reset_events",),
    Kind.NOTES: ("reset_notes",),
    Kind.COMMENTS: ("reset_comments",),
    Kind.LOCAL_ROLES: ("reset_roles_local",),
    Kind.ROLE_OVERRIDES: ("reset_roles_overrides",),
}

# Kinds Moodle can delete for former participants only, and the option that does it.
_NOT_ENROLLED_OPTIONS: Mapping[str, tuple[str, ...]] = {
    Kind.GLOSSARY_ENTRIES: ("reset_glossary_notenrolled",),
    Kind.DATA_ENTRIES: ("reset_data_notenrolled",),
    # Moodle has no such option for wikis: it keeps every page and shows only those of enrolled
    # users, which is what seed 001 describes ("les pages des étudiants réapparaissent lorsque les
    # anciens utilisateurs sont réinscrits"). Keeping the pages is the faithful reading.
    Kind.WIKI_PAGES: (),
}


class UnsupportedRule(ValueError):
    """The action does not exist for this kind of data (e.g. 'former students only' grades)."""


def rule_actions(kind: str) -> tuple[str, ...]:
    """The actions a rule about this kind of data may take."""
    if kind in _NOT_ENROLLED_OPTIONS:
        return (Action.KEEP, Action.DELETE, Action.DELETE_NOT_ENROLLED)
    return (Action.KEEP, Action.DELETE)


def rule_reset_options(
    *,
    kind: str,
    action: str,
    student_role_ids: Iterable[int] = (5,),
    feedback_ids: Iterable[int] = (),
) -> dict[str, str]:
    if action not in rule_actions(kind):
        raise UnsupportedRule(f"{kind}: {action!r} is not possible in Moodle.")
    delete = action == Action.DELETE
    options = {name: "1" if delete else "0" for name in _DELETE_OPTIONS[kind]}
    if action == Action.DELETE_NOT_ENROLLED:
        options.update({name: "1" for name in _NOT_ENROLLED_OPTIONS[kind]})
    elif kind in _NOT_ENROLLED_OPTIONS:
        options.update({name: "0" for name in _NOT_ENROLLED_OPTIONS[kind]})
    if kind == Kind.FEEDBACK_RESPONSES:
        options.update({feedback_option_name(i): "1" if delete else "0" for i in feedback_ids})
    if kind == Kind.STUDENT_ENROLMENTS and delete:
        options["unenrol_users"] = ",".join(str(i) for i in sorted(student_role_ids))
    return options


def policy_reset_options(
    *,
    policy: Policy,
    student_role_ids: Iterable[int] = (5,),
    feedback_ids: Iterable[int] = (),
) -> dict[str, str]:
    """The reset options that carry out every rule of the policy."""
    student_role_ids = tuple(student_role_ids)
    feedback_ids = tuple(feedback_ids)
    options: dict[str, str] = {}
    for rule in policy.rules.all():
        options.update(
            rule_reset_options(
                kind=rule.data_kind,
                action=rule.action,
                student_role_ids=student_role_ids,
                feedback_ids=feedback_ids,
            )
        )
    return options

"""The reset option catalogue against Moodle 5.0's own reset page (RESET_OPTIONS.md)."""

import pytest

from transition import reset_options
from transition.reset_options import Reach

# Section 3 of RESET_OPTIONS.md: what load_defaults() ticks when every module type is counted.
MOODLE_DEFAULTS = {
    "reset_events",
    "reset_notes",
    "reset_roles_local",
    "reset_gradebook_grades",
    "unenrol_users",
    "reset_assign_submissions",
    "reset_assign_user_overrides",
    "reset_assign_group_overrides",
    "reset_choice",
    "reset_data_ratings",
    "reset_data_comments",
    "reset_forum_all",
    "reset_forum_ratings",
    "reset_glossary_ratings",
    "reset_glossary_comments",
    "reset_h5pactivity",
    "reset_lesson",
    "reset_lesson_user_overrides",
    "reset_lesson_group_overrides",
    "reset_quiz_attempts",
    "reset_quiz_user_overrides",
    "reset_quiz_group_overrides",
    "reset_scorm",
    "reset_workshop_submissions",
    "reset_workshop_assessments",
    "reset_workshop_phase",
}
ALL_MODULES = {o.group for o in reset_options.MODULE_OPTIONS}


def test_default_selection_is_what_moodle_select_default_ticks():
    assert reset_options.default_selection(ALL_MODULES) == MOODLE_DEFAULTS


def test_module_options_appear_only_for_modules_in_the_course():
    names = {o.name for o in reset_options.options_for_modules({"forum"})}
    assert "reset_forum_all" in names
    assert "reset_quiz_attempts" not in names
    assert "reset_events" in names


def test_forum_all_deletes_teachers_posts_too():
    deletions = reset_options.option_named("reset_forum_all").deletes
    posts = [d for d in deletions if d.kind == "posts"]
    assert posts and all(d.reach is Reach.ALL for d in posts)


def test_glossary_entries_are_kept_by_default():
    defaults = reset_options.default_selection({"glossary"})
    deleting_entries = {
        o.name
        for o in reset_options.MODULE_OPTIONS
        if any(d.scope == "glossary" and d.kind == "entries" for d in o.deletes)
    }
    assert not defaults & deleting_entries


def test_each_feedback_activity_has_its_own_option():
    option = reset_options.option_named("feedback_reset_data_42")
    assert option.group == "feedback" and option.default
    assert [d.kind for d in option.deletes] == ["responses"]


def test_unknown_option_is_refused():
    with pytest.raises(KeyError):
        reset_options.option_named("reset_everything")

"""Moodle 5.0's course reset options, as its reset page groups them, and what each one deletes.

Source: Moodle 5.0 `course/reset_form.php`, `reset_course_userdata()` and every
`<mod>_reset_userdata()` (summarised in the recorded contract's RESET_OPTIONS.md). The wizard's
options step shows these groups, "default selection" ticks `default`, and the review works out
the fate of every count of the course inventory from `deletes`.

A data kind is named as the companion plugin's inventory names it: `(scope, kind)` where scope is
a module name (`forum`), `course` for the inventory's course data, `gradebook`, `groups` or
`groupings`, and `*` for "every module".
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from django.utils.translation import gettext_lazy as _

STUDENT_ARCHETYPE = "student"
# Modules that have no reset support in Moodle 5.0: their user data is never touched by a reset.
UNRESETTABLE_MODULES = frozenset({"lti", "qbank", "subsection"})


class OptionType(StrEnum):
    CHECKBOX = "checkbox"
    ROLES = "roles"  # multi-select of role ids (unenrol_users)
    CHOICES = "choices"  # multi-select of fixed values (reset_forum_types, reset_glossary_types)
    DATE = "date"  # optional date (reset_start_date, reset_end_date)


class Reach(StrEnum):
    """How much of a kind of data an option deletes."""

    ALL = "all"
    # Only the data of users who are no longer enrolled once the reset has unenrolled them:
    # in practice, last year's students when their role is unenrolled.
    NOT_ENROLLED = "not_enrolled"
    # Only the data of the forums/glossaries of the chosen types.
    CHOSEN_TYPES = "chosen_types"


@dataclass(frozen=True)
class Deletion:
    scope: str
    kind: str
    reach: Reach = Reach.ALL
    # Only when this other option is ticked too (Moodle's reset checks both).
    along_with: str = ""


@dataclass(frozen=True)
class ResetOption:
    name: str
    group: str
    label: str
    type: OptionType = OptionType.CHECKBOX
    default: bool = False
    deletes: tuple[Deletion, ...] = ()
    # Ticking this other option makes this one pointless (Moodle disables or hides it).
    disabled_by: str | None = None
    choices: tuple[str, ...] = field(default=())


def _all(scope: str, *kinds: str) -> tuple[Deletion, ...]:
    return tuple(Deletion(scope, kind) for kind in kinds)


GROUP_LABELS = {
    "general": _("General"),
    "roles": _("Roles"),
    "gradebook": _("Gradebook"),
    "groups": _("Groups"),
}

COURSE_OPTIONS: tuple[ResetOption, ...] = (
    ResetOption(
        "reset_start_date", "general", _("New start date (shifts every date)"), OptionType.DATE
    ),
    ResetOption("reset_end_date", "general", _("New end date"), OptionType.DATE),
    ResetOption(
        "reset_events",
        "general",
        _("Delete calendar events"),
        default=True,
        deletes=_all("course", "events"),
    ),
    ResetOption(
        "reset_notes",
        "general",
        _("Delete all notes"),
        default=True,
        deletes=_all("course", "notes"),
    ),
    ResetOption(
        "reset_comments",
        "general",
        _("Delete all comments on the course page"),
        deletes=_all("course", "comments"),
    ),
    ResetOption(
        "reset_completion",
        "general",
        _("Delete completion data"),
        deletes=_all("course", "coursecompletions") + _all("*", "completions"),
    ),
    ResetOption(
        "delete_blog_associations",
        "general",
        _("Delete blog associations"),
        deletes=_all("course", "blogassociations"),
    ),
    ResetOption(
        "reset_competency_ratings",
        "general",
        _("Delete competency ratings"),
        deletes=_all("course", "competencyratings"),
    ),
    ResetOption(
        "unenrol_users",
        "roles",
        _("Unenrol users with these roles"),
        OptionType.ROLES,
        default=True,
    ),
    ResetOption("reset_roles_local", "roles", _("Delete local role assignments"), default=True),
    ResetOption("reset_roles_overrides", "roles", _("Delete permission overrides")),
    ResetOption(
        "reset_gradebook_items",
        "gradebook",
        _("Delete all grade items and categories"),
        deletes=_all("gradebook", "categories", "manualitems", "grades", "studentgrades"),
    ),
    ResetOption(
        "reset_gradebook_grades",
        "gradebook",
        _("Delete all grades"),
        default=True,
        deletes=_all("gradebook", "grades", "studentgrades"),
        disabled_by="reset_gradebook_items",
    ),
    ResetOption(
        "reset_groups_remove",
        "groups",
        _("Delete all groups"),
        deletes=_all("groups", "groups", "members"),
    ),
    ResetOption(
        "reset_groups_members",
        "groups",
        _("Remove all group members"),
        deletes=_all("groups", "members"),
        disabled_by="reset_groups_remove",
    ),
    ResetOption(
        "reset_groupings_remove",
        "groups",
        _("Delete all groupings"),
        deletes=_all("groupings", "groupings", "groups"),
    ),
    ResetOption(
        "reset_groupings_members",
        "groups",
        _("Remove all groups from groupings"),
        deletes=_all("groupings", "groups"),
        disabled_by="reset_groupings_remove",
    ),
)

FORUM_TYPES = ("news", "social", "general", "eachuser", "single", "qanda", "blog")
GLOSSARY_TYPES = ("main", "secondary")

MODULE_OPTIONS: tuple[ResetOption, ...] = (
    ResetOption(
        "reset_assign_submissions",
        "assign",
        _("Delete all submissions"),
        default=True,
        # Moodle 5.0's assign reset deletes the assignment's grades only when the gradebook's
        # are deleted too (mod/assign/locallib.php, reset_userdata()).
        deletes=(
            Deletion("assign", "submissions"),
            Deletion("assign", "grades", along_with="reset_gradebook_grades"),
        ),
    ),
    ResetOption(
        "reset_assign_user_overrides",
        "assign",
        _("Delete all user overrides"),
        default=True,
        deletes=_all("assign", "overrides"),
    ),
    ResetOption(
        "reset_assign_group_overrides",
        "assign",
        _("Delete all group overrides"),
        default=True,
        deletes=_all("assign", "overrides"),
    ),
    ResetOption("reset_bigbluebuttonbn_events", "bigbluebuttonbn", _("Delete events")),
    ResetOption("reset_bigbluebuttonbn_tags", "bigbluebuttonbn", _("Remove all tags")),
    ResetOption(
        "reset_bigbluebuttonbn_logs",
        "bigbluebuttonbn",
        _("Delete logs (references to recordings are lost)"),
        deletes=_all("bigbluebuttonbn", "logs"),
    ),
    ResetOption(
        "reset_bigbluebuttonbn_recordings",
        "bigbluebuttonbn",
        _("Delete recordings (cannot be undone)"),
        deletes=_all("bigbluebuttonbn", "recordings"),
    ),
    ResetOption("reset_book_tags", "book", _("Remove all tags")),
    ResetOption(
        "reset_choice",
        "choice",
        _("Delete all responses"),
        default=True,
        deletes=_all("choice", "responses"),
    ),
    ResetOption(
        "reset_data",
        "data",
        _("Delete all entries"),
        deletes=_all("data", "entries", "ratings", "comments"),
    ),
    ResetOption(
        "reset_data_notenrolled",
        "data",
        _("Delete entries by users not enrolled"),
        deletes=(Deletion("data", "entries", Reach.NOT_ENROLLED),),
        disabled_by="reset_data",
    ),
    ResetOption(
        "reset_data_ratings",
        "data",
        _("Delete all ratings"),
        default=True,
        deletes=_all("data", "ratings"),
        disabled_by="reset_data",
    ),
    ResetOption(
        "reset_data_comments",
        "data",
        _("Delete all comments"),
        default=True,
        deletes=_all("data", "comments"),
        disabled_by="reset_data",
    ),
    ResetOption("reset_data_tags", "data", _("Remove all tags"), disabled_by="reset_data"),
    # One checkbox per feedback activity: see feedback_option_name().
    ResetOption(
        "reset_forum_all",
        "forum",
        _("Delete all posts"),
        default=True,
        deletes=_all("forum", "discussions", "posts", "ratings"),
    ),
    ResetOption(
        "reset_forum_types",
        "forum",
        _("Delete posts from forums of these types"),
        OptionType.CHOICES,
        choices=FORUM_TYPES,
        deletes=(
            Deletion("forum", "discussions", Reach.CHOSEN_TYPES),
            Deletion("forum", "posts", Reach.CHOSEN_TYPES),
        ),
        disabled_by="reset_forum_all",
    ),
    ResetOption("reset_forum_digests", "forum", _("Delete all digest preferences")),
    ResetOption(
        "reset_forum_subscriptions",
        "forum",
        _("Delete all forum subscriptions"),
        deletes=_all("forum", "subscriptions"),
    ),
    ResetOption(
        "reset_forum_track_prefs",
        "forum",
        _("Delete all forum tracking preferences"),
        disabled_by="reset_forum_all",
    ),
    ResetOption(
        "reset_forum_ratings",
        "forum",
        _("Delete all ratings"),
        default=True,
        deletes=_all("forum", "ratings"),
        disabled_by="reset_forum_all",
    ),
    ResetOption("reset_forum_tags", "forum", _("Remove all tags"), disabled_by="reset_forum_all"),
    ResetOption(
        "reset_glossary_all",
        "glossary",
        _("Delete entries from all glossaries"),
        deletes=_all("glossary", "entries", "ratings", "comments"),
    ),
    ResetOption(
        "reset_glossary_types",
        "glossary",
        _("Delete entries from glossaries of these types"),
        OptionType.CHOICES,
        choices=GLOSSARY_TYPES,
        deletes=(Deletion("glossary", "entries", Reach.CHOSEN_TYPES),),
        disabled_by="reset_glossary_all",
    ),
    ResetOption(
        "reset_glossary_notenrolled",
        "glossary",
        _("Delete entries by users not enrolled"),
        deletes=(Deletion("glossary", "entries", Reach.NOT_ENROLLED),),
    ),
    ResetOption(
        "reset_glossary_ratings",
        "glossary",
        _("Delete all ratings"),
        default=True,
        deletes=_all("glossary", "ratings"),
    ),
    ResetOption(
        "reset_glossary_comments",
        "glossary",
        _("Delete all comments"),
        default=True,
        deletes=_all("glossary", "comments"),
    ),
    ResetOption("reset_glossary_tags", "glossary", _("Remove all tags")),
    ResetOption(
        "reset_h5pactivity",
        "h5pactivity",
        _("Delete all H5P attempts"),
        default=True,
        deletes=_all("h5pactivity", "attempts"),
    ),
    ResetOption(
        "reset_lesson",
        "lesson",
        _("Delete all lesson attempts"),
        default=True,
        deletes=_all("lesson", "attempts", "grades"),
    ),
    ResetOption(
        "reset_lesson_user_overrides",
        "lesson",
        _("Delete all user overrides"),
        default=True,
        deletes=_all("lesson", "overrides"),
    ),
    ResetOption(
        "reset_lesson_group_overrides",
        "lesson",
        _("Delete all group overrides"),
        default=True,
        deletes=_all("lesson", "overrides"),
    ),
    ResetOption(
        "reset_quiz_attempts",
        "quiz",
        _("Delete all quiz attempts"),
        default=True,
        deletes=_all("quiz", "attempts", "grades"),
    ),
    ResetOption(
        "reset_quiz_user_overrides",
        "quiz",
        _("Delete all user overrides"),
        default=True,
        deletes=_all("quiz", "overrides"),
    ),
    ResetOption(
        "reset_quiz_group_overrides",
        "quiz",
        _("Delete all group overrides"),
        default=True,
        deletes=_all("quiz", "overrides"),
    ),
    ResetOption(
        "reset_scorm",
        "scorm",
        _("Delete all SCORM attempts"),
        default=True,
        deletes=_all("scorm", "attempts"),
    ),
    ResetOption(
        "reset_wiki_pages", "wiki", _("Delete all wiki pages"), deletes=_all("wiki", "pages")
    ),
    ResetOption("reset_wiki_tags", "wiki", _("Remove all tags")),
    ResetOption(
        "reset_wiki_comments", "wiki", _("Delete all comments"), deletes=_all("wiki", "comments")
    ),
    ResetOption(
        "reset_workshop_phase",
        "workshop",
        _("Put every workshop back in setup phase"),
        default=True,
    ),
    ResetOption(
        "reset_workshop_submissions",
        "workshop",
        _("Delete all submissions and their assessments"),
        default=True,
        deletes=_all("workshop", "submissions", "assessments"),
    ),
    ResetOption(
        "reset_workshop_assessments",
        "workshop",
        _("Delete allocated assessments"),
        default=True,
        deletes=_all("workshop", "assessments"),
    ),
)

FEEDBACK_OPTION_PREFIX = "feedback_reset_data_"


def feedback_option_name(feedback_instance_id: int) -> str:
    """Moodle gives each feedback activity its own reset checkbox, named after its instance id."""
    return f"{FEEDBACK_OPTION_PREFIX}{feedback_instance_id}"


def feedback_option(feedback_instance_id: int, name: str) -> ResetOption:
    return ResetOption(
        feedback_option_name(feedback_instance_id),
        "feedback",
        _("Delete the responses of “%(name)s”") % {"name": name},
        default=True,
        deletes=_all("feedback", "responses"),
    )


OPTIONS_BY_NAME: dict[str, ResetOption] = {
    option.name: option for option in COURSE_OPTIONS + MODULE_OPTIONS
}


def option_named(name: str) -> ResetOption:
    """The option called `name`, feedback's per-activity options included; KeyError if none."""
    if name.startswith(FEEDBACK_OPTION_PREFIX):
        instance = name.removeprefix(FEEDBACK_OPTION_PREFIX)
        if instance.isdigit():
            return feedback_option(int(instance), instance)
    return OPTIONS_BY_NAME[name]


def default_selection(modnames: Iterable[str]) -> frozenset[str]:
    """What Moodle's "Select default" button ticks for a course holding these module types.

    `unenrol_users` is in it: its default value is every role of the student archetype.
    Feedback's per-activity options are ticked too; the caller adds them by instance.
    """
    return frozenset(o.name for o in options_for_modules(modnames) if o.default)


def options_for_modules(modnames: Iterable[str]) -> tuple[ResetOption, ...]:
    """The course-wide options, then those of each module type present, as Moodle's page shows.

    Moodle only shows a module's options when the course holds at least one instance of it.
    """
    present = set(modnames)
    return COURSE_OPTIONS + tuple(o for o in MODULE_OPTIONS if o.group in present)

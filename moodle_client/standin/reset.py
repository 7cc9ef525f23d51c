"""Moodle 5.0's course reset, `reset_course_userdata()`, over the stand-in's site.

The options are the reset form's field names (course/reset_form.php and every module's
`<mod>_reset_course_form_definition`); the answer is Moodle's status list, one entry per thing
done, with the component and item as Moodle's English strings name them. The order of work is
Moodle's: dates, general data, roles, unenrolment, groups, each module type present in the course
(alphabetically, as the modules table lists them), gradebook, course-page comments.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from moodle_client.standin.registry import invalid_parameter
from moodle_client.standin.site import (
    COMPLETION_KIND,
    ENROL_ENABLED,
    ENROL_USER_SUSPENDED,
    NOT_RESETTABLE_MODULES,
    Course,
    CourseModule,
    Site,
    UserDataRecord,
    UserEnrolment,
)

CHECKBOX_OPTIONS = frozenset(
    {
        # course/reset_form.php
        "reset_events",
        "reset_notes",
        "reset_comments",
        "reset_completion",
        "delete_blog_associations",
        "reset_competency_ratings",
        "reset_roles_local",
        "reset_roles_overrides",
        "reset_gradebook_items",
        "reset_gradebook_grades",
        "reset_groups_remove",
        "reset_groups_members",
        "reset_groupings_remove",
        "reset_groupings_members",
        # <mod>_reset_course_form_definition
        "reset_assign_submissions",
        "reset_assign_user_overrides",
        "reset_assign_group_overrides",
        "reset_bigbluebuttonbn_events",
        "reset_bigbluebuttonbn_tags",
        "reset_bigbluebuttonbn_logs",
        "reset_bigbluebuttonbn_recordings",
        "reset_book_tags",
        "reset_choice",
        "reset_data",
        "reset_data_notenrolled",
        "reset_data_ratings",
        "reset_data_comments",
        "reset_data_tags",
        "reset_forum_digests",
        "reset_forum_subscriptions",
        "reset_forum_all",
        "reset_forum_track_prefs",
        "reset_forum_ratings",
        "reset_forum_tags",
        "reset_glossary_all",
        "reset_glossary_notenrolled",
        "reset_glossary_ratings",
        "reset_glossary_comments",
        "reset_glossary_tags",
        "reset_h5pactivity",
        "reset_lesson",
        "reset_lesson_user_overrides",
        "reset_lesson_group_overrides",
        "reset_quiz_attempts",
        "reset_quiz_user_overrides",
        "reset_quiz_group_overrides",
        "reset_scorm",
        "reset_wiki_pages",
        "reset_wiki_tags",
        "reset_wiki_comments",
        "reset_workshop_phase",
        "reset_workshop_submissions",
        "reset_workshop_assessments",
    }
)
DATE_OPTIONS = frozenset({"reset_start_date", "reset_end_date"})
MULTI_SELECT_OPTIONS = frozenset({"unenrol_users", "reset_forum_types", "reset_glossary_types"})
FEEDBACK_OPTION = re.compile(r"feedback_reset_data_([0-9]+)")

# The forum types of forum_get_forum_types_all(), with the names the status line shows.
FORUM_TYPE_NAMES = {
    "news": "Announcements",
    "social": "Social forum",
    "general": "Standard forum for general use",
    "eachuser": "Each person posts one discussion",
    "single": "A single simple discussion",
    "qanda": "Q and A forum",
    "blog": "Standard forum displayed in a blog-like format",
}

# get_string('modulenameplural', <mod>) in Moodle 5.0's English language pack.
MODULE_NAMES_PLURAL = {
    "assign": "Assignments",
    "bigbluebuttonbn": "BigBlueButton",
    "book": "Books",
    "choice": "Choices",
    "data": "Databases",
    "feedback": "Feedback",
    "folder": "Folders",
    "forum": "Forums",
    "glossary": "Glossaries",
    "h5pactivity": "H5P",
    "imscp": "IMS content packages",
    "label": "Text and media areas",
    "lesson": "Lessons",
    "lti": "External tools",
    "page": "Pages",
    "qbank": "Question banks",
    "quiz": "Quizzes",
    "resource": "Files",
    "scorm": "SCORM packages",
    "subsection": "Subsections",
    "url": "URLs",
    "wiki": "Wikis",
    "workshop": "Workshops",
}

# The module settings holding dates that a new start date shifts (the fields each
# <mod>_reset_userdata passes to shift_course_mod_dates()).
MODULE_DATE_SETTINGS = {
    "assign": ("allowsubmissionsfromdate", "duedate", "cutoffdate", "gradingduedate"),
    "choice": ("timeopen", "timeclose"),
    "data": (
        "timeavailablefrom",
        "timeavailableto",
        "timeviewfrom",
        "timeviewto",
        "assesstimestart",
        "assesstimefinish",
    ),
    "feedback": ("timeopen", "timeclose"),
    "forum": ("assesstimestart", "assesstimefinish", "duedate", "cutoffdate"),
    "glossary": ("assesstimestart", "assesstimefinish"),
    "lesson": ("available", "deadline"),
    "quiz": ("timeopen", "timeclose"),
    "scorm": ("timeopen", "timeclose"),
    "wiki": ("editbegin", "editend"),
    "workshop": ("submissionstart", "submissionend", "assessmentstart", "assessmentend"),
}

WORKSHOP_PHASE_SETUP = 10
# Permission overrides (role_capabilities below the system context), which the site model does
# not hold: `Site.extra[ROLE_OVERRIDES_KEY]` = {contextid: {roleid: {capability: permission}}}.
ROLE_OVERRIDES_KEY = "role_overrides"

GENERAL = "General"
ROLES = "Roles"
GROUPS = "Groups"
GRADEBOOK = "Gradebook"
DATE = "Date"
ALL_RATINGS = "All ratings"
ALL_COMMENTS = "All comments"


@dataclass(frozen=True)
class ResetStatus:
    """One line of reset_course_userdata()'s status: `error` is "" when the step worked."""

    component: str
    item: str
    error: str = ""

    def as_dict(self) -> dict[str, str]:
        return {"component": self.component, "item": self.item, "error": self.error}


@dataclass
class ResetData:
    """The reset form's data, as course/reset.php hands it to reset_course_userdata()."""

    flags: frozenset[str]
    unenrol_users: tuple[int, ...] = ()
    forum_types: tuple[str, ...] = ()
    glossary_types: tuple[str, ...] = ()
    start_date: int = 0
    end_date: int = 0
    feedback_ids: frozenset[int] = frozenset()

    def __contains__(self, flag: str) -> bool:
        return flag in self.flags


def reset_data_from_options(
    site: Site, course: Course, options: Iterable[Mapping[str, str]]
) -> ResetData:
    """Reads the name/value options; a name the course's reset form lacks is refused.

    The feedback fields exist once per feedback activity of the course, as the form lists them.
    """
    feedback_instances = {
        m.instance for m in site.course_modules_of(course.id) if m.modname == "feedback"
    }
    flags: set[str] = set()
    lists: dict[str, tuple[str, ...]] = {}
    dates: dict[str, int] = {}
    feedback_ids: set[int] = set()
    for option in options:
        name, value = option["name"], option["value"].strip()
        feedback = FEEDBACK_OPTION.fullmatch(name)
        if name in CHECKBOX_OPTIONS:
            if _ticked(value):
                flags.add(name)
        elif name in DATE_OPTIONS:
            dates[name] = _integer(name, value) if value else 0
        elif name in MULTI_SELECT_OPTIONS:
            lists[name] = tuple(part.strip() for part in value.split(",") if part.strip())
        elif feedback and int(feedback.group(1)) in feedback_instances:
            if _ticked(value):
                feedback_ids.add(int(feedback.group(1)))
        else:
            raise invalid_parameter(f"Unknown reset option: {name}")
    return ResetData(
        flags=frozenset(flags),
        unenrol_users=tuple(_integer("unenrol_users", v) for v in lists.get("unenrol_users", ())),
        forum_types=lists.get("reset_forum_types", ()),
        glossary_types=lists.get("reset_glossary_types", ()),
        start_date=dates.get("reset_start_date", 0),
        end_date=dates.get("reset_end_date", 0),
        feedback_ids=frozenset(feedback_ids),
    )


def _ticked(value: str) -> bool:
    return value not in ("", "0")


def _integer(name: str, value: str) -> int:
    if not re.fullmatch(r"-?[0-9]+", value):
        raise invalid_parameter(f"Reset option {name}: integer expected, got '{value}'")
    return int(value)


def reset_course(site: Site, course: Course, data: ResetData) -> list[ResetStatus]:
    """Applies `data` to the course and returns Moodle's status list."""
    run = _CourseReset(site, course, data)
    return run.run()


class _CourseReset:
    def __init__(self, site: Site, course: Course, data: ResetData) -> None:
        self.site = site
        self.course = course
        self.data = data
        self.status: list[ResetStatus] = []
        self.timeshift = data.start_date - course.startdate if data.start_date else 0
        self.modules = site.course_modules_of(course.id)

    def run(self) -> list[ResetStatus]:
        self.dates()
        self.general()
        self.roles()
        self.unenrol()
        self.groups()
        self.activities()
        self.gradebook()
        if "reset_comments" in self.data:
            self.delete_course_data("comments")
        return self.status

    def add(self, component: str, item: str, error: str = "") -> None:
        self.status.append(ResetStatus(component, item, error))

    # ------------------------------------------------------------------ general

    def dates(self) -> None:
        course, data = self.course, self.data
        end_date_old = course.enddate
        if data.start_date and self.timeshift:
            course.startdate = data.start_date
            # Course events move with the SQL update, activity events when the modules
            # regenerate theirs from their shifted dates: every event of the course moves.
            for event in self.site.events.having("courseid", course.id):
                event.timestart += self.timeshift
            for module in self.modules:
                expected = module.settings.get("completionexpected")
                if module.completion and expected:
                    module.settings["completionexpected"] = expected + self.timeshift
            self.add(GENERAL, DATE)
        if data.end_date:
            course.enddate = data.end_date
        elif self.timeshift > 0 and end_date_old:
            course.enddate = end_date_old + self.timeshift

    def general(self) -> None:
        data = self.data
        if "reset_events" in data:
            for event in self.site.events.having("courseid", self.course.id):
                del self.site.events[event.id]
            self.add(GENERAL, "Events")
        if "reset_notes" in data:
            self.delete_course_data("notes")
            self.add(GENERAL, "All notes")
        if "delete_blog_associations" in data:
            self.delete_course_data("blogassociations")
            self.add(GENERAL, "Blog associations")
        if "reset_completion" in data:
            self.delete_course_data("coursecompletions")
            self.site.delete_user_data(
                self.site.user_data_of(courseid=self.course.id, kind=COMPLETION_KIND)
            )
            self.add(GENERAL, "Completion data")
        if "reset_competency_ratings" in data:
            self.delete_course_data("competencyratings")
            self.add(GENERAL, "Competency ratings")

    def delete_course_data(self, kind: str) -> int:
        return self.site.delete_user_data(
            [r for r in self.site.user_data_of(courseid=self.course.id, kind=kind) if not r.cmid]
        )

    # ------------------------------------------------------------------ roles and enrolments

    def roles(self) -> None:
        if "reset_roles_overrides" in self.data:
            overrides = self.site.extra.get(ROLE_OVERRIDES_KEY, {})
            contexts = {self.course.contextid, *self.site.child_context_ids(self.course.contextid)}
            for context_id in contexts:
                overrides.pop(context_id, None)
            self.add(ROLES, "All overrides in course")
        if "reset_roles_local" in self.data:
            for context_id in self.site.child_context_ids(self.course.contextid):
                for assignment in self.site.role_assignments.having("contextid", context_id):
                    del self.site.role_assignments[assignment.id]
            self.add(ROLES, "All local role assignments")

    def unenrol(self) -> None:
        site, course = self.site, self.course
        unenrolled: set[int] = set()
        if self.data.unenrol_users:
            instances = {
                i.id: i
                for i in site.enrol_instances_of(course.id)
                if i.status == ENROL_ENABLED and i.enrol != "guest"
            }
            users_roles: dict[int, set[int]] = {}
            for assignment in site.role_assignments.having("contextid", course.contextid):
                users_roles.setdefault(assignment.userid, set()).add(assignment.roleid)
            for with_role in self.data.unenrol_users:
                for enrolment in self._enrolments_with_role(with_role):
                    instance = instances.get(enrolment.enrolid)
                    if instance is None or not _allows_unenrol(instance.enrol, enrolment):
                        continue
                    roles = users_roles.get(enrolment.userid, set())
                    if with_role and len(roles) > 1:
                        # Someone holding other roles only loses this one (role_unassign()
                        # touches the assignments no enrolment plugin manages).
                        site.unassign_roles(
                            userid=enrolment.userid,
                            contextid=course.contextid,
                            roleid=with_role,
                            component="",
                        )
                        roles.discard(with_role)
                    else:
                        site.unenrol_user(instance, enrolment.userid)
                        forget_forum_preferences(site, course.id, enrolment.userid)
                    unenrolled.add(enrolment.userid)
        if unenrolled:
            self.add(ROLES, f"Unenrol ({len(unenrolled)})")

    def _enrolments_with_role(self, roleid: int) -> list[UserEnrolment]:
        site, course = self.site, self.course
        holders: set[int] = set()
        anyrole: set[int] = set()
        for assignment in site.role_assignments.having("contextid", course.contextid):
            anyrole.add(assignment.userid)
            if assignment.roleid == roleid:
                holders.add(assignment.userid)
        return sorted(
            (
                e
                for i in site.enrol_instances_of(course.id)
                for e in site.user_enrolments.having("enrolid", i.id)
                if (e.userid in holders if roleid else e.userid not in anyrole)
            ),
            key=lambda e: e.id,
        )

    # ------------------------------------------------------------------ groups

    def groups(self) -> None:
        site, course_id = self.site, self.course.id
        groups = site.groups.having("courseid", course_id)
        groupings = site.groupings.having("courseid", course_id)
        if "reset_groups_members" in self.data:
            for group in groups:
                group.members.clear()
            self.add(GROUPS, "All group members")
        if "reset_groups_remove" in self.data:
            for group in groups:
                del site.groups[group.id]
            for grouping in groupings:
                grouping.groups.clear()
            self.add(GROUPS, "All groups")
        if "reset_groupings_members" in self.data:
            for grouping in groupings:
                grouping.groups.clear()
            self.add(GROUPS, "All groups from groupings")
        if "reset_groupings_remove" in self.data:
            for grouping in groupings:
                del site.groupings[grouping.id]
            self.add(GROUPS, "All groupings")

    # ------------------------------------------------------------------ activities

    def activities(self) -> None:
        present = sorted({m.modname for m in self.modules})
        unsupported: list[str] = []
        for modname in present:
            if modname in NOT_RESETTABLE_MODULES:
                unsupported.append(modname)
                continue
            modules = [m for m in self.modules if m.modname == modname]
            reset_module = getattr(self, f"reset_{modname}", None)
            if reset_module is not None:
                reset_module(modules, MODULE_NAMES_PLURAL.get(modname, modname))
            self.shift_module_dates(modules)
        for modname in unsupported:
            self.add(MODULE_NAMES_PLURAL.get(modname, modname), "", "Reset not supported")

    def shift_module_dates(self, modules: list[CourseModule]) -> None:
        if not self.timeshift:
            return
        for module in modules:
            for name in MODULE_DATE_SETTINGS.get(module.modname, ()):
                if module.settings.get(name):
                    module.settings[name] += self.timeshift

    def records(self, modules: Iterable[CourseModule], *kinds: str) -> list[UserDataRecord]:
        return [
            r
            for module in modules
            for r in self.site.user_data.having("cmid", module.id)
            if r.kind in kinds
        ]

    def delete(self, modules: Iterable[CourseModule], *kinds: str) -> int:
        return self.site.delete_user_data(self.records(modules, *kinds))

    def clear_activity_grades(self, modules: Iterable[CourseModule]) -> None:
        """<mod>_reset_gradebook(): the activity's gradebook grades go with its attempts,
        unless the whole gradebook is reset anyway."""
        if "reset_gradebook_grades" in self.data:
            return
        self.delete_grades(
            item.id
            for module in modules
            for item in self.site.grade_items.having("cmid", module.id)
        )

    def not_enrolled(self, record: UserDataRecord) -> bool:
        user = self.site.users.get(record.userid)
        return (
            user is None or user.deleted or not self.site.is_enrolled(self.course.id, record.userid)
        )

    def reset_assign(self, modules: list[CourseModule], component: str) -> None:
        data = self.data
        for module in modules:
            if "reset_assign_submissions" in data:
                self.delete([module], "submissions")
                # As Moodle: the grades go only when the gradebook's go too.
                if "reset_gradebook_grades" in data:
                    self.delete([module], "grades")
                    self.clear_activity_grades([module])
                self.add(component, "All submissions")
            if "reset_assign_user_overrides" in data:
                self.site.delete_user_data(
                    r for r in self.records([module], "overrides") if not r.groupid
                )
                self.add(component, "User overrides")
            if "reset_assign_group_overrides" in data:
                self.site.delete_user_data(
                    r for r in self.records([module], "overrides") if r.groupid
                )
                self.add(component, "Group overrides")
            if self.timeshift:
                self.add(component, DATE)

    def reset_bigbluebuttonbn(self, modules: list[CourseModule], component: str) -> None:
        data = self.data
        if "reset_bigbluebuttonbn_recordings" in data:
            self.delete(modules, "recordings")
            self.add(component, "Deleted recordings")
        if "reset_bigbluebuttonbn_tags" in data:
            self.add(component, "Deleted tags")
        if "reset_bigbluebuttonbn_logs" in data:
            self.delete(modules, "logs")
            self.add(component, "Deleted custom logs")
        if "reset_bigbluebuttonbn_events" in data:
            instances = {m.instance for m in modules}
            for event in list(self.site.events.values()):
                if event.modulename == "bigbluebuttonbn" and event.instance in instances:
                    del self.site.events[event.id]
            self.add(component, "Deleted events")

    def reset_book(self, modules: list[CourseModule], component: str) -> None:
        if "reset_book_tags" in self.data:
            self.add(component, "All book tags")

    def reset_choice(self, modules: list[CourseModule], component: str) -> None:
        if "reset_choice" in self.data:
            self.delete(modules, "responses")
            self.add(component, "All responses")
        if self.timeshift:
            self.add(component, DATE)

    def reset_data(self, modules: list[CourseModule], component: str) -> None:
        data = self.data
        if "reset_data" in data:
            self.delete(modules, "entries", "ratings", "comments")
            self.clear_activity_grades(modules)
            self.add(component, "All entries")
        if "reset_data_notenrolled" in data:
            self.delete_entries_not_enrolled(modules)
            self.add(component, "Entries by users not enrolled")
        if "reset_data_ratings" in data:
            self.delete(modules, "ratings")
            self.clear_activity_grades(modules)
            self.add(component, ALL_RATINGS)
        if "reset_data_comments" in data:
            self.delete(modules, "comments")
            self.add(component, ALL_COMMENTS)
        if "reset_data_tags" in data:
            self.add(component, "All database tags")
        if self.timeshift:
            self.add(component, DATE)

    def delete_entries_not_enrolled(self, modules: list[CourseModule]) -> None:
        """An entry by someone no longer enrolled goes with its ratings and comments."""
        doomed = [r for r in self.records(modules, "entries") if self.not_enrolled(r)]
        entry_ids = {r.id for r in doomed}
        attached = [
            r for r in self.records(modules, "ratings", "comments") if r.itemid in entry_ids
        ]
        self.site.delete_user_data(doomed + attached)

    def reset_feedback(self, modules: list[CourseModule], component: str) -> None:
        for module in modules:
            if module.instance in self.data.feedback_ids:
                self.delete([module], "responses")
                self.add(f"{component}:{module.name}", "Responses")
        if self.timeshift:
            self.add(component, DATE)

    def reset_forum(self, modules: list[CourseModule], component: str) -> None:
        data = self.data
        if "reset_forum_all" in data:
            emptied, label = modules, "All posts"
        elif data.forum_types:
            types = [t for t in data.forum_types if t in FORUM_TYPE_NAMES]
            emptied = [m for m in modules if m.settings.get("type", "general") in types]
            label = "Delete posts from: " + ", ".join(FORUM_TYPE_NAMES[t] for t in types)
        else:
            emptied, label = [], ""
        if label:
            self.delete_forum_posts(emptied)
            self.clear_activity_grades(emptied)
            self.add(component, label)
        if "reset_forum_ratings" in data:
            self.delete(modules, "ratings")
            self.clear_activity_grades(modules)
        if "reset_forum_tags" in data:
            self.add(component, "All forum tags")
        if "reset_forum_digests" in data:
            self.add(component, "All per-user forum digest preferences")
        if "reset_forum_subscriptions" in data:
            self.delete(modules, "subscriptions")
            self.add(component, "All forum subscriptions")
        if "reset_forum_track_prefs" in data:
            self.add(component, "All forum tracking preferences")
        if self.timeshift:
            self.add(component, DATE)

    def delete_forum_posts(self, forums: list[CourseModule]) -> None:
        """Every post goes, teachers' included; a single simple discussion keeps its first
        post and its discussion, as Moodle keeps them."""
        doomed: list[UserDataRecord] = self.records(forums, "ratings")
        for forum in forums:
            single = forum.settings.get("type") == "single"
            for record in self.records([forum], "discussions", "posts"):
                first_post = record.kind == "posts" and not record.data.get("parent")
                keep = single and (record.kind == "discussions" or first_post)
                if not keep:
                    doomed.append(record)
        self.site.delete_user_data(doomed)

    def reset_glossary(self, modules: list[CourseModule], component: str) -> None:
        data = self.data
        types = set(data.glossary_types)
        if "reset_glossary_all" in data or {"main", "secondary"} <= types:
            self.delete(modules, "entries", "ratings", "comments")
            self.clear_activity_grades(modules)
            self.add(component, "Entries from all glossaries")
        elif types & {"main", "secondary"}:
            main = "main" in types
            chosen = [m for m in modules if bool(m.settings.get("mainglossary")) == main]
            self.delete(chosen, "entries", "ratings", "comments")
            self.clear_activity_grades(chosen)
            label = "Main glossary" if main else "Secondary glossary"
            self.add(component, f"Delete entries from: {label}")
        if "reset_glossary_notenrolled" in data:
            self.delete_entries_not_enrolled(modules)
            self.add(component, "Entries by users not enrolled")
        if "reset_glossary_ratings" in data:
            self.delete(modules, "ratings")
            self.clear_activity_grades(modules)
            self.add(component, ALL_RATINGS)
        if "reset_glossary_comments" in data:
            self.delete(modules, "comments")
            self.add(component, ALL_COMMENTS)
        if "reset_glossary_tags" in data:
            self.add(component, "All glossary tags")
        if self.timeshift:
            self.add(component, DATE)

    def reset_h5pactivity(self, modules: list[CourseModule], component: str) -> None:
        if "reset_h5pactivity" in self.data:
            self.delete(modules, "attempts")
            self.clear_activity_grades(modules)
            self.add(component, "All H5P attempts")

    def reset_lesson(self, modules: list[CourseModule], component: str) -> None:
        self.attempts_and_overrides(modules, component, "lesson", "All lesson attempts")

    def reset_quiz(self, modules: list[CourseModule], component: str) -> None:
        self.attempts_and_overrides(modules, component, "quiz", "All quiz attempts")

    def attempts_and_overrides(
        self, modules: list[CourseModule], component: str, modname: str, attempts_label: str
    ) -> None:
        data = self.data
        attempts_option = "reset_quiz_attempts" if modname == "quiz" else "reset_lesson"
        if attempts_option in data:
            self.delete(modules, "attempts", "grades")
            self.clear_activity_grades(modules)
            self.add(component, attempts_label)
            if modname == "quiz":
                self.add(component, "Grades")
        if f"reset_{modname}_user_overrides" in data:
            self.site.delete_user_data(
                r for r in self.records(modules, "overrides") if not r.groupid
            )
            self.add(component, "User overrides")
        if f"reset_{modname}_group_overrides" in data:
            self.site.delete_user_data(r for r in self.records(modules, "overrides") if r.groupid)
            self.add(component, "Group overrides")
        if self.timeshift:
            self.add(component, "Open and close dates" if modname == "quiz" else DATE)

    def reset_scorm(self, modules: list[CourseModule], component: str) -> None:
        if "reset_scorm" in self.data:
            self.delete(modules, "attempts")
            self.clear_activity_grades(modules)
            self.add(component, "All SCORM attempts")
        self.add(component, DATE)

    def reset_wiki(self, modules: list[CourseModule], component: str) -> None:
        data = self.data
        if {"reset_wiki_pages", "reset_wiki_tags", "reset_wiki_comments"} & data.flags:
            for module in modules:
                if "reset_wiki_pages" in data:
                    self.delete([module], "pages", "comments")
                    self.add(component, "All wiki pages")
                if "reset_wiki_tags" in data:
                    self.add(component, "All wiki tags")
                if "reset_wiki_comments" in data:
                    self.delete([module], "comments")
                    self.add(component, ALL_COMMENTS)
        self.add(component, DATE)

    def reset_workshop(self, modules: list[CourseModule], component: str) -> None:
        data = self.data
        self.add(component, DATE)
        for module in modules:
            name = f"Workshop: {module.name}"
            if {"reset_workshop_assessments", "reset_workshop_submissions"} & data.flags:
                self.delete([module], "assessments")
                self.add(name, "All assessments")
            if "reset_workshop_submissions" in data:
                self.delete([module], "submissions")
                self.clear_activity_grades([module])
                self.add(name, "All submissions")
            if "reset_workshop_phase" in data:
                module.settings["phase"] = WORKSHOP_PHASE_SETUP
                self.add(name, "All submissions")

    # ------------------------------------------------------------------ gradebook

    def gradebook(self) -> None:
        site, course_id = self.site, self.course.id
        items = site.grade_items.having("courseid", course_id)
        if "reset_gradebook_items" in self.data:
            for item in items:
                if item.is_manual:
                    site.delete_grade_item(item.id)
            top = site.course_grade_category(course_id)
            for category in site.grade_categories.having("courseid", course_id):
                if category.id != top.id:
                    del site.grade_categories[category.id]
                    for item in site.grade_items.having("courseid", course_id):
                        if item.itemtype == "category" and item.iteminstance == category.id:
                            site.delete_grade_item(item.id)
                        elif item.categoryid == category.id:
                            item.categoryid = top.id
            # The activities' items are rebuilt from the activities, with the grades the
            # activities still hold; the totals are recalculated later.
            self.delete_grades(i.id for i in items if i.itemtype in ("course", "category"))
            self.add(GRADEBOOK, "All items and categories")
        elif "reset_gradebook_grades" in self.data:
            self.delete_grades(i.id for i in items)
            self.add(GRADEBOOK, "All grades")

    def delete_grades(self, item_ids: Iterable[int]) -> None:
        for item_id in item_ids:
            for grade in self.site.grades.having("itemid", item_id):
                del self.site.grades[grade.id]


def _allows_unenrol(method: str, enrolment: UserEnrolment) -> bool:
    """allow_unenrol() / allow_unenrol_user(): manual and self enrolments may be removed;
    cohort and meta enrolments only once their user enrolment is suspended."""
    if method in ("manual", "self"):
        return True
    return enrolment.status == ENROL_USER_SUSPENDED


def forget_forum_preferences(site: Site, courseid: int, userid: int) -> None:
    """What mod_forum's observer does when someone's last enrolment in a course goes: their
    forum subscriptions there go too."""
    if site.is_enrolled(courseid, userid):
        return
    site.delete_user_data(
        r for r in site.user_data_of(courseid=courseid, kind="subscriptions") if r.userid == userid
    )

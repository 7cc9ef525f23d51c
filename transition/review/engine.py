"""The review: what a request will do to each count of a course, computed, never templated.

`review_course` is a pure function of the course inventory (read from Moodle just before), the
request spec the teacher is about to confirm, the policy's rules for the course's reset options
and a few facts about the people involved. It reads Moodle's reset semantics from
`transition.reset_options` (`Deletion.reach`): all of a kind, only former participants' data, or
only the forums/glossaries of chosen types.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from moodle_client.types.passage import CourseInventory, DataCount, InventoryModule
from transition.course_dates import dates_after
from transition.keep_copy.counts import kept_counts
from transition.request_spec import RequestSpec
from transition.reset_options import (
    STUDENT_ARCHETYPE,
    UNRESETTABLE_MODULES,
    Reach,
    ResetOption,
    option_named,
)
from transition.review.policy_locks import OptionRule
from transition.review.results import (
    CourseReview,
    Fate,
    ReviewDate,
    ReviewRow,
    ReviewWarning,
    Section,
)
from transition.review.settings_to_check import settings_to_check

TEACHING_ROLES = frozenset({"editingteacher", "teacher"})
# Scenarios that change the course, so they need a backup of it first.
NEEDS_BACKUP = frozenset({"reuse_reset", "fresh_copy", "restore_previous"})
# Scenarios after which the course's activities are used again next year.
COMPLETION_KIND = "completions"
REUSES_CONTENT = frozenset({"reuse_reset", "fresh_copy", "restore_previous"})
# Scenarios that give the course (or its copy) next year's dates.
MOVES_DATES = frozenset({"reuse_reset", "fresh_copy"})


@dataclass(frozen=True)
class ReviewFacts:
    """What the review needs besides the inventory, read from Moodle and Passage's tables."""

    teacher_roles: tuple[str, ...] = ()  # role shortnames the requesting teacher holds
    open_request_holder: str = ""  # who already has an open request on the course
    backup_refused: str = ""  # why no backup can be taken ("" when one can)
    forum_types: Mapping[int, str] = field(default_factory=dict)  # forum instance id -> type
    source_label: str = ""  # restore: the previous platform's course, as people name it
    # Restore: how many activities the previous platform's course holds now, which the restore
    # brings back (0 when its platform did not answer).
    source_activities: int = 0
    # Restore: when the stored backup that will be restored was taken (Unix time); 0 when a new
    # backup of the source is taken at the run (the source changed since, or has none).
    restore_backup_at: int = 0
    # Restore with user data: the inventory of the course when its backup was taken.
    restored_inventory: CourseInventory | None = None
    cohort_sizes: Mapping[str, int] = field(default_factory=dict)  # added cohort -> members


def _ticked(options: Mapping[str, str]) -> dict[str, ResetOption]:
    """The options that take effect: ticked, known, and not overridden by a wider one."""
    ticked: dict[str, ResetOption] = {}
    for name, value in options.items():
        if not value or value == "0":
            continue
        try:
            ticked[name] = option_named(name)
        except KeyError:
            continue  # dates and unknown names delete nothing
    return {
        name: option
        for name, option in ticked.items()
        if option.disabled_by is None or option.disabled_by not in ticked
    }


class _Reset:
    """The effect of one reset option set on one inventory."""

    def __init__(
        self,
        *,
        inventory: CourseInventory,
        spec: RequestSpec,
        governed: Mapping[str, OptionRule],
        facts: ReviewFacts,
    ) -> None:
        self.inventory = inventory
        self.spec = spec
        self.governed = governed
        self.facts = facts
        self.options = dict(spec.reset_options)
        self.ticked = _ticked(self.options)
        self.unenrolled_roles = {
            int(part) for part in self.options.get("unenrol_users", "").split(",") if part.strip()
        }
        self.student_roles = {r.roleid for r in inventory.roles if r.archetype == STUDENT_ARCHETYPE}
        self.removed_instances = {c.enrol_instance_id for c in spec.removes_cohorts}
        cohorts_left = [
            e
            for e in inventory.enrolments
            if e.method == "cohort"
            and e.enabled
            and e.users
            and e.roleid in self.student_roles
            and e.id not in self.removed_instances
        ]
        self.students_leave = bool(self.student_roles & self.unenrolled_roles) or bool(
            self.removed_instances
        )
        self.some_students_stay = bool(cohorts_left) or not (
            self.student_roles <= self.unenrolled_roles
        )

    def rule_for(self, scope: str, kind: str, deciding: str) -> OptionRule | None:
        """The policy rule of the deciding option, else of any option that covers the data."""
        if deciding and deciding in self.governed:
            return self.governed[deciding]
        for name, rule in self.governed.items():
            try:
                option = option_named(name)
            except KeyError:
                continue
            if any(d.kind == kind and d.scope in (scope, "*") for d in option.deletes):
                return rule
        return None

    def fate(
        self, scope: str, kind: str, count: DataCount, instance: int = 0, forum_type: str = ""
    ) -> tuple[Fate, int, str, str]:
        """(fate, how many, deciding option, note) for one count; `forum_type` for a forum
        that the inventory does not hold yet (the announcements forum an announcement makes)."""
        deletions = [
            (name, deletion)
            for name, option in self.ticked.items()
            for deletion in option.deletes
            if deletion.kind == kind
            and deletion.scope in (scope, "*")
            and (not deletion.along_with or deletion.along_with in self.ticked)
        ]
        for name, deletion in deletions:
            if deletion.reach == Reach.ALL:
                return Fate.DELETED, count.total, name, ""
        for name, deletion in deletions:
            if deletion.reach == Reach.NOT_ENROLLED:
                if not self.students_leave or not count.students:
                    return Fate.KEPT, 0, name, "not_enrolled_only"
                note = "not_enrolled_some_stay" if self.some_students_stay else "not_enrolled_only"
                return Fate.DELETED, count.students, name, note
        for name, deletion in deletions:
            if deletion.reach == Reach.CHOSEN_TYPES:
                chosen = set(self.options.get(name, "").split(","))
                known = (
                    (forum_type or self.facts.forum_types.get(instance))
                    if scope == "forum"
                    else None
                )
                if scope == "glossary" and {"main", "secondary"} <= chosen:
                    return Fate.DELETED, count.total, name, "chosen_types"
                if known is None:
                    return Fate.TO_CHECK, count.total, name, "chosen_types"
                if known in chosen:
                    return Fate.DELETED, count.total, name, "chosen_types"
                return Fate.KEPT, 0, name, "chosen_types"
        return Fate.KEPT, 0, "", ""

    def row(
        self,
        *,
        section: Section,
        subject: str,
        modname: str,
        scope: str,
        kind: str,
        count: DataCount,
        instance: int = 0,
        display_kind: str = "",
        forum_type: str = "",
    ) -> ReviewRow:
        fate, affected, option, note = self.fate(scope, kind, count, instance, forum_type)
        rule = self.rule_for(scope, kind, option)
        if fate == Fate.KEPT and kind == "pages" and rule and rule.action == "delete_not_enrolled":
            note = "wiki_hidden"
        return ReviewRow(
            section=section,
            subject=subject,
            modname=modname,
            kind=display_kind or kind,
            total=count.total,
            students=count.students,
            others=count.others,
            fate=fate,
            affected=affected,
            option=option,
            rule=rule.rule if rule else "",
            locked=rule.locked if rule else False,
            reason=rule.reason if rule else "",
            note=note,
        )


def _count(kind: str, total: int, students: int = 0) -> DataCount:
    return DataCount(kind=kind, total=total, students=students, others=total - students)


def _course_counts(inventory: CourseInventory) -> Iterator[tuple[Section, str, str, DataCount]]:
    """(section, scope, kind, count) of everything outside activities that a reset may touch."""
    for count in inventory.coursedata:
        yield Section.COURSE, "course", count.kind, count
    book = inventory.gradebook
    grades = _count("grades", book.grades, book.studentgrades)
    yield Section.GRADEBOOK, "gradebook", "grades", grades
    yield Section.GRADEBOOK, "gradebook", "manualitems", _count("manualitems", book.manualitems)
    yield Section.GRADEBOOK, "gradebook", "categories", _count("categories", book.categories)
    yield Section.GROUPS, "groups", "groups", _count("groups", len(inventory.groups))
    members = sum(g.members for g in inventory.groups)
    yield Section.GROUPS, "groups", "members", _count("members", members)
    yield Section.GROUPS, "groupings", "groupings", _count("groupings", len(inventory.groupings))
    in_groupings = sum(g.groups for g in inventory.groupings)
    yield Section.GROUPS, "groupings", "groups", _count("grouping_groups", in_groupings)


def _kept(row: ReviewRow, note: str) -> ReviewRow:
    return ReviewRow(
        section=row.section,
        subject=row.subject,
        modname=row.modname,
        kind=row.kind,
        total=row.total,
        students=row.students,
        others=row.others,
        fate=Fate.KEPT,
        affected=0,
        note=note,
    )


def _data_rows(reset: _Reset) -> list[ReviewRow]:
    rows: list[ReviewRow] = []
    for module in reset.inventory.modules:
        module_rows = [
            reset.row(
                section=Section.ACTIVITY,
                subject=module.name,
                modname=module.modname,
                scope=module.modname,
                kind=count.kind,
                count=count,
                instance=module.instance,
            )
            for count in module.data
            if count.total
        ]
        if not module.resettable:
            # The module's own data stays; completion is reset course-wide (reset_completion).
            module_rows = [
                row if row.kind == COMPLETION_KIND else _kept(row, "not_resettable")
                for row in module_rows
            ]
        if not module_rows:
            module_rows = [
                ReviewRow(
                    section=Section.ACTIVITY,
                    subject=module.name,
                    modname=module.modname,
                    kind="activity",
                    total=0,
                    students=0,
                    others=0,
                    fate=Fate.KEPT,
                    affected=0,
                    note="" if module.resettable else "not_resettable",
                )
            ]
        rows.extend(module_rows)
    for section, scope, kind, count in _course_counts(reset.inventory):
        if count.total:
            rows.append(
                reset.row(
                    section=section,
                    subject="",
                    modname="",
                    scope=scope,
                    kind=kind,
                    count=count,
                    display_kind=count.kind,
                )
            )
    return rows


def _participant_rows(reset: _Reset, *, resets: bool) -> list[ReviewRow]:
    """Who is enrolled and what becomes of them: cohort syncs, other students, other roles."""
    inventory = reset.inventory
    rows: list[ReviewRow] = []
    cohort_students = 0
    enrolment_rule = reset.governed.get("unenrol_users")
    for enrolment in inventory.enrolments:
        if enrolment.method != "cohort" or not enrolment.users:
            continue
        is_students = enrolment.roleid in reset.student_roles
        cohort_students += enrolment.users if is_students else 0
        removed = enrolment.id in reset.removed_instances
        rows.append(
            ReviewRow(
                section=Section.PARTICIPANTS,
                subject=enrolment.cohortidnumber or enrolment.cohortname or enrolment.name,
                modname="",
                kind="cohort_students",
                total=enrolment.users,
                students=enrolment.users if is_students else 0,
                others=0 if is_students else enrolment.users,
                fate=Fate.UNENROLLED if removed else Fate.KEPT,
                affected=enrolment.users if removed else 0,
                note="cohort_removed" if removed else "cohort_kept",
            )
        )
    students = sum(r.users for r in inventory.roles if r.roleid in reset.student_roles)
    manual = max(0, students - cohort_students)
    unenrols_students = resets and bool(reset.student_roles & reset.unenrolled_roles)
    if manual:
        rows.append(
            ReviewRow(
                section=Section.PARTICIPANTS,
                subject="",
                modname="",
                kind="students",
                total=manual,
                students=manual,
                others=0,
                fate=Fate.UNENROLLED if unenrols_students else Fate.KEPT,
                affected=manual if unenrols_students else 0,
                option="unenrol_users" if unenrols_students else "",
                # The policy's rule and reason explain an unenrolment, never students who stay.
                rule=enrolment_rule.rule if enrolment_rule and unenrols_students else "",
                locked=enrolment_rule.locked if enrolment_rule and unenrols_students else False,
                reason=enrolment_rule.reason if enrolment_rule and unenrols_students else "",
            )
        )
    for role in inventory.roles:
        if role.roleid in reset.student_roles or not role.users:
            continue
        unenrolled = resets and role.roleid in reset.unenrolled_roles
        rows.append(
            ReviewRow(
                section=Section.PARTICIPANTS,
                subject=role.shortname,
                modname="",
                kind="role_holders",
                total=role.users,
                students=0,
                others=role.users,
                fate=Fate.UNENROLLED if unenrolled else Fate.KEPT,
                affected=role.users if unenrolled else 0,
                option="unenrol_users" if unenrolled else "",
            )
        )
    for change in reset.spec.adds_cohorts:
        members = reset.facts.cohort_sizes.get(change.cohort_idnumber, 0)
        rows.append(
            ReviewRow(
                section=Section.PARTICIPANTS,
                subject=change.cohort_idnumber,
                modname="",
                kind="cohort_students",
                total=members,
                students=members,
                others=0,
                fate=Fate.ADDED,
                affected=members,
                note="cohort_added",
            )
        )
    return rows


def _checklist_rows(inventory: CourseInventory) -> list[ReviewRow]:
    """One TO_CHECK row per reused activity whose type seed 001 lists settings to check for."""
    return [
        ReviewRow(
            section=Section.ACTIVITY,
            subject=module.name,
            modname=module.modname,
            kind="settings",
            total=0,
            students=0,
            others=0,
            fate=Fate.TO_CHECK,
            affected=1,
            note=f"check:{module.modname}",
        )
        for module in inventory.modules
        if settings_to_check(module.modname)
    ]


def _announcement_rows(reset: _Reset) -> list[ReviewRow]:
    """The announcement the request posts before the reset: one discussion of one post in the
    course's announcements forum (made for it when the course has none yet), which the reset
    deletes with that forum's other posts when its options say so."""
    if reset.spec.announcement is None:
        return []
    news = next((m for m in reset.inventory.modules if _is_news_forum(m, reset.facts)), None)
    rows = []
    for kind in ("discussions", "posts"):
        row = reset.row(
            section=Section.ACTIVITY,
            subject=news.name if news else "",
            modname="forum",
            scope="forum",
            kind=kind,
            count=_count(kind, 1),
            instance=news.instance if news else 0,
            forum_type="news",
        )
        rows.append(dataclasses.replace(row, note="announcement"))
    return rows


def _is_news_forum(module: InventoryModule, facts: ReviewFacts) -> bool:
    return module.modname == "forum" and facts.forum_types.get(module.instance) == "news"


def _warnings(reset: _Reset, rows: list[ReviewRow]) -> list[ReviewWarning]:
    inventory, spec, facts = reset.inventory, reset.spec, reset.facts
    warnings: list[ReviewWarning] = []
    if facts.open_request_holder:
        warnings.append(
            ReviewWarning("open_request", {"holder": facts.open_request_holder}, blocking=True)
        )
    if facts.backup_refused and spec.scenario in NEEDS_BACKUP:
        warnings.append(ReviewWarning("no_backup", {"detail": facts.backup_refused}, blocking=True))
    if spec.scenario == "restore_previous":
        content = [m for m in inventory.modules if not _is_news_forum(m, facts)]
        if content:
            warnings.append(
                ReviewWarning("restore_not_empty", {"modules": str(len(content))}, blocking=True)
            )
        if inventory.restore.restored:
            warnings.append(ReviewWarning("restore_already", blocking=True))
    if spec.scenario != "reuse_reset":
        return warnings
    # Seed 000, step 3: hold only the teacher role before a reset, or risk losing access.
    other_roles = sorted(set(facts.teacher_roles) - TEACHING_ROLES)
    if other_roles:
        warnings.append(ReviewWarning("other_role", {"roles": ", ".join(other_roles)}))
    if reset.student_roles & reset.unenrolled_roles:
        for enrolment in inventory.enrolments:
            if (
                enrolment.method == "cohort"
                and enrolment.users
                and enrolment.id not in reset.removed_instances
            ):
                cohort = enrolment.cohortidnumber or enrolment.cohortname
                warnings.append(
                    ReviewWarning("cohort_stays", {"users": str(enrolment.users), "cohort": cohort})
                )
    unresettable = sorted(
        m.name for m in inventory.modules if not m.resettable or m.modname in UNRESETTABLE_MODULES
    )
    if unresettable:
        warnings.append(ReviewWarning("not_resettable", {"names": ", ".join(unresettable)}))
    posts = sum(r.affected for r in rows if r.modname == "forum" and r.kind == "posts" and r.others)
    if posts and not spec.keep_copy:
        warnings.append(ReviewWarning("export_forum", {"posts": str(posts)}))
    grades = sum(r.affected for r in rows if r.section == Section.GRADEBOOK and r.kind == "grades")
    if grades and not spec.grade_export:
        warnings.append(ReviewWarning("grade_export", {"grades": str(grades)}))
    return warnings


def _scenario_rows(reset: _Reset, note: str) -> list[ReviewRow]:
    """Rows of a scenario that does not reset the course: every count stays where it is."""
    return [_kept(row, note) for row in _data_rows(reset)]


def review_course(
    *,
    inventory: CourseInventory,
    spec: RequestSpec,
    governed: Mapping[str, OptionRule],
    facts: ReviewFacts,
) -> CourseReview:
    """The review of one course for one request spec."""
    reset = _Reset(inventory=inventory, spec=spec, governed=governed, facts=facts)
    scenario = spec.scenario
    rows: list[ReviewRow]
    if scenario == "reuse_reset":
        rows = _data_rows(reset) + _announcement_rows(reset) + _participant_rows(reset, resets=True)
    elif scenario == "fresh_copy":
        rows = (
            _scenario_rows(reset, "scenario_fresh_copy")
            + _participant_rows(reset, resets=False)
            + _copy_teacher_rows(spec)
        )
    elif scenario == "restore_previous":
        rows = _restore_rows(reset) + _participant_rows(reset, resets=False)
    elif scenario == "hand_over":
        rows = _scenario_rows(reset, "scenario_hand_over") + _hand_over_rows(spec)
    else:
        rows = _scenario_rows(reset, "scenario_no_change")
    if scenario in REUSES_CONTENT and scenario != "restore_previous":
        rows += _checklist_rows(inventory)
    return CourseReview(
        course_moodle_id=inventory.course.id,
        shortname=inventory.course.shortname,
        fullname=inventory.course.fullname,
        scenario=scenario,
        rows=tuple(rows),
        warnings=tuple(_warnings(reset, rows)),
        generated_at=inventory.timegenerated,
        kept=(
            kept_counts(inventory, announced=spec.announcement is not None)
            if spec.keep_copy
            else {}
        ),
        dates=_course_dates(inventory, spec, facts),
        roles={role.roleid: role.shortname for role in inventory.roles},
    )


def _course_dates(
    inventory: CourseInventory, spec: RequestSpec, facts: ReviewFacts
) -> tuple[ReviewDate, ...]:
    """The course's start and end before and after (for a copy, the new course's); for a
    restore, when the backup restored was taken."""
    if spec.scenario == "restore_previous" and facts.restore_backup_at:
        return (ReviewDate("backup_restored", 0, facts.restore_backup_at),)
    if spec.scenario not in MOVES_DATES:
        return ()
    course = inventory.course
    start, end = dates_after(
        startdate=course.startdate, enddate=course.enddate, new_start=spec.new_start_date
    )
    return (
        ReviewDate("startdate", course.startdate, start),
        ReviewDate("enddate", course.enddate, end),
    )


def _restore_blocked(inventory: CourseInventory, facts: ReviewFacts) -> bool:
    """Passage restores only into an empty course never restored into (seed 003)."""
    content = [m for m in inventory.modules if not _is_news_forum(m, facts)]
    return bool(content) or inventory.restore.restored


def _restore_rows(reset: _Reset) -> list[ReviewRow]:
    assert reset.spec.restore is not None
    if _restore_blocked(reset.inventory, reset.facts):
        # The restore cannot run (its warning says why): nothing is deleted, nothing comes.
        return [_kept(row, "restore_blocked") for row in _data_rows(reset)]
    delete = reset.spec.restore.mode == "delete"
    rows = []
    for row in _data_rows(reset):
        if delete and row.section == Section.ACTIVITY:
            rows.append(
                ReviewRow(
                    **{
                        **row.to_json(),
                        "fate": Fate.DELETED,
                        "affected": row.total,
                        "option": "",
                        "rule": "",
                        "locked": False,
                        "reason": "",
                        "note": "restore_delete",
                    }
                )
            )
        else:
            rows.append(_kept(row, "restore_merge" if not delete else "scenario_restore"))
    rows.append(
        ReviewRow(
            section=Section.ACTIVITY,
            subject=reset.facts.source_label or str(reset.spec.restore.source_course_moodle_id),
            modname="",
            kind="activity",
            total=reset.facts.source_activities,
            students=0,
            others=0,
            fate=Fate.ADDED,
            affected=reset.facts.source_activities,
            note="restore_with_users" if reset.spec.restore.users else "scenario_restore",
        )
    )
    if reset.spec.restore.users:
        rows += restored_user_data_rows(reset.facts.restored_inventory)
    return rows


def restored_user_data_rows(restored: CourseInventory | None) -> list[ReviewRow]:
    """What a restore with user data brings back: the counts of the course when its backup was
    taken (the backup's inventory)."""
    if restored is None:
        return []

    def added(section: str, subject: str, modname: str, count: DataCount) -> ReviewRow:
        return ReviewRow(
            section=section,
            subject=subject,
            modname=modname,
            kind=count.kind,
            total=count.total,
            students=count.students,
            others=count.others,
            fate=Fate.ADDED,
            affected=count.total,
            note="restore_user_data",
        )

    rows = [
        added(Section.ACTIVITY, module.name, module.modname, count)
        for module in restored.modules
        for count in module.data
        if count.total
    ]
    book = restored.gradebook
    if book.grades:
        rows.append(
            added(Section.GRADEBOOK, "", "", _count("grades", book.grades, book.studentgrades))
        )
    students = {r.roleid for r in restored.roles if r.archetype == STUDENT_ARCHETYPE}
    for role in restored.roles:
        if role.users:
            count = DataCount(
                kind="role_holders",
                total=role.users,
                students=role.users if role.roleid in students else 0,
                others=0 if role.roleid in students else role.users,
            )
            rows.append(added(Section.PARTICIPANTS, role.shortname, "", count))
    return rows


def _teacher_role_row(username: str, *, fate: Fate, note: str) -> ReviewRow:
    """One person's teaching role in the course, given or taken away."""
    return ReviewRow(
        section=Section.PARTICIPANTS,
        subject=username,
        modname="",
        kind="teacher_role",
        total=1,
        students=0,
        others=1,
        fate=fate,
        affected=1,
        note=note,
    )


def _copy_teacher_rows(spec: RequestSpec) -> list[ReviewRow]:
    """Who teaches the new course: Moodle's copy enrols nobody, Passage enrols them."""
    assert spec.fresh_copy is not None
    return [
        _teacher_role_row(username, fate=Fate.ADDED, note="copy_teacher")
        for username in spec.fresh_copy.teachers
    ]


def _hand_over_rows(spec: RequestSpec) -> list[ReviewRow]:
    assert spec.hand_over is not None
    rows = [
        _teacher_role_row(
            spec.hand_over.successor_username, fate=Fate.ADDED, note="hand_over_successor"
        )
    ]
    if spec.hand_over.remove_own_role:
        rows.append(
            _teacher_role_row(
                spec.hand_over.own_username, fate=Fate.UNENROLLED, note="hand_over_own_role"
            )
        )
    return rows

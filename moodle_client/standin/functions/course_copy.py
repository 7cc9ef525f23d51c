"""core_course_duplicate_course and core_course_import_course, with the content copy they share
(what a same-site backup and restore carries over)."""

from __future__ import annotations

import copy
from dataclasses import replace
from typing import Any

from moodle_client.standin.functions.common import invalid_course_id, validate_course_context
from moodle_client.standin.functions.course import create_course
from moodle_client.standin.registry import (
    Call,
    Int,
    List,
    MoodleError,
    Str,
    Struct,
    missing_record_by_id,
    moodle_exception,
    webservice,
)
from moodle_client.standin.site import Course, CourseModule, Site, now

# Settings duplicate_course accepts (its $backupdefaults) and, of those, the ones that are not
# backup plan settings: naming them fails when the plan is built.
DUPLICATE_OPTIONS = (
    "activities",
    "blocks",
    "filters",
    "users",
    "enrolments",
    "role_assignments",
    "comments",
    "userscompletion",
    "logs",
    "grade_histories",
)
NOT_BACKUP_SETTINGS = ("enrolments",)
# What a backup takes when the caller does not say: the site's backup defaults, which include
# user data (backup_general_users = 1), not duplicate_course's documented users = 0.
SITE_BACKUP_DEFAULTS = {
    "activities": 1,
    "blocks": 1,
    "filters": 1,
    "users": 1,
    "role_assignments": 1,
    "comments": 1,
    "userscompletion": 1,
    "logs": 0,
    "grade_histories": 0,
}
IMPORT_OPTIONS = ("activities", "blocks", "filters")

OPTIONS = List(Struct({"name": Str("alphaext"), "value": Str()}), default=[])


def invalid_ext_param(name: str) -> MoodleError:
    return moodle_exception("invalidextparam", f"Invalid external api parameter: {name}")


def _settings(options: list[dict[str, Any]], allowed: tuple[str, ...]) -> dict[str, int]:
    settings: dict[str, int] = {}
    for option in options:
        value = option["value"].strip()
        if value not in ("0", "1") or option["name"] not in allowed:
            raise invalid_ext_param(option["name"])
        settings[option["name"]] = int(value)
    return settings


@webservice(
    "core_course_duplicate_course",
    params={
        "courseid": Int(),
        "fullname": Str("text"),
        "shortname": Str("text"),
        "categoryid": Int(),
        "visible": Int(default=1),
        "options": OPTIONS,
    },
)
def duplicate_course(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    """Copies a course into a new one. Options left out take the site's backup defaults, so a
    call without options copies enrolments and user data too."""
    site = call.site
    source = site.courses.get(params["courseid"])
    if source is None:
        raise invalid_course_id()
    category = site.categories.get(params["categoryid"])
    if category is None:
        raise missing_record_by_id("course_categories", params["categoryid"])
    validate_course_context(call, source)
    settings = _settings(params["options"], DUPLICATE_OPTIONS)
    call.require_capability("moodle/course:create", category.contextid)
    call.require_capability("moodle/restore:restorecourse", category.contextid)
    call.require_capability("moodle/backup:backupcourse", source.contextid)
    if settings.get("users"):
        call.require_capability("moodle/backup:userinfo", source.contextid)
    holders = [c.fullname for c in site.courses.values() if c.shortname == params["shortname"]]
    if holders:
        raise moodle_exception(
            "shortnametaken", f"Short name is already used for another course ({','.join(holders)})"
        )
    for name in settings:
        if name in NOT_BACKUP_SETTINGS:
            raise MoodleError(
                "base_plan_exception",
                "setting_by_name_not_found",
                "error/setting_by_name_not_found",
                name,
            )
    effective = {**SITE_BACKUP_DEFAULTS, **settings}
    target = create_course(
        site,
        {
            "fullname": params["fullname"],
            "shortname": params["shortname"],
            "categoryid": category.id,
            "numsections": 0,
            "format": source.format,
            "summary": source.summary,
            "summaryformat": source.summaryformat,
            "startdate": source.startdate,
            "enddate": source.enddate,
            "enablecompletion": source.enablecompletion,
            "newsitems": source.newsitems,
            "showgrades": source.showgrades,
            "visible": params["visible"],
        },
    )
    # The restore replaces the new course's default sections and instances by the backup's.
    for section_id in [s.id for s in site.sections.having("course", target.id)]:
        del site.sections[section_id]
    news = site.news_forum(target.id)
    if news is not None:
        site.delete_module(news.id)
    with_users = bool(effective["users"])
    if with_users:
        for instance_id in [i.id for i in site.enrol_instances.having("courseid", target.id)]:
            del site.enrol_instances[instance_id]
    copy_content(
        site,
        source,
        target,
        user_data=with_users,
        role_assignments=with_users and bool(effective["role_assignments"]),
        activities=bool(effective["activities"]),
    )
    # A backup always carries the groups; their members only come with the users.
    copy_groups(site, source, target, members=with_users)
    target.visible = params["visible"]
    return {"id": target.id, "shortname": target.shortname}


@webservice(
    "core_course_import_course",
    params={
        "importfrom": Int(),
        "importto": Int(),
        "deletecontent": Int(default=0),
        "options": OPTIONS,
    },
    returns_null=True,
)
def import_course(call: Call, params: dict[str, Any]) -> None:
    """Imports one course's activities into another, after emptying it with deletecontent=1.
    A course may be imported into itself: its activities are then doubled."""
    site = call.site
    if params["deletecontent"] not in (0, 1):
        raise invalid_ext_param(str(params["deletecontent"]))
    source = site.courses.get(params["importfrom"])
    target = site.courses.get(params["importto"])
    if source is None or target is None:
        raise invalid_course_id()
    validate_course_context(call, source)
    validate_course_context(call, target)
    settings = _settings(params["options"], IMPORT_OPTIONS)
    call.require_capability("moodle/backup:backupcourse", source.contextid)
    call.require_capability("moodle/restore:restorecourse", target.contextid)
    if params["deletecontent"]:
        for module in list(site.course_modules_of(target.id)):
            site.delete_module(module.id)
        for section_id in [s.id for s in site.sections.having("course", target.id)]:
            del site.sections[section_id]
    copy_content(
        site,
        source,
        target,
        user_data=False,
        role_assignments=False,
        activities=bool(settings.get("activities", 1)),
    )


def copy_content(
    site: Site,
    source: Course,
    target: Course,
    *,
    user_data: bool,
    role_assignments: bool,
    activities: bool,
) -> None:
    """Copies sections and modules (with files and grade items) of `source` into `target`,
    section by section number; with `user_data`, also enrolments, user data, grades and the
    course's calendar events."""
    modules = list(site.course_modules_of(source.id)) if activities else []
    sections = site.course_sections(source.id)
    for section in sections:
        if site.section_by_number(target.id, section.section) is None:
            site.add_section(
                target.id,
                section.section,
                name=section.name,
                summary=section.summary,
                summaryformat=section.summaryformat,
                visible=section.visible,
            )
    target.numsections = max(target.numsections, max((s.section for s in sections), default=0))
    cm_map: dict[int, int] = {}
    for module in modules:
        number = site.sections[module.section].section
        copied = copy_module(site, module, target.id, number)
        cm_map[module.id] = copied.id
    manual_items = [i for i in site.grade_items_of(source.id) if i.itemtype == "manual"]
    item_map: dict[int, int] = {}
    for item in site.grade_items_of(source.id):
        if item.itemtype == "mod" and item.cmid in cm_map:
            target_module = site.course_modules[cm_map[item.cmid]]
            new_item = site.add_grade_item(
                target.id,
                "mod",
                module=target_module,
                itemname=item.itemname,
                grademax=item.grademax,
                grademin=item.grademin,
                itemnumber=item.itemnumber,
            )
            item_map[item.id] = new_item.id
    for item in manual_items:
        new_item = site.add_grade_item(
            target.id,
            "manual",
            itemname=item.itemname,
            grademax=item.grademax,
            grademin=item.grademin,
        )
        item_map[item.id] = new_item.id
    if not user_data:
        return
    _copy_participants(site, source, target, role_assignments=role_assignments)
    for record in list(site.user_data_of(courseid=source.id)):
        if record.cmid and record.cmid not in cm_map:
            continue
        site.add_user_data(
            record.kind,
            courseid=target.id,
            userid=record.userid,
            cmid=cm_map.get(record.cmid, 0),
            timecreated=record.timecreated,
            itemid=record.itemid,
            groupid=record.groupid,
            data=copy.deepcopy(record.data),
        )
    for grade in [g for g in site.grades.values() if g.itemid in item_map]:
        site.set_grade(
            item_map[grade.itemid],
            grade.userid,
            grade.finalgrade,
            feedback=grade.feedback,
            usermodified=grade.usermodified,
        )
    for event in site.events.having("courseid", source.id):
        copied_event = replace(
            event, id=site.next_id("event"), courseid=target.id, timemodified=now()
        )
        site.events[copied_event.id] = copied_event


def copy_module(
    site: Site, module: CourseModule, courseid: int, section_number: int
) -> CourseModule:
    copied = site.add_module(
        courseid,
        module.modname,
        module.name,
        section=section_number,
        visible=module.visible,
        intro=module.intro,
        introformat=module.introformat,
        completion=module.completion,
        groupmode=module.groupmode,
        idnumber=module.idnumber,
        settings=copy.deepcopy(module.settings),
    )
    for stored in site.files.having("contextid", module.contextid):
        site.add_file(
            copied.contextid,
            stored.component,
            stored.filearea,
            stored.itemid,
            stored.filepath,
            stored.filename,
            stored.content,
            mimetype=stored.mimetype,
            userid=stored.userid,
            author=stored.author,
            license=stored.license,
            sortorder=stored.sortorder,
        )
    return copied


def _copy_participants(
    site: Site, source: Course, target: Course, *, role_assignments: bool
) -> None:
    instance_map: dict[int, int] = {}
    for instance in site.enrol_instances_of(source.id):
        copied = replace(instance, id=site.next_id("enrol"), courseid=target.id)
        site.enrol_instances[copied.id] = copied
        instance_map[instance.id] = copied.id
    for enrolment in [e for e in site.user_enrolments.values() if e.enrolid in instance_map]:
        site.add_user_enrolment(
            instance_map[enrolment.enrolid],
            enrolment.userid,
            status=enrolment.status,
            timestart=enrolment.timestart,
            timeend=enrolment.timeend,
        )
    if role_assignments:
        for assignment in [a for a in site.role_assignments.having("contextid", source.contextid)]:
            site.assign_role(
                assignment.roleid,
                assignment.userid,
                target.contextid,
                component=assignment.component,
                itemid=instance_map.get(assignment.itemid, 0),
            )


def copy_groups(site: Site, source: Course, target: Course, *, members: bool) -> None:
    """Copies the groups and groupings of `source` into `target`, with their members or
    empty."""
    group_map: dict[int, int] = {}
    for group in site.groups.having("courseid", source.id):
        copied_group = replace(
            group,
            id=site.next_id("groups"),
            courseid=target.id,
            members=list(group.members) if members else [],
        )
        site.groups[copied_group.id] = copied_group
        group_map[group.id] = copied_group.id
    for grouping in site.groupings.having("courseid", source.id):
        copied_grouping = replace(
            grouping,
            id=site.next_id("groupings"),
            courseid=target.id,
            groups=[group_map[g] for g in grouping.groups if g in group_map],
        )
        site.groupings[copied_grouping.id] = copied_grouping

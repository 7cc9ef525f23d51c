"""Restoring a stand-in `.mbz` into an existing course, as the plugin's restore runner does.

`delete` empties the course first (restore_dbops::delete_course_content: activities, sections,
gradebook items, calendar events), keeping its roles, enrolments, groups and groupings, as the
plugin asks; `merge` adds to what the course holds, so an activity that is already there is
there twice afterwards. Settings follow Moodle's restore plan: a setting the backup lacks
(users in a backup without users) stays off whatever is asked.
"""

from __future__ import annotations

import copy
from typing import Any

from moodle_client.standin.mbz import Backup
from moodle_client.standin.site import ROLE_STUDENT, Course, Group, Grouping, Site, User

MODE_DELETE = "delete"
MODE_MERGE = "merge"
RESTORE_SETTINGS = (
    "users",
    "enrolments",
    "role_assignments",
    "activities",
    "blocks",
    "filters",
    "comments",
    "badges",
    "calendarevents",
    "userscompletion",
    "logs",
    "grade_histories",
    "groups",
    "competencies",
    "customfield",
    "contentbank",
    "permissions",
    "keep_roles_and_enrolments",
    "keep_groups_and_groupings",
)
# What "delete, then restore" keeps of the target unless told otherwise (the plugin's defaults:
# the portal prepared the target's teachers, cohorts and groups).
KEEP_DEFAULTS = {"keep_roles_and_enrolments": True, "keep_groups_and_groupings": True}


def effective_settings(backup: Backup, asked: dict[str, str]) -> dict[str, bool]:
    """Each setting's value: the backup's own by default; on only if the backup has it."""
    settings: dict[str, bool] = {}
    for name, default in KEEP_DEFAULTS.items():
        wanted = asked.get(name)
        settings[name] = default if wanted is None else wanted not in ("", "0")
    for name in RESTORE_SETTINGS:
        if name in KEEP_DEFAULTS:
            continue
        in_backup = backup.settings.get(name, "1") != "0"
        if name in ("enrolments", "role_assignments", "userscompletion"):
            in_backup = in_backup and backup.settings.get("users") == "1"
        wanted = asked.get(name)
        settings[name] = in_backup and (wanted is None or wanted not in ("", "0"))
    if not settings["users"]:
        for name in ("enrolments", "role_assignments", "userscompletion", "comments", "logs"):
            settings[name] = False
    return settings


def course_delete_content(
    site: Site, course: Course, *, keep_enrolments: bool, keep_groups: bool
) -> None:
    """restore_dbops::delete_course_content(): the activities, sections, gradebook and events
    go; enrolments and groups too unless kept."""
    if not keep_enrolments:
        for instance in site.enrol_instances_of(course.id):
            for userid in [e.userid for e in site.user_enrolments.having("enrolid", instance.id)]:
                site.unenrol_user(instance, userid)
            del site.enrol_instances[instance.id]
    if not keep_groups:
        for group in site.groups.having("courseid", course.id):
            del site.groups[group.id]
        for grouping in site.groupings.having("courseid", course.id):
            del site.groupings[grouping.id]
    for module in site.course_modules_of(course.id):
        _delete_module_events(site, course, module.modname, module.instance)
        site.delete_module(module.id)
    for section in site.course_sections(course.id):
        if section.section > 0:
            del site.sections[section.id]
        else:
            section.summary = ""
            section.sequence.clear()
    for item in site.grade_items_of(course.id):
        if item.itemtype == "manual":
            site.delete_grade_item(item.id)
    for event_id in [e.id for e in site.events.having("courseid", course.id)]:
        del site.events[event_id]


def _delete_module_events(site: Site, course: Course, modname: str, instance: int) -> None:
    for event_id in [
        e.id
        for e in site.events.having("courseid", course.id)
        if e.modulename == modname and e.instance == instance
    ]:
        del site.events[event_id]


def restore_backup(
    site: Site, course: Course, backup: Backup, *, mode: str, asked: dict[str, str]
) -> None:
    settings = effective_settings(backup, asked)
    content = backup.course
    if mode == MODE_DELETE:
        course_delete_content(
            site,
            course,
            keep_enrolments=settings["keep_roles_and_enrolments"],
            keep_groups=settings["keep_groups_and_groupings"],
        )
    users = _restore_users(site, course, content) if settings["users"] else {}
    modules = _restore_activities(site, course, content) if settings["activities"] else {}
    instances = {old: site.course_modules[new].instance for old, new in modules.items()}
    groups = _restore_groups(site, course, content, users) if settings["groups"] else {}
    _restore_gradebook(site, course, content, modules, users)
    if settings["calendarevents"]:
        _restore_events(site, course, content, modules, instances, groups)
    if settings["users"]:
        _restore_user_data(site, course, content, modules, users, groups, settings)


def _restore_users(site: Site, course: Course, content: dict[str, Any]) -> dict[int, int]:
    """Backup user id -> site user id: a user with the same username is the same person."""
    mapping: dict[int, int] = {}
    for person in content["users"]:
        user: User | None = site.user_by_username(person["username"])
        if user is None:
            user = site.add_user(
                person["username"],
                person["firstname"],
                person["lastname"],
                email=person["email"],
                idnumber=person["idnumber"],
            )
        mapping[person["id"]] = user.id
    manual = next(iter(site.enrol_instances_of(course.id, "manual")), None)
    if manual is None:
        manual = site.add_enrol_instance(course.id, "manual", roleid=ROLE_STUDENT)
    roles: dict[int, list[int]] = {}
    for assignment in content["roles"]:
        roles.setdefault(assignment["userid"], []).append(assignment["roleid"])
    for old, new in mapping.items():
        if old not in roles:
            continue
        site.enrol_user(manual, new, roleid=0)
        for roleid in roles[old]:
            if roleid in site.roles:
                site.assign_role(roleid, new, course.contextid)
    return mapping


def _restore_activities(site: Site, course: Course, content: dict[str, Any]) -> dict[int, int]:
    """Backup cmid -> new cmid."""
    for section in content["sections"]:
        target = site.section_by_number(course.id, section["number"])
        if target is None:
            site.add_section(
                course.id,
                section["number"],
                name=section["name"],
                summary=section["summary"],
                visible=section["visible"],
            )
        elif not target.name or target.section == 0:
            target.name = section["name"] or target.name
            target.summary = target.summary or section["summary"]
    course.numsections = max(course.numsections, *(s["number"] for s in content["sections"]))
    mapping: dict[int, int] = {}
    for module in content["modules"]:
        restored = site.add_module(
            course.id,
            module["modname"],
            module["name"],
            section=module["section"],
            visible=module["visible"],
            intro=module["intro"],
            completion=module["completion"],
            groupmode=module["groupmode"],
            idnumber=module["idnumber"],
            settings=copy.deepcopy(module["settings"]),
        )
        mapping[module["cmid"]] = restored.id
    return mapping


def _restore_groups(
    site: Site, course: Course, content: dict[str, Any], users: dict[int, int]
) -> dict[int, int]:
    """Backup group id -> group id; a group of the same name is reused, as Moodle does."""
    existing = {g.name: g for g in site.groups.having("courseid", course.id)}
    mapping: dict[int, int] = {}
    for group in content["groups"]:
        target = existing.get(group["name"])
        if target is None:
            target = Group(
                id=site.next_id("groups"),
                courseid=course.id,
                name=group["name"],
                idnumber=group["idnumber"],
                description=group["description"],
            )
            site.groups[target.id] = target
        for member in group["members"]:
            userid = users.get(member)
            if userid is not None and userid not in target.members:
                target.members.append(userid)
        mapping[group["id"]] = target.id
    existing_groupings = {g.name: g for g in site.groupings.having("courseid", course.id)}
    for grouping in content["groupings"]:
        target_grouping = existing_groupings.get(grouping["name"])
        if target_grouping is None:
            target_grouping = Grouping(
                id=site.next_id("groupings"),
                courseid=course.id,
                name=grouping["name"],
                idnumber=grouping["idnumber"],
            )
            site.groupings[target_grouping.id] = target_grouping
        for old_group in grouping["groups"]:
            new_group = mapping.get(old_group)
            if new_group is not None and new_group not in target_grouping.groups:
                target_grouping.groups.append(new_group)
    return mapping


def _restore_gradebook(
    site: Site,
    course: Course,
    content: dict[str, Any],
    modules: dict[int, int],
    users: dict[int, int],
) -> None:
    manual_names = {i.itemname for i in site.grade_items_of(course.id) if i.itemtype == "manual"}
    items: dict[int, int] = {}
    for item in content["gradebook"]["items"]:
        fields = {
            "idnumber": "",
            "grademax": item["grademax"],
            "grademin": item["grademin"],
            "gradetype": item["gradetype"],
        }
        if item["itemtype"] == "mod" and item["cmid"] in modules:
            module = site.course_modules[modules[item["cmid"]]]
            restored = site.add_grade_item(
                course.id, "mod", itemname=item["itemname"], module=module, **fields
            )
        elif item["itemtype"] == "manual" and item["itemname"] not in manual_names:
            restored = site.add_grade_item(course.id, "manual", itemname=item["itemname"], **fields)
        else:
            continue
        items[item["id"]] = restored.id
    for grade in content["grades"]:
        if grade["itemid"] in items and grade["userid"] in users:
            site.set_grade(items[grade["itemid"]], users[grade["userid"]], grade["finalgrade"])


def _restore_events(
    site: Site,
    course: Course,
    content: dict[str, Any],
    modules: dict[int, int],
    instances: dict[int, int],
    groups: dict[int, int],
) -> None:
    by_instance = {
        (m["modname"], m["instance"]): instances[m["cmid"]]
        for m in content["modules"]
        if m["cmid"] in instances
    }
    for event in content["events"]:
        instance = 0
        if event["instance"]:
            found = by_instance.get((event["modulename"], event["instance"]))
            if found is None:
                continue
            instance = found
        if event["eventtype"] == "user":
            continue
        site.add_event(
            event["name"],
            eventtype=event["eventtype"],
            timestart=event["timestart"],
            timeduration=event["timeduration"],
            courseid=course.id,
            modulename=event["modulename"],
            instance=instance,
            description=event["description"],
            groupid=groups.get(event["groupid"], 0),
        )


def _restore_user_data(
    site: Site,
    course: Course,
    content: dict[str, Any],
    modules: dict[int, int],
    users: dict[int, int],
    groups: dict[int, int],
    settings: dict[str, bool],
) -> None:
    records: dict[int, int] = {}
    for record in content["userdata"]:
        if record["userid"] not in users:
            continue
        if record["cmid"] and record["cmid"] not in modules:
            continue
        if record["kind"] == "completions" and not settings["userscompletion"]:
            continue
        restored = site.add_user_data(
            record["kind"],
            courseid=course.id,
            userid=users[record["userid"]],
            cmid=modules.get(record["cmid"], 0),
            timecreated=record["timecreated"],
            itemid=records.get(record["itemid"], 0),
            groupid=groups.get(record["groupid"], 0),
            data=copy.deepcopy(record["data"]),
        )
        records[record["id"]] = restored.id

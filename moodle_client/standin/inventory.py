"""The companion plugin's course inventory: what a course holds and who left which data.

Every count splits into `students` (data whose author holds a student-archetype role in the
course, or no longer holds any role there: last year's students) and `others` (teachers,
managers...), so the portal's review can say what a reset will delete and what it keeps.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from moodle_client.standin.passage.operations import passage_state
from moodle_client.standin.site import (
    COMPLETION_KIND,
    MODULE_DATA_KINDS,
    NOT_RESETTABLE_MODULES,
    Course,
    EnrolInstance,
    Role,
    Site,
    now,
)

COURSE_KINDS = (
    "events",
    "notes",
    "comments",
    "coursecompletions",
    "blogassociations",
    "competencyratings",
)
# role_get_name() for the standard roles, as the English language pack names them.
ROLE_NAMES = {
    "manager": "Manager",
    "coursecreator": "Course creator",
    "editingteacher": "Teacher",
    "teacher": "Non-editing teacher",
    "student": "Student",
    "guest": "Guest",
    "user": "Authenticated user",
}
ENROL_PLUGIN_NAMES = {
    "manual": "Manual enrolments",
    "self": "Self enrolment",
    "guest": "Guest access",
    "cohort": "Cohort sync",
    "meta": "Course meta link",
}


def role_name(role: Role) -> str:
    return role.name or ROLE_NAMES.get(role.shortname, role.shortname)


def enrol_instance_name(site: Site, instance: EnrolInstance) -> str:
    """enrol_plugin::get_instance_name(): cohort sync names its cohort and role."""
    if instance.name:
        return instance.name
    plugin = ENROL_PLUGIN_NAMES.get(instance.enrol, instance.enrol)
    if instance.enrol == "cohort":
        cohort = site.cohorts.get(instance.customint1)
        if cohort is None:
            return plugin
        role = site.roles.get(instance.roleid)
        if role is None:
            return f"{plugin} ({cohort.name})"
        return f"{plugin} ({cohort.name} - {role_name(role)} ({role.shortname}))"
    return plugin


class _AuthorClassifier:
    """Whether the author of a piece of data counts as a student in the course."""

    def __init__(self, site: Site, course: Course) -> None:
        self.site = site
        self.course = course
        self._cache: dict[int, bool] = {}

    def is_student(self, userid: int) -> bool:
        if userid not in self._cache:
            self._cache[userid] = self.site.is_student(userid, self.course.id)
        return self._cache[userid]

    def count(self, kind: str, authors: Iterable[int]) -> dict[str, Any]:
        students = others = 0
        for userid in authors:
            # Data nobody wrote (userid 0: a course event the system made) is not students'.
            if userid and self.is_student(userid):
                students += 1
            else:
                others += 1
        return {"kind": kind, "total": students + others, "students": students, "others": others}


def course_inventory(site: Site, course: Course) -> dict[str, Any]:
    classifier = _AuthorClassifier(site, course)
    authors_by_cm_kind: dict[tuple[int, str], list[int]] = {}
    course_authors: dict[str, list[int]] = {}
    for record in site.user_data.having("courseid", course.id):
        if record.cmid:
            authors_by_cm_kind.setdefault((record.cmid, record.kind), []).append(record.userid)
        else:
            course_authors.setdefault(record.kind, []).append(record.userid)
    course_authors["events"] = [e.userid for e in site.events.having("courseid", course.id)]

    sections = {s.id: s.section for s in site.course_sections(course.id)}
    modules = []
    for module in site.course_modules_of(course.id):
        kinds = (*MODULE_DATA_KINDS.get(module.modname, ()), COMPLETION_KIND)
        modules.append(
            {
                "cmid": module.id,
                "modname": module.modname,
                "instance": module.instance,
                "name": module.name,
                "section": sections.get(module.section, 0),
                "visible": bool(module.visible),
                "resettable": module.modname not in NOT_RESETTABLE_MODULES,
                "data": [
                    classifier.count(kind, authors_by_cm_kind.get((module.id, kind), []))
                    for kind in kinds
                ],
            }
        )
    category = site.categories.get(course.category)
    restore = passage_state(site).restores.get(course.id)
    return {
        "course": {
            "id": course.id,
            "shortname": course.shortname,
            "fullname": course.fullname,
            "idnumber": course.idnumber,
            "categoryid": course.category,
            "categoryname": category.name if category else "",
            "startdate": course.startdate,
            "enddate": course.enddate,
            "visible": bool(course.visible),
            "format": course.format,
        },
        "modules": modules,
        "coursedata": [classifier.count(k, course_authors.get(k, [])) for k in COURSE_KINDS],
        "enrolments": _enrolments(site, course),
        "roles": _roles(site, course),
        "groups": [
            {"id": g.id, "name": g.name, "idnumber": g.idnumber, "members": len(g.members)}
            for g in sorted(site.groups.having("courseid", course.id), key=lambda g: g.id)
        ],
        "groupings": [
            {"id": g.id, "name": g.name, "groups": len(g.groups)}
            for g in sorted(site.groupings.having("courseid", course.id), key=lambda g: g.id)
        ],
        "gradebook": _gradebook(site, course, classifier),
        "restore": {
            "restored": restore is not None,
            "timerestored": restore.timerestored if restore else 0,
            "operationid": restore.operationid if restore else 0,
        },
        "timegenerated": now(),
    }


def _enrolments(site: Site, course: Course) -> list[dict[str, Any]]:
    answer = []
    for instance in site.enrol_instances_of(course.id):
        role = site.roles.get(instance.roleid)
        cohort = site.cohorts.get(instance.customint1) if instance.enrol == "cohort" else None
        users = len(site.user_enrolments.having("enrolid", instance.id))
        answer.append(
            {
                "id": instance.id,
                "method": instance.enrol,
                "name": enrol_instance_name(site, instance),
                "status": instance.status,
                "roleid": instance.roleid,
                "roleshortname": role.shortname if role else "",
                "cohortid": cohort.id if cohort else 0,
                "cohortidnumber": cohort.idnumber if cohort else "",
                "cohortname": cohort.name if cohort else "",
                "groupid": instance.customint2 if instance.enrol in ("cohort", "meta") else 0,
                "users": users,
            }
        )
    return answer


def _roles(site: Site, course: Course) -> list[dict[str, Any]]:
    holders: dict[int, set[int]] = {}
    for assignment in site.role_assignments.having("contextid", course.contextid):
        holders.setdefault(assignment.roleid, set()).add(assignment.userid)
    return [
        {
            "roleid": role.id,
            "shortname": role.shortname,
            "archetype": role.archetype,
            "users": len(holders[role.id]),
        }
        for role in sorted(site.roles.values(), key=lambda r: (r.sortorder, r.id))
        if role.id in holders
    ]


def _gradebook(site: Site, course: Course, classifier: _AuthorClassifier) -> dict[str, int]:
    items = site.grade_items_of(course.id)
    graded = [
        g for i in items for g in site.grades.having("itemid", i.id) if g.finalgrade is not None
    ]
    return {
        "categories": len(site.grade_categories.having("courseid", course.id)),
        "manualitems": sum(1 for i in items if i.itemtype == "manual"),
        "activityitems": sum(1 for i in items if i.itemtype == "mod"),
        "grades": len(graded),
        "studentgrades": sum(1 for g in graded if classifier.is_student(g.userid)),
    }

"""How core_course functions export a course: the three record formats of the recordings
(core_course_get_courses, the course_in_list format of get_courses_by_field/search_courses,
and core_enrol_get_users_courses)."""

from __future__ import annotations

from typing import Any

from moodle_client.standin.functions.common import course_image_url
from moodle_client.standin.site import (
    ENROL_ENABLED,
    ROLE_EDITINGTEACHER,
    SITE_COURSE_ID,
    Course,
    Site,
)

FILTERS = [
    "displayh5p",
    "activitynames",
    "mathjaxloader",
    "emoticon",
    "urltolink",
    "mediaplugin",
]


def format_options(course: Course) -> list[dict[str, Any]]:
    if course.format == "site":
        return [{"name": "numsections", "value": course.numsections}]
    return [
        {"name": "hiddensections", "value": course.hiddensections},
        {"name": "coursedisplay", "value": course.coursedisplay},
    ]


def course_record(site: Site, course: Course) -> dict[str, Any]:
    """core_course_get_courses' format."""
    category = site.categories.get(course.category)
    record: dict[str, Any] = {
        "id": course.id,
        "shortname": course.shortname,
        "categoryid": course.category,
        "categorysortorder": category.sortorder if category else 0,
        "fullname": course.fullname,
        "displayname": course.fullname,
        "idnumber": course.idnumber,
        "summary": course.summary,
        "summaryformat": course.summaryformat,
        "format": course.format,
        "showgrades": course.showgrades,
        "newsitems": course.newsitems,
        "startdate": course.startdate,
        "enddate": course.enddate,
        "numsections": course.numsections,
        "maxbytes": course.maxbytes,
        "showreports": course.showreports,
        "visible": course.visible,
        "hiddensections": course.hiddensections,
        "groupmode": course.groupmode,
        "groupmodeforce": course.groupmodeforce,
        "defaultgroupingid": course.defaultgroupingid,
        "timecreated": course.timecreated,
        "timemodified": course.timemodified,
        "enablecompletion": course.enablecompletion,
        "completionnotify": course.completionnotify,
        "lang": course.lang,
        "forcetheme": course.forcetheme,
        "courseformatoptions": format_options(course),
        "showactivitydates": course.showactivitydates,
        "showcompletionconditions": course.showcompletionconditions,
    }
    if course.format == "site":
        del record["hiddensections"]
    return record


def contacts(site: Site, course: Course) -> list[dict[str, Any]]:
    """Course contacts: the editing teachers ($CFG->coursecontact)."""
    found: list[dict[str, Any]] = []
    in_course = site.role_assignments.having("contextid", course.contextid)
    for assignment in sorted(in_course, key=lambda a: a.id):
        if assignment.roleid == ROLE_EDITINGTEACHER:
            user = site.users.get(assignment.userid)
            if user is not None and not any(c["id"] == user.id for c in found):
                found.append({"id": user.id, "fullname": user.fullname})
    return found


def enrolment_methods(site: Site, course: Course) -> list[str]:
    methods: list[str] = []
    for instance in site.enrol_instances_of(course.id):
        if instance.status == ENROL_ENABLED and instance.enrol not in methods:
            methods.append(instance.enrol)
    return methods


def course_in_list(site: Site, course: Course) -> dict[str, Any]:
    """The summary of get_courses_by_field and search_courses."""
    category = site.categories.get(course.category)
    return {
        "id": course.id,
        "fullname": course.fullname,
        "displayname": course.fullname,
        "shortname": course.shortname,
        "courseimage": course_image_url(site, course),
        "categoryid": course.category,
        "categoryname": category.name if category else "",
        "sortorder": course.sortorder,
        "summary": course.summary,
        "summaryformat": course.summaryformat,
        "summaryfiles": [],
        "overviewfiles": [],
        "showactivitydates": course.showactivitydates,
        "showcompletionconditions": (
            None if course.id == SITE_COURSE_ID else course.showcompletionconditions
        ),
        "contacts": contacts(site, course),
        "enrollmentmethods": enrolment_methods(site, course),
    }


def course_by_field(site: Site, course: Course, *, can_update: bool) -> dict[str, Any]:
    """get_courses_by_field's format; managers see a few more fields."""
    record = course_in_list(site, course)
    if can_update:
        record["idnumber"] = course.idnumber
    record.update(
        {
            "format": course.format,
            "showgrades": course.showgrades,
            "newsitems": course.newsitems,
            "startdate": course.startdate,
            "enddate": course.enddate,
            "maxbytes": course.maxbytes,
            "showreports": course.showreports,
            "visible": course.visible,
            "groupmode": course.groupmode,
            "groupmodeforce": course.groupmodeforce,
            "defaultgroupingid": course.defaultgroupingid,
            "enablecompletion": course.enablecompletion,
            "completionnotify": course.completionnotify,
            "lang": course.lang,
            "theme": course.forcetheme,
            "marker": 0,
        }
    )
    if can_update:
        record.update(
            {
                "legacyfiles": 0,
                "calendartype": "",
                "timecreated": course.timecreated,
                "timemodified": course.timemodified,
                "requested": 0,
                "cacherev": course.timemodified,
            }
        )
    record["filters"] = [{"filter": name, "localstate": 0, "inheritedstate": 1} for name in FILTERS]
    if course.format != "site":
        record["courseformatoptions"] = format_options(course)
    return record

"""core_course: listing, searching, creating, updating and deleting courses."""

from __future__ import annotations

import re
from typing import Any

from moodle_client.standin.functions.course_format import (
    course_by_field,
    course_in_list,
    course_record,
)
from moodle_client.standin.registry import (
    Call,
    Int,
    List,
    MoodleError,
    Str,
    Struct,
    invalid_parameter,
    moodle_exception,
    webservice,
)
from moodle_client.standin.site import (
    ENROL_DISABLED,
    SITE_COURSE_ID,
    SYSTEM_CONTEXT_ID,
    Course,
    Site,
    now,
)

DEFAULT_NUMSECTIONS = 4


def shortname_taken(name: str) -> MoodleError:
    return moodle_exception(
        "shortnametaken", f"Short name is already used for another course ({name})"
    )


def idnumber_taken(idnumber: str) -> MoodleError:
    return moodle_exception(
        "courseidnumbertaken", f"ID number is already used for another course ({idnumber})"
    )


def course_with_shortname(site: Site, shortname: str, *, other_than: int = 0) -> Course | None:
    for course in site.courses.values():
        if course.shortname == shortname and course.id != other_than:
            return course
    return None


def _idnumber_used(site: Site, idnumber: str, *, other_than: int = 0) -> bool:
    return bool(idnumber) and any(
        c.idnumber == idnumber and c.id != other_than for c in site.courses.values()
    )


def courses_sorted(site: Site) -> list[Course]:
    return sorted(site.courses.values(), key=lambda c: (c.id != SITE_COURSE_ID, c.sortorder, c.id))


@webservice(
    "core_course_get_courses",
    params={"options": Struct({"ids": List(Int(), required=False)}, default={})},
    read_only=True,
)
def get_courses(call: Call, params: dict[str, Any]) -> list[dict[str, Any]]:
    """Every course (site course included) or those of `options[ids]`."""
    site = call.site
    wanted = params["options"].get("ids")
    if wanted is None:
        courses = courses_sorted(site)
    else:
        courses = [site.courses[i] for i in dict.fromkeys(wanted) if i in site.courses]
    answer = []
    for course in courses:
        if not call.site.can_access_course(call.user.id, course.id):
            raise moodle_exception(
                "errorcoursecontextnotvalid",
                f"You cannot execute functions in the course context (course id:{course.id}). "
                "The context error message was: Course or activity not accessible.",
            )
        if course.id != SITE_COURSE_ID:
            call.require_capability("moodle/course:view", course.contextid)
        answer.append(course_record(site, course))
    return answer


BY_FIELD_FIELDS = ("id", "ids", "shortname", "idnumber", "category", "sectionid")


# Every key of get_courses_by_field's course structure, in order; those a course lacks
# appear in XML answers as null (or an empty list).
BY_FIELD_KEYS = (
    "id",
    "fullname",
    "displayname",
    "shortname",
    "courseimage",
    "categoryid",
    "categoryname",
    "sortorder",
    "summary",
    "summaryformat",
    "summaryfiles",
    "overviewfiles",
    "showactivitydates",
    "showcompletionconditions",
    "contacts",
    "enrollmentmethods",
    "customfields",
    "idnumber",
    "format",
    "showgrades",
    "newsitems",
    "startdate",
    "enddate",
    "maxbytes",
    "showreports",
    "visible",
    "groupmode",
    "groupmodeforce",
    "defaultgroupingid",
    "enablecompletion",
    "completionnotify",
    "lang",
    "theme",
    "marker",
    "legacyfiles",
    "calendartype",
    "timecreated",
    "timemodified",
    "requested",
    "cacherev",
    "filters",
    "courseformatoptions",
    "communicationroomname",
    "communicationroomurl",
)
BY_FIELD_LIST_KEYS = frozenset(
    {
        "summaryfiles",
        "overviewfiles",
        "contacts",
        "enrollmentmethods",
        "customfields",
        "filters",
        "courseformatoptions",
    }
)


def _by_field_xml(answer: dict[str, Any]) -> dict[str, Any]:
    return {
        "courses": [
            {
                key: course.get(key, [] if key in BY_FIELD_LIST_KEYS else None)
                for key in BY_FIELD_KEYS
            }
            for course in answer["courses"]
        ],
        "warnings": answer["warnings"],
    }


@webservice(
    "core_course_get_courses_by_field",
    params={"field": Str("alpha", default=""), "value": Str(default="")},
    read_only=True,
    xml_answer=_by_field_xml,
)
def get_courses_by_field(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    """Courses of the catalogue (visible ones, hidden ones for those allowed) whose `field`
    matches `value`; no field: all of them, the site course included."""
    site = call.site
    field, value = params["field"], params["value"]
    if field and field not in BY_FIELD_FIELDS:
        raise invalid_parameter("Invalid field name")
    courses = courses_sorted(site)
    if field == "id":
        wanted_id = _clean_int(value)
        courses = [c for c in courses if c.id == wanted_id]
    elif field == "ids":
        ids = {_clean_int(part) for part in value.split(",")}
        courses = [c for c in courses if c.id in ids]
    elif field == "shortname":
        courses = [c for c in courses if c.shortname == value]
    elif field == "idnumber":
        courses = [c for c in courses if value and c.idnumber == value]
    elif field == "category":
        wanted_category = _clean_int(value)
        courses = [c for c in courses if c.category == wanted_category]
    elif field == "sectionid":
        section = site.sections.get(_clean_int(value))
        courses = [c for c in courses if section is not None and c.id == section.course]
    answer = []
    for course in courses:
        # The course catalogue: every visible course, hidden ones for those who may see them.
        if not course.visible and not site.has_capability(
            call.user.id, "moodle/course:viewhiddencourses", course.contextid
        ):
            continue
        can_update = site.has_capability(call.user.id, "moodle/course:update", course.contextid)
        answer.append(course_by_field(site, course, can_update=can_update))
    return {"courses": answer, "warnings": []}


def _clean_int(value: str) -> int:
    """PHP's (int) cast: leading digits, else 0."""
    match = re.match(r"\s*[+-]?[0-9]+", value)
    return int(match.group()) if match else 0


@webservice(
    "core_course_search_courses",
    params={
        "criterianame": Str("alpha"),
        "criteriavalue": Str(),
        "page": Int(default=0),
        "perpage": Int(default=0),
        "requiredcapabilities": List(Str(), default=[]),
        "limittoenrolled": Int(default=0),
        "onlywithcompletion": Int(default=0),
    },
    read_only=True,
)
def search_courses(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    """Courses matching a text (`search`) or holding a module type (`modulelist`)."""
    site = call.site
    name, value = params["criterianame"], params["criteriavalue"]
    allowed = ("search", "modulelist", "blocklist", "tagid")
    if name not in allowed:
        raise invalid_parameter(
            f"Invalid value for criterianame parameter (value: {name}),allowed values are: "
            + ",".join(allowed)
        )
    if name in ("modulelist", "blocklist"):
        call.require_capability("moodle/site:config", SYSTEM_CONTEXT_ID)
    candidates = [c for c in courses_sorted(site) if c.id != SITE_COURSE_ID]
    if name == "search":
        words = value.lower().split()
        candidates = [
            c
            for c in candidates
            if all(
                w in f"{c.fullname} {c.shortname} {c.idnumber} {c.summary}".lower() for w in words
            )
        ]
    elif name == "modulelist":
        candidates = [
            c for c in candidates if any(m.modname == value for m in site.course_modules_of(c.id))
        ]
    else:
        candidates = []
    if params["limittoenrolled"]:
        candidates = [c for c in candidates if site.is_enrolled(c.id, call.user.id)]
    candidates = [c for c in candidates if site.can_access_course(call.user.id, c.id) or c.visible]
    total = len(candidates)
    if params["perpage"]:
        start = params["page"] * params["perpage"]
        candidates = candidates[start : start + params["perpage"]]
    return {
        "total": total,
        "courses": [course_in_list(site, c) for c in candidates],
        "warnings": [],
    }


COURSE_FIELDS: dict[str, Any] = {
    "fullname": Str("text", required=False),
    "shortname": Str("text", required=False),
    "categoryid": Int(required=False),
    "idnumber": Str(required=False),
    "summary": Str(required=False),
    "summaryformat": Int(required=False),
    "format": Str("plugin", required=False),
    "showgrades": Int(required=False),
    "newsitems": Int(required=False),
    "startdate": Int(required=False),
    "enddate": Int(required=False),
    "numsections": Int(required=False),
    "maxbytes": Int(required=False),
    "showreports": Int(required=False),
    "visible": Int(required=False),
    "hiddensections": Int(required=False),
    "groupmode": Int(required=False),
    "groupmodeforce": Int(required=False),
    "defaultgroupingid": Int(required=False),
    "enablecompletion": Int(required=False),
    "completionnotify": Int(required=False),
    "lang": Str("lang", required=False),
    "forcetheme": Str("theme", required=False),
    "courseformatoptions": List(Struct({"name": Str("alpha"), "value": Str()}), required=False),
    "customfields": List(Struct({"shortname": Str("alphanumext"), "value": Str()}), required=False),
}
# Course formats whose course page shows the announcements (supports_news()).
NEWS_FORMATS = frozenset({"topics", "weeks"})
SIMPLE_COURSE_FIELDS = (
    "fullname",
    "shortname",
    "idnumber",
    "summary",
    "summaryformat",
    "format",
    "showgrades",
    "newsitems",
    "startdate",
    "enddate",
    "maxbytes",
    "showreports",
    "visible",
    "groupmode",
    "groupmodeforce",
    "defaultgroupingid",
    "enablecompletion",
    "completionnotify",
    "lang",
    "forcetheme",
    "hiddensections",
)


def _apply_fields(course: Course, fields: dict[str, Any]) -> None:
    for name in SIMPLE_COURSE_FIELDS:
        if name in fields:
            setattr(course, name, fields[name])
    for option in fields.get("courseformatoptions", []):
        if option["name"] in ("hiddensections", "coursedisplay") and option["value"].isdigit():
            setattr(course, option["name"], int(option["value"]))


@webservice(
    "core_course_create_courses",
    params={
        "courses": List(
            Struct(
                {
                    **COURSE_FIELDS,
                    "fullname": Str("text"),
                    "shortname": Str("text"),
                    "categoryid": Int(),
                    "summaryformat": Int(default=1),
                    "format": Str("plugin", default="topics"),
                }
            )
        )
    },
)
def create_courses(call: Call, params: dict[str, Any]) -> list[dict[str, Any]]:
    """Creates every course, or none when one of them fails."""
    site = call.site
    planned_shortnames: set[str] = set()
    planned_idnumbers: set[str] = set()
    for wanted in params["courses"]:
        category = site.categories.get(wanted["categoryid"])
        if category is None:
            raise moodle_exception(
                "errorcatcontextnotvalid",
                "You cannot execute functions in the category context (category id: "
                f"{wanted['categoryid']}). The context error message was: ",
            )
        call.require_capability("moodle/course:create", category.contextid)
        if course_with_shortname(site, wanted["shortname"]) or (
            wanted["shortname"] in planned_shortnames
        ):
            raise shortname_taken(wanted["shortname"])
        idnumber = wanted.get("idnumber", "")
        if _idnumber_used(site, idnumber) or (idnumber and idnumber in planned_idnumbers):
            raise idnumber_taken(idnumber)
        planned_shortnames.add(wanted["shortname"])
        if idnumber:
            planned_idnumbers.add(idnumber)
    created = []
    for wanted in params["courses"]:
        course = create_course(site, wanted)
        created.append({"id": course.id, "shortname": course.shortname})
    return created


def _shows_news(course: Course) -> bool:
    """Whether mod_forum's course_created/course_updated observer makes the course's
    announcements forum: its format shows news and it has news items to show."""
    return course.format in NEWS_FORMATS and course.newsitems > 0


def create_course(site: Site, fields: dict[str, Any]) -> Course:
    """A new course at the end of its category, with its sections, manual, guest and self
    enrolment instances (as a fresh Moodle 5.0 adds them) and, when it shows news items, its
    announcements forum."""
    category = fields["categoryid"]
    sortorder = (
        category * 10000 + 1 + sum(1 for c in site.courses.values() if c.category == category)
    )
    course = site.add_course(
        fields["shortname"],
        fields["fullname"],
        category=category,
        numsections=fields.get("numsections", DEFAULT_NUMSECTIONS),
        sortorder=sortorder,
        news_forum=False,
    )
    _apply_fields(course, fields)
    course.timecreated = course.timemodified = now()
    if _shows_news(course):
        site.course_news_forum(course.id)
    site.add_enrol_instance(course.id, "manual", sortorder=0)
    site.add_enrol_instance(course.id, "guest", status=ENROL_DISABLED, roleid=0, sortorder=1)
    site.add_enrol_instance(course.id, "self", status=ENROL_DISABLED, sortorder=2)
    return course


@webservice(
    "core_course_update_courses",
    params={"courses": List(Struct({"id": Int(), **COURSE_FIELDS}))},
)
def update_courses(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    """Updates each course; a course that cannot be updated gives a warning."""
    warnings = []
    for wanted in params["courses"]:
        try:
            _update_course(call, wanted)
        except MoodleError as error:
            warnings.append(
                {
                    "item": "course",
                    "itemid": wanted["id"],
                    "warningcode": error.errorcode,
                    "message": error.message,
                }
            )
    return {"warnings": warnings}


def _update_course(call: Call, wanted: dict[str, Any]) -> None:
    site = call.site
    course = site.courses.get(wanted["id"])
    if course is None:
        raise moodle_exception_missing_record()
    call.require_capability("moodle/course:update", course.contextid)
    if "shortname" in wanted and course_with_shortname(
        site, wanted["shortname"], other_than=course.id
    ):
        raise shortname_taken(wanted["shortname"])
    if _idnumber_used(site, wanted.get("idnumber", ""), other_than=course.id):
        raise idnumber_taken(wanted["idnumber"])
    if "categoryid" in wanted and wanted["categoryid"] != course.category:
        category = site.categories.get(wanted["categoryid"])
        if category is None:
            raise moodle_exception("unknowcategory", "Unknown category")
        site.move_context(course.contextid, category.contextid)
        course.category = category.id
    if "numsections" in wanted:
        for number in range(course.numsections + 1, wanted["numsections"] + 1):
            if site.section_by_number(course.id, number) is None:
                site.add_section(course.id, number)
        course.numsections = wanted["numsections"]
    _apply_fields(course, wanted)
    course.timemodified = now()
    if _shows_news(course):
        site.course_news_forum(course.id)


def moodle_exception_missing_record() -> MoodleError:
    return MoodleError(
        "dml_missing_record_exception",
        "invalidrecordunknown",
        "Can't find data record in database.",
    )


@webservice("core_course_delete_courses", params={"courseids": List(Int())})
def delete_courses(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    """Deletes courses with everything in them; unknown ids and courses the user may not
    delete give warnings."""
    site = call.site
    warnings = []
    for courseid in params["courseids"]:
        course = site.courses.get(courseid)
        if course is None:
            warnings.append(
                {
                    "item": "course",
                    "itemid": courseid,
                    "warningcode": "unknowncourseidnumber",
                    "message": f"Unknown course ID {courseid}",
                }
            )
            continue
        allowed = courseid != SITE_COURSE_ID and site.has_capability(
            call.user.id, "moodle/course:delete", course.contextid
        )
        if not allowed:
            warnings.append(
                {
                    "item": "course",
                    "itemid": courseid,
                    "warningcode": "cannotdeletecourse",
                    "message": f"You don't have the permission to delete the course id: {courseid}",
                }
            )
            continue
        delete_course(site, course)
    return {"warnings": warnings}


def delete_course(site: Site, course: Course) -> None:
    """Removes a course and every record that belongs to it."""
    for module in site.course_modules_of(course.id):
        site.delete_module(module.id)
    for module_id in [m.id for m in site.course_modules.having("course", course.id)]:
        site.delete_module(module_id)
    for section_id in [s.id for s in site.sections.having("course", course.id)]:
        del site.sections[section_id]
    instance_ids = {i.id for i in site.enrol_instances.having("courseid", course.id)}
    for enrolment_id in [e.id for e in site.user_enrolments.values() if e.enrolid in instance_ids]:
        del site.user_enrolments[enrolment_id]
    for instance_id in instance_ids:
        del site.enrol_instances[instance_id]
    contexts = {course.contextid, *site.child_context_ids(course.contextid)}
    for assignment_id in [a.id for a in site.role_assignments.values() if a.contextid in contexts]:
        del site.role_assignments[assignment_id]
    for table in (site.groups, site.groupings):
        for record_id in [r.id for r in table.having("courseid", course.id)]:
            del table[record_id]
    site.delete_user_data(list(site.user_data_of(courseid=course.id)))
    for event_id in [e.id for e in site.events.having("courseid", course.id)]:
        del site.events[event_id]
    for item in site.grade_items.having("courseid", course.id):
        site.delete_grade_item(item.id)
    for category_id in [c.id for c in site.grade_categories.having("courseid", course.id)]:
        del site.grade_categories[category_id]
    for contextid in contexts:
        site.delete_files(contextid=contextid)
        site.contexts.pop(contextid, None)
    del site.courses[course.id]

"""core_enrol, enrol_manual and enrol_meta: who is enrolled where, and enrolling."""

from __future__ import annotations

from typing import Any

from moodle_client.standin.functions.common import (
    course_image_url,
    course_or_missing,
    user_picture_url,
    validate_course_context,
)
from moodle_client.standin.functions.role import assignable_roles
from moodle_client.standin.registry import (
    Bool,
    Call,
    Int,
    List,
    Str,
    Struct,
    invalid_parameter,
    moodle_exception,
    webservice,
)
from moodle_client.standin.site import (
    ENROL_ENABLED,
    ENROL_USER_ACTIVE,
    ENROL_USER_SUSPENDED,
    Course,
    EnrolInstance,
    Role,
    Site,
    User,
    now,
)

ALWAYS_SHOWN = ("id", "username", "fullname")


def active_courses_by_user(site: Site) -> dict[int, list[Course]]:
    """User id -> the courses where the user has an active enrolment, from one pass over the
    enrolments (listing many users' courses stays fast on a big site)."""
    found: dict[int, set[int]] = {}
    for enrolment in site.user_enrolments.values():
        instance = site.enrol_instances.get(enrolment.enrolid)
        if instance is not None and site.enrolment_is_active(instance, enrolment):
            found.setdefault(enrolment.userid, set()).add(instance.courseid)
    ordered = sorted(site.courses.values(), key=lambda c: (c.sortorder, c.id))
    return {userid: [c for c in ordered if c.id in ids] for userid, ids in found.items()}


def user_details(
    site: Site,
    user: User,
    course: Course,
    caller: User,
    fields: set[str] | None,
    active_courses: dict[int, list[Course]],
    roles: list[Role],
) -> dict[str, Any]:
    """user_get_user_details() as core_enrol_get_enrolled_users returns it; `fields` limits
    the answer to the named fields (id, username and fullname always come)."""

    def wanted(name: str) -> bool:
        return fields is None or name in fields or name in ALWAYS_SHOWN

    record: dict[str, Any] = {}
    values: list[tuple[str, Any]] = [
        ("id", user.id),
        ("username", user.username),
        ("firstname", user.firstname),
        ("lastname", user.lastname),
        ("fullname", user.fullname),
        ("email", user.email),
        ("department", user.department),
    ]
    for name, value in values:
        if wanted(name):
            record[name] = value
    if user.idnumber and wanted("idnumber"):
        record["idnumber"] = user.idnumber
    for name, value in (
        ("firstaccess", user.firstaccess),
        ("lastaccess", user.lastaccess),
        ("lastcourseaccess", 0),
    ):
        if wanted(name):
            record[name] = value
    if wanted("profileimageurlsmall"):
        record["profileimageurlsmall"] = user_picture_url(site, "f2")
    if wanted("profileimageurl"):
        record["profileimageurl"] = user_picture_url(site, "f1")
    if wanted("groups"):
        groups = [
            {
                "id": g.id,
                "name": g.name,
                "description": g.description,
                "descriptionformat": g.descriptionformat,
            }
            for g in sorted(site.groups.having("courseid", course.id), key=lambda g: g.id)
            if user.id in g.members
        ]
        if groups:
            record["groups"] = groups
    if wanted("roles"):
        record["roles"] = [
            {"roleid": r.id, "name": r.name, "shortname": r.shortname, "sortorder": 0}
            for r in roles
        ]
    if wanted("enrolledcourses"):
        courses = [
            {"id": c.id, "fullname": c.fullname, "shortname": c.shortname}
            for c in active_courses.get(user.id, [])
            if site.can_access_course(caller.id, c.id)
        ]
        if courses:
            record["enrolledcourses"] = courses
    return record


@webservice(
    "core_enrol_get_enrolled_users",
    params={
        "courseid": Int(),
        "options": List(Struct({"name": Str("alphanumext"), "value": Str()}), default=[]),
    },
    read_only=True,
)
def get_enrolled_users(call: Call, params: dict[str, Any]) -> list[dict[str, Any]]:
    """The course's participants, whatever their enrolment method (it is not shown)."""
    site = call.site
    options = {o["name"]: o["value"] for o in params["options"]}
    course = course_or_missing(site, params["courseid"])
    validate_course_context(call, course)
    call.require_capability("moodle/course:viewparticipants", course.contextid)
    only_active = options.get("onlyactive", "0") not in ("", "0")
    only_suspended = options.get("onlysuspended", "0") not in ("", "0")
    enrolled = site.users_enrolled(course.id, only_active=only_active)
    userids = sorted(enrolled)
    if only_suspended:
        active = site.users_enrolled(course.id, only_active=True)
        userids = [u for u in userids if u not in active]
    if options.get("groupid", "0").isdigit() and int(options.get("groupid", "0")):
        group = site.groups.get(int(options["groupid"]))
        members = set(group.members) if group is not None else set()
        userids = [u for u in userids if u in members]
    capability = options.get("withcapability", "")
    if capability:
        userids = [u for u in userids if site.has_capability(u, capability, course.contextid)]
    sortby = options.get("sortby", "id")
    if sortby in ("firstname", "lastname"):
        userids.sort(key=lambda u: getattr(site.users[u], sortby).lower())
    if options.get("sortdirection", "ASC").upper() == "DESC":
        userids.reverse()
    start = int(options.get("limitfrom", "0") or 0)
    limit = int(options.get("limitnumber", "0") or 0)
    userids = userids[start : start + limit] if limit else userids[start:]
    fields = None
    if options.get("userfields"):
        fields = {f.strip() for f in options["userfields"].split(",")}
    active_courses = active_courses_by_user(site)
    role_ids: dict[int, set[int]] = {}
    for assignment in site.role_assignments.having("contextid", course.contextid):
        role_ids.setdefault(assignment.userid, set()).add(assignment.roleid)
    return [
        user_details(
            site,
            site.users[u],
            course,
            call.user,
            fields,
            active_courses,
            sorted(
                (site.roles[r] for r in role_ids.get(u, set())), key=lambda r: (r.sortorder, r.id)
            ),
        )
        for u in userids
        if u in site.users
    ]


@webservice(
    "core_enrol_get_users_courses",
    params={"userid": Int(), "returnusercount": Bool(default=True)},
    read_only=True,
)
def get_users_courses(call: Call, params: dict[str, Any]) -> list[dict[str, Any]]:
    """The courses a user is actively enrolled in."""
    site = call.site
    user = site.users.get(params["userid"])
    if user is None:
        return []
    answer = []
    for course in active_courses_by_user(site).get(user.id, []):
        if not site.can_access_course(call.user.id, course.id):
            continue
        record: dict[str, Any] = {
            "id": course.id,
            "shortname": course.shortname,
            "fullname": course.fullname,
            "displayname": course.fullname,
        }
        if params["returnusercount"]:
            record["enrolledusercount"] = len(site.users_enrolled(course.id, only_active=True))
        record.update(
            {
                "idnumber": course.idnumber,
                "visible": course.visible,
                "summary": course.summary,
                "summaryformat": course.summaryformat,
                "format": course.format,
                "courseimage": course_image_url(site, course),
                "showgrades": bool(course.showgrades),
                "lang": course.lang,
                "enablecompletion": bool(course.enablecompletion),
                "completionhascriteria": False,
                "completionusertracked": False,
                "category": course.category,
                "progress": None,
                "completed": None,
                "startdate": course.startdate,
                "enddate": course.enddate,
                "marker": 0,
                "lastaccess": None,
                "isfavourite": False,
                "hidden": False,
                "overviewfiles": [],
                "showactivitydates": course.showactivitydates,
                "showcompletionconditions": course.showcompletionconditions,
                "timemodified": course.timemodified,
            }
        )
        answer.append(record)
    return answer


# Methods whose instances the enrolment-methods function lists (those with get_enrol_info).
LISTED_METHODS = ("self", "guest", "fee", "paypal")
METHOD_NAMES = {"self": "Self enrolment", "guest": "Guest access", "fee": "Enrolment on payment"}


def instance_name(site: Site, instance: EnrolInstance) -> str:
    if instance.name:
        return instance.name
    base = METHOD_NAMES.get(instance.enrol, instance.enrol.capitalize())
    role = site.roles.get(instance.roleid)
    if instance.enrol == "self" and role is not None:
        return f"{base} ({role.shortname.capitalize()})"
    return base


@webservice(
    "core_enrol_get_course_enrolment_methods",
    params={"courseid": Int()},
    read_only=True,
)
def get_course_enrolment_methods(call: Call, params: dict[str, Any]) -> list[dict[str, Any]]:
    """Enabled self, guest and payment instances. Manual and cohort instances never appear."""
    site = call.site
    course = course_or_missing(site, params["courseid"])
    validate_course_context(call, course)
    return [
        {
            "id": i.id,
            "courseid": course.id,
            "type": i.enrol,
            "name": instance_name(site, i),
            "status": True,
        }
        for i in site.enrol_instances_of(course.id)
        if i.enrol in LISTED_METHODS and i.status == ENROL_ENABLED
    ]


def _manual_instance(site: Site, courseid: int) -> EnrolInstance:
    for instance in site.enrol_instances_of(courseid, "manual"):
        if instance.status == ENROL_ENABLED:
            return instance
    raise moodle_exception(
        "wsnoinstance",
        f"Manual enrolment plugin instance doesn't exist or is disabled for the course "
        f"(id = {courseid})",
    )


@webservice(
    "enrol_manual_enrol_users",
    params={
        "enrolments": List(
            Struct(
                {
                    "roleid": Int(),
                    "userid": Int(),
                    "courseid": Int(),
                    "timestart": Int(required=False),
                    "timeend": Int(required=False),
                    "suspend": Int(required=False),
                }
            )
        )
    },
    returns_null=True,
)
def enrol_users(call: Call, params: dict[str, Any]) -> None:
    """Enrols users through the course's manual instance; one bad item fails the call."""
    site = call.site
    planned = []
    for item in params["enrolments"]:
        course = site.courses.get(item["courseid"])
        if course is None:
            raise invalid_parameter("Context does not exist")
        validate_course_context(call, course)
        call.require_capability("enrol/manual:enrol", course.contextid)
        context = site.contexts[course.contextid]
        if item["roleid"] not in assignable_roles(site, call.user.id, context):
            raise moodle_exception(
                "wsusercannotassign",
                f"You don't have the permission to assign this role ({item['roleid']}) to this "
                f"user ({item['userid']}) in this course({course.id}).",
            )
        if item["userid"] not in site.users:
            raise invalid_parameter("Invalid user")
        planned.append((_manual_instance(site, course.id), item))
    for instance, item in planned:
        site.enrol_user(
            instance,
            item["userid"],
            roleid=item["roleid"],
            status=ENROL_USER_SUSPENDED if item.get("suspend") else ENROL_USER_ACTIVE,
            timestart=item.get("timestart", 0),
            timeend=item.get("timeend", 0),
        )
        sync_meta_links(site, instance.courseid)


@webservice(
    "enrol_manual_unenrol_users",
    params={
        "enrolments": List(
            Struct(
                {
                    "userid": Int(),
                    "courseid": Int(),
                    "roleid": Int(required=False),
                }
            )
        )
    },
    returns_null=True,
)
def unenrol_users(call: Call, params: dict[str, Any]) -> None:
    """Removes manual enrolments only: an enrolment through a cohort stays."""
    site = call.site
    for item in params["enrolments"]:
        course = site.courses.get(item["courseid"])
        if course is None:
            raise invalid_parameter("Context does not exist")
        validate_course_context(call, course)
        call.require_capability("enrol/manual:unenrol", course.contextid)
        instance = _manual_instance(site, course.id)
        if item["userid"] not in site.users:
            raise invalid_parameter("Invalid user")
        if item.get("roleid"):
            site.unassign_roles(
                userid=item["userid"],
                contextid=course.contextid,
                roleid=item["roleid"],
                component="",
            )
        site.unenrol_user(instance, item["userid"])
        sync_meta_links(site, course.id)


def sync_meta_links(site: Site, courseid: int) -> None:
    """Mirrors the enrolments of `courseid` into the courses that link to it (enrol_meta)."""
    for instance in list(site.enrol_instances.values()):
        if instance.enrol != "meta" or instance.customint1 != courseid:
            continue
        if instance.courseid == courseid or instance.courseid not in site.courses:
            continue
        wanted = site.users_enrolled(courseid, only_active=True)
        current = {e.userid for e in site.user_enrolments.having("enrolid", instance.id)}
        for userid in wanted:
            site.add_user_enrolment(instance.id, userid)
            for role in site.course_roles(courseid, userid):
                site.assign_role(
                    role.id,
                    userid,
                    site.courses[instance.courseid].contextid,
                    component="enrol_meta",
                    itemid=instance.id,
                )
        for userid in current - set(wanted):
            site.unenrol_user(instance, userid)


@webservice(
    "enrol_meta_add_instances",
    params={
        "instances": List(
            Struct(
                {
                    "metacourseid": Int(),
                    "courseid": Str(),
                    "creategroup": Bool(default=False),
                }
            ),
            default=[],
        )
    },
)
def add_meta_instances(call: Call, params: dict[str, Any]) -> list[dict[str, Any]]:
    """Links courses into meta courses (a course may even be linked to itself)."""
    site = call.site
    if not params["instances"]:
        raise invalid_parameter("No instances specified")
    answer = []
    for item in params["instances"]:
        meta = site.courses.get(item["metacourseid"])
        if meta is None:
            raise invalid_parameter(f"Invalid meta course {item['metacourseid']}")
        linked_id = int(item["courseid"]) if item["courseid"].strip().isdigit() else 0
        linked = site.courses.get(linked_id)
        if linked is None:
            raise invalid_parameter(f"Invalid course {item['courseid']}")
        call.require_capability("moodle/course:enrolconfig", meta.contextid)
        exists = any(
            i.enrol == "meta" and i.courseid == meta.id and i.customint1 == linked.id
            for i in site.enrol_instances.values()
        )
        if not exists:
            site.add_enrol_instance(
                meta.id, "meta", customint1=linked.id, roleid=0, timecreated=now()
            )
            sync_meta_links(site, linked.id)
        answer.append({"metacourseid": meta.id, "courseid": item["courseid"], "status": not exists})
    return answer


@webservice(
    "enrol_meta_delete_instances",
    params={"instances": List(Struct({"metacourseid": Int(), "courseid": Str()}), default=[])},
)
def delete_meta_instances(call: Call, params: dict[str, Any]) -> list[dict[str, Any]]:
    """Removes meta links and the enrolments they made."""
    site = call.site
    if not params["instances"]:
        raise invalid_parameter("No instances specified")
    answer = []
    for item in params["instances"]:
        meta = site.courses.get(item["metacourseid"])
        if meta is None:
            raise invalid_parameter(f"Invalid meta course {item['metacourseid']}")
        call.require_capability("moodle/course:enrolconfig", meta.contextid)
        linked_id = int(item["courseid"]) if item["courseid"].strip().isdigit() else 0
        found = [
            i
            for i in site.enrol_instances.values()
            if i.enrol == "meta" and i.courseid == meta.id and i.customint1 == linked_id
        ]
        for instance in found:
            for enrolment in site.user_enrolments.having("enrolid", instance.id):
                site.unenrol_user(instance, enrolment.userid)
            del site.enrol_instances[instance.id]
        answer.append(
            {"metacourseid": meta.id, "courseid": item["courseid"], "status": bool(found)}
        )
    return answer

"""core_group: groups, groupings and their members."""

from __future__ import annotations

from typing import Any

from moodle_client.standin.functions.common import course_or_missing, validate_course_context
from moodle_client.standin.registry import (
    Call,
    Int,
    List,
    Str,
    Struct,
    invalid_parameter,
    invalid_response,
    moodle_exception,
    webservice,
)
from moodle_client.standin.site import Course, Group, Grouping, Site


def group_record(group: Group, *, created: bool = False) -> dict[str, Any]:
    return {
        "id": group.id,
        "courseid": group.courseid,
        "name": group.name,
        "description": group.description,
        "descriptionformat": group.descriptionformat,
        # Creation echoes what was sent; a read gives the stored value (null when unset).
        "enrolmentkey": (group.enrolmentkey or "") if created else group.enrolmentkey,
        "idnumber": group.idnumber,
        "visibility": group.visibility,
        "participation": group.participation,
    }


def grouping_record(grouping: Grouping) -> dict[str, Any]:
    return {
        "id": grouping.id,
        "courseid": grouping.courseid,
        "name": grouping.name,
        "description": grouping.description,
        "descriptionformat": grouping.descriptionformat,
        "idnumber": grouping.idnumber,
    }


def _course(call: Call, courseid: int) -> Course:
    course = course_or_missing(call.site, courseid)
    validate_course_context(call, course)
    return course


def add_group(
    site: Site, courseid: int, name: str, *, id: int | None = None, **fields: Any
) -> Group:
    group = Group(id=site.next_id("groups", id), courseid=courseid, name=name, **fields)
    site.groups[group.id] = group
    return group


def add_grouping(
    site: Site, courseid: int, name: str, *, id: int | None = None, **fields: Any
) -> Grouping:
    grouping = Grouping(id=site.next_id("groupings", id), courseid=courseid, name=name, **fields)
    site.groupings[grouping.id] = grouping
    return grouping


@webservice("core_group_get_course_groups", params={"courseid": Int()}, read_only=True)
def get_course_groups(call: Call, params: dict[str, Any]) -> list[dict[str, Any]]:
    """The course's groups."""
    course = _course(call, params["courseid"])
    call.require_capability("moodle/course:managegroups", course.contextid)
    return [
        group_record(g)
        for g in sorted(call.site.groups.values(), key=lambda g: g.name)
        if g.courseid == course.id
    ]


@webservice("core_group_get_course_groupings", params={"courseid": Int()}, read_only=True)
def get_course_groupings(call: Call, params: dict[str, Any]) -> list[dict[str, Any]]:
    """The course's groupings."""
    course = _course(call, params["courseid"])
    call.require_capability("moodle/course:managegroups", course.contextid)
    return [
        grouping_record(g)
        for g in sorted(call.site.groupings.values(), key=lambda g: g.name)
        if g.courseid == course.id
    ]


@webservice(
    "core_group_create_groups",
    params={
        "groups": List(
            Struct(
                {
                    "courseid": Int(),
                    "name": Str("text"),
                    "description": Str(),
                    "descriptionformat": Int(default=1),
                    "enrolmentkey": Str(required=False),
                    "idnumber": Str(required=False),
                    "visibility": Int(required=False),
                    "participation": Int(required=False),
                    "customfields": List(
                        Struct({"shortname": Str(), "value": Str()}), required=False
                    ),
                }
            )
        )
    },
)
def create_groups(call: Call, params: dict[str, Any]) -> list[dict[str, Any]]:
    """Creates groups; a name or idnumber already used in the course fails the call."""
    site = call.site
    created = []
    for wanted in params["groups"]:
        course = _course(call, wanted["courseid"])
        call.require_capability("moodle/course:managegroups", course.contextid)
        if any(g.name == wanted["name"] for g in site.groups.having("courseid", course.id)):
            raise invalid_parameter("Group with the same name already exists in the course")
        idnumber = wanted.get("idnumber", "")
        if idnumber and any(
            g.idnumber == idnumber for g in site.groups.having("courseid", course.id)
        ):
            raise moodle_exception("idnumbertaken", "This ID number is already taken")
        group = add_group(
            site,
            course.id,
            wanted["name"],
            description=wanted["description"],
            descriptionformat=wanted["descriptionformat"],
            idnumber=idnumber,
            enrolmentkey=wanted.get("enrolmentkey"),
            visibility=wanted.get("visibility", 0),
            participation=bool(wanted.get("participation", 1)),
        )
        created.append(group_record(group, created=True))
    return created


@webservice(
    "core_group_add_group_members",
    params={"members": List(Struct({"groupid": Int(), "userid": Int()}))},
    returns_null=True,
)
def add_group_members(call: Call, params: dict[str, Any]) -> None:
    """Adds enrolled users to groups."""
    site = call.site
    for member in params["members"]:
        group = site.groups.get(member["groupid"])
        if group is None:
            raise invalid_parameter("Invalid group id")
        course = _course(call, group.courseid)
        call.require_capability("moodle/course:managegroups", course.contextid)
        if member["userid"] not in site.users:
            raise invalid_parameter("Invalid user id")
        if not site.is_enrolled(course.id, member["userid"]):
            raise invalid_parameter("Only enrolled users may be members of groups")
        if member["userid"] not in group.members:
            group.members.append(member["userid"])


@webservice(
    "core_group_create_groupings",
    params={
        "groupings": List(
            Struct(
                {
                    "courseid": Int(),
                    "name": Str("text"),
                    "description": Str(),
                    "descriptionformat": Int(default=1),
                    "idnumber": Str(required=False),
                    "customfields": List(
                        Struct({"shortname": Str(), "value": Str()}), required=False
                    ),
                }
            )
        )
    },
)
def create_groupings(call: Call, params: dict[str, Any]) -> list[dict[str, Any]]:
    """Creates groupings; a name already used in the course fails the call."""
    site = call.site
    created = []
    for wanted in params["groupings"]:
        course = _course(call, wanted["courseid"])
        call.require_capability("moodle/course:managegroups", course.contextid)
        if any(g.name == wanted["name"] for g in site.groupings.having("courseid", course.id)):
            raise invalid_parameter("Grouping with the same name already exists in the course")
        idnumber = wanted.get("idnumber", "")
        if idnumber and any(
            g.idnumber == idnumber for g in site.groupings.having("courseid", course.id)
        ):
            raise moodle_exception("idnumbertaken", "This ID number is already taken")
        grouping = add_grouping(
            site,
            course.id,
            wanted["name"],
            description=wanted["description"],
            descriptionformat=wanted["descriptionformat"],
            idnumber=idnumber,
        )
        created.append(grouping_record(grouping))
    if any("idnumber" not in wanted for wanted in params["groupings"]):
        # Moodle 5.0 creates the grouping, then fails validating its own answer: the record it
        # returns has no idnumber, which the return structure requires.
        raise invalid_response(
            "idnumber => Invalid response value detected "
            "(Missing required key in single structure: idnumber)"
        )
    return created


@webservice(
    "core_group_assign_grouping",
    params={"assignments": List(Struct({"groupingid": Int(), "groupid": Int()}))},
    returns_null=True,
)
def assign_grouping(call: Call, params: dict[str, Any]) -> None:
    """Puts groups into groupings of the same course."""
    site = call.site
    for assignment in params["assignments"]:
        grouping = site.groupings.get(assignment["groupingid"])
        group = site.groups.get(assignment["groupid"])
        if grouping is None or group is None or group.courseid != grouping.courseid:
            raise invalid_parameter("Invalid grouping or group id")
        course = _course(call, grouping.courseid)
        call.require_capability("moodle/course:managegroups", course.contextid)
        if group.id not in grouping.groups:
            grouping.groups.append(group.id)

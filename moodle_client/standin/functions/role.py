"""core_role: assigning and unassigning roles."""

from __future__ import annotations

from typing import Any

from moodle_client.standin.registry import (
    Call,
    Int,
    List,
    Str,
    Struct,
    invalid_parameter,
    webservice,
)
from moodle_client.standin.site import (
    CONTEXT_LEVEL_NAMES,
    CONTEXT_SYSTEM,
    ROLE_EDITINGTEACHER,
    ROLE_MANAGER,
    ROLE_STUDENT,
    ROLE_TEACHER,
    Context,
    Site,
)

# Which roles holders of a role may assign (role_allow_assign in a fresh install).
ALLOW_ASSIGN: dict[int, frozenset[int]] = {
    ROLE_MANAGER: frozenset({1, 2, 3, 4, 5}),
    ROLE_EDITINGTEACHER: frozenset({ROLE_TEACHER, ROLE_STUDENT}),
}


def assignable_roles(site: Site, userid: int, context: Context) -> set[int]:
    """Roles `userid` may assign in `context` (get_assignable_roles)."""
    at_level = {r.id for r in site.roles.values() if context.contextlevel in r.contextlevels}
    user = site.users.get(userid)
    if user is not None and user.siteadmin:
        return at_level
    path = context.path_ids(site)
    allowed: set[int] = set()
    for assignment in site.role_assignments.values():
        if assignment.userid == userid and assignment.contextid in path:
            allowed |= ALLOW_ASSIGN.get(assignment.roleid, frozenset())
    return at_level & allowed


ASSIGNMENT = Struct(
    {
        "roleid": Int(),
        "userid": Int(),
        "contextid": Int(required=False),
        "contextlevel": Str("alpha", required=False),
        "instanceid": Int(required=False),
    }
)


def _context(site: Site, item: dict[str, Any]) -> Context:
    """The context named by contextid, or by contextlevel and instanceid."""
    if "contextid" in item:
        context = site.contexts.get(item["contextid"])
    elif "contextlevel" in item and "instanceid" in item:
        level = CONTEXT_LEVEL_NAMES.get(item["contextlevel"])
        context = None if level is None else site.context_of(level, item["instanceid"])
        if level == CONTEXT_SYSTEM:
            context = site.contexts[1]
    else:
        raise invalid_parameter("Missing parameters: contextid or contextlevel and instanceid")
    if context is None:
        raise invalid_parameter("Context does not exist")
    return context


def _check(call: Call, item: dict[str, Any]) -> Context:
    site = call.site
    context = _context(site, item)
    call.require_capability("moodle/role:assign", context.id)
    if item["roleid"] not in assignable_roles(site, call.user.id, context):
        raise invalid_parameter(
            f"Can not assign roleid={item['roleid']} in contextid="
            + (str(item["contextid"]) if "contextid" in item else "")
        )
    if item["userid"] not in site.users:
        raise invalid_parameter("Invalid user")
    return context


@webservice("core_role_assign_roles", params={"assignments": List(ASSIGNMENT)}, returns_null=True)
def assign_roles(call: Call, params: dict[str, Any]) -> None:
    """Assigns roles; a role not assignable in the context fails the whole call."""
    checked = [(_check(call, item), item) for item in params["assignments"]]
    for context, item in checked:
        call.site.assign_role(item["roleid"], item["userid"], context.id)


@webservice(
    "core_role_unassign_roles", params={"unassignments": List(ASSIGNMENT)}, returns_null=True
)
def unassign_roles(call: Call, params: dict[str, Any]) -> None:
    """Removes manual role assignments; a role the user does not hold is ignored."""
    checked = [(_check(call, item), item) for item in params["unassignments"]]
    for context, item in checked:
        call.site.unassign_roles(
            userid=item["userid"], contextid=context.id, roleid=item["roleid"], component=""
        )

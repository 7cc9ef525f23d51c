"""core_cohort: site and category cohorts and their members."""

from __future__ import annotations

from typing import Any

from moodle_client.standin.registry import (
    Bool,
    Call,
    Int,
    List,
    Str,
    Struct,
    invalid_parameter,
    webservice,
)
from moodle_client.standin.site import (
    CONTEXT_COURSECAT,
    CONTEXT_LEVEL_NAMES,
    CONTEXT_SYSTEM,
    SYSTEM_CONTEXT_ID,
    Cohort,
    Context,
    Site,
)


def cohort_record(cohort: Cohort, *, customfields: bool = True) -> dict[str, Any]:
    record: dict[str, Any] = {
        "id": cohort.id,
        "name": cohort.name,
        "idnumber": cohort.idnumber,
        "description": cohort.description,
        "descriptionformat": cohort.descriptionformat,
        "visible": cohort.visible,
        "theme": cohort.theme,
    }
    if customfields:
        record["customfields"] = []
    return record


def cohort_by(site: Site, kind: str, value: str) -> Cohort | None:
    for cohort in sorted(site.cohorts.values(), key=lambda c: c.id):
        if kind == "id" and str(cohort.id) == value.strip():
            return cohort
        if kind == "idnumber" and cohort.idnumber == value:
            return cohort
    return None


CATEGORY_TYPE = Struct({"type": Str(), "value": Str()})


def _category_context(site: Site, categorytype: dict[str, Any]) -> int:
    kind, value = categorytype["type"], categorytype["value"]
    if kind == "system":
        return SYSTEM_CONTEXT_ID
    if kind not in ("id", "idnumber"):
        raise invalid_parameter(f"category type must be id, idnumber or system:{kind}")
    for category in site.categories.values():
        if (kind == "id" and str(category.id) == value) or (
            kind == "idnumber" and category.idnumber == value
        ):
            return category.contextid
    raise invalid_parameter(f"category not exists: category {kind} = {value}")


@webservice(
    "core_cohort_create_cohorts",
    params={
        "cohorts": List(
            Struct(
                {
                    "categorytype": CATEGORY_TYPE,
                    "name": Str(),
                    "idnumber": Str(),
                    "description": Str(required=False),
                    "descriptionformat": Int(default=1),
                    "visible": Bool(required=False),
                    "theme": Str("theme", required=False),
                    "customfields": List(
                        Struct({"shortname": Str(), "value": Str()}), required=False
                    ),
                }
            )
        )
    },
)
def create_cohorts(call: Call, params: dict[str, Any]) -> list[dict[str, Any]]:
    """Creates cohorts in the system or a category context; an idnumber in use fails all."""
    site = call.site
    planned: list[tuple[int, dict[str, Any]]] = []
    for wanted in params["cohorts"]:
        contextid = _category_context(site, wanted["categorytype"])
        if wanted["idnumber"] and (
            cohort_by(site, "idnumber", wanted["idnumber"])
            or any(p["idnumber"] == wanted["idnumber"] for _, p in planned)
        ):
            raise invalid_parameter(f"record already exists: idnumber={wanted['idnumber']}")
        call.require_capability("moodle/cohort:manage", contextid)
        planned.append((contextid, wanted))
    created = []
    for contextid, wanted in planned:
        cohort = add_cohort(
            site,
            wanted["name"],
            idnumber=wanted["idnumber"],
            contextid=contextid,
            description=wanted.get("description", ""),
            descriptionformat=wanted["descriptionformat"],
            visible=wanted.get("visible", True),
        )
        created.append(cohort_record(cohort, customfields=False))
    return created


def add_cohort(
    site: Site,
    name: str,
    *,
    idnumber: str = "",
    contextid: int = SYSTEM_CONTEXT_ID,
    id: int | None = None,
    **fields: Any,
) -> Cohort:
    cohort = Cohort(
        id=site.next_id("cohort", id), contextid=contextid, name=name, idnumber=idnumber, **fields
    )
    site.cohorts[cohort.id] = cohort
    return cohort


@webservice(
    "core_cohort_get_cohorts",
    params={"cohortids": List(Int(), default=[])},
    read_only=True,
)
def get_cohorts(call: Call, params: dict[str, Any]) -> list[dict[str, Any]]:
    """The cohorts asked for, or every cohort."""
    site = call.site
    ids = params["cohortids"] or sorted(site.cohorts)
    answer = []
    for cohort_id in ids:
        cohort = site.cohorts.get(cohort_id)
        if cohort is None:
            raise invalid_parameter("Invalid cohort id")
        if not site.has_capability(call.user.id, "moodle/cohort:manage", cohort.contextid):
            call.require_capability("moodle/cohort:view", cohort.contextid)
        answer.append(cohort_record(cohort))
    return answer


@webservice(
    "core_cohort_search_cohorts",
    params={
        "query": Str(),
        "context": Struct(
            {
                "contextid": Int(required=False),
                "contextlevel": Str("alpha", required=False),
                "instanceid": Int(required=False),
            }
        ),
        "includes": Str("alpha", default="parents"),
        "limitfrom": Int(default=0),
        "limitnum": Int(default=25),
    },
    read_only=True,
)
def search_cohorts(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    """Cohorts whose name, idnumber or description contain the query, from the context
    alone (`self`), from it and its parents (`parents`), or from anywhere (`all`)."""
    site = call.site
    context = _context_from_params(site, params["context"])
    if not site.has_capability(call.user.id, "moodle/cohort:manage", context.id):
        call.require_capability("moodle/cohort:view", context.id)
    includes = params["includes"]
    if includes == "self":
        contexts = {context.id}
    elif includes == "parents":
        contexts = set(context.path_ids(site))
    elif includes == "all":
        contexts = set(site.contexts)
    else:
        raise invalid_parameter("Invalid parameter value for 'includes'.")
    query = params["query"].lower()
    found = [
        c
        for c in sorted(site.cohorts.values(), key=lambda c: c.name)
        if c.contextid in contexts
        and (
            query in c.name.lower() or query in c.idnumber.lower() or query in c.description.lower()
        )
    ]
    start = params["limitfrom"]
    found = found[start : start + params["limitnum"]] if params["limitnum"] else found[start:]
    return {"cohorts": [cohort_record(c) for c in found]}


def _context_from_params(site: Site, given: dict[str, Any]) -> Context:
    if "contextid" in given:
        context = site.contexts.get(given["contextid"])
    elif "contextlevel" in given and "instanceid" in given:
        level = CONTEXT_LEVEL_NAMES.get(given["contextlevel"])
        context = None if level is None else site.context_of(level, given["instanceid"])
    else:
        raise invalid_parameter("Missing parameters: contextid or contextlevel and instanceid")
    if context is None or context.contextlevel not in (CONTEXT_SYSTEM, CONTEXT_COURSECAT):
        raise invalid_parameter("Invalid context")
    return context


@webservice(
    "core_cohort_get_cohort_members",
    params={"cohortids": List(Int())},
    read_only=True,
)
def get_cohort_members(call: Call, params: dict[str, Any]) -> list[dict[str, Any]]:
    """The user ids of each cohort's members."""
    site = call.site
    answer = []
    for cohort_id in params["cohortids"]:
        cohort = site.cohorts.get(cohort_id)
        if cohort is None:
            continue
        if not site.has_capability(call.user.id, "moodle/cohort:manage", cohort.contextid):
            call.require_capability("moodle/cohort:view", cohort.contextid)
        answer.append({"cohortid": cohort.id, "userids": list(cohort.members)})
    return answer


MEMBER_TYPE = Struct({"type": Str(), "value": Str()})


@webservice(
    "core_cohort_add_cohort_members",
    params={"members": List(Struct({"cohorttype": MEMBER_TYPE, "usertype": MEMBER_TYPE}))},
)
def add_cohort_members(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    """Adds members; bad types, unknown cohorts or users and existing members are warnings.
    Users are found by id or username only."""
    site = call.site
    warnings = []

    def warn(code: str, message: str) -> None:
        warnings.append({"warningcode": code, "message": message})

    for member in params["members"]:
        cohorttype, usertype = member["cohorttype"], member["usertype"]
        if cohorttype["type"] not in ("id", "idnumber"):
            warn("1", f"invalid parameter: cohortype={cohorttype['type']}")
            continue
        if usertype["type"] not in ("id", "username"):
            warn("1", f"invalid parameter: usertype={usertype['type']}")
            continue
        cohort = cohort_by(site, cohorttype["type"], cohorttype["value"])
        if cohort is None:
            warn("2", f"cohort {cohorttype['type']}={cohorttype['value']} not exists")
            continue
        user = (
            site.user_by_username(usertype["value"])
            if usertype["type"] == "username"
            else site.users.get(int(usertype["value"]))
            if usertype["value"].strip().isdigit()
            else None
        )
        if user is None or user.deleted:
            warn("2", f"user {usertype['type']}={usertype['value']} not exists")
            continue
        if user.id in cohort.members:
            warn(
                "3",
                f"record already exists: cohort({cohorttype['type']}="
                f"{cohorttype['value']} {usertype['type']}={usertype['value']})",
            )
            continue
        call.require_capability("moodle/cohort:manage", cohort.contextid)
        add_cohort_member(site, cohort, user.id)
    return {"warnings": warnings}


def add_cohort_member(site: Site, cohort: Cohort, userid: int) -> None:
    """Adds a member and, as enrol_cohort's observer does, enrols them wherever the cohort
    is synchronised."""
    if userid in cohort.members:
        return
    cohort.members.append(userid)
    for instance in list(site.enrol_instances.values()):
        if instance.enrol == "cohort" and instance.customint1 == cohort.id:
            site.enrol_user(instance, userid)
            group = site.groups.get(instance.customint2)
            if group is not None and userid not in group.members:
                group.members.append(userid)

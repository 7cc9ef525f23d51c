"""core_course categories: listing and creating."""

from __future__ import annotations

from typing import Any

from moodle_client.standin.registry import (
    Bool,
    Call,
    Int,
    List,
    Str,
    Struct,
    moodle_exception,
    webservice,
)
from moodle_client.standin.site import SYSTEM_CONTEXT_ID, Category, Site

CRITERIA = ("id", "ids", "idnumber", "name", "parent", "visible", "theme")


def category_record(site: Site, category: Category) -> dict[str, Any]:
    depth, path = site.category_depth_path(category.id)
    return {
        "id": category.id,
        "name": category.name,
        "idnumber": category.idnumber,
        "description": category.description,
        "descriptionformat": category.descriptionformat,
        "parent": category.parent,
        "sortorder": category.sortorder,
        "coursecount": sum(1 for c in site.courses.values() if c.category == category.id),
        "visible": category.visible,
        "visibleold": category.visibleold,
        "timemodified": category.timemodified,
        "depth": depth,
        "path": path,
        "theme": category.theme,
    }


def _matches(category: Category, key: str, value: str) -> bool:
    if key == "id":
        return value.strip().isdigit() and category.id == int(value)
    if key == "ids":
        return str(category.id) in [part.strip() for part in value.split(",")]
    if key == "idnumber":
        return category.idnumber == value
    if key == "name":
        return category.name == value
    if key == "parent":
        return value.strip().lstrip("-").isdigit() and category.parent == int(value)
    if key == "visible":
        return value.strip().isdigit() and category.visible == int(value)
    return category.theme == value


@webservice(
    "core_course_get_categories",
    params={
        "criteria": List(Struct({"key": Str("alpha"), "value": Str()}), default=[]),
        "addsubcategories": Bool(default=True),
    },
    read_only=True,
)
def get_categories(call: Call, params: dict[str, Any]) -> list[dict[str, Any]]:
    """Categories matching every criterion, with their subcategories unless told not to."""
    site = call.site
    found = sorted(site.categories.values(), key=lambda c: c.sortorder)
    for criterion in params["criteria"]:
        key = criterion["key"].strip()
        if key not in CRITERIA:
            raise moodle_exception("invalidparameter", "Invalid parameter value detected")
        if key == "idnumber" and not site.has_capability(
            call.user.id, "moodle/category:manage", SYSTEM_CONTEXT_ID
        ):
            raise moodle_exception("criteriaerror", "Missing permissions to search on a criteria.")
        found = [c for c in found if _matches(c, key, criterion["value"])]
    if params["criteria"] and params["addsubcategories"]:
        selected = {c.id for c in found}
        for category in sorted(site.categories.values(), key=lambda c: c.sortorder):
            _, path = site.category_depth_path(category.id)
            if category.id not in selected and any(
                f"/{parent}/" in f"{path}/" for parent in selected
            ):
                found.append(category)
                selected.add(category.id)
    visible = [
        c
        for c in found
        if c.visible
        or site.has_capability(call.user.id, "moodle/category:viewhiddencategories", c.contextid)
    ]
    return [category_record(site, c) for c in visible]


@webservice(
    "core_course_create_categories",
    params={
        "categories": List(
            Struct(
                {
                    "name": Str("text"),
                    "parent": Int(default=0),
                    "idnumber": Str(required=False),
                    "description": Str(required=False),
                    "descriptionformat": Int(default=1),
                    "theme": Str("theme", required=False),
                }
            )
        )
    },
)
def create_categories(call: Call, params: dict[str, Any]) -> list[dict[str, Any]]:
    """Creates categories; an idnumber already used fails the whole call."""
    site = call.site
    created = []
    for wanted in params["categories"]:
        parent = wanted["parent"]
        parent_context = (
            site.categories[parent].contextid if parent in site.categories else SYSTEM_CONTEXT_ID
        )
        if parent and parent not in site.categories:
            raise moodle_exception("unknowcategory", "Unknown category")
        call.require_capability("moodle/category:manage", parent_context)
        idnumber = wanted.get("idnumber")
        if idnumber and any(c.idnumber == idnumber for c in site.categories.values()):
            raise moodle_exception(
                "categoryidnumbertaken", "ID number is already used for another category"
            )
        category = site.add_category(
            wanted["name"],
            parent=parent,
            idnumber=idnumber or None,
            description=wanted.get("description", ""),
            descriptionformat=wanted["descriptionformat"],
            theme=wanted.get("theme", ""),
        )
        created.append({"id": category.id, "name": category.name})
    return created

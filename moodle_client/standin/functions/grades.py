"""core_grades and gradereport_user: writing activity grades, reading the user report."""

from __future__ import annotations

from html import escape
from typing import Any

from moodle_client.standin.functions.common import course_or_missing, validate_course_context
from moodle_client.standin.registry import (
    Call,
    Float,
    Int,
    List,
    Str,
    Struct,
    invalid_parameter,
    moodle_exception,
    webservice,
)
from moodle_client.standin.site import Course, GradeItem, Site, User

GRADE_UPDATE_OK = 0


def graded_users(site: Site, course: Course) -> list[int]:
    """Users the gradebook reports on: enrolled students ($CFG->gradebookroles)."""
    return [
        u
        for u in sorted(site.users_enrolled(course.id))
        if any(r.archetype == "student" for r in site.course_roles(course.id, u))
    ]


def _grade_value(site: Site, item: GradeItem, userid: int) -> tuple[float | None, int | None, str]:
    for grade in site.grades.having("itemid", item.id):
        if grade.userid == userid:
            return grade.finalgrade, grade.timemodified, grade.feedback or ""
    return None, None, ""


def _number(value: float) -> float | int:
    return int(value) if float(value).is_integer() else value


def _user_grades(site: Site, course: Course, user: User) -> dict[str, Any]:
    items = site.grade_items_of(course.id)
    activity_items = [i for i in items if i.itemtype != "course"]
    total_max = sum(i.grademax for i in activity_items) or 100.0
    total_value = 0.0
    total_graded = False
    last_graded: int | None = None
    rows = []
    for item in activity_items:
        value, graded_at, feedback = _grade_value(site, item, user.id)
        if value is not None:
            total_value += value
            total_graded = True
            last_graded = max(last_graded or 0, graded_at or 0)
        weight = item.grademax / total_max
        row = _item_row(item, value, graded_at, feedback)
        row["cmid"] = item.cmid
        row["weightraw"] = _number(round(weight, 5))
        row["weightformatted"] = f"{weight * 100:.2f} %"
        rows.append((item, row))
    course_item = next((i for i in items if i.itemtype == "course"), None)
    answer_items = []
    for item, row in rows:
        if item.itemtype != "mod":
            row.pop("cmid")
        answer_items.append(row)
    if course_item is not None:
        course_item.grademax = total_max
        answer_items.append(
            _item_row(course_item, total_value if total_graded else None, last_graded, "")
        )
    return {
        "courseid": course.id,
        "courseidnumber": course.idnumber,
        "userid": user.id,
        "userfullname": user.fullname,
        "useridnumber": user.idnumber,
        "maxdepth": 2,
        "gradeitems": answer_items,
    }


def _item_row(
    item: GradeItem, value: float | None, graded_at: int | None, feedback: str
) -> dict[str, Any]:
    is_course = item.itemtype == "course"
    percentage = (
        f"{(value - item.grademin) / (item.grademax - item.grademin) * 100:.2f} %"
        if value is not None and item.grademax > item.grademin
        else "-"
    )
    return {
        "id": item.id,
        "itemname": item.itemname,
        "itemtype": item.itemtype,
        "itemmodule": item.itemmodule,
        "iteminstance": item.iteminstance,
        "itemnumber": item.itemnumber,
        "idnumber": None if is_course else item.idnumber,
        "categoryid": item.categoryid,
        "outcomeid": None,
        "scaleid": None,
        "locked": False,
        "graderaw": None if value is None else _number(value),
        "gradedatesubmitted": None,
        "gradedategraded": graded_at,
        "gradehiddenbydate": False,
        "gradeneedsupdate": False,
        "gradeishidden": False,
        "gradeislocked": False,
        "gradeisoverridden": False,
        "gradeformatted": "-" if value is None else f"{value:.2f}",
        "grademin": _number(item.grademin),
        "grademax": _number(item.grademax),
        "rangeformatted": f"{_number(item.grademin)}&ndash;{_number(item.grademax)}",
        "percentageformatted": percentage,
        "feedback": feedback,
        "feedbackformat": 2,
    }


@webservice(
    "gradereport_user_get_grade_items",
    params={"courseid": Int(), "userid": Int(default=0), "groupid": Int(default=0)},
    read_only=True,
)
def get_grade_items(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    """Every grade item of the course with one user's grades, or every student's (userid 0)."""
    site = call.site
    course = course_or_missing(site, params["courseid"])
    validate_course_context(call, course)
    if params["userid"]:
        if params["userid"] != call.user.id:
            call.require_capability("moodle/grade:viewall", course.contextid)
        user = site.users.get(params["userid"])
        if user is None:
            raise invalid_parameter("Invalid user")
        userids = [user.id]
    else:
        call.require_capability("moodle/grade:viewall", course.contextid)
        userids = graded_users(site, course)
        if params["groupid"]:
            group = site.groups.get(params["groupid"])
            members = set(group.members) if group else set()
            userids = [u for u in userids if u in members]
    return {
        "usergrades": [_user_grades(site, course, site.users[u]) for u in userids],
        "warnings": [],
    }


@webservice(
    "core_grades_update_grades",
    params={
        "source": Str("text"),
        "courseid": Int(),
        "component": Str("component"),
        "activityid": Int(),
        "itemnumber": Int(),
        "grades": List(
            Struct(
                {
                    "studentid": Int(),
                    "grade": Float(),
                    "str_feedback": Str("text", required=False),
                }
            ),
            default=[],
        ),
        "itemdetails": Struct(
            {
                "itemname": Str(required=False),
                "idnumber": Int(required=False),
                "gradetype": Int(required=False),
                "grademax": Float(required=False),
                "grademin": Float(required=False),
                "scaleid": Int(required=False),
                "multfactor": Float(required=False),
                "plusfactor": Float(required=False),
                "deleted": Int(required=False),
                "hidden": Int(required=False),
            },
            default={},
        ),
    },
)
def update_grades(call: Call, params: dict[str, Any]) -> int:
    """Writes grades of an activity (`activityid` is its course module id). Answers 0."""
    site = call.site
    course = course_or_missing(site, params["courseid"])
    module = site.course_modules.get(params["activityid"])
    if module is None or module.course != course.id:
        raise moodle_exception("invalidcoursemodule", "Invalid course module ID")
    if params["component"] != f"mod_{module.modname}":
        raise moodle_exception("invalidcoursemodule", "Invalid course module ID")
    validate_course_context(call, course)
    call.require_capability("moodle/grade:edit", course.contextid)
    item = next(
        (
            i
            for i in site.grade_items.values()
            if i.cmid == module.id and i.itemnumber == params["itemnumber"]
        ),
        None,
    )
    if item is None:
        item = site.add_grade_item(course.id, "mod", module=module, itemnumber=params["itemnumber"])
    details = params["itemdetails"]
    if "grademax" in details:
        item.grademax = details["grademax"]
    if "grademin" in details:
        item.grademin = details["grademin"]
    if "itemname" in details:
        item.itemname = details["itemname"]
    for grade in params["grades"]:
        site.set_grade(
            item.id,
            grade["studentid"],
            grade["grade"],
            feedback=grade.get("str_feedback"),
            usermodified=call.user.id,
        )
    return GRADE_UPDATE_OK


def _cell(css: str, content: str, headers: str) -> dict[str, Any]:
    return {"class": css, "content": content, "headers": headers}


def _table(site: Site, course: Course, user: User) -> dict[str, Any]:
    """The user report as the grader page draws it: a category header, a leader cell, one row
    per grade item and the course total (the cell contents are the page's HTML)."""
    report = _user_grades(site, course, user)
    category = site.course_grade_category(course.id)
    category_cell = f"cat_{category.id}_{user.id}"
    rows: list[dict[str, Any]] = [
        {
            "itemname": {
                "class": "level1 d1 b1b b1t category column-itemname",
                "colspan": 8,
                "content": f'<div class="d-flex category-content"><span>'
                f"{escape(course.fullname)}</span></div>",
                "id": category_cell,
            },
            "parentcategories": [],
        },
        {
            "leader": {"class": "level1 d1 b1t b2b b1l", "rowspan": len(report["gradeitems"]) + 1},
            "parentcategories": [category.id],
        },
    ]
    for item in report["gradeitems"]:
        level = "level1 d1 baggt b2b" if item["itemtype"] == "course" else "level2 item b1b"
        row_id = f"row_{item['id']}_{user.id}"
        name = item["itemname"] or "Course total"
        row: dict[str, Any] = {
            "itemname": {
                "class": f"{level} column-itemname",
                "colspan": 1,
                "content": f'<div class="rowtitle">{escape(name)}</div>',
                "id": row_id,
            },
        }
        headers = f"{category_cell} {row_id}"
        weight = item.get("weightformatted", "-")
        row["weight"] = _cell(
            f"{level} itemcenter column-weight", weight, f"{headers} weight{user.id}"
        )
        row["grade"] = _cell(
            f"{level} itemcenter column-grade", item["gradeformatted"], f"{headers} grade{user.id}"
        )
        row["range"] = _cell(
            f"{level} itemcenter column-range", item["rangeformatted"], f"{headers} range{user.id}"
        )
        row["percentage"] = _cell(
            f"{level} itemcenter column-percentage",
            item["percentageformatted"],
            f"{headers} percentage{user.id}",
        )
        row["feedback"] = _cell(
            f"{level} feedbacktext column-feedback",
            escape(item["feedback"]) or "&nbsp;",
            f"{headers} feedback{user.id}",
        )
        contribution = "-" if item["itemtype"] == "course" else item["percentageformatted"]
        row["contributiontocoursetotal"] = _cell(
            f"{level} itemcenter column-contributiontocoursetotal",
            contribution,
            f"{headers} contributiontocoursetotal{user.id}",
        )
        row["parentcategories"] = [category.id]
        rows.append(row)
    return {
        "courseid": course.id,
        "userid": user.id,
        "userfullname": user.fullname,
        "maxdepth": 2,
        "tabledata": rows,
    }


@webservice(
    "gradereport_user_get_grades_table",
    params={"courseid": Int(), "userid": Int(default=0), "groupid": Int(default=0)},
    read_only=True,
)
def get_grades_table(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    """The user report's table for one user, or for every student (userid 0)."""
    site = call.site
    course = course_or_missing(site, params["courseid"])
    validate_course_context(call, course)
    if params["userid"] and params["userid"] == call.user.id:
        userids = [call.user.id]
    else:
        call.require_capability("moodle/grade:viewall", course.contextid)
        userids = [params["userid"]] if params["userid"] else graded_users(site, course)
    tables = [_table(site, course, site.users[u]) for u in userids if u in site.users]
    return {"tables": tables, "warnings": []}

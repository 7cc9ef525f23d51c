"""mod_assign: the submissions and grades of assignments.

A submission is a user-data record of kind `submissions` of the assignment's module (`data`:
status, default "submitted"); a grade one of kind `grades` (`data`: grade, grader).
"""

from __future__ import annotations

from typing import Any

from moodle_client.standin.registry import Call, Int, List, Str, webservice
from moodle_client.standin.site import CourseModule, Site


def _readable_assignments(
    call: Call, assignmentids: list[int]
) -> tuple[list[CourseModule], list[dict[str, Any]]]:
    """The assignments the user may grade, and a warning for each one they may not see."""
    site = call.site
    modules: list[CourseModule] = []
    warnings: list[dict[str, Any]] = []
    for assignmentid in assignmentids:
        module = site.module_by_instance("assign", assignmentid)
        if module is None:
            continue
        if not site.can_access_course(call.user.id, module.course) or not site.has_capability(
            call.user.id, "mod/assign:grade", module.contextid
        ):
            warnings.append(
                {
                    "item": "module",
                    "itemid": module.id,
                    "warningcode": "1",
                    "message": "No access rights in module context",
                }
            )
            continue
        modules.append(module)
    return modules, warnings


def _sorted(site: Site, module: CourseModule, kind: str) -> list[Any]:
    return sorted(site.user_data_of(cmid=module.id, kind=kind), key=lambda r: r.id)


@webservice(
    "mod_assign_get_submissions",
    params={
        "assignmentids": List(Int()),
        "status": Str("alpha", default=""),
        "since": Int(default=0),
        "before": Int(default=0),
    },
    read_only=True,
)
def get_submissions(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    """Every submission (every attempt) of the assignments the user may grade."""
    site = call.site
    modules, warnings = _readable_assignments(call, params["assignmentids"])
    answer = []
    for module in modules:
        submissions = []
        for record in _sorted(site, module, "submissions"):
            status = str(record.data.get("status", "submitted"))
            if params["status"] and status != params["status"]:
                continue
            if record.timecreated < params["since"] or (
                params["before"] and record.timecreated > params["before"]
            ):
                continue
            graded = any(
                g.userid == record.userid for g in site.user_data_of(cmid=module.id, kind="grades")
            )
            submissions.append(
                {
                    "id": record.id,
                    "userid": record.userid,
                    "attemptnumber": int(record.data.get("attemptnumber", 0)),
                    "timecreated": record.timecreated,
                    "timemodified": record.timecreated,
                    "timestarted": None,
                    "status": status,
                    "groupid": max(record.groupid, 0),
                    "assignment": module.instance,
                    "latest": 1,
                    "plugins": [],
                    "gradingstatus": "graded" if graded else "notgraded",
                }
            )
        answer.append({"assignmentid": module.instance, "submissions": submissions})
        if not submissions:
            warnings.append(
                {
                    "item": "module",
                    "itemid": module.instance,
                    "warningcode": "3",
                    "message": "No submissions found",
                }
            )
    return {"assignments": answer, "warnings": warnings}


@webservice(
    "mod_assign_get_grades",
    params={"assignmentids": List(Int()), "since": Int(default=0)},
    read_only=True,
)
def get_grades(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    """The grades of the given assignments; one without grades gets a "No grades found"
    warning instead of an entry."""
    site = call.site
    answer = []
    warnings = []
    for assignmentid in params["assignmentids"]:
        module = site.module_by_instance("assign", assignmentid)
        records = [] if module is None else _sorted(site, module, "grades")
        records = [r for r in records if r.timecreated >= params["since"]]
        if (
            module is not None
            and records
            and site.has_capability(call.user.id, "mod/assign:grade", module.contextid)
        ):
            answer.append(
                {
                    "assignmentid": assignmentid,
                    "grades": [
                        {
                            "id": record.id,
                            "assignment": assignmentid,
                            "userid": record.userid,
                            "attemptnumber": int(record.data.get("attemptnumber", 0)),
                            "timecreated": record.timecreated,
                            "timemodified": record.timecreated,
                            "grader": int(record.data.get("grader", 0)),
                            "grade": f"{float(record.data.get('grade', -1)):.5f}",
                        }
                        for record in records
                    ],
                }
            )
            continue
        warnings.append(
            {
                "item": "assignment",
                "itemid": assignmentid,
                "warningcode": "3",
                "message": "No grades found",
            }
        )
    return {"assignments": answer, "warnings": warnings}

"""Compare the course after the transition with what the teacher reviewed.

Every count the review said DELETED must now be gone (what remains: its total minus what the
review said would be deleted), every count it said KEPT must be unchanged. Participants are not
compared: the cohort swap changes them on purpose. A difference fails the request, with the
table of differences kept in the job's result for the dashboard.

A copy is also checked for user data: the new course must hold none. A restore must be
recorded by the plugin, and hold no user data, or, restored with its user data, every count the
review said comes back.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from moodle_client.types.passage import CourseInventory
from transition.engine.errors import VerificationFailed
from transition.engine.steps.context import StepContext
from transition.models import Job

COMPARED_SECTIONS = ("activity", "course", "gradebook", "groups")
# Records Moodle deletes with a user's enrolment (forum subscriptions, group memberships): when
# the request unenrols people, these follow the participants and are not compared.
ENROLMENT_BOUND_KINDS = frozenset({"subscriptions", "members"})

CountKey = tuple[str, str, str, str]  # (section, activity name or "", modname, kind)


def inventory_counts(inventory: CourseInventory) -> dict[CountKey, int]:
    """The inventory's counts keyed as the review's rows are."""
    counts: dict[CountKey, int] = defaultdict(int)
    for module in inventory.modules:
        for data in module.data:
            counts["activity", module.name, module.modname, data.kind] += data.total
    for data in inventory.coursedata:
        counts["course", "", "", data.kind] += data.total
    book = inventory.gradebook
    counts["gradebook", "", "", "grades"] = book.grades
    counts["gradebook", "", "", "manualitems"] = book.manualitems
    counts["gradebook", "", "", "categories"] = book.categories
    counts["groups", "", "", "groups"] = len(inventory.groups)
    counts["groups", "", "", "members"] = sum(group.members for group in inventory.groups)
    counts["groups", "", "", "groupings"] = len(inventory.groupings)
    counts["groups", "", "", "grouping_groups"] = sum(
        grouping.groups for grouping in inventory.groupings
    )
    return dict(counts)


def _row_key(row: Mapping[str, Any]) -> CountKey:
    if row["section"] == "activity":
        return ("activity", str(row["subject"]), str(row["modname"]), str(row["kind"]))
    return (str(row["section"]), "", "", str(row["kind"]))


def review_differences(
    review: Mapping[str, Any], inventory: CourseInventory, *, unenrols: bool
) -> list[dict[str, Any]]:
    """One line per reviewed count that is not what the review announced. Rows about the same
    count (a forum's posts, and the announcement the request adds to them) are compared
    together. The announcement posted in an announcements forum the request had to create is
    not: that forum is not in the reviewed inventory (the announcement job checks its post)."""
    now = inventory_counts(inventory)
    compared: dict[CountKey, dict[str, Any]] = {}
    for row in review.get("rows") or ():
        if row.get("section") not in COMPARED_SECTIONS:
            continue
        if unenrols and row.get("kind") in ENROLMENT_BOUND_KINDS:
            continue
        if row.get("note") == "announcement" and not row.get("subject"):
            continue
        fate = row.get("fate")
        total = int(row.get("total") or 0)
        if fate == "deleted":
            expected = total - int(row.get("affected") or 0)
        elif fate == "kept":
            expected = total
        else:
            continue
        line = compared.setdefault(
            _row_key(row),
            {
                "section": row["section"],
                "subject": row.get("subject", ""),
                "kind": row["kind"],
                "fate": fate,
                "reviewed": 0,
                "expected": 0,
            },
        )
        line["reviewed"] += total
        line["expected"] += expected
        if fate == "deleted":
            line["fate"] = fate
    differences = []
    for key, line in compared.items():
        found = now.get(key, 0)
        if found != line["expected"]:
            differences.append({**line, "found": found})
    return differences


def user_data_left(inventory: CourseInventory) -> list[dict[str, Any]]:
    """Student data in a course that should hold none (a copy, a restore without users)."""
    lines = []
    for module in inventory.modules:
        for data in module.data:
            if data.students:
                lines.append(
                    {
                        "section": "activity",
                        "subject": module.name,
                        "kind": data.kind,
                        "fate": "none",
                        "reviewed": 0,
                        "expected": 0,
                        "found": data.students,
                    }
                )
    if inventory.gradebook.studentgrades:
        lines.append(
            {
                "section": "gradebook",
                "subject": "",
                "kind": "grades",
                "fate": "none",
                "reviewed": 0,
                "expected": 0,
                "found": inventory.gradebook.studentgrades,
            }
        )
    return lines


def restored_differences(
    review: Mapping[str, Any], inventory: CourseInventory
) -> list[dict[str, Any]]:
    """A restore with user data: every count the review said comes back is there."""
    now = inventory_counts(inventory)
    differences = []
    for row in review.get("rows") or ():
        if row.get("note") != "restore_user_data" or row.get("section") not in COMPARED_SECTIONS:
            continue
        expected = int(row.get("total") or 0)
        found = now.get(_row_key(row), 0)
        if found != expected:
            differences.append(
                {
                    "section": row["section"],
                    "subject": row.get("subject", ""),
                    "kind": row["kind"],
                    "fate": "added",
                    "reviewed": expected,
                    "expected": expected,
                    "found": found,
                }
            )
    return differences


def run(ctx: StepContext) -> dict[str, Any]:
    request = ctx.job.request
    assert request is not None and ctx.spec is not None and ctx.job.course is not None
    client = ctx.client
    inventory = client.get_course_inventory(ctx.job.course.moodle_id)
    differences = []
    review = request.review_snapshot or {}
    if ctx.spec.scenario in ("reuse_reset", "fresh_copy"):
        unenrols = bool(ctx.spec.removes_cohorts) or ctx.spec.reset_options.get(
            "unenrol_users", ""
        ) not in ("", "0")
        differences += review_differences(review, inventory, unenrols=unenrols)
    checked: dict[str, Any] = {"course": inventory.course.id, "rows": len(review.get("rows", []))}
    if ctx.spec.scenario == "fresh_copy":
        copy = request.jobs.filter(kind=Job.Kind.COPY, status=Job.Status.SUCCEEDED).first()
        new_id = int(copy.result["new_course_moodle_id"]) if copy is not None else 0
        new_inventory = client.get_course_inventory(new_id)
        differences += user_data_left(new_inventory)
        checked["new_course"] = new_id
    if ctx.spec.scenario == "restore_previous":
        if not inventory.restore.restored:
            differences.append(
                {
                    "section": "course",
                    "subject": "",
                    "kind": "restore",
                    "fate": "added",
                    "reviewed": 0,
                    "expected": 1,
                    "found": 0,
                }
            )
        if ctx.spec.restore is not None and ctx.spec.restore.users:
            differences += restored_differences(review, inventory)
        else:
            differences += user_data_left(inventory)
    if differences:
        ctx.remember(differences=differences)
        raise VerificationFailed(
            f"{len(differences)} count(s) differ from the review.", details=differences
        )
    return {**checked, "differences": []}

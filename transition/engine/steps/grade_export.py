"""Every user's gradebook, exported to an .xlsx kept with the request, before any reset."""

from __future__ import annotations

from typing import Any

from transition.engine.steps.context import StepContext
from transition.engine.storage import grades_save
from transition.grade_workbook import gradebook_workbook

TOTALS = frozenset({"course", "category"})


def run(ctx: StepContext) -> dict[str, Any]:
    course = ctx.job.course
    assert course is not None
    usergrades = ctx.client.get_grade_items(course.moodle_id)
    content, rows = gradebook_workbook(usergrades)
    request_part = f"request-{ctx.job.request_id}" if ctx.job.request_id else f"job-{ctx.job.pk}"
    name = grades_save(
        name=f"grades/{request_part}/{course.shortname}-grades.xlsx", content=content
    )
    # The course total (and a category's) is worked out from the other grades: not counted.
    graded = [
        item for user in usergrades for item in user.gradeitems if item.itemtype not in TOTALS
    ]
    return {
        "file": name,
        "users": len(usergrades),
        "rows": rows,
        "grades": sum(1 for item in graded if item.graderaw is not None),
        "items": len({item.id for item in graded}),
    }

"""Every user's gradebook, exported to an .xlsx kept with the request, before any reset."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from openpyxl import Workbook

from moodle_client.types.activities import UserGrades
from transition.engine.steps.context import StepContext
from transition.engine.storage import grades_save

HEADER = (
    "User",
    "ID number",
    "Grade item",
    "Type",
    "Grade",
    "Raw grade",
    "Minimum",
    "Maximum",
    "Percentage",
    "Feedback",
)


def gradebook_workbook(usergrades: Sequence[UserGrades]) -> tuple[bytes, int]:
    """Every user's grade items as an .xlsx, and how many rows it holds."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Grades"
    sheet.append(HEADER)
    rows = 0
    for user in usergrades:
        for item in user.gradeitems:
            sheet.append(
                (
                    user.userfullname,
                    user.useridnumber,
                    item.itemname or item.itemtype,
                    item.itemtype,
                    item.gradeformatted,
                    item.graderaw,
                    item.grademin,
                    item.grademax,
                    item.percentageformatted,
                    item.feedback,
                )
            )
            rows += 1
    content = io.BytesIO()
    workbook.save(content)
    return content.getvalue(), rows


def run(ctx: StepContext) -> dict[str, Any]:
    course = ctx.job.course
    assert course is not None
    usergrades = ctx.client.get_grade_items(course.moodle_id)
    content, rows = gradebook_workbook(usergrades)
    request_part = f"request-{ctx.job.request_id}" if ctx.job.request_id else f"job-{ctx.job.pk}"
    name = grades_save(
        name=f"grades/{request_part}/{course.shortname}-grades.xlsx", content=content
    )
    return {"file": name, "users": len(usergrades), "rows": rows}

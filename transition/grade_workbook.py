"""Every user's grade items as a spreadsheet (.xlsx): the grade export before a reset, and
the gradebook of a kept copy."""

from __future__ import annotations

import io
from collections.abc import Sequence

from openpyxl import Workbook

from moodle_client.types.activities import UserGrades

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

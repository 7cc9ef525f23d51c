"""The campaign's status per course, as CSV and as an Excel workbook (XLSX)."""

import csv
import io
from collections.abc import Iterable, Iterator
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from transition.dashboard.selectors import campaign_courses_in_state, courses_with_latest
from transition.models import Campaign, Course, Job, TransitionRequest

CHUNK = 2000
# A cell starting with one of these is a formula to Excel and LibreOffice (CSV included); a course
# named "=HYPERLINK(...)" in Moodle must reach the spreadsheet as text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell_text(value: str) -> str:
    """`value` as a spreadsheet shows it as text: a leading `'` before a formula's first sign."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def export_headers() -> list[str]:
    return [
        _("Platform"),
        _("Moodle id"),
        _("Short name"),
        _("Full name"),
        _("Category"),
        _("Curriculum code"),
        _("Scenario"),
        _("Request status"),
        _("Last job"),
        _("Job status"),
        _("Job error"),
        _("Job finished"),
        _("Verified backup"),
    ]


def _label(choices: Any, value: str | None) -> str:
    if not value:
        return ""
    return str(dict(choices.choices).get(value, value))


def _iso(value: Any) -> str:
    return value.isoformat() if value else ""


def export_rows(*, campaign: Campaign) -> Iterator[list[str]]:
    """One row per course of the campaign, in short-name order, read in chunks."""
    every = campaign_courses_in_state(campaign=campaign)
    courses: Iterable[Course] = courses_with_latest(campaign=campaign, courses=every).iterator(
        chunk_size=CHUNK
    )
    for course in courses:
        yield [
            cell_text(value)
            for value in (
                course.instance.name,
                str(course.moodle_id),
                course.shortname,
                course.fullname,
                course.category.name if course.category else "",
                course.curriculum_code,
                _label(TransitionRequest.Scenario, course.request_scenario),  # type: ignore[attr-defined]
                _label(TransitionRequest.Status, course.request_status),  # type: ignore[attr-defined]
                _label(Job.Kind, course.job_kind),  # type: ignore[attr-defined]
                _label(Job.Status, course.job_status),  # type: ignore[attr-defined]
                course.job_error or "",  # type: ignore[attr-defined]
                _iso(course.job_finished_at),  # type: ignore[attr-defined]
                _iso(course.backup_verified_at),  # type: ignore[attr-defined]
            )
        ]


class _Echo:
    def write(self, value: str) -> str:
        return value


def export_csv_lines(*, campaign: Campaign) -> Iterator[str]:
    """CSV text, line by line (for a streaming response); UTF-8 with a BOM for Excel."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(export_headers())
    for row in export_rows(campaign=campaign):
        yield writer.writerow(row)


def _text_cells(sheet: Any, row: list[str]) -> list[WriteOnlyCell]:
    """Cells typed as text: openpyxl stores a string starting with "=" as a formula otherwise."""
    cells = []
    for value in row:
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"
        cells.append(cell)
    return cells


def export_xlsx(*, campaign: Campaign) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=campaign.academic_year)
    sheet.append(export_headers())
    for row in export_rows(campaign=campaign):
        sheet.append(_text_cells(sheet, row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()

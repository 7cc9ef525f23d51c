"""Read Apogée's curriculum export: one row per step version (code étape + version).

The export comes from spreadsheets saved by hand, so the reader is forgiving about the form
(`;` or `,`, UTF-8 or Latin-1, header case and accents) and strict about the content: any bad
row refuses the whole file, with every error and its line number.
"""

import csv
import io
import re
import unicodedata
from dataclasses import dataclass

from django.utils.translation import gettext as _

MAX_ERRORS = 50

# Normalised header → field. Headers are normalised by `_normalise_header`.
HEADER_ALIASES: dict[str, str] = {
    "code_etape": "code",
    "cod_etp": "code",
    "code_etp": "code",
    "etape": "code",
    "code": "code",
    "version": "version",
    "version_etape": "version",
    "cod_vrs_vet": "version",
    "vrs_etp": "version",
    "vet": "version",
    "libelle": "label",
    "libelle_web": "label",
    "lib_etp": "label",
    "lib_web_vet": "label",
    "intitule": "label",
    "composante": "component",
    "cod_cmp": "component",
    "lib_cmp": "component",
    "campus": "campus",
    "site": "campus",
    "lieu": "campus",
    "annee": "year",
    "annee_universitaire": "year",
    "cod_anu": "year",
    "cohorte": "idnumber",
    "idnumber": "idnumber",
    "id_cohorte": "idnumber",
}
REQUIRED_FIELDS = ("code", "version", "label", "year")
_CODE = re.compile(r"^[A-Z0-9][A-Z0-9_-]{0,29}$")
_VERSION = re.compile(r"^[0-9]{1,5}$")
_YEAR = re.compile(r"^(?P<first>[0-9]{4})(?:\s*[-/]\s*(?P<second>[0-9]{4}))?$")


@dataclass(frozen=True)
class ApogeeRow:
    line: int
    code: str
    version: str
    label: str
    component: str
    campus: str
    year: int
    idnumber: str


@dataclass(frozen=True)
class LineError:
    """A problem of one line, said in the language active when the file was read."""

    line: int
    message: str

    def __str__(self) -> str:
        return _("line %(line)d: %(message)s") % {"line": self.line, "message": self.message}


class ApogeeFileRefused(Exception):
    """The file was refused as a whole; `errors` lists every problem found, by line."""

    def __init__(self, errors: list[LineError]) -> None:
        super().__init__("; ".join(str(error) for error in errors))
        self.errors = errors


# What other files people export by mistake begin with.
_NOT_TEXT_SIGNATURES = {
    b"PK\x03\x04": "xlsx",  # an Excel (or OpenDocument) workbook: a zip archive
    b"\xd0\xcf\x11\xe0": "xls",  # an old Excel workbook
    b"%PDF": "pdf",
}


def _refuse_if_not_text(data: bytes) -> None:
    """A workbook, a PDF or any binary file is refused as such, not read as a CSV."""
    for signature, kind in _NOT_TEXT_SIGNATURES.items():
        if data.startswith(signature):
            if kind in ("xlsx", "xls"):
                message = _(
                    "this is an Excel workbook, not a CSV file: open it and save the sheet as "
                    "CSV (separator ';')"
                )
            else:
                message = _("this is a PDF document, not a CSV file")
            raise ApogeeFileRefused([LineError(1, message)])
    head = data[:4096]
    controls = sum(1 for byte in head if byte < 32 and byte not in (9, 10, 13))
    if b"\x00" in head or controls > len(head) // 100:
        raise ApogeeFileRefused(
            [LineError(1, _("this is not a text (CSV) file; export Apogée's list as CSV"))]
        )


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Spreadsheets on Windows save "CSV" as cp1252, a superset of Latin-1 for letters.
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            return data.decode("latin-1")


def _normalise_header(header: str) -> str:
    stripped = unicodedata.normalize("NFKD", header).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "_", stripped.lower()).strip("_")


def _delimiter(first_line: str) -> str:
    # The header decides: it holds no commas or semicolons inside its names.
    return ";" if first_line.count(";") >= first_line.count(",") else ","


def cohort_idnumber(code: str, version: str) -> str:
    """Moodle's cohort idnumber for a step version: L1CHIM + 231 = L1CHIM231."""
    return f"{code}{version}"


# A cohort idnumber: the step, its three-digit version, and a campus suffix for the cohorts of
# a second campus (L1CHIM231-ALE).
_COHORT_IDNUMBER = re.compile(r"^(?P<step>.+?)(?P<version>[0-9]{3})(?:-[A-Za-z0-9]+)?$")


def cohort_step(idnumber: str) -> str:
    """The Apogée step of a cohort idnumber (L1CHIM231 and L1CHIM231-ALE: L1CHIM); "" if the
    idnumber is not of that form."""
    match = _COHORT_IDNUMBER.match(idnumber.strip())
    return match["step"].upper() if match else ""


def apogee_parse(data: bytes) -> list[ApogeeRow]:
    """Parse the whole file or raise ApogeeFileRefused listing every bad line."""
    _refuse_if_not_text(data)
    text = _decode(data)
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        raise ApogeeFileRefused([LineError(1, _("the file is empty"))])
    reader = csv.reader(io.StringIO(text), delimiter=_delimiter(lines[0]))
    header = next(reader)
    columns: dict[str, int] = {}
    errors: list[LineError] = []
    for index, name in enumerate(header):
        field = HEADER_ALIASES.get(_normalise_header(name))
        if field is None:
            continue
        if field in columns:
            errors.append(
                LineError(
                    1, _("two columns mean %(field)s (%(name)s)") % {"field": field, "name": name}
                )
            )
        columns[field] = index
    missing = [field for field in REQUIRED_FIELDS if field not in columns]
    if missing:
        errors.append(
            LineError(
                1,
                _("missing column(s): %(missing)s (header: %(header)s)")
                % {"missing": ", ".join(missing), "header": ", ".join(header)[:300]},
            )
        )
    if errors:
        raise ApogeeFileRefused(errors)

    rows: list[ApogeeRow] = []
    first_line_of: dict[str, int] = {}
    for values in reader:
        line = reader.line_num
        if not any(value.strip() for value in values):
            continue
        row, row_errors = _row(line, values, columns)
        errors.extend(row_errors)
        if row is not None:
            if row.idnumber in first_line_of:
                errors.append(
                    LineError(
                        line,
                        _("cohort %(idnumber)s already appears on line %(first)d")
                        % {"idnumber": row.idnumber, "first": first_line_of[row.idnumber]},
                    )
                )
            else:
                first_line_of[row.idnumber] = line
                rows.append(row)
        if len(errors) >= MAX_ERRORS:
            break
    if errors:
        raise ApogeeFileRefused(errors)
    if not rows:
        raise ApogeeFileRefused([LineError(2, _("the file holds a header but no row"))])
    return rows


def _row(
    line: int, values: list[str], columns: dict[str, int]
) -> tuple[ApogeeRow | None, list[LineError]]:
    def value(field: str) -> str:
        index = columns.get(field)
        return values[index].strip() if index is not None and index < len(values) else ""

    errors: list[LineError] = []
    code = value("code").upper()
    version = value("version")
    label = value("label")
    year_text = value("year")
    if not _CODE.match(code):
        errors.append(
            LineError(line, _("step code %(value)r is not an Apogée code") % {"value": code})
        )
    if not _VERSION.match(version):
        errors.append(LineError(line, _("version %(value)r is not a number") % {"value": version}))
    if not label:
        errors.append(LineError(line, _("the label is empty")))
    year_match = _YEAR.match(year_text)
    year = 0
    if year_match is None:
        errors.append(
            LineError(
                line,
                _("year %(value)r is not a year (2025 or 2025-2026)") % {"value": year_text},
            )
        )
    else:
        year = int(year_match["first"])
        second = year_match["second"]
        if second is not None and int(second) != year + 1:
            errors.append(
                LineError(line, _("year %(value)r does not span two years") % {"value": year_text})
            )
    if errors:
        return None, errors
    idnumber = value("idnumber") or cohort_idnumber(code, version)
    return (
        ApogeeRow(
            line=line,
            code=code,
            version=version,
            label=label,
            component=value("component"),
            campus=value("campus"),
            year=year,
            idnumber=idnumber,
        ),
        [],
    )

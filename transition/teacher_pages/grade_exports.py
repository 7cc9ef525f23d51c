"""What a grade export holds, in words a teacher can set beside the review's grade count."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from transition.models import Job, TransitionRequest
from transition.review.results import Section


@dataclass(frozen=True)
class GradeExportLine:
    job: Job
    holds: str  # "96 grades of 16 students on 6 grade items, and each one's course total"
    # The review's gradebook grades that the export does not hold: those of people who are no
    # longer enrolled as students (Moodle's grade report exports only the students enrolled).
    not_exported: int


def _reviewed_gradebook_grades(transition: TransitionRequest) -> int | None:
    rows = (transition.review_snapshot or {}).get("rows") or ()
    for row in rows:
        if row.get("section") == Section.GRADEBOOK and row.get("kind") == "grades":
            return int(row.get("total") or 0)
    return None


def grade_export_line(job: Job, transition: TransitionRequest) -> GradeExportLine:
    result = job.result or {}
    if "grades" not in result:  # an export recorded before its grades were counted
        rows = int(result.get("rows") or 0)
        holds = ngettext("%(count)d row", "%(count)d rows", rows) % {"count": rows} if rows else ""
        return GradeExportLine(job=job, holds=holds, not_exported=0)
    grades, users, items = int(result["grades"]), int(result["users"]), int(result["items"])
    holds = _("%(grades)s of %(students)s on %(items)s, and each student's course total") % {
        "grades": ngettext("%(count)d grade", "%(count)d grades", grades) % {"count": grades},
        "students": ngettext("%(count)d student", "%(count)d students", users) % {"count": users},
        "items": ngettext("%(count)d grade item", "%(count)d grade items", items)
        % {"count": items},
    }
    reviewed = _reviewed_gradebook_grades(transition)
    return GradeExportLine(
        job=job,
        holds=holds,
        not_exported=max(0, reviewed - grades) if reviewed is not None else 0,
    )

"""Cohorts from the Apogée curriculum export, and next year's successor of each."""

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from transition.apogee_csv import ApogeeRow, apogee_parse
from transition.models import Cohort, MoodleInstance
from transition.services.audit import audit_record

_IMPORTED_FIELDS = ("apogee_code", "apogee_version", "label", "component", "campus", "year")


@dataclass
class ApogeeImportSummary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    # (cohort idnumber, suggested successor idnumber), for the successors set by this import.
    successors: list[tuple[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class CohortChange:
    idnumber: str
    label: str
    # field name → (stored value, value in the file); empty for a cohort to create
    changes: dict[str, tuple[object, object]]


@dataclass(frozen=True)
class ApogeeImportPreview:
    """What importing a file would do, read without writing anything."""

    to_create: list[CohortChange]
    to_update: list[CohortChange]
    unchanged: int

    @property
    def changes_anything(self) -> bool:
        return bool(self.to_create or self.to_update)


def cohorts_import_preview(*, instance: MoodleInstance, data: bytes) -> ApogeeImportPreview:
    """The cohorts an import of `data` would create and change (field by field); a bad file
    raises `ApogeeFileRefused` as the import would."""
    rows = apogee_parse(data)
    existing = {
        cohort.idnumber: cohort
        for cohort in Cohort.objects.filter(
            instance=instance, idnumber__in=[row.idnumber for row in rows]
        )
    }
    to_create, to_update, unchanged = [], [], 0
    for row in rows:
        values = _values(row)
        cohort = existing.get(row.idnumber)
        if cohort is None:
            to_create.append(CohortChange(row.idnumber, row.label, {}))
            continue
        changes = {
            name: (getattr(cohort, name), value)
            for name, value in values.items()
            if getattr(cohort, name) != value
        }
        if changes:
            to_update.append(CohortChange(row.idnumber, row.label, changes))
        else:
            unchanged += 1
    return ApogeeImportPreview(to_create=to_create, to_update=to_update, unchanged=unchanged)


def cohorts_import_apogee(
    *, instance: MoodleInstance, data: bytes, actor: AbstractBaseUser | None = None
) -> ApogeeImportSummary:
    """Create or update the instance's cohorts from an Apogée export, all or nothing.

    A bad file raises `ApogeeFileRefused` before anything is written.
    """
    rows = apogee_parse(data)
    summary = ApogeeImportSummary()
    now = timezone.now()
    with transaction.atomic():
        existing = {
            cohort.idnumber: cohort
            for cohort in Cohort.objects.select_for_update().filter(
                instance=instance, idnumber__in=[row.idnumber for row in rows]
            )
        }
        for row in rows:
            values = _values(row)
            cohort = existing.get(row.idnumber)
            if cohort is None:
                Cohort.objects.create(
                    instance=instance, idnumber=row.idnumber, imported_at=now, **values
                )
                summary.created += 1
            elif any(getattr(cohort, name) != value for name, value in values.items()):
                for name, value in values.items():
                    setattr(cohort, name, value)
                cohort.imported_at = now
                cohort.save()
                summary.updated += 1
            else:
                summary.unchanged += 1
        summary.successors = cohorts_suggest_successors(instance=instance)
        audit_record(
            action="cohorts_import_apogee",
            actor=actor,
            details={
                "instance": instance.name,
                "created": summary.created,
                "updated": summary.updated,
                "unchanged": summary.unchanged,
                "successors": len(summary.successors),
            },
        )
    return summary


def _values(row: ApogeeRow) -> dict[str, object]:
    return {
        "apogee_code": row.code,
        "apogee_version": row.version,
        "label": row.label,
        "component": row.component,
        "campus": row.campus,
        "year": row.year,
    }


def cohorts_suggest_successors(*, instance: MoodleInstance) -> list[tuple[str, str]]:
    """Give each Apogée cohort without a successor the cohort that follows it, if one exists.

    Next year's cohort has the same step code and campus, and the next year; when years do not
    tell (same year or unknown), the next higher version of the step. A successor chosen by hand
    is never replaced.
    """
    cohorts = list(Cohort.objects.filter(instance=instance).exclude(apogee_code="").order_by("pk"))
    by_step: dict[tuple[str, str], list[Cohort]] = {}
    for cohort in cohorts:
        by_step.setdefault((cohort.apogee_code, cohort.campus), []).append(cohort)
    suggested: list[tuple[str, str]] = []
    for cohort in cohorts:
        if cohort.successor_id is not None:
            continue
        successor = _next_of(cohort, by_step[(cohort.apogee_code, cohort.campus)])
        if successor is not None:
            cohort.successor = successor
            cohort.save(update_fields=["successor"])
            suggested.append((cohort.idnumber, successor.idnumber))
    return suggested


def _version_number(cohort: Cohort) -> int:
    return int(cohort.apogee_version) if cohort.apogee_version.isdigit() else -1


def _next_of(cohort: Cohort, same_step: list[Cohort]) -> Cohort | None:
    others = [other for other in same_step if other.pk != cohort.pk]
    if cohort.year is not None:
        next_year = [other for other in others if other.year == cohort.year + 1]
        if next_year:
            return max(next_year, key=_version_number)
    higher = [
        other
        for other in others
        if _version_number(other) > _version_number(cohort)
        and (other.year is None or cohort.year is None or other.year >= cohort.year)
    ]
    return min(higher, key=_version_number) if higher else None


_COHORT_NAME = re.compile(r"^(?P<step>.*?[A-Za-z])(?P<version>\d+)(?P<rest>(-.*)?)$")


def cohort_successors_by_name(idnumbers: Iterable[str]) -> dict[str, str]:
    """Next year's cohort of each Apogée-named cohort, read from the names alone: the same step
    and campus with the next higher version (L1CHIM231-ALE → L1CHIM241-ALE). For cohorts Moodle
    holds that no import linked yet."""
    versions: dict[tuple[str, str], list[tuple[int, str]]] = {}
    for idnumber in idnumbers:
        match = _COHORT_NAME.match(idnumber or "")
        if match:
            key = (match["step"].upper(), match["rest"].upper())
            versions.setdefault(key, []).append((int(match["version"]), idnumber))
    successors: dict[str, str] = {}
    for named in versions.values():
        named.sort()
        for version, idnumber in named:
            following = next((other for v, other in named if v > version), None)
            if following is not None:
                successors[idnumber] = following
    return successors

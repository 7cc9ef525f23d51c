"""Which courses a campaign's operations touch.

A campaign works on the current platform's courses that are still in Moodle, minus its excluded
categories and everything below them ("espaces complémentaires", seed 001).
"""

from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Q, QuerySet

from transition.apogee_csv import cohort_step
from transition.models import Campaign, Cohort, Course, CourseCohort, MoodleInstance


def campaign_courses(*, campaign: Campaign) -> QuerySet[Course]:
    courses = Course.objects.filter(
        instance__role=MoodleInstance.Role.CURRENT, gone_from_moodle_at__isnull=True
    )
    excluded = Q()
    for category in campaign.excluded_categories.all():
        excluded |= Q(category=category)
        if category.path:
            excluded |= Q(category__path__startswith=f"{category.path}/")
    if excluded:
        courses = courses.exclude(excluded)
    return courses


def curriculum_codes_latest(*, instance: MoodleInstance) -> frozenset[str] | None:
    """The codes of the latest Apogée year imported for the platform; None before any import.

    Both the step code (L1CHIM) and the cohort's idnumber (L1CHIM231) count.
    """
    imported = Cohort.objects.filter(instance=instance, imported_at__isnull=False)
    latest_year = (
        imported.exclude(year__isnull=True).order_by("-year").values_list("year", flat=True).first()
    )
    if latest_year is None and not imported.exists():
        return None
    if latest_year is not None:
        imported = imported.filter(year=latest_year)
    codes: set[str] = set()
    for code, idnumber in imported.values_list("apogee_code", "idnumber"):
        codes.update(value.upper() for value in (code, idnumber) if value)
    return frozenset(codes)


def curriculum_code_known(code: str, codes: frozenset[str]) -> bool:
    """A course's code is in the curriculum as it is or without its year suffix (CHIM231-2025)."""
    code = code.strip().upper()
    return code in codes or code.rsplit("-", 1)[0] in codes


def cohort_steps_by_course(*, course_ids: Iterable[int]) -> dict[int, frozenset[str]]:
    """The Apogée steps of the cohorts synced into each course (seed 004: a course enrols the
    cohort of its step, L1CHIM231 for the step L1CHIM), and the cohorts' idnumbers."""
    steps: dict[int, set[str]] = defaultdict(set)
    links = CourseCohort.objects.filter(course_id__in=list(course_ids)).values_list(
        "course_id", "cohort__apogee_code", "cohort__idnumber"
    )
    for course_id, apogee_code, idnumber in links:
        steps[course_id].update(
            value.upper() for value in (apogee_code, idnumber, cohort_step(idnumber)) if value
        )
    return {course_id: frozenset(values) for course_id, values in steps.items()}

"""A course's dates in the campaign's next academic year, and how Moodle moves them.

The new start keeps the course's day in the academic year: a course that started on 8
September last year starts on 8 September in the campaign's year (which begins on its
`cutoff_date`), a second-semester course in the next spring.
Moodle's reset (and Passage's copy, which follows it) sets the new start and shifts the end
by the same amount when the course moves later (reset_course_userdata: `timeshift`).
"""

from __future__ import annotations

import datetime

from django.utils import timezone

MIDNIGHT = datetime.time()
# How long before the academic year's first day a course of that year may start (summer
# schools, early openings): anything earlier in the calendar belongs to the next spring.
HALF_YEAR = datetime.timedelta(days=182)


def _day(timestamp: int) -> datetime.date:
    """The day of a Moodle time where the university is (a course starting at midnight in
    Paris starts on that day, not on the day before in UTC)."""
    return timezone.localtime(datetime.datetime.fromtimestamp(timestamp, tz=datetime.UTC)).date()


def day_timestamp(day: datetime.date) -> int:
    """Midnight UTC of the day, as Passage sends dates to Moodle."""
    return int(datetime.datetime.combine(day, MIDNIGHT, tzinfo=datetime.UTC).timestamp())


def _same_day_in(year: int, day: datetime.date) -> datetime.date:
    try:
        return day.replace(year=year)
    except ValueError:  # 29 February
        return day.replace(year=year, day=28)


def start_in_year(*, startdate: int, year_start: datetime.date) -> datetime.date:
    """The course's start in the academic year that begins on `year_start`: the same day of
    the year, in the half year around `year_start` for a course starting in the autumn (or
    opening early in the summer), or in the next spring for a second-semester course. A course
    already there keeps its start; one without a start starts on `year_start`."""
    if not startdate:
        return year_start
    day = _day(startdate)
    earliest = year_start - HALF_YEAR
    candidate = _same_day_in(earliest.year, day)
    if candidate < earliest:
        candidate = _same_day_in(earliest.year + 1, day)
    return candidate


def dates_after(
    *, startdate: int, enddate: int, new_start: datetime.date | None
) -> tuple[int, int]:
    """(start, end) after a reset or copy to `new_start`: the end moves with the start when
    the start moves later, as Moodle's reset does; nothing moves without a new start."""
    if new_start is None:
        return startdate, enddate
    start = day_timestamp(new_start)
    shift = start - startdate
    return start, enddate + shift if enddate and shift > 0 else enddate

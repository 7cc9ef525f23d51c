"""Next year's course dates: the campaign's academic year, and Moodle's way of moving them."""

import datetime

import pytest

from transition.course_dates import dates_after, day_timestamp, start_in_year

YEAR_2026 = datetime.date(2026, 9, 1)


@pytest.mark.parametrize(
    ("last_start", "next_start"),
    [
        (datetime.date(2025, 9, 1), datetime.date(2026, 9, 1)),  # not 31 August (364 days)
        (datetime.date(2025, 9, 8), datetime.date(2026, 9, 8)),
        (datetime.date(2025, 8, 18), datetime.date(2026, 8, 18)),  # an early opening
        (datetime.date(2026, 2, 2), datetime.date(2027, 2, 2)),  # the second semester
        (datetime.date(2026, 9, 1), datetime.date(2026, 9, 1)),  # already next year's
        (datetime.date(2024, 2, 29), datetime.date(2027, 2, 28)),
    ],
)
def test_a_course_keeps_its_day_in_the_campaigns_academic_year(last_start, next_start) -> None:
    assert start_in_year(startdate=day_timestamp(last_start), year_start=YEAR_2026) == next_start


def test_a_course_starting_at_midnight_in_paris_keeps_its_day(settings) -> None:
    settings.TIME_ZONE = "Europe/Paris"
    paris_midnight = int(
        datetime.datetime(
            2025, 9, 1, tzinfo=datetime.timezone(datetime.timedelta(hours=2))
        ).timestamp()
    )
    assert start_in_year(startdate=paris_midnight, year_start=YEAR_2026) == YEAR_2026


def test_a_course_without_start_starts_with_the_year() -> None:
    assert start_in_year(startdate=0, year_start=YEAR_2026) == YEAR_2026


def test_the_end_moves_with_a_later_start_as_moodles_reset_moves_it() -> None:
    start, end = day_timestamp(datetime.date(2025, 9, 1)), day_timestamp(datetime.date(2026, 6, 30))

    new_start, new_end = dates_after(startdate=start, enddate=end, new_start=YEAR_2026)

    assert new_start == day_timestamp(YEAR_2026)
    assert new_end - new_start == end - start
    assert dates_after(startdate=start, enddate=0, new_start=YEAR_2026)[1] == 0
    assert dates_after(startdate=start, enddate=end, new_start=None) == (start, end)

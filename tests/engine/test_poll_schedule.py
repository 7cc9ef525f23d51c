"""How often the engine looks at a running Moodle operation: soon after it ends, without
hammering Moodle while it runs."""

from __future__ import annotations

import itertools
from collections.abc import Callable

import pytest

from transition.engine.steps.operations import PollSchedule

Progress = Callable[[float], float]  # Moodle's reported progress at a time since the start


def follow(progress: Progress, *, ends_at: float, first: float = 1.0, longest: float = 15.0):
    """Looks at a simulated operation as the engine does, on a virtual clock; returns the times
    of the looks, the last one seeing it finished."""
    schedule = PollSchedule(first=first, longest=longest)
    now, status, seen = 0.0, "queued", 0.0
    looks = []
    while status != "success":
        now += schedule.next_delay(status=status, progress=seen, now=now)
        looks.append(now)
        if now >= ends_at:
            status = "success"
        else:
            status, seen = "running", progress(now)
    return looks


def linear_then_stuck(duration: float) -> Progress:
    # Progress moving with time, reported with two decimals, stopping at 0.95 before the end.
    return lambda t: round(min(0.95, 0.05 + t / duration), 2)


@pytest.mark.parametrize("duration", [6.8, 5.1, 60.0, 1800.0])
def test_an_operation_is_seen_finished_soon_after_it_ends(duration: float) -> None:
    looks = follow(linear_then_stuck(duration), ends_at=duration)

    # Seen within a tenth of the first delay, plus what the rounding of progress costs.
    assert looks[-1] - duration <= 0.1 + duration * 0.01
    # A look at least every `longest` (15 s), and a few dozen more at most: one look costs
    # Moodle a light read, a look late costs the platform's next job that time.
    assert len(looks) <= duration / 15 + 60


def test_a_progress_stuck_mid_way_is_looked_at_less_and_less_often() -> None:
    looks = follow(lambda t: 0.4 if t > 2 else 0.2, ends_at=600.0)

    gaps = [later - earlier for earlier, later in itertools.pairwise(looks)]
    assert max(gaps) == pytest.approx(15.0)  # never longer than `longest`
    assert len(looks) < 100  # not a look every tenth of a second for ten minutes


def test_without_progress_the_delay_grows_from_first_to_longest() -> None:
    looks = follow(lambda t: 0.0, ends_at=300.0)

    gaps = [later - earlier for earlier, later in itertools.pairwise([0.0, *looks])]
    # A quarter of the first delay while the operation is young, then a tenth of its age.
    assert gaps[:4] == pytest.approx([0.25, 0.25, 0.25, 0.25])
    assert all(later >= earlier - 1e-9 for earlier, later in itertools.pairwise(gaps))
    assert max(gaps) == pytest.approx(15.0)


# A real Moodle 5.0's backup of a 64-activity, 100-student course, as a look every 0.1 s saw
# it: (seconds since the call, status, progress). Progress jumps every three seconds or so.
REAL_BACKUP = [
    (0.0, "queued", 0.0),
    (0.27, "running", 0.05),
    (3.86, "running", 0.3231),
    (6.64, "running", 0.6626),
    (9.67, "running", 0.8903),
    (9.85, "success", 1.0),
]


def follow_recorded(timeline: list[tuple[float, str, float]]) -> list[float]:
    schedule = PollSchedule(first=1.0, longest=15.0)
    now, status, seen = 0.0, "queued", 0.0
    looks = []
    while status != "success":
        now += schedule.next_delay(status=status, progress=seen, now=now)
        looks.append(now)
        status, seen = next((s, p) for t, s, p in reversed(timeline) if t <= now)
    return looks


def test_a_backup_whose_progress_moves_in_uneven_steps_is_seen_finished_soon() -> None:
    looks = follow_recorded(REAL_BACKUP)

    # Within a tenth of Moodle's time: a look timed on the pace of the steps alone came 3.7 s
    # (37 %) after the end.
    assert looks[-1] <= 9.85 * 1.1
    assert len(looks) <= 30


@pytest.mark.parametrize("duration", [2.3, 9.85, 40.0, 300.0])
def test_an_operation_whose_progress_says_nothing_is_seen_within_a_tenth_of_its_time(
    duration: float,
) -> None:
    looks = follow(lambda t: 0.05, ends_at=duration)

    assert looks[-1] <= max(duration * 1.1, duration + 0.25)

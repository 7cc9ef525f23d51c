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
    # A look at least every `longest` (15 s), and only a few more.
    assert len(looks) <= duration / 15 + 20


def test_a_progress_stuck_mid_way_is_looked_at_less_and_less_often() -> None:
    looks = follow(lambda t: 0.4 if t > 2 else 0.2, ends_at=600.0)

    gaps = [later - earlier for earlier, later in itertools.pairwise(looks)]
    assert max(gaps) == pytest.approx(15.0)  # never longer than `longest`
    assert len(looks) < 60  # not a look every tenth of a second for ten minutes


def test_without_progress_the_delay_grows_from_first_to_longest() -> None:
    looks = follow(lambda t: 0.0, ends_at=100.0)

    gaps = [later - earlier for earlier, later in itertools.pairwise([0.0, *looks])]
    assert gaps[:4] == pytest.approx([1.0, 1.5, 2.25, 3.375])
    assert max(gaps) == pytest.approx(15.0)

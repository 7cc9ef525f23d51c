"""Backoff delays and the read/write decision."""

from __future__ import annotations

import random

import pytest

from moodle_client.retry import RetryPolicy, is_read_only


def test_delays_grow_exponentially_with_jitter_and_stay_capped() -> None:
    policy = RetryPolicy(max_attempts=10, base_delay=1.0, max_delay=5.0)
    rng = random.Random(1)
    delays = [policy.delay(n, rng) for n in range(1, 8)]
    for number, delay in enumerate(delays, start=1):
        ceiling = min(5.0, 2 ** (number - 1))
        assert ceiling / 2 <= delay <= ceiling
    assert max(delays) <= 5.0


def test_reads_are_listed_and_writes_are_not() -> None:
    assert is_read_only("core_course_get_courses_by_field")
    assert is_read_only("local_passage_get_operations")
    assert is_read_only("local_passage_list_cohort_syncs")
    assert is_read_only("local_passage_get_course_inventory")
    for write in (
        "local_passage_backup_course",
        "local_passage_reset_course",
        "local_passage_restore_course",
        "local_passage_add_cohort_sync",
        "local_passage_remove_cohort_sync",
        "core_course_update_courses",
        "core_course_duplicate_course",
        "local_passage_get_something_new",
    ):
        assert not is_read_only(write)


def test_policy_refuses_zero_attempts() -> None:
    with pytest.raises(ValueError):
        RetryPolicy(max_attempts=0)

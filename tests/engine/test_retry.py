"""The retry decision is a plain function: transient errors retried with backoff up to the
limit, everything else failed at once with its code and message."""

from __future__ import annotations

from celery.exceptions import SoftTimeLimitExceeded

from moodle_client import InvalidParameter, MoodleUnavailable, ShortnameTaken
from transition.engine.errors import BackupMissing, StepInterrupted
from transition.engine.retry import backoff_delay, retry_decision


def test_moodle_unavailable_is_retried_with_exponential_backoff_up_to_the_limit() -> None:
    error = MoodleUnavailable("Service Unavailable", errorcode="http503")
    delays = [
        retry_decision(error=error, attempts=n, max_attempts=5, base_delay=30, max_delay=100)
        for n in range(1, 6)
    ]
    assert [d.retry for d in delays] == [True, True, True, True, False]
    assert [d.delay for d in delays[:4]] == [30, 60, 100, 100]
    assert delays[-1].errorcode == "http503"


def test_permanent_moodle_errors_fail_at_once_keeping_code_and_message() -> None:
    for error in (
        InvalidParameter("Invalid parameter value detected", errorcode="invalidparameter"),
        ShortnameTaken("Short name is already used", errorcode="shortnametaken"),
        BackupMissing("no backup"),
    ):
        decision = retry_decision(
            error=error, attempts=1, max_attempts=5, base_delay=1, max_delay=1
        )
        assert not decision.retry
        assert decision.errorcode == error.errorcode
        assert decision.message == error.message


def test_interrupted_steps_and_time_limits_are_transient() -> None:
    for error in (
        StepInterrupted("checksum differs", errorcode="backupmismatch"),
        SoftTimeLimitExceeded(),
    ):
        assert retry_decision(
            error=error, attempts=1, max_attempts=3, base_delay=1, max_delay=1
        ).retry


def test_backoff_doubles_and_stops_at_the_ceiling() -> None:
    assert [backoff_delay(attempt=n, base=2, ceiling=10) for n in range(1, 6)] == [2, 4, 8, 10, 10]

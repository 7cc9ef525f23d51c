"""Whether a failed job is tried again, and when: the engine's one retry policy.

Only transient failures are retried (Moodle unreachable or answering garbage, a download that
does not match Moodle's checksum, an operation still running when the worker had to stop),
with exponential backoff, up to the job's `max_attempts`. Every other error fails the job at
once, with Moodle's error code and message kept for the dashboard.
"""

from __future__ import annotations

from dataclasses import dataclass

from celery.exceptions import SoftTimeLimitExceeded

from moodle_client import MoodleError, OperationTimeout, is_retryable
from transition.engine.config import engine_config
from transition.engine.errors import StepFailed, StepInterrupted


@dataclass(frozen=True)
class RetryDecision:
    retry: bool
    delay: float  # seconds before the next attempt (0 when not retried)
    errorcode: str
    message: str


def error_code_and_message(error: BaseException) -> tuple[str, str]:
    """What the dashboard shows: Moodle's (or the step's) error code and message."""
    if isinstance(error, MoodleError):
        return error.errorcode or type(error).__name__, error.message
    if isinstance(error, StepFailed | StepInterrupted):
        return error.errorcode, error.message
    if isinstance(error, OperationTimeout):
        return "operationtimeout", str(error)
    if isinstance(error, SoftTimeLimitExceeded):
        return "timelimit", "The job ran past its time limit; it resumes at the next attempt."
    return "internalerror", f"{type(error).__name__}: {error}"


def is_transient(error: BaseException) -> bool:
    return is_retryable(error) or isinstance(
        error, StepInterrupted | OperationTimeout | SoftTimeLimitExceeded
    )


def backoff_delay(*, attempt: int, base: float, ceiling: float) -> float:
    """Seconds before retry number `attempt` (1 for the first retry): base, 2 x base, 4 x base..."""
    return min(ceiling, base * 2.0 ** max(0, attempt - 1))


def retry_decision(
    *,
    error: BaseException,
    attempts: int,
    max_attempts: int,
    base_delay: float | None = None,
    max_delay: float | None = None,
) -> RetryDecision:
    """`attempts` counts the attempts made so far, the failed one included."""
    errorcode, message = error_code_and_message(error)
    if not is_transient(error) or attempts >= max_attempts:
        return RetryDecision(retry=False, delay=0.0, errorcode=errorcode, message=message)
    delay = backoff_delay(
        attempt=attempts,
        base=base_delay if base_delay is not None else engine_config().retry_base_delay,
        ceiling=max_delay if max_delay is not None else engine_config().retry_max_delay,
    )
    return RetryDecision(retry=True, delay=delay, errorcode=errorcode, message=message)

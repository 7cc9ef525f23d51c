"""Start a plugin operation once, then follow it to its end, across attempts and crashes."""

from __future__ import annotations

import time
from collections.abc import Callable

from moodle_client import MoodleUnavailable, NotFound, OperationTimeout
from moodle_client.types.passage import Operation
from transition.engine.config import engine_config
from transition.engine.errors import OperationFailed
from transition.engine.steps.context import StepContext


def operation_run(ctx: StepContext, start: Callable[[], Operation]) -> Operation:
    """The finished, successful operation of this job.

    An operation id recorded by an earlier attempt is followed instead of starting again; if
    it was lost, `start` sends the job's key again and the plugin answers the same operation.
    A failed operation raises `OperationFailed` with Moodle's error code and message.
    """
    client = ctx.client
    operation: Operation | None = None
    if ctx.job.moodle_operation_id:
        try:
            operation = client.get_operation(ctx.job.moodle_operation_id)
        except NotFound:
            operation = None
        if operation is not None and operation.key != ctx.moodle_key:
            operation = None
    if operation is None:
        operation = start()
        ctx.remember(moodle_operation_id=operation.id)
    operation = _wait(ctx, operation)
    if not operation.succeeded:
        error = operation.error
        raise OperationFailed(
            error.message if error else f"Moodle operation {operation.id} failed",
            errorcode=error.errorcode if error else "operationfailed",
        )
    return operation


def _wait(ctx: StepContext, operation: Operation) -> Operation:
    """Poll until the operation ends. Once Moodle reports progress, the next look is timed for
    when the operation should end at the pace seen so far; an operation still running then is
    looked at again soon (from a tenth of `poll_first`, growing), since every moment between
    its end and the look is lost to the platform's next job. Until there is an estimate, the
    delay grows from `poll_first` to `poll_max`."""
    config = engine_config()
    started = time.monotonic()
    delay = config.poll_first
    overdue = config.poll_first / 10
    seen: tuple[float, float] | None = None  # (monotonic time, progress) at the first look
    while not operation.finished:
        elapsed = time.monotonic() - started
        if elapsed > config.operation_deadline:
            raise OperationTimeout(operation.id, operation, elapsed)
        remaining = _remaining(operation, seen)
        if remaining is None:
            time.sleep(delay)
            delay = min(delay * 1.5, config.poll_max)
        elif remaining > overdue:
            time.sleep(min(remaining, config.poll_max))
        else:
            time.sleep(overdue)
            overdue = min(overdue * 1.5, config.poll_max)
        try:
            operation = ctx.client.get_operation(operation.id)
        except MoodleUnavailable:
            continue
        if seen is None and operation.status == "running" and operation.progress > 0:
            seen = (time.monotonic(), operation.progress)
    return operation


def _remaining(operation: Operation, seen: tuple[float, float] | None) -> float | None:
    """Seconds until the operation should end at the pace seen since the first look; None
    while there is no pace to go by."""
    if seen is None or operation.status != "running":
        return None
    first_at, first_progress = seen
    gained = operation.progress - first_progress
    if gained <= 0 or operation.progress >= 1:
        return None
    pace = gained / max(time.monotonic() - first_at, 1e-3)
    return (1.0 - operation.progress) / pace

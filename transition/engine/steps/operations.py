"""Start a plugin operation once, then follow it to its end, across attempts and crashes."""

from __future__ import annotations

import datetime
import time
from collections.abc import Callable

from moodle_client import MoodleUnavailable, NotFound, OperationTimeout
from moodle_client.types.passage import Operation
from transition.engine.config import engine_config
from transition.engine.errors import OperationFailed, OperationStale
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
    _refuse_older_than_job(ctx, operation)
    operation = _wait(ctx, operation)
    if not operation.succeeded:
        error = operation.error
        raise OperationFailed(
            error.message if error else f"Moodle operation {operation.id} failed",
            errorcode=error.errorcode if error else "operationfailed",
        )
    return operation


def _refuse_older_than_job(ctx: StepContext, operation: Operation) -> None:
    """An operation created before its job was planned is someone else's work under the same
    key (another installation, a restored copy of this database): never the job's own."""
    planned = ctx.job.created_at.timestamp() - engine_config().clock_tolerance
    if operation.timecreated >= planned:
        return
    created = datetime.datetime.fromtimestamp(operation.timecreated, tz=datetime.UTC)
    raise OperationStale(
        f"Moodle answered operation {operation.id} ({operation.type}, created "
        f"{created:%Y-%m-%d %H:%M:%S} UTC) under the key {operation.key}, but this job was "
        f"planned at {ctx.job.created_at:%Y-%m-%d %H:%M:%S} UTC: the key was used before, by "
        "another portal installation or a copy of this database. Nothing was taken from that "
        "operation. Retry the job to start a new one (if Moodle's clock is behind the "
        "portal's, set it right first).",
        details={"operation_id": operation.id, "timecreated": operation.timecreated},
    )


def _wait(ctx: StepContext, operation: Operation) -> Operation:
    """Follow the operation to its end at the pace Moodle reports it: each look asks Moodle to
    answer when the operation changes status or progress (at most `operation_wait` seconds
    later), so the end is seen when it comes, with no sleep in between. A platform that does
    not answer is asked again after `operation_unreachable_pause`."""
    config = engine_config()
    started = time.monotonic()
    while not operation.finished:
        elapsed = time.monotonic() - started
        if elapsed > config.operation_deadline:
            raise OperationTimeout(operation.id, operation, elapsed)
        try:
            operation = ctx.client.get_operation(operation.id, wait=config.operation_wait)
        except MoodleUnavailable:
            time.sleep(config.operation_unreachable_pause)
    return operation

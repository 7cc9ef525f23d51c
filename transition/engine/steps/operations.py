"""Start a plugin operation once, then follow it to its end, across attempts and crashes."""

from __future__ import annotations

import datetime
import time
from collections.abc import Callable
from dataclasses import dataclass, field

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
    """Poll until the operation ends, as `PollSchedule` times the looks."""
    config = engine_config()
    started = time.monotonic()
    schedule = PollSchedule(
        first=config.poll_first, longest=config.poll_max, share=config.poll_share
    )
    while not operation.finished:
        elapsed = time.monotonic() - started
        if elapsed > config.operation_deadline:
            raise OperationTimeout(operation.id, operation, elapsed)
        time.sleep(
            schedule.next_delay(
                status=operation.status, progress=operation.progress, now=time.monotonic()
            )
        )
        try:
            operation = ctx.client.get_operation(operation.id)
        except MoodleUnavailable:
            continue
    return operation


@dataclass
class PollSchedule:
    """When to look again at a running operation.

    Until Moodle reports progress, the delay grows from `first` to `longest`. Once the progress
    moves, the operation's end is expected when it should come at the pace seen since the first
    report, and the next look is timed for it (never further away than `longest`). An operation
    still running past its expected end, whose progress no longer moves, is looked at again
    soon, from a tenth of `first`, growing: Moodle's progress often stops short of the end, and
    every moment between the end and the look is lost to the platform's next job.

    Moodle reports a backup's progress in uneven steps (0.05 at once, then a jump every few
    seconds), so an end foreseen from them can be seconds late. Whatever the progress says, the
    next look is never further than `share` of the time the operation has run so far (nor
    nearer than a quarter of `first`): the end is seen at most that share after Moodle
    reached it.
    """

    first: float
    longest: float
    share: float = 0.1
    _origin: float | None = field(default=None, init=False)
    _delay: float = field(init=False)
    _overdue: float = field(init=False)
    _seen: tuple[float, float] | None = field(default=None, init=False)  # (time, progress)
    _last_progress: float = field(default=0.0, init=False)
    _expected_end: float | None = field(default=None, init=False)

    def __post_init__(self) -> None:
        self._delay = self.first
        self._overdue = self._soon

    @property
    def _soon(self) -> float:
        """The first look past the expected end, and how near that end counts as reached."""
        return self.first / 10

    def next_delay(self, *, status: str, progress: float, now: float) -> float:
        """Seconds to wait before the next look, given what the last look saw at `now`."""
        if self._origin is None:
            self._origin = now
        bound = max(self.first / 4, self.share * (now - self._origin))
        return min(self._delay_by_progress(status=status, progress=progress, now=now), bound)

    def _delay_by_progress(self, *, status: str, progress: float, now: float) -> float:
        moved = progress != self._last_progress
        self._last_progress = progress
        if status != "running" or progress <= 0:
            return self._growing()
        if self._seen is None:
            self._seen = (now, progress)
            return self._growing()
        if moved:
            remaining = self._remaining(progress, now)
            if remaining is not None:
                self._expected_end = now + remaining
                self._overdue = self._soon
        if self._expected_end is None:
            return self._growing()
        left = self._expected_end - now
        if left > self._soon:
            return min(left, self.longest)
        wait = self._overdue
        self._overdue = min(self._overdue * 1.5, self.longest)
        return wait

    def _growing(self) -> float:
        wait = self._delay
        self._delay = min(self._delay * 1.5, self.longest)
        return wait

    def _remaining(self, progress: float, now: float) -> float | None:
        """Seconds until the operation should end at the pace seen since the first report."""
        assert self._seen is not None
        first_at, first_progress = self._seen
        gained = progress - first_progress
        if gained <= 0 or progress >= 1:
            return None
        pace = gained / max(now - first_at, 1e-3)
        return (1.0 - progress) / pace

"""The companion plugin's operations: one row per backup, reset or restore, run once per key.

As the plugin queues a Moodle ad-hoc task that cron runs, the stand-in runs a queued operation
in a background thread: the call answers at once, the operation stays `queued` for a moment,
is `running` for the time the server's latency setting gives the function that created it (so a
test or a benchmark can make backups slow), then does the work and ends `success` or `failed`.
With `runinline` the work is done inside the call, which then lasts that latency.
"""

from __future__ import annotations

import math
import threading
import time
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from moodle_client.standin.registry import MoodleError, moodle_exception
from moodle_client.standin.site import Site, now
from moodle_client.standin.tables import Table

QUEUED = "queued"
RUNNING = "running"
SUCCESS = "success"
FAILED = "failed"

# The web-service function that creates each type of operation (its latency is the duration).
FUNCTION_OF_TYPE = {
    "backup": "local_passage_backup_course",
    "reset": "local_passage_reset_course",
    "restore": "local_passage_restore_course",
}
# How long a queued operation waits for "cron" before it starts, in seconds.
QUEUE_DELAY = 0.02
# local_passage_get_operations: the longest wait for a change, and the time between two looks.
LONGEST_WAIT = 30
LOOK_INTERVAL = 0.05
STATE_KEY = "local_passage"

Work = Callable[[Site, "Operation"], dict[str, Any]]


@dataclass
class Operation:
    id: int
    key: str
    type: str
    courseid: int
    userid: int
    params: dict[str, Any]
    status: str = QUEUED
    progress: float = 0.0
    timecreated: int = field(default_factory=now)
    timestarted: int = 0
    timefinished: int = 0
    result: dict[str, Any] = field(default_factory=dict)
    errorcode: str = ""
    errormessage: str = ""
    duration: float = 0.0
    started_at: float = 0.0  # time.monotonic() when it started running, for its progress

    def as_dict(self) -> dict[str, Any]:
        """The operation as API.md's structure gives it."""
        result = self.result
        return {
            "id": self.id,
            "key": self.key,
            "type": self.type,
            "courseid": self.courseid,
            "status": self.status,
            "progress": _as_php_float(self.current_progress()),
            "timecreated": self.timecreated,
            "timestarted": self.timestarted,
            "timefinished": self.timefinished,
            "result": {
                "filename": str(result.get("filename", "")),
                "filesize": int(result.get("filesize", 0)),
                "contenthash": str(result.get("contenthash", "")),
                "fileurl": str(result.get("fileurl", "")),
                "components": list(result.get("components", [])),
                "restoredcourseid": int(result.get("restoredcourseid", 0)),
            },
            "error": {"errorcode": self.errorcode, "message": self.errormessage},
        }

    def current_progress(self) -> float:
        if self.status != RUNNING or self.duration <= 0:
            return self.progress
        reached = 0.05 + (time.monotonic() - self.started_at) / self.duration
        # Moodle reports a running operation's progress in a few jumps, not continuously.
        return max(self.progress, min(0.9, math.floor(reached * 10) / 10))


def _as_php_float(value: float) -> float | int:
    """0 and 1 come back as the plugin's answers print them, without a decimal point."""
    return int(value) if value.is_integer() else value


@dataclass
class RestoreRecord:
    """local_passage_restore: a course Passage restored a backup into."""

    courseid: int
    operationid: int
    userid: int
    timerestored: int = field(default_factory=now)


@dataclass
class PassageState:
    """The plugin's tables, kept in `Site.extra` so that state files carry them."""

    # By id, and by key for the calls that look a retried operation up.
    operations: Table[Operation] = field(default_factory=lambda: Table(by=("key",)))
    restores: dict[int, RestoreRecord] = field(default_factory=dict)

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        # A state file saved before operations were indexed holds a plain dict.
        if not isinstance(self.operations, Table):
            self.operations = Table(by=("key",), rows=self.operations.items())


def passage_state(site: Site) -> PassageState:
    state = site.extra.get(STATE_KEY)
    if not isinstance(state, PassageState):
        state = PassageState()
        site.extra[STATE_KEY] = state
    return state


# ----------------------------------------------------------------------- latency

_LATENCY_SOURCES: weakref.WeakKeyDictionary[Site, Callable[[str], int]] = (
    weakref.WeakKeyDictionary()
)
# The work of each type of operation, registered by the functions that create them.
WORK_OF_TYPE: dict[str, Work] = {}


def attach_operations(site: Site, latency_ms: Callable[[str], int]) -> None:
    """Called by the server that serves `site`: a queued operation then runs as long as
    `latency_ms(function)` says, and the operations a previous run of the stand-in left
    unfinished (a state file saved mid-operation) start again, as cron would rerun them."""
    _LATENCY_SOURCES[site] = latency_ms
    with site.lock:
        unfinished = [
            o for o in passage_state(site).operations.values() if o.status in (QUEUED, RUNNING)
        ]
        for operation in unfinished:
            # The work is done in one step at the end of a run: a run cut short did nothing.
            operation.status = QUEUED
            operation.progress = 0.0
            operation.duration = operation_duration(site, operation.type)
            dispatch(site, operation, WORK_OF_TYPE[operation.type], runinline=False)


def operation_duration(site: Site, operation_type: str) -> float:
    source = _LATENCY_SOURCES.get(site)
    return source(FUNCTION_OF_TYPE[operation_type]) / 1000 if source else 0.0


# ----------------------------------------------------------------------- creation and runs


def find_by_key(site: Site, key: str, operation_type: str, courseid: int) -> Operation | None:
    """The operation created with `key`; the same key for other work is a `keyconflict`."""
    for operation in passage_state(site).operations.having("key", key):
        if operation.type != operation_type or operation.courseid != courseid:
            raise moodle_exception(
                "keyconflict",
                f'The key "{key}" is already used by a {operation.type} operation on course '
                f"{operation.courseid}.",
            )
        return operation
    return None


def create_operation(
    site: Site,
    *,
    key: str,
    operation_type: str,
    courseid: int,
    userid: int,
    params: dict[str, Any],
) -> Operation:
    operation = Operation(
        id=site.next_id("local_passage_operation"),
        key=key,
        type=operation_type,
        courseid=courseid,
        userid=userid,
        params=params,
        duration=operation_duration(site, operation_type),
    )
    passage_state(site).operations[operation.id] = operation
    return operation


def dispatch(site: Site, operation: Operation, work: Work, *, runinline: bool) -> Operation:
    """Runs the operation now (`runinline`) or in the background, as cron would."""
    if runinline:
        start(operation)
        finish(site, operation, work)
    else:
        threading.Thread(
            target=_run_in_background,
            args=(site, operation, work),
            name=f"local_passage-operation-{operation.id}",
            daemon=True,
        ).start()
    return operation


def start(operation: Operation) -> None:
    operation.status = RUNNING
    operation.timestarted = now()
    operation.started_at = time.monotonic()
    operation.progress = 0.05


def finish(site: Site, operation: Operation, work: Work) -> None:
    """Does the work (the caller holds the site's lock) and records how it ended."""
    try:
        operation.result = work(site, operation)
    except MoodleError as error:
        operation.status = FAILED
        operation.errorcode = error.errorcode
        operation.errormessage = error.message
    except Exception as error:
        operation.status = FAILED
        operation.errorcode = "unexpectederror"
        operation.errormessage = str(error)
    else:
        operation.status = SUCCESS
        operation.progress = 1.0
    operation.timefinished = now()


def _run_in_background(site: Site, operation: Operation, work: Work) -> None:
    time.sleep(QUEUE_DELAY)
    with site.lock:
        if operation.status != QUEUED:
            return
        start(operation)
    if operation.duration > 0:
        time.sleep(operation.duration)
    with site.lock:
        finish(site, operation, work)


def wait_for_change(site: Site, watched: list[Operation], wait: float) -> None:
    """Returns once one of the `watched` operations that is queued or running changes status
    or progress, or none is queued or running, or after `wait` seconds. The caller holds the
    site's lock; it is given up between looks, so that the operations can move on."""
    unfinished = [o for o in watched if o.status in (QUEUED, RUNNING)]
    first = {o.id: (o.status, o.current_progress()) for o in unfinished}
    until = time.monotonic() + wait
    pause = threading.Condition(site.lock)
    while first and time.monotonic() < until:
        with pause:
            pause.wait(min(LOOK_INTERVAL, until - time.monotonic()))
        if any((o.status, o.current_progress()) != first[o.id] for o in unfinished):
            return

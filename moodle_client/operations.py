"""Waiting for a plugin operation (backup, reset, restore) to finish."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from moodle_client.client import MoodleClient
from moodle_client.errors import MoodleUnavailable, OperationTimeout
from moodle_client.types.passage import Operation

logger = logging.getLogger("moodle_client")


def wait_for_operation(
    client: MoodleClient,
    operationid: int,
    *,
    timeout: float,
    first_delay: float = 1.0,
    max_delay: float = 30.0,
    factor: float = 2.0,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> Operation:
    """Poll ``local_passage_get_operations`` until the operation is ``success`` or ``failed``
    and return it (a failed operation is returned, not raised: its ``error`` says why).

    Waits ``first_delay`` seconds, then ``factor`` times longer each time, never more than
    ``max_delay`` nor past the deadline. Raises :class:`OperationTimeout`, carrying the last
    state read, when ``timeout`` seconds pass first. A transient failure to read the state does
    not end the wait; an operation Moodle does not know raises ``NotFound``.
    """
    started = clock()
    deadline = started + timeout
    delay = first_delay
    last: Operation | None = None
    while True:
        try:
            last = client.get_operation(operationid)
        except MoodleUnavailable as exc:
            logger.warning("operation %d: state unreadable (%s)", operationid, exc.errorcode)
        else:
            if last.finished:
                return last
        remaining = deadline - clock()
        if remaining <= 0:
            raise OperationTimeout(operationid, last, clock() - started)
        sleep(min(delay, max_delay, remaining))
        delay = min(delay * factor, max_delay)

"""The demo's broker (`portal.demo_broker`): a worker never takes a message half written.

With kombu's own filesystem transport, a worker that looks at the queue while a message is being
written takes it empty, cannot decode it and stops, and the demo with it.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from queue import Empty
from typing import Any

import pytest
from kombu import Connection

QUEUE = "celery"


def channel(folder: Path, transport: str) -> Any:
    options = {
        "data_folder_in": str(folder),
        "data_folder_out": str(folder),
        "control_folder": str(folder / "control"),
        "store_processed": False,
    }
    return Connection("filesystem://", transport=transport, transport_options=options)


class Body:
    """A message body that, while it is being written, asks what the worker would take."""

    def __init__(self, worker: Any) -> None:
        self.worker = worker
        self.taken_meanwhile: list[Any] = []

    def __json__(self) -> str:
        with contextlib.suppress(Empty):
            self.taken_meanwhile.append(self.worker._get(QUEUE))
        return "a job to run"


def test_a_message_is_seen_only_once_it_is_whole(tmp_path: Path) -> None:
    transport = "portal.demo_broker:Transport"  # as the demo's settings name it
    with channel(tmp_path, transport) as web, channel(tmp_path, transport) as worker:
        body = Body(worker.default_channel)
        web.default_channel._put(QUEUE, {"body": body})
        assert body.taken_meanwhile == []
        assert worker.default_channel._get(QUEUE) == {"body": "a job to run"}
        with pytest.raises(Empty):
            worker.default_channel._get(QUEUE)
    assert [path.name for path in tmp_path.iterdir() if path.is_file()] == []


def test_kombus_own_filesystem_transport_hands_over_a_message_half_written(tmp_path: Path) -> None:
    """Why the demo has its own: the same message through kombu's transport breaks the worker."""
    with channel(tmp_path, "filesystem") as web, channel(tmp_path, "filesystem") as worker:
        body = Body(worker.default_channel)
        with pytest.raises(ValueError):
            web.default_channel._put(QUEUE, {"body": body})

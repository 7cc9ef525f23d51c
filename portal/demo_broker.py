"""The demo's Celery broker: kombu's filesystem transport, with each message whole before the
worker can see it.

kombu creates a message's file in the queue folder, then writes it. A worker that lists the
folder in between takes an empty message, cannot decode it, and stops ("Unrecoverable error"),
which stops the whole demo. Here a message is written under a name the worker skips, then
renamed into the queue: a rename within one folder is atomic.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path
from time import monotonic
from typing import Any

from kombu.exceptions import ChannelError
from kombu.transport import filesystem
from kombu.utils.encoding import str_to_bytes
from kombu.utils.json import dumps


class Channel(filesystem.Channel):
    def _put(self, queue: str, payload: Any, **kwargs: Any) -> None:
        # kombu's own name: the worker takes messages in the order of these names.
        name = f"{round(monotonic() * 1000)}_{uuid.uuid4()}.{queue}.msg"
        folder = Path(self.data_folder_out)
        # A leading dot: the worker matches what follows a name's first dot with "<queue>.msg".
        partial = folder / f".{name}.partial"
        try:
            partial.write_bytes(str_to_bytes(dumps(payload)))
            os.replace(partial, folder / name)
        except OSError as exc:
            partial.unlink(missing_ok=True)
            raise ChannelError(f"Cannot add file {name!r} to directory") from exc


class Transport(filesystem.Transport):
    Channel = Channel

"""What a step is given: its job, the request's spec, Moodle clients, and two callbacks."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from moodle_client import MoodleClient
from transition.models import Job, MoodleInstance
from transition.request_spec import RequestSpec


@dataclass
class StepContext:
    job: Job
    spec: RequestSpec | None  # None for a job outside a request (a campaign backup)
    client_for: Callable[[MoodleInstance], MoodleClient]
    # Stores what must survive a crash mid-step (a Moodle operation id) at once.
    remember: Callable[..., None]

    @property
    def client(self) -> MoodleClient:
        """The client of the platform the job works on."""
        return self.client_for(self.job.instance)

    @property
    def moodle_key(self) -> str:
        """The key sent to the plugin. The same across attempts and crashes, so the plugin
        returns the operation already started; a retry an admin asks for after Moodle reported
        the operation failed gets a new generation, hence a new operation."""
        generation = int(self.job.result.get("generation", 0))
        key = self.job.idempotency_key
        return key if generation == 0 else f"{key}-g{generation}"

    def progress(self) -> dict[str, Any]:
        """What the job recorded before (kept across attempts)."""
        return dict(self.job.result)

"""The engine's timings, from Django settings when set there (`ENGINE_*`), else these defaults.

Production keeps the defaults; the tests and the benchmark set small values because their
Moodle answers in milliseconds.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class EngineConfig:
    retry_base_delay: float = 30.0  # first retry after a transient failure
    retry_max_delay: float = 1800.0
    # A look at a running Moodle operation: Moodle answers when it changes, or after this many
    # whole seconds (at most 30, the plugin's limit).
    operation_wait: int = 10
    operation_unreachable_pause: float = 1.0  # before looking again when Moodle did not answer
    operation_deadline: float = 6 * 3600.0  # a job stops waiting after this (it resumes later)
    heartbeat_interval: float = 15.0
    heartbeat_stale: float = 90.0  # a running job not heard from for this long has lost its worker
    requeue_after: float = 900.0  # a queued job whose message is this old is sent again
    slot_wait: float = 30.0  # how long a worker waits for a free Moodle slot before requeueing
    slot_poll: float = 0.2
    slot_lease: float = 120.0  # a slot not renewed for this long is free again
    busy_delay: float = 60.0  # a job whose course is held by another request waits this long
    sweep_interval: float = 60.0  # beat: the sweeper and the start of due requests
    # How far Moodle's clock may be behind the portal's: an operation created longer than this
    # before its job is not the job's own (`steps.operations`).
    clock_tolerance: float = 300.0
    outage_probe_interval: float = 30.0  # an unreachable platform is tried again this often


def engine_config() -> EngineConfig:
    overrides = getattr(settings, "ENGINE", {}) or {}
    return EngineConfig(**overrides)

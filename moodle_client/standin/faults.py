"""Fault and latency injection, by web-service function.

Keys are web-service function names, `pluginfile` and `upload` for the two file endpoints,
or `*` for every request. Decisions come from a seeded random generator, so a test run is
reproducible.
"""

from __future__ import annotations

import random
import threading
from dataclasses import dataclass

FAULT_KINDS = ("http503", "timeout", "drop", "drop_after", "slow")
ALL = "*"
# How long a "slow" answer is delayed unless said otherwise, and how long a "timeout" hangs.
SLOW_MS = 2000
TIMEOUT_SECONDS = 30.0


@dataclass
class Fault:
    """`http503`: HTTP 503 with an HTML page; `timeout`: no answer for 30 s, then the
    connection closes; `drop`: the connection closes at once, the call not run; `drop_after`:
    the call runs, then the connection closes without an answer; `slow`: answered late."""

    kind: str
    rate: float = 1.0
    remaining: int | None = None  # None = for ever (a rate); n = the next n calls
    ms: int = SLOW_MS


class Faults:
    def __init__(self, seed: int = 0) -> None:
        self._lock = threading.Lock()
        self._random = random.Random(seed)
        self._rules: dict[str, list[Fault]] = {}
        self._latency: dict[str, int] = {}

    def set(self, function: str, rate: float, kind: str = "http503", *, ms: int = SLOW_MS) -> None:
        """Fails `rate` (0..1) of the calls of `function` with `kind`."""
        _check_kind(kind)
        if not 0.0 <= rate <= 1.0:
            raise ValueError(f"fault rate must be within 0..1, not {rate}")
        with self._lock:
            rules = [r for r in self._rules.get(function, []) if r.remaining is not None]
            rules.append(Fault(kind=kind, rate=rate, ms=ms))
            self._rules[function] = rules

    def fail_next(
        self, function: str, count: int = 1, kind: str = "http503", *, ms: int = SLOW_MS
    ) -> None:
        """Fails the next `count` calls of `function` with `kind`."""
        _check_kind(kind)
        with self._lock:
            self._rules.setdefault(function, []).insert(0, Fault(kind=kind, remaining=count, ms=ms))

    def set_latency(self, function: str, ms: int) -> None:
        """Delays every answer of `function` by `ms` milliseconds (0 removes the delay); for a
        function that queues a companion-plugin operation, the operation lasts `ms` instead."""
        with self._lock:
            if ms > 0:
                self._latency[function] = ms
            else:
                self._latency.pop(function, None)

    def clear(self) -> None:
        with self._lock:
            self._rules.clear()
            self._latency.clear()

    def latency_ms(self, function: str) -> int:
        with self._lock:
            return self._latency.get(function, 0) + self._latency.get(ALL, 0)

    def decide(self, function: str) -> Fault | None:
        """The fault to apply to this call of `function`, if any."""
        with self._lock:
            for key in (function, ALL):
                rules = self._rules.get(key, [])
                for rule in list(rules):
                    if rule.remaining is not None:
                        rule.remaining -= 1
                        if rule.remaining <= 0:
                            rules.remove(rule)
                        return rule
                    if self._random.random() < rule.rate:
                        return rule
        return None


def _check_kind(kind: str) -> None:
    if kind not in FAULT_KINDS:
        raise ValueError(f"unknown fault kind {kind!r}; expected one of {', '.join(FAULT_KINDS)}")

"""Fixtures every test area shares: stand-in Moodle servers on free ports."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import factory.random
import pytest

from moodle_client.standin import StandinServer

StartStandin = Callable[..., StandinServer]


@pytest.fixture(autouse=True)
def _reproducible_factories() -> None:
    """The names and values factories draw are the same on every run of a test."""
    factory.random.reseed_random("passage")


@pytest.fixture
def start_standin() -> Iterator[StartStandin]:
    """A factory: `start_standin(seed="contract", **options)` starts a stand-in (options as
    `StandinServer.start` takes them); every server it started stops after the test."""
    started: list[StandinServer] = []

    def start(seed: str = "contract", **options: Any) -> StandinServer:
        server = StandinServer.start(seed=seed, **options)
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


@pytest.fixture
def standin(start_standin: StartStandin) -> StandinServer:
    """A fresh stand-in Moodle with the `small` seed, stopped after the test."""
    return start_standin("small")

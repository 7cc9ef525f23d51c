"""Transient faults over real HTTP: reads are retried with backoff, writes are sent once."""

from __future__ import annotations

import socket
import time
from collections.abc import Callable
from typing import Any

import pytest

from moodle_client import MoodleClient
from moodle_client.errors import MoodleUnavailable
from moodle_client.types import NewCourse


def test_a_read_failing_twice_with_503_then_answering_succeeds(
    admin: MoodleClient, moodle: Any, served: Callable[[str], int], sleeps: list[float]
) -> None:
    moodle.faults.fail_next("core_webservice_get_site_info", 2, "http503")

    info = admin.get_site_info()

    assert info.username == "admin"
    assert served("core_webservice_get_site_info") == 3
    assert len(sleeps) == 2
    assert sleeps[1] > sleeps[0] / 2  # exponential, with jitter in [0.5, 1]


def test_a_read_failing_every_time_gives_up_after_max_attempts(
    moodle: Any, served: Callable[[str], int], sleeps: list[float]
) -> None:
    moodle.faults.set("core_webservice_get_site_info", 1.0, "http503")
    client = MoodleClient(moodle.url, "admin", max_attempts=4, sleep=sleeps.append)

    with pytest.raises(MoodleUnavailable) as caught:
        client.get_site_info()

    assert caught.value.errorcode == "http503"
    assert caught.value.retryable
    assert served("core_webservice_get_site_info") == 4
    assert len(sleeps) == 3


def test_a_write_hitting_503_is_sent_exactly_once(
    admin: MoodleClient, moodle: Any, served: Callable[[str], int], sleeps: list[float]
) -> None:
    moodle.faults.fail_next("core_course_create_categories", 1, "http503")

    with pytest.raises(MoodleUnavailable):
        admin.create_category("Faults 503")

    assert served("core_course_create_categories") == 1
    assert sleeps == []


def test_a_write_whose_answer_is_lost_is_not_repeated(admin: MoodleClient, moodle: Any) -> None:
    category = admin.create_category("Faults drop_after")
    moodle.faults.fail_next("core_course_create_courses", 1, "drop_after")

    with pytest.raises(MoodleUnavailable) as caught:
        admin.create_course(
            NewCourse(fullname="Lost answer", shortname="FAULT-LOST", categoryid=category.id)
        )

    assert caught.value.errorcode == "connectionerror"
    # Moodle did create it, once: the caller must look before trying again.
    assert [course.shortname for course in admin.get_courses_in_category(category.id)] == [
        "FAULT-LOST"
    ]


def test_a_dropped_connection_on_a_read_is_retried(
    admin: MoodleClient, moodle: Any, served: Callable[[str], int]
) -> None:
    moodle.faults.fail_next("core_course_get_categories", 1, "drop")

    assert admin.get_categories()
    assert served("core_course_get_categories") == 1  # the dropped one was never answered


def test_a_timeout_raises_unavailable_quickly(moodle: Any) -> None:
    moodle.faults.fail_next("core_course_get_categories", 1, "timeout")
    client = MoodleClient(moodle.url, "admin", timeout=0.3, max_attempts=1)

    started = time.monotonic()
    with pytest.raises(MoodleUnavailable) as caught:
        client.get_categories()

    assert caught.value.errorcode == "timeout"
    assert time.monotonic() - started < 3


def test_a_read_that_timed_out_is_retried(moodle: Any, sleeps: list[float]) -> None:
    moodle.faults.fail_next("core_course_get_categories", 1, "timeout")
    client = MoodleClient(moodle.url, "admin", timeout=0.3, sleep=sleeps.append)

    assert client.get_categories()
    assert len(sleeps) == 1


def test_a_slow_answer_within_the_timeout_is_fine(moodle: Any) -> None:
    moodle.faults.fail_next("core_course_get_categories", 1, "slow", ms=200)
    client = MoodleClient(moodle.url, "admin", timeout=2.0, max_attempts=1)

    assert client.get_categories()


def test_a_refused_connection_is_unavailable(sleeps: list[float]) -> None:
    client = MoodleClient(f"http://127.0.0.1:{_closed_port()}", "admin", sleep=sleeps.append)

    with pytest.raises(MoodleUnavailable) as caught:
        client.get_site_info()

    assert caught.value.errorcode == "connectionrefused"
    assert len(sleeps) == 2


def test_a_host_name_that_does_not_resolve_is_named_so(sleeps: list[float]) -> None:
    client = MoodleClient("http://moodle.invalid", "admin", sleep=sleeps.append, max_attempts=1)

    with pytest.raises(MoodleUnavailable) as caught:
        client.get_site_info()

    assert caught.value.errorcode == "dnserror"


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port

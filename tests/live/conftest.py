"""Live tests: the client against a real Moodle.

They run only when ``MOODLE_URL`` and ``MOODLE_TOKEN`` name a Moodle and a token (an admin
token on a service holding the functions Passage uses). They only read, unless
``MOODLE_LIVE_WRITE=1``: the write tests then create their own category and courses and delete
them afterwards.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from moodle_client import MoodleClient
from tests.live.moodle_db import MoodleDatabase, moodle_database_open

LIVE_DIR = Path(__file__).resolve().parent


def live_settings() -> tuple[str, str] | None:
    url = os.environ.get("MOODLE_URL", "").strip()
    token = os.environ.get("MOODLE_TOKEN", "").strip()
    return (url, token) if url and token else None


def live_writes_allowed() -> bool:
    return os.environ.get("MOODLE_LIVE_WRITE") == "1"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    skip = pytest.mark.skip(reason="live Moodle tests need MOODLE_URL and MOODLE_TOKEN")
    for item in items:
        if LIVE_DIR in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.live)
            if live_settings() is None:
                item.add_marker(skip)


@pytest.fixture(scope="session")
def live_client() -> MoodleClient:
    settings = live_settings()
    if settings is None:
        pytest.skip("live Moodle tests need MOODLE_URL and MOODLE_TOKEN")
    url, token = settings
    # Course deletion and duplication take tens of seconds on a real Moodle.
    return MoodleClient(url, token, timeout=120.0)


@pytest.fixture
def live_writes() -> None:
    if not live_writes_allowed():
        pytest.skip("writes to the live Moodle need MOODLE_LIVE_WRITE=1")


@pytest.fixture
def live_category(live_client: MoodleClient, live_writes: None) -> Iterator[int]:
    """A fresh category, deleted with everything in it at the end."""
    suffix = uuid.uuid4().hex[:8]
    category = live_client.create_category(
        f"Passage live test {suffix}", idnumber=f"PASSAGE-LIVE-{suffix}"
    )
    try:
        yield category.id
    finally:
        courses = live_client.get_courses_in_category(category.id)
        if courses:
            live_client.delete_courses([course.id for course in courses], timeout=600)
        live_client.call(
            "core_course_delete_categories", categories=[{"id": category.id, "recursive": 1}]
        )


@pytest.fixture
def unique() -> str:
    """A suffix that keeps names of one run apart from earlier runs."""
    return uuid.uuid4().hex[:8]


@pytest.fixture(scope="session")
def moodle_db() -> Iterator[MoodleDatabase | None]:
    """Moodle's database, read in SQL, when ``MOODLE_LIVE_DATABASE`` names it; else None."""
    yield from moodle_database_open()

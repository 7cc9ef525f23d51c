"""Calling the stand-in's companion-plugin functions over real HTTP, as the portal does."""

from __future__ import annotations

import time
from typing import Any

import pytest
import requests

from moodle_client.standin.server import StandinServer
from moodle_client.standin.site import Site


def flatten(params: dict[str, Any]) -> list[tuple[str, str]]:
    """Parameters in PHP array syntax: `options[0][name]=x`."""
    fields: list[tuple[str, str]] = []

    def walk(prefix: str, value: Any) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                walk(f"{prefix}[{key}]", item)
        elif isinstance(value, list | tuple):
            for index, item in enumerate(value):
                walk(f"{prefix}[{index}]", item)
        elif isinstance(value, bool):
            fields.append((prefix, "1" if value else "0"))
        else:
            fields.append((prefix, str(value)))

    for name, value in params.items():
        walk(name, value)
    return fields


class Moodle:
    """A started stand-in, called like the REST web service."""

    def __init__(self, server: StandinServer) -> None:
        self.server = server
        self.url = server.url
        self.http = requests.Session()

    @property
    def site(self) -> Site:
        return self.server.site

    def call(self, function: str, token: str = "admin", **params: Any) -> Any:
        fields = [
            ("wstoken", token),
            ("wsfunction", function),
            ("moodlewsrestformat", "json"),
            *flatten(params),
        ]
        answer = self.http.post(f"{self.url}/webservice/rest/server.php", data=fields, timeout=10)
        assert answer.status_code == 200
        return answer.json()

    def ok(self, function: str, token: str = "admin", **params: Any) -> Any:
        answer = self.call(function, token, **params)
        assert not (isinstance(answer, dict) and "exception" in answer), answer
        return answer

    def course(self, shortname: str) -> int:
        return next(c.id for c in self.site.courses.values() if c.shortname == shortname)

    def inventory(self, courseid: int) -> dict[str, Any]:
        return self.ok("local_passage_get_course_inventory", courseid=courseid)

    def reset(self, courseid: int, key: str = "reset-1", **options: Any) -> dict[str, Any]:
        answer = self.ok(
            "local_passage_reset_course",
            courseid=courseid,
            options=[{"name": n, "value": v} for n, v in options.items()],
            key=key,
            runinline=1,
        )
        assert answer["status"] == "success", answer
        return answer

    def wait(self, operation_id: int, token: str = "admin", timeout: float = 10) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while True:
            answer = self.ok("local_passage_get_operations", token, ids=[operation_id])
            operation: dict[str, Any] = answer["operations"][0]
            if operation["status"] in ("success", "failed") or time.monotonic() > deadline:
                return operation
            time.sleep(0.02)


def data_count(inventory: dict[str, Any], cmid: int, kind: str, who: str = "total") -> int:
    module = next(m for m in inventory["modules"] if m["cmid"] == cmid)
    return int(next(d[who] for d in module["data"] if d["kind"] == kind))


def course_data(inventory: dict[str, Any], kind: str, who: str = "total") -> int:
    return int(next(d[who] for d in inventory["coursedata"] if d["kind"] == kind))


def module_id(inventory: dict[str, Any], modname: str, index: int = 0) -> int:
    return int([m["cmid"] for m in inventory["modules"] if m["modname"] == modname][index])


@pytest.fixture(name="moodle")
def moodle_fixture(standin: StandinServer) -> Moodle:
    """A fresh `small` stand-in (the `standin` fixture), called like the web service."""
    return Moodle(standin)

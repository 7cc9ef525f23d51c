"""Fixtures for the client tests: the recorded Moodle contract and a scripted HTTP server for
the faults the stand-in Moodle does not produce (truncated bodies, HTTP 500, odd answers)."""

from __future__ import annotations

import json
import logging
import os
import re
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]


def contract_dir() -> Path:
    """The recorded real-Moodle answers: ``$MOODLE_CONTRACT_DIR`` or ``<repo>/../shared/...``."""
    configured = os.environ.get("MOODLE_CONTRACT_DIR")
    return Path(configured) if configured else REPO_ROOT.parent / "shared" / "moodle-contract"


def load_contract(name: str) -> dict[str, Any]:
    path = contract_dir() / name
    if not path.exists():
        pytest.skip(f"Moodle contract recordings not found at {contract_dir()}")
    return json.loads(path.read_text())


@pytest.fixture
def contract() -> Callable[[str], dict[str, Any]]:
    """Loads one recorded request and answer by file name."""
    return load_contract


@dataclass
class ScriptedAnswer:
    status: int = 200
    body: bytes = b"null"
    content_type: str = "application/json"
    # Announce more bytes than sent, then close: a transfer cut short.
    declared_length: int | None = None


@dataclass
class ScriptedRequest:
    method: str
    path: str
    query: dict[str, str]
    fields: dict[str, str]
    headers: dict[str, str]


@dataclass
class ScriptedMoodle:
    """An HTTP server answering from a script; records every request it receives."""

    url: str = ""
    answers: list[ScriptedAnswer] = field(default_factory=list)
    requests: list[ScriptedRequest] = field(default_factory=list)
    fallback: Callable[[ScriptedRequest], ScriptedAnswer] | None = None

    def answer_json(self, payload: Any, *, status: int = 200) -> None:
        self.answers.append(ScriptedAnswer(status=status, body=json.dumps(payload).encode()))

    def always_json(self, payload: Any) -> None:
        """Once the scripted answers are used up, answer ``payload`` to every request."""
        body = json.dumps(payload).encode()
        self.fallback = lambda request: ScriptedAnswer(body=body)

    def answer_html(self, body: bytes, *, status: int = 200) -> None:
        self.answers.append(ScriptedAnswer(status=status, body=body, content_type="text/html"))

    def answer_file(self, body: bytes, *, declared_length: int | None = None) -> None:
        self.answers.append(
            ScriptedAnswer(
                body=body,
                content_type="application/vnd.moodle.backup",
                declared_length=declared_length,
            )
        )

    def next_answer(self, request: ScriptedRequest) -> ScriptedAnswer:
        if self.answers:
            return self.answers.pop(0)
        if self.fallback is not None:
            return self.fallback(request)
        return ScriptedAnswer(
            status=500, body=b"no scripted answer left", content_type="text/plain"
        )


@pytest.fixture
def scripted_moodle() -> Iterator[ScriptedMoodle]:
    script = ScriptedMoodle()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

        def do_GET(self) -> None:
            self._handle()

        def do_POST(self) -> None:
            self._handle()

        def _handle(self) -> None:
            parts = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            fields: dict[str, str] = {}
            if self.headers.get("Content-Type", "").startswith("application/x-www-form"):
                fields = dict(parse_qsl(body.decode(), keep_blank_values=True))
            request = ScriptedRequest(
                method=self.command,
                path=parts.path,
                query=dict(parse_qsl(parts.query, keep_blank_values=True)),
                fields=fields,
                headers=dict(self.headers.items()),
            )
            script.requests.append(request)
            answer = script.next_answer(request)
            self.send_response(answer.status)
            self.send_header("Content-Type", answer.content_type)
            length_header = answer.declared_length or len(answer.body)
            self.send_header("Content-Length", str(length_header))
            self.end_headers()
            self.wfile.write(answer.body)
            if answer.declared_length is not None:
                self.close_connection = True

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    host, port = server.server_address[:2]
    script.url = f"http://{host!s}:{port}"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.daemon = True
    thread.start()
    try:
        yield script
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


# The stand-in Moodle in its "small" seed (token "admin" is the site administrator), one server
# for the session: tests read the seed or change only what they create.

STANDIN_LOGGER = "moodle_client.standin.server"


@pytest.fixture(scope="session")
def standin_session() -> Iterator[Any]:
    from moodle_client.standin import StandinServer

    server = StandinServer.start(seed="small", port=0)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def moodle(standin_session: Any) -> Iterator[Any]:
    """The shared stand-in, with no fault left over from another test."""
    standin_session.faults.clear()
    yield standin_session
    standin_session.faults.clear()


@pytest.fixture
def sleeps() -> list[float]:
    """The backoff delays the client asked for (it never really sleeps in these tests)."""
    return []


@pytest.fixture
def admin(moodle: Any, sleeps: list[float]) -> Any:
    from moodle_client import MoodleClient

    return MoodleClient(moodle.url, "admin", timeout=5.0, sleep=sleeps.append)


@pytest.fixture
def served(caplog: pytest.LogCaptureFixture) -> Callable[[str], int]:
    """Counts the requests the stand-in received for a function (``pluginfile``, ``upload``
    for the file endpoints), from its access log."""
    caplog.set_level(logging.DEBUG, logger=STANDIN_LOGGER)

    def count(function: str) -> int:
        if function == "pluginfile":
            pattern = re.compile(r"\"GET /webservice/pluginfile\.php/")
        elif function == "upload":
            pattern = re.compile(r"\"POST /webservice/upload\.php")
        else:
            pattern = re.compile(rf"wsfunction={re.escape(function)}(?=[ &])")
        return sum(
            1
            for record in caplog.records
            if record.name == STANDIN_LOGGER and pattern.search(record.getMessage())
        )

    return count

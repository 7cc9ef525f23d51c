"""The stand-in Moodle's HTTP server.

    server = StandinServer.start(seed="small", port=0)
    server.url      # the wwwroot, "http://127.0.0.1:PORT"
    server.site     # the Site it serves
    server.faults   # fault and latency injection
    server.stop()   # or use the server as a context manager

It serves `/webservice/rest/server.php`, `/webservice/pluginfile.php/...` and
`/webservice/upload.php` over real HTTP, one thread per request.
"""

from __future__ import annotations

import importlib
import importlib.util
import logging
import os
import pickle
import shutil
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from moodle_client.standin import functions as core_functions
from moodle_client.standin import seeds
from moodle_client.standin.faults import TIMEOUT_SECONDS, Fault, Faults
from moodle_client.standin.fileserving import FileAnswer, serve_pluginfile, serve_upload
from moodle_client.standin.passage.operations import FUNCTION_OF_TYPE, attach_operations
from moodle_client.standin.phpform import decode_fields, decode_query
from moodle_client.standin.registry import FUNCTIONS
from moodle_client.standin.rest import handle_rest
from moodle_client.standin.site import Site

logger = logging.getLogger(__name__)

# The core functions register themselves on import; so do the companion plugin's, when the
# stand-in has them.
assert core_functions
if importlib.util.find_spec("moodle_client.standin.passage") is not None:
    importlib.import_module("moodle_client.standin.passage")

REST_PATH = "/webservice/rest/server.php"
PLUGINFILE_PATH = "/webservice/pluginfile.php"
UPLOAD_PATH = "/webservice/upload.php"
FILE_BLOCK = 1024 * 1024

UNAVAILABLE_PAGE = (
    b"<!DOCTYPE html>\n<html><head><title>503 Service Unavailable</title></head><body>\n"
    b"<h1>Service Unavailable</h1>\n<p>The server is temporarily unable to service your "
    b"request.</p>\n</body></html>\n"
)


class StandinServer:
    """A running stand-in Moodle. Build one with `StandinServer.start(...)`."""

    def __init__(
        self,
        site: Site,
        *,
        host: str,
        port: int,
        debug: bool,
        state_file: Path | None,
        faults: Faults,
    ) -> None:
        self.site = site
        self.debug = debug
        self.faults = faults
        self.state_file = state_file
        self._stopping = threading.Event()
        self._httpd = _HTTPServer((host, port), _Handler)
        self._httpd.standin = self
        bound_host, bound_port = self._httpd.server_address[:2]
        self.url = f"http://{bound_host!s}:{bound_port}"
        site.wwwroot = self.url
        # Companion-plugin operations last as long as their function's latency says.
        attach_operations(site, faults.latency_ms)
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.01},
            name=f"standin-moodle-{bound_port}",
            daemon=True,
        )

    @classmethod
    def start(
        cls,
        seed: str = "small",
        host: str = "127.0.0.1",
        port: int = 0,
        latency: dict[str, int] | None = None,
        failures: dict[str, float | tuple[float, str]] | None = None,
        state_file: str | Path | None = None,
        debug: bool = False,
        fault_seed: int = 0,
    ) -> StandinServer:
        """Starts a server in a background thread and returns once it accepts requests.

        `latency` maps function names to milliseconds; `failures` maps function names to a
        rate, or to (rate, kind). With `state_file`, the site is loaded from it when it exists
        (the seed is then not used) and written back after every call that may change it.
        """
        path = Path(state_file) if state_file is not None else None
        site = load_state(path) if path is not None and path.exists() else seeds.build_site(seed)
        faults = Faults(fault_seed)
        for function, ms in (latency or {}).items():
            faults.set_latency(function, ms)
        for function, failure in (failures or {}).items():
            rate, kind = failure if isinstance(failure, tuple) else (failure, "http503")
            faults.set(function, rate, kind)
        server = cls(site, host=host, port=port, debug=debug, state_file=path, faults=faults)
        server._thread.start()
        if path is not None and not path.exists():
            server.save_state()
        return server

    def stop(self) -> None:
        self._stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def restart(self) -> StandinServer:
        """After `stop`: the same site served again at the same address, as a Moodle that was
        down comes back with its data."""
        host, port = self._httpd.server_address[:2]
        server = type(self)(
            self.site,
            host=str(host),
            port=int(port),
            debug=self.debug,
            state_file=self.state_file,
            faults=self.faults,
        )
        server._thread.start()
        return server

    def __enter__(self) -> StandinServer:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def functions(self) -> list[str]:
        """The web-service functions this stand-in implements."""
        return sorted(FUNCTIONS)

    def save_state(self) -> None:
        if self.state_file is None:
            return
        with self.site.lock:
            data = pickle.dumps(self.site)
        temporary = self.state_file.with_name(self.state_file.name + ".tmp")
        temporary.write_bytes(data)
        temporary.replace(self.state_file)

    def sleep(self, seconds: float) -> None:
        """Waits, but wakes up when the server stops."""
        self._stopping.wait(seconds)


def load_state(path: Path) -> Site:
    site = pickle.loads(path.read_bytes())
    if not isinstance(site, Site):
        raise ValueError(f"{path} does not hold a stand-in Moodle site")
    return site


_OPERATION_FUNCTIONS = frozenset(FUNCTION_OF_TYPE.values())


def _queues_operation(fields: dict[str, Any]) -> bool:
    """True for a call that creates a companion-plugin operation without `runinline`."""
    return fields.get("wsfunction") in _OPERATION_FUNCTIONS and fields.get("runinline", "0") == "0"


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    standin: StandinServer


class _Handler(BaseHTTPRequestHandler):
    server: _HTTPServer
    server_version = "Apache"
    sys_version = ""
    _discard_answer = False

    def log_message(self, format: str, *args: Any) -> None:
        logger.debug("%s " + format, self.address_string(), *args)

    def do_GET(self) -> None:
        self._dispatch()

    def do_POST(self) -> None:
        self._dispatch()

    def _dispatch(self) -> None:
        standin = self.server.standin
        parts = urlsplit(self.path)
        body = self._read_body()
        if parts.path == REST_PATH:
            fields = self._rest_fields(parts.query, body)
            function = fields.get("wsfunction")
            self._serve(
                standin,
                function if isinstance(function, str) else "",
                lambda: self._answer_rest(standin, fields),
                queues_operation=_queues_operation(fields),
            )
        elif parts.path.startswith(PLUGINFILE_PATH + "/"):
            relative = parts.path[len(PLUGINFILE_PATH) :]
            query = dict(parse_qsl(parts.query, keep_blank_values=True))
            self._serve(
                standin,
                "pluginfile",
                lambda: self._send_file_answer(serve_pluginfile(standin.site, relative, query)),
            )
        elif parts.path == UPLOAD_PATH and self.command == "POST":
            content_type = self.headers.get("Content-Type", "")
            query = dict(parse_qsl(parts.query, keep_blank_values=True))

            def upload() -> None:
                answer = serve_upload(standin.site, content_type, body, query)
                self._send_file_answer(answer)
                if answer.changed_site:
                    standin.save_state()

            self._serve(standin, "upload", upload)
        else:
            self._send(
                404, "text/html; charset=utf-8", b"<html><body><h1>Not Found</h1></body></html>\n"
            )

    def _serve(
        self, standin: StandinServer, function: str, answer: Any, *, queues_operation: bool = False
    ) -> None:
        fault = standin.faults.decide(function)
        # A call that queues a companion-plugin operation answers at once, as the plugin's
        # ad-hoc task does: the function's latency is then the operation's duration.
        delay = 0 if queues_operation else standin.faults.latency_ms(function)
        if fault is not None and fault.kind == "slow":
            delay += fault.ms
        if delay:
            standin.sleep(delay / 1000)
        if fault is not None and self._apply_fault(standin, fault, answer):
            return
        answer()

    def _apply_fault(self, standin: StandinServer, fault: Fault, answer: Any) -> bool:
        """True when the fault replaced the answer."""
        if fault.kind == "http503":
            self._send(503, "text/html; charset=utf-8", UNAVAILABLE_PAGE)
            return True
        if fault.kind == "timeout":
            standin.sleep(TIMEOUT_SECONDS)
            self.close_connection = True
            return True
        if fault.kind == "drop":
            self.close_connection = True
            return True
        if fault.kind == "drop_after":
            # The call is carried out; only its answer is lost.
            self._discard_answer = True
            answer()
            self.close_connection = True
            return True
        return False

    def _read_body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def _rest_fields(self, query: str, body: bytes) -> dict[str, Any]:
        """GET and POST fields merged as PHP does; a body that is not a form is ignored."""
        fields = decode_query(query)
        content_type = self.headers.get("Content-Type", "").split(";")[0].strip().lower()
        if self.command == "POST" and content_type == "application/x-www-form-urlencoded":
            posted = decode_fields(
                parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True)
            )
            fields.update(posted)
        return fields

    def _answer_rest(self, standin: StandinServer, fields: dict[str, Any]) -> None:
        answer = handle_rest(standin.site, fields, debug=standin.debug)
        if answer.changed_site:
            standin.save_state()
        self._send(200, answer.content_type, answer.body)

    def _send_file_answer(self, answer: FileAnswer) -> None:
        if not answer.path:
            self._send(answer.status, answer.content_type, answer.body, answer.headers)
            return
        if self._discard_answer:
            return
        self.send_response(answer.status)
        self.send_header("Content-Type", answer.content_type)
        self.send_header("Content-Length", str(os.path.getsize(answer.path)))
        self.send_header("Date", self.date_time_string(time.time()))
        for name, value in answer.headers.items():
            self.send_header(name, value)
        self.end_headers()
        with open(answer.path, "rb") as stream:
            shutil.copyfileobj(stream, self.wfile, FILE_BLOCK)

    def _send(
        self, status: int, content_type: str, body: bytes, headers: dict[str, str] | None = None
    ) -> None:
        if self._discard_answer:
            return
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Date", self.date_time_string(time.time()))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

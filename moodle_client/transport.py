"""The one door for every request to Moodle.

Sets the timeout, the user agent and the token, maps every failure to a
:mod:`moodle_client.errors` type, retries reads (never writes) and keeps the token out of every
log line and exception message.
"""

from __future__ import annotations

import hashlib
import logging
import os
import random
import re
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any, BinaryIO, Protocol, TypeVar
from urllib.parse import urlsplit

import requests
import urllib3
from requests_toolbelt import MultipartEncoder

from moodle_client.encoding import flatten_params
from moodle_client.errors import (
    MoodleError,
    MoodleUnavailable,
    NotFound,
    UnexpectedResponse,
    error_from_body,
    is_moodle_error_body,
)
from moodle_client.retry import RetryPolicy, is_read_only
from moodle_client.types.files import DownloadedFile

logger = logging.getLogger("moodle_client")

USER_AGENT = "Passage-moodle_client/0.1 (+requests)"
REST_PATH = "/webservice/rest/server.php"
PLUGINFILE_PATH = "/webservice/pluginfile.php"
UPLOAD_PATH = "/webservice/upload.php"
CHUNK_SIZE = 64 * 1024

Timeout = float | tuple[float, float]
T = TypeVar("T")


class Writable(Protocol):
    def write(self, data: bytes, /) -> Any: ...


# Opens where a download goes, once per attempt: the context ends normally once the file is
# whole and with the exception otherwise (a sink then drops what it received).
SinkOpener = Callable[[], AbstractContextManager[Writable]]

_TOKEN_PARAM = re.compile(r"((?:ws)?token=)[^&\s'\"]+", re.IGNORECASE)
# Statuses a proxy or an overloaded Moodle answers that go away by themselves.
_TRANSIENT_STATUSES = frozenset({408, 429, 502, 503, 504})


class _RedactTokenFilter(logging.Filter):
    """Scrubs ``token=`` query parameters from urllib3's debug lines, which show each request
    line with its query string (a pluginfile download carries the token there)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = _TOKEN_PARAM.sub(r"\1***", message)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True


logging.getLogger("urllib3.connectionpool").addFilter(_RedactTokenFilter())


class Transport:
    """HTTP access to one Moodle site with one token, over one pooled ``requests.Session``."""

    def __init__(
        self,
        base_url: str,
        token: str,
        *,
        timeout: Timeout,
        session: requests.Session | None = None,
        retry_policy: RetryPolicy | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if not base_url.startswith(("http://", "https://")):
            raise ValueError("base_url must be an http:// or https:// URL")
        self.base_url = base_url.rstrip("/")
        self._token = token
        self.timeout = timeout
        self.session = session if session is not None else requests.Session()
        self.retry_policy = retry_policy if retry_policy is not None else RetryPolicy()
        self._sleep = sleep
        self._rng = random.Random()

    def __repr__(self) -> str:
        return f"Transport(base_url={self.base_url!r})"

    def redact(self, text: str) -> str:
        """``text`` with the token replaced, wherever it appears (URLs, echoed parameters)."""
        text = _TOKEN_PARAM.sub(r"\1***", text)
        # Short literal tokens (test sites) are left to the pattern above: replacing a word
        # such as "admin" everywhere would garble messages.
        if len(self._token) >= 8:
            text = text.replace(self._token, "***")
        return text

    # Web-service functions

    def call(
        self, wsfunction: str, params: Mapping[str, Any], *, timeout: Timeout | None = None
    ) -> Any:
        """POST one function call and return the parsed JSON answer (``None`` for ``null``)."""
        fields = [
            ("wstoken", self._token),
            ("wsfunction", wsfunction),
            ("moodlewsrestformat", "json"),
            *flatten_params(params),
        ]
        attempts = self.retry_policy.max_attempts if is_read_only(wsfunction) else 1
        return self._with_retries(
            wsfunction, attempts, lambda: self._post_function(wsfunction, fields, timeout)
        )

    def _post_function(
        self, wsfunction: str, fields: list[tuple[str, str]], timeout: Timeout | None
    ) -> Any:
        url = self.base_url + REST_PATH
        with self._timed(wsfunction):
            response = self._send(
                wsfunction,
                "POST",
                url,
                # The function name in the query string shows in Moodle's access log; the token
                # travels in the body only, so no URL ever carries it.
                params={"wsfunction": wsfunction},
                data=fields,
                timeout=timeout,
            )
            if response.status_code != 200:
                raise self._status_error(wsfunction, response)
            body = self._json(wsfunction, response)
            if is_moodle_error_body(body):
                raise error_from_body(body, function=wsfunction)
            return body

    # Files

    def download(
        self, url: str, destination: Path | SinkOpener, *, timeout: Timeout | None = None
    ) -> DownloadedFile:
        """Stream a file from ``webservice/pluginfile.php`` to ``destination``: a local path,
        or a function opening a sink (object storage) for each attempt.

        ``url`` is a pluginfile URL of this site (with or without ``/webservice``, as
        ``core_files_get_files`` or the plugin give them) or a path starting with ``/``.
        A download is a read: it is retried from scratch after a transient failure. Only one
        chunk at a time is held in memory, whatever the file's size.
        """
        file_url = self.pluginfile_url(url)
        label = "pluginfile"
        if isinstance(destination, Path):
            path: Path | None = destination
            opener: SinkOpener = lambda: _file_sink(destination)  # noqa: E731
        else:
            path, opener = None, destination
        return self._with_retries(
            label,
            self.retry_policy.max_attempts,
            lambda: self._download_once(label, file_url, opener, path, timeout),
        )

    def pluginfile_url(self, url: str) -> str:
        """The ``webservice/pluginfile.php`` URL for ``url``, refusing any other site: the
        token must never be sent elsewhere."""
        if url.startswith("/"):
            path = url
        else:
            parts = urlsplit(url)
            base = urlsplit(self.base_url)
            if (parts.scheme, parts.netloc) != (
                base.scheme,
                base.netloc,
            ) or not parts.path.startswith(base.path):
                raise ValueError(f"not a file of {self.base_url}: {self.redact(url)}")
            path = parts.path[len(base.path) :]
        if path.startswith("/pluginfile.php/"):
            path = "/webservice" + path
        if not path.startswith(PLUGINFILE_PATH + "/"):
            raise ValueError(f"not a pluginfile URL: {self.redact(url)}")
        return self.base_url + path

    def _download_once(
        self,
        label: str,
        url: str,
        open_sink: SinkOpener,
        path: Path | None,
        timeout: Timeout | None,
    ) -> DownloadedFile:
        with self._timed(label):
            response = self._send(
                label, "GET", url, params={"token": self._token}, stream=True, timeout=timeout
            )
            with response:
                if response.status_code != 200:
                    raise self._status_error(label, response)
                content_type = response.headers.get("Content-Type", "")
                if content_type.startswith("application/json"):
                    # webservice/pluginfile.php reports some errors as JSON with status 200.
                    body = self._json(label, response)
                    if isinstance(body, Mapping) and "errorcode" in body:
                        raise error_from_body(body, function=label)
                    raise UnexpectedResponse(
                        "a JSON document where a file was expected", function=label
                    )
                sha256 = hashlib.sha256()
                sha1 = hashlib.sha1()
                size = 0
                with open_sink() as out:
                    for chunk in self._iter_body(label, response):
                        out.write(chunk)
                        sha256.update(chunk)
                        sha1.update(chunk)
                        size += len(chunk)
                    expected = response.headers.get("Content-Length")
                    if expected is not None and expected.isdigit() and int(expected) != size:
                        raise MoodleUnavailable(
                            f"download cut short: {size} of {expected} bytes",
                            errorcode="truncated",
                            function=label,
                        )
        return DownloadedFile(
            path=path,
            size=size,
            sha256=sha256.hexdigest(),
            sha1=sha1.hexdigest(),
            content_type=content_type.split(";")[0].strip(),
            filename=_filename(response, url),
        )

    def _iter_body(self, label: str, response: requests.Response) -> Iterator[bytes]:
        try:
            yield from response.iter_content(CHUNK_SIZE)
            return
        except requests.RequestException as exc:
            failure = self._unavailable(label, exc)
        raise failure

    def upload(
        self,
        content: BinaryIO,
        *,
        filename: str,
        itemid: int = 0,
        filepath: str = "/",
        timeout: Timeout | None = None,
    ) -> Any:
        """POST one file to ``webservice/upload.php`` into the token user's draft area.

        The body is streamed from ``content`` as it is sent (its length known beforehand: a
        file, or an object with ``len``), so a file of any size takes one chunk of memory.
        ``itemid=0`` asks Moodle for a new draft area. An upload is never retried by the client.
        """
        label = "upload"
        body = MultipartEncoder(
            fields=[
                ("token", self._token),
                ("filearea", "draft"),
                ("itemid", str(itemid)),
                ("filepath", filepath),
                ("file_1", (filename, content, "application/octet-stream")),
            ]
        )
        with self._timed(label):
            response = self._send(
                label,
                "POST",
                self.base_url + UPLOAD_PATH,
                data=body,
                extra_headers={"Content-Type": body.content_type},
                timeout=timeout,
            )
            if response.status_code != 200:
                raise self._status_error(label, response)
            body = self._json(label, response)
            if isinstance(body, Mapping) and "errorcode" in body:
                raise error_from_body(body, function=label)
            return body

    # Shared plumbing

    def _with_retries(self, label: str, attempts: int, attempt: Callable[[], T]) -> T:
        for number in range(1, attempts + 1):
            try:
                return attempt()
            except MoodleUnavailable as exc:
                if number == attempts:
                    raise
                delay = self.retry_policy.delay(number, self._rng)
                logger.warning(
                    "moodle %s unavailable (%s), retry %d/%d in %.2f s",
                    label,
                    exc.errorcode,
                    number,
                    attempts - 1,
                    delay,
                )
                self._sleep(delay)
        raise AssertionError("unreachable: the last attempt returns or raises")

    @contextmanager
    def _timed(self, label: str) -> Iterator[None]:
        started = time.monotonic()
        try:
            yield
        except MoodleError as exc:
            logger.info(
                "moodle %s failed in %.0f ms: %s %s",
                label,
                (time.monotonic() - started) * 1000,
                type(exc).__name__,
                exc.errorcode,
            )
            raise
        logger.debug("moodle %s ok in %.0f ms", label, (time.monotonic() - started) * 1000)

    def _send(
        self,
        label: str,
        method: str,
        url: str,
        *,
        timeout: Timeout | None,
        extra_headers: Mapping[str, str] | None = None,
        **kwargs: Any,
    ) -> requests.Response:
        try:
            return self.session.request(
                method,
                url,
                timeout=timeout if timeout is not None else self.timeout,
                headers={
                    "User-Agent": USER_AGENT,
                    "Accept": "application/json",
                    **(extra_headers or {}),
                },
                # A redirect would carry the token (a 307/308 resends the body) wherever it
                # points; it is reported instead (`_status_error`).
                allow_redirects=False,
                **kwargs,
            )
        except requests.RequestException as exc:
            failure = self._unavailable(label, exc)
        # Raised outside the handler so that requests' exception, whose message may hold a URL
        # with the token, is not even kept as the context.
        raise failure

    def _unavailable(self, label: str, exc: requests.RequestException) -> MoodleUnavailable:
        if isinstance(exc, requests.exceptions.SSLError):
            text, errorcode = "the TLS connection to Moodle failed", "tlserror"
        elif isinstance(exc, requests.Timeout):
            text, errorcode = "Moodle did not answer in time", "timeout"
        elif isinstance(exc, requests.ConnectionError | requests.exceptions.ChunkedEncodingError):
            text, errorcode = "cannot reach Moodle", _connection_errorcode(exc)
        else:
            text, errorcode = "request to Moodle failed", "requesterror"
        return MoodleUnavailable(
            f"{text}: {self.redact(str(exc))}", errorcode=errorcode, function=label
        )

    def _status_error(self, label: str, response: requests.Response) -> MoodleError:
        status = response.status_code
        if response.is_redirect:
            return UnexpectedResponse(
                f"Moodle answered HTTP {status}, a redirect to "
                f"{self.redact(response.headers.get('Location', '?'))}: Passage does not send "
                "the token there; set the platform's URL to the address Moodle answers at",
                errorcode="redirect",
                function=label,
            )
        if status >= 500 or status in _TRANSIENT_STATUSES:
            return MoodleUnavailable(
                f"Moodle answered HTTP {status}", errorcode=f"http{status}", function=label
            )
        try:
            body = response.json()
        except ValueError:
            body = None
        if isinstance(body, Mapping) and "errorcode" in body:
            return error_from_body(body, function=label)
        if status == 404:
            return NotFound(
                f"HTTP 404 for {self.redact(response.url)}", errorcode="http404", function=label
            )
        return UnexpectedResponse(
            f"Moodle answered HTTP {status}", errorcode=f"http{status}", function=label
        )

    def _json(self, label: str, response: requests.Response) -> Any:
        try:
            return response.json()
        except ValueError:  # requests' JSONDecodeError is also a RequestException: test it first
            snippet = response.text[:80].strip()
            failure = MoodleUnavailable(
                f"Moodle answered something other than JSON: {self.redact(snippet)!r}",
                errorcode="notjson",
                function=label,
            )
        except requests.RequestException as exc:
            failure = self._unavailable(label, exc)
        raise failure


def _connection_errorcode(exc: requests.RequestException) -> str:
    """`dnserror` when the host name does not resolve, `connectionrefused` when nothing listens
    on the port, else `connectionerror` (a connection dropped or reset on the way)."""
    reason = getattr(exc.args[0], "reason", None) if exc.args else None
    if isinstance(reason, urllib3.exceptions.NameResolutionError):
        return "dnserror"
    text = f"{reason} {exc}"
    if "Name or service not known" in text or "nodename nor servname" in text:
        return "dnserror"
    if "Connection refused" in text or "[Errno 111]" in text:
        return "connectionrefused"
    return "connectionerror"


@contextmanager
def _file_sink(destination: Path) -> Iterator[BinaryIO]:
    """Writes beside ``destination`` and puts the file in place only once it is whole."""
    partial = destination.with_name(destination.name + ".part")
    try:
        # A backup holds students' data: readable by Passage's own user only.
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.fchmod(descriptor, 0o600)  # a partial file an earlier attempt left
        with os.fdopen(descriptor, "wb") as out:
            yield out
        os.replace(partial, destination)
    finally:
        partial.unlink(missing_ok=True)


def _filename(response: requests.Response, url: str) -> str:
    disposition = response.headers.get("Content-Disposition", "")
    match = re.search(r'filename="?([^";]+)"?', disposition)
    if match:
        return match.group(1)
    return urlsplit(url).path.rsplit("/", 1)[-1]

"""``MoodleClient``: every Moodle function Passage uses, typed, behind one transport."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import Any

import requests

from moodle_client.api.activities import CalendarApi, ForumsApi, GradesApi
from moodle_client.api.activity_data import ActivityDataApi
from moodle_client.api.cohorts import CohortsApi, GroupsApi
from moodle_client.api.courses import CoursesApi
from moodle_client.api.enrolments import EnrolmentsApi
from moodle_client.api.files import FilesApi
from moodle_client.api.passage import PassageApi
from moodle_client.api.site import SiteApi
from moodle_client.errors import AccessDenied, FunctionUnavailable, MoodleError, NotFound
from moodle_client.retry import RetryPolicy
from moodle_client.transport import Timeout, Transport

SITE_INFO_FUNCTION = "core_webservice_get_site_info"
# Moodle 5.0 answers a function that does not exist exactly as a missing record, and one outside
# the token's service exactly as a missing permission; only the token's function list tells.
_AMBIGUOUS_ERRORCODES = frozenset({"invalidrecordunknown", "invalidrecord", "accessexception"})


class MoodleClient(
    SiteApi,
    CoursesApi,
    EnrolmentsApi,
    CohortsApi,
    GroupsApi,
    GradesApi,
    ForumsApi,
    ActivityDataApi,
    CalendarApi,
    FilesApi,
    PassageApi,
):
    """A Moodle site seen through one web-service token.

    ``timeout`` (seconds, or ``(connect, read)``) applies to every request unless a method
    takes its own. Reads that fail transiently are retried up to ``max_attempts`` times with
    exponential backoff from ``retry_base_delay``; writes are sent once. Errors are the types of
    :mod:`moodle_client.errors`.
    """

    def __init__(
        self,
        base_url: str,
        token: str,
        *,
        timeout: Timeout = 30.0,
        session: requests.Session | None = None,
        max_attempts: int = 3,
        retry_base_delay: float = 0.5,
        retry_max_delay: float = 8.0,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._transport = Transport(
            base_url,
            token,
            timeout=timeout,
            session=session,
            retry_policy=RetryPolicy(
                max_attempts=max_attempts, base_delay=retry_base_delay, max_delay=retry_max_delay
            ),
            sleep=sleep,
        )
        self._functions: frozenset[str] | None = None

    def __repr__(self) -> str:
        return f"MoodleClient(base_url={self.base_url!r})"

    @property
    def base_url(self) -> str:
        return self._transport.base_url

    def call(self, wsfunction: str, /, **params: Any) -> Any:
        """Call any web-service function and return its parsed JSON answer.

        Nested dicts and lists are sent in PHP array syntax, booleans as 1/0, ``None`` left out.
        """
        return self._call(wsfunction, params)

    def _call(
        self, wsfunction: str, params: Mapping[str, Any], *, timeout: Timeout | None = None
    ) -> Any:
        try:
            return self._transport.call(wsfunction, params, timeout=timeout)
        except (NotFound, AccessDenied) as exc:
            if exc.errorcode in _AMBIGUOUS_ERRORCODES and not self._can_call(wsfunction):
                raise FunctionUnavailable(
                    f"{wsfunction} does not exist on this Moodle or is not in the token's service",
                    errorcode=exc.errorcode,
                    exception=exc.exception,
                    function=wsfunction,
                    debuginfo=exc.debuginfo,
                ) from None
            raise

    def _can_call(self, wsfunction: str) -> bool:
        """Whether ``wsfunction`` is in the token's service, from the site info fetched once.

        When the site info itself cannot be read, the original error is the better answer.
        """
        if wsfunction == SITE_INFO_FUNCTION:
            return True
        if self._functions is None:
            try:
                self.get_site_info()
            except MoodleError:
                return True
        return self._functions is None or wsfunction in self._functions

    def _remember_functions(self, functions: frozenset[str]) -> None:
        self._functions = functions

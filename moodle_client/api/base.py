"""What every typed wrapper needs from the client: a call and a checked parse."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from moodle_client.errors import UnexpectedResponse, error_from_body
from moodle_client.transport import Timeout
from moodle_client.types.common import MoodleWarning

T = TypeVar("T")


class ApiBase:
    """The two primitives the per-component wrappers are written with."""

    def _call(
        self, wsfunction: str, params: Mapping[str, Any], *, timeout: Timeout | None = None
    ) -> Any:
        raise NotImplementedError

    def _fetch(
        self,
        wsfunction: str,
        params: Mapping[str, Any],
        parse: Callable[[Any], T],
        *,
        timeout: Timeout | None = None,
    ) -> T:
        """Call ``wsfunction`` and turn its answer into typed values with ``parse``.

        An answer of another shape than documented raises :class:`UnexpectedResponse` instead
        of a ``KeyError`` deep in a worker.
        """
        answer = self._call(wsfunction, params, timeout=timeout)
        try:
            return parse(answer)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise UnexpectedResponse(
                f"unexpected answer structure ({type(exc).__name__}: {exc})",
                errorcode="unexpectedresponse",
                function=wsfunction,
            ) from None


def raise_for_warning(wsfunction: str, warnings: tuple[MoodleWarning, ...]) -> None:
    """Raise the first warning as the matching :class:`MoodleError` (a single-item call whose
    item failed): ``shortnametaken`` gives ``ShortnameTaken``, a missing course ``NotFound``."""
    for warning in warnings:
        raise error_from_body(
            {"errorcode": warning.warningcode, "message": warning.message},
            function=wsfunction,
        )


def listing(parse_item: Callable[[Any], T]) -> Callable[[Any], tuple[T, ...]]:
    """A parser for an answer that is a JSON list of items."""

    def parse(answer: Any) -> tuple[T, ...]:
        if not isinstance(answer, list):
            raise TypeError(f"expected a list, got {type(answer).__name__}")
        return tuple(parse_item(item) for item in answer)

    return parse


def expect_null(answer: Any) -> None:
    """Functions without a return value answer ``null``."""
    if answer is not None:
        raise TypeError(f"expected null, got {type(answer).__name__}")

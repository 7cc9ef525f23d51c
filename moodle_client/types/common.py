"""Shapes shared by many functions."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class MoodleWarning:
    """One per-item warning of a bulk function (``warnings`` in the answer)."""

    item: str
    itemid: int
    warningcode: str
    message: str

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> MoodleWarning:
        return cls(
            item=str(data.get("item") or ""),
            itemid=int(data.get("itemid") or 0),
            warningcode=str(data.get("warningcode") or ""),
            message=str(data.get("message") or ""),
        )


def warnings_from(data: Mapping[str, Any] | None) -> tuple[MoodleWarning, ...]:
    """The ``warnings`` list of an answer (missing or ``null`` answers have none)."""
    if not data:
        return ()
    return tuple(MoodleWarning.from_json(item) for item in data.get("warnings") or ())


def as_bool(value: Any) -> bool:
    """Moodle sends flags as ``1``/``0``, ``"1"``/``"0"`` or JSON booleans."""
    if isinstance(value, str):
        return value not in ("", "0")
    return bool(value)


def opt_int(value: Any) -> int | None:
    return None if value is None else int(value)


def opt_float(value: Any) -> float | None:
    return None if value is None or value == "" else float(value)


def ints(values: Iterable[Any]) -> tuple[int, ...]:
    return tuple(int(value) for value in values)

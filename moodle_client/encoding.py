"""Parameters in the form Moodle's REST server reads: PHP array syntax in form fields.

``{"courses": [{"shortname": "X"}]}`` becomes ``courses[0][shortname]=X``. Moodle ignores a JSON
body, so this is the only way to send structured parameters.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

Field = tuple[str, str]


def flatten_params(params: Mapping[str, Any]) -> list[Field]:
    """Flatten nested mappings and sequences into ``(name, value)`` form fields.

    Booleans become ``1``/``0`` (PHP reads ``false`` as a non-empty string); ``None`` is left
    out so that Moodle applies its default; lists are indexed explicitly from 0.
    """
    fields: list[Field] = []
    for name, value in params.items():
        _flatten_into(fields, str(name), value)
    return fields


def _flatten_into(fields: list[Field], name: str, value: Any) -> None:
    if value is None:
        return
    if isinstance(value, Mapping):
        for key, item in value.items():
            _flatten_into(fields, f"{name}[{key}]", item)
    elif isinstance(value, Sequence) and not isinstance(value, str | bytes):
        for index, item in enumerate(value):
            _flatten_into(fields, f"{name}[{index}]", item)
    else:
        fields.append((name, encode_scalar(value)))


def encode_scalar(value: Any) -> str:
    """One scalar as Moodle expects it in a form field."""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int | float | str):
        return str(value)
    raise TypeError(f"cannot send a {type(value).__name__} to Moodle: {value!r}")


def name_value_list(options: Mapping[str, Any]) -> list[dict[str, str]]:
    """``{"users": False}`` → ``[{"name": "users", "value": "0"}]``, the option lists of
    duplicate_course, import_course, add_discussion and the plugin's reset/restore.

    A sequence value (a multi-select such as ``unenrol_users``) is joined with commas;
    ``None`` values are left out.
    """
    result = []
    for name, value in options.items():
        if value is None:
            continue
        if isinstance(value, Sequence) and not isinstance(value, str | bytes):
            encoded = ",".join(encode_scalar(item) for item in value)
        else:
            encoded = encode_scalar(value)
        result.append({"name": name, "value": encoded})
    return result

"""Decoding form fields the way PHP fills `$_GET` and `$_POST`: `a[b][0]=x` nests, `a[]=x`
appends, a later field replaces an earlier one of the same name."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qsl

_SUBKEY = re.compile(r"\[([^\]]*)\]")


def decode_fields(pairs: list[tuple[str, str]]) -> dict[str, Any]:
    """Nested dicts (lists are dicts with "0", "1"... keys, as PHP arrays are) of strings."""
    result: dict[str, Any] = {}
    for name, value in pairs:
        _store(result, name, value)
    return result


def decode_query(query: str) -> dict[str, Any]:
    return decode_fields(parse_qsl(query, keep_blank_values=True))


def _store(target: dict[str, Any], name: str, value: str) -> None:
    bracket = name.find("[")
    if bracket <= 0 or not name.endswith("]"):
        # PHP only treats a well-formed trailing [...] chain as array syntax.
        target[name.replace(".", "_").replace(" ", "_")] = value
        return
    head = name[:bracket]
    keys = _SUBKEY.findall(name[bracket:])
    if "".join(f"[{k}]" for k in keys) != name[bracket:]:
        target[name] = value
        return
    node = target
    path = [head, *keys]
    for depth, key in enumerate(path):
        last = depth == len(path) - 1
        if key == "":
            key = str(_next_index(node))
        if last:
            node[key] = value
        else:
            child = node.get(key)
            if not isinstance(child, dict):
                child = {}
                node[key] = child
            node = child


def _next_index(node: dict[str, Any]) -> int:
    indexes = [int(k) for k in node if re.fullmatch(r"-?[0-9]+", k)]
    return max(indexes) + 1 if indexes else 0

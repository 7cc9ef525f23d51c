"""Replaying a contract recording against a stand-in and comparing what comes back.

A recording (one JSON file) holds the exact request a real Moodle 5.0 received and its answer.
`replay` sends the same request to a stand-in; `shape_differences` lists where the stand-in's
JSON answer differs in shape (keys, JSON types, list-ness) from the recorded one. Values that
depend on data (ids, names, counts) are free to differ.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import requests

TOKEN = re.compile(r"<token:([^>]+)>")


@dataclass
class Recording:
    path: Path
    data: dict[str, Any]

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def function(self) -> str:
        query = self.data.get("query") or {}
        return str(self.data.get("function") or query.get("wsfunction") or "")

    @property
    def debug(self) -> bool:
        return "__debug_on" in self.path.stem

    @property
    def endpoint(self) -> str:
        return str(self.data["endpoint"])


def load(path: Path) -> Recording:
    return Recording(path, json.loads(path.read_text(encoding="utf-8")))


def _untoken(value: Any) -> str:
    return TOKEN.sub(lambda m: m.group(1), str(value))


def _form_pairs(encoded: list[str]) -> list[tuple[str, str]]:
    pairs = []
    for field in encoded:
        name, _, value = field.partition("=")
        pairs.append((name, value))
    return pairs


def replay(recording: Recording, url: str, *, upload_content: bytes = b"") -> requests.Response:
    """Sends the recorded request to the stand-in at `url`, as it was sent to Moodle."""
    data = recording.data
    query = [(name, _untoken(value)) for name, value in (data.get("query") or {}).items()]
    encoded = data.get("encoded_params") or []
    method = data.get("http_method", "POST")
    target = url + recording.endpoint
    if "form_files" in data:
        files = {
            field: (name, upload_content)
            for field, name in _python_dict(data["form_files"]).items()
        }
        return requests.post(f"{target}?{urlencode(query)}", files=files, timeout=30)
    if encoded and encoded[0].startswith("(JSON body) "):
        body = encoded[0].removeprefix("(JSON body) ")
        return requests.post(
            f"{target}?{urlencode(query)}",
            data=body.encode("utf-8"),
            headers={"Content-Type": "application/json"},
            timeout=30,
        )
    pairs = _form_pairs(encoded)
    if method == "GET":
        return requests.get(f"{target}?{urlencode(query + pairs)}", timeout=30)
    return requests.post(f"{target}?{urlencode(query)}", data=pairs, timeout=30)


def _python_dict(value: Any) -> dict[str, str]:
    """Form files: a dict, or its Python repr ({'file_1': 'name.mbz'})."""
    if isinstance(value, dict):
        return {str(k): str(v) for k, v in value.items()}
    return dict(re.findall(r"'([^']*)':\s*'([^']*)'", str(value)))


def kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "list"
    return "object"


def shape_differences(recorded: Any, ours: Any, path: str = "$") -> list[str]:
    """Where `ours` does not have the shape of `recorded`.

    A recorded null may stand for any scalar and a scalar for null (nullable fields); objects
    need the same keys; lists: when the recording has items, ours must have items too and
    each must have the shape of one of the recorded items.
    """
    recorded_kind, our_kind = kind(recorded), kind(ours)
    if "null" in (recorded_kind, our_kind):
        if {recorded_kind, our_kind} & {"list", "object"} and recorded_kind != our_kind:
            return [f"{path}: {our_kind} where the recording has {recorded_kind}"]
        return []
    if recorded_kind != our_kind:
        return [f"{path}: {our_kind} where the recording has {recorded_kind}"]
    if recorded_kind == "object":
        missing = sorted(set(recorded) - set(ours))
        extra = sorted(set(ours) - set(recorded))
        problems = []
        if missing:
            problems.append(f"{path}: missing keys {missing}")
        if extra:
            problems.append(f"{path}: unexpected keys {extra}")
        for key in sorted(set(recorded) & set(ours)):
            problems.extend(shape_differences(recorded[key], ours[key], f"{path}.{key}"))
        return problems
    if recorded_kind == "list":
        if not recorded:
            return []
        if not ours:
            return [f"{path}: empty list where the recording has {len(recorded)} items"]
        samples = _distinct_shapes(recorded)
        problems = []
        for index, item in enumerate(ours):
            attempts = [shape_differences(sample, item, f"{path}[{index}]") for sample in samples]
            if all(attempts):
                problems.extend(min(attempts, key=len))
        return problems
    return []


def _distinct_shapes(items: list[Any]) -> list[Any]:
    seen: dict[str, Any] = {}
    for item in items:
        seen.setdefault(_signature(item), item)
    return list(seen.values())


def _signature(value: Any) -> str:
    if isinstance(value, dict):
        return "{" + ",".join(f"{k}:{_signature(v)}" for k, v in sorted(value.items())) + "}"
    if isinstance(value, list):
        return "[" + "|".join(sorted({_signature(v) for v in value})) + "]"
    return kind(value)

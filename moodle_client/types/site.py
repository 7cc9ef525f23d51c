"""``core_webservice_get_site_info``."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class SiteInfo:
    """Who the token belongs to, which Moodle answers, and which functions the token may call."""

    sitename: str
    siteurl: str
    release: str
    version: str
    userid: int
    username: str
    fullname: str
    lang: str
    userissiteadmin: bool
    functions: frozenset[str]

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> SiteInfo:
        return cls(
            sitename=str(data.get("sitename") or ""),
            siteurl=str(data["siteurl"]),
            release=str(data.get("release") or ""),
            version=str(data.get("version") or ""),
            userid=int(data["userid"]),
            username=str(data["username"]),
            fullname=str(data.get("fullname") or ""),
            lang=str(data.get("lang") or ""),
            userissiteadmin=bool(data.get("userissiteadmin")),
            functions=frozenset(str(item["name"]) for item in data.get("functions") or ()),
        )

    def has_function(self, wsfunction: str) -> bool:
        return wsfunction in self.functions

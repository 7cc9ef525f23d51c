"""Files moved through ``webservice/pluginfile.php`` and ``webservice/upload.php``."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class DownloadedFile:
    """A file written to local disk (``path``) or to a sink (``path`` is None), with the
    checksums computed while it streamed in.

    ``sha1`` is comparable with Moodle's ``contenthash`` (the plugin's backup result carries it).
    """

    path: Path | None
    size: int
    sha256: str
    sha1: str
    content_type: str
    filename: str

    def matches_contenthash(self, contenthash: str) -> bool:
        """True if the bytes received are the ones Moodle stored under ``contenthash``."""
        return self.sha1 == contenthash.lower()


@dataclass(frozen=True)
class DraftFile:
    """One file stored in a user's draft area by ``webservice/upload.php``."""

    filename: str
    filepath: str
    itemid: int
    contextid: int
    component: str
    filearea: str

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> DraftFile:
        return cls(
            filename=str(data["filename"]),
            filepath=str(data.get("filepath") or "/"),
            itemid=int(data["itemid"]),
            contextid=int(data.get("contextid") or 0),
            component=str(data.get("component") or "user"),
            filearea=str(data.get("filearea") or "draft"),
        )


@dataclass(frozen=True)
class DraftUpload:
    """The draft area an upload went into: pass ``itemid`` to the function that consumes it
    (``local_passage_restore_course``'s ``draftitemid``)."""

    itemid: int
    files: tuple[DraftFile, ...]


@dataclass(frozen=True)
class StoredFile:
    """A file or directory listed by ``core_files_get_files``."""

    contextid: int
    component: str
    filearea: str
    itemid: int
    filepath: str
    filename: str
    isdir: bool
    url: str
    filesize: int
    timemodified: int

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> StoredFile:
        return cls(
            contextid=int(data["contextid"]),
            component=str(data.get("component") or ""),
            filearea=str(data.get("filearea") or ""),
            itemid=int(data.get("itemid") or 0),
            filepath=str(data.get("filepath") or "/"),
            filename=str(data["filename"]),
            isdir=bool(data.get("isdir")),
            url=str(data.get("url") or ""),
            filesize=int(data.get("filesize") or 0),
            timemodified=int(data.get("timemodified") or 0),
        )

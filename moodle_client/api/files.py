"""webservice/pluginfile.php, webservice/upload.php and core_files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from moodle_client.api.base import ApiBase
from moodle_client.errors import UnexpectedResponse, error_from_body
from moodle_client.transport import Timeout, Transport
from moodle_client.types.files import DownloadedFile, DraftFile, DraftUpload, StoredFile


class FilesApi(ApiBase):
    _transport: Transport

    def download_file(
        self, url: str, destination: Path | str, *, timeout: Timeout | None = None
    ) -> DownloadedFile:
        """Stream a file of this site to ``destination``, with its size, SHA-256 and SHA-1.

        ``url`` is the ``fileurl`` the plugin gives for a backup, a ``/pluginfile.php/...`` URL
        from ``core_files_get_files``, or a path; the token is added as ``token`` (the parameter
        ``webservice/pluginfile.php`` reads). A missing file raises ``NotFound``. The file
        appears at ``destination`` only once complete.
        https://docs.moodle.org/dev/Web_services_files_handling
        """
        return self._transport.download(url, Path(destination), timeout=timeout)

    def upload_file(
        self,
        source: Path | str,
        *,
        filename: str | None = None,
        itemid: int = 0,
        timeout: Timeout | None = None,
    ) -> DraftUpload:
        """Upload a local file into the token user's draft area (a new one with ``itemid=0``,
        else the draft area ``itemid``). A file of the same name already there raises a
        ``MoodleError`` with errorcode ``filenameexist``.

        https://docs.moodle.org/dev/Web_services_files_handling
        """
        path = Path(source)
        with path.open("rb") as content:
            answer = self._transport.upload(
                content, filename=filename or path.name, itemid=itemid, timeout=timeout
            )
        for item in answer if isinstance(answer, list) else ():
            if isinstance(item, dict) and item.get("errortype"):
                # upload.php reports a refused file (a name already in the draft area) in place.
                raise error_from_body(
                    {"errorcode": item["errortype"], "error": item.get("error")}, function="upload"
                )
        try:
            files = tuple(DraftFile.from_json(item) for item in answer)
        except (KeyError, TypeError, ValueError) as exc:
            raise UnexpectedResponse(
                f"unexpected upload answer ({type(exc).__name__}: {exc})",
                errorcode="unexpectedresponse",
                function="upload",
            ) from None
        if not files:
            raise UnexpectedResponse(
                "upload answered no file", errorcode="unexpectedresponse", function="upload"
            )
        return DraftUpload(itemid=files[0].itemid, files=files)

    def get_files(
        self,
        contextid: int,
        component: str,
        filearea: str,
        *,
        itemid: int = 0,
        filepath: str = "/",
    ) -> tuple[StoredFile, ...]:
        """The files of one file area (a draft area: ``contextid`` of the user, component
        ``user``, filearea ``draft``, ``itemid`` of the draft).

        https://docs.moodle.org/dev/Web_service_API_functions#core_files_get_files
        """

        def parse(answer: Any) -> tuple[StoredFile, ...]:
            return tuple(StoredFile.from_json(item) for item in answer["files"])

        return self._fetch(
            "core_files_get_files",
            {
                "contextid": contextid,
                "component": component,
                "filearea": filearea,
                "itemid": itemid,
                "filepath": filepath,
                "filename": "",
            },
            parse,
        )

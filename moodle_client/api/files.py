"""webservice/pluginfile.php, webservice/upload.php and core_files."""

from __future__ import annotations

from contextlib import nullcontext
from pathlib import Path
from typing import IO, Any

from moodle_client.api.base import ApiBase
from moodle_client.errors import UnexpectedResponse, error_from_body
from moodle_client.transport import SinkOpener, Timeout, Transport
from moodle_client.types.files import DownloadedFile, DraftFile, DraftUpload, StoredFile


class FilesApi(ApiBase):
    _transport: Transport

    def download_file(
        self, url: str, destination: Path | str | SinkOpener, *, timeout: Timeout | None = None
    ) -> DownloadedFile:
        """Stream a file of this site to ``destination``, with its size, SHA-256 and SHA-1.

        ``destination`` is a local path, or a function that opens a sink for each attempt (a
        context manager giving an object with ``write``; it ends with an exception when the
        download failed, so that the sink drops what it got): object storage takes the file
        as it comes, without a local copy.
        ``url`` is the ``fileurl`` the plugin gives for a backup, a ``/pluginfile.php/...`` URL
        from ``core_files_get_files``, or a path; the token is added as ``token`` (the parameter
        ``webservice/pluginfile.php`` reads). A missing file raises ``NotFound``. The file
        appears at ``destination`` only once complete.
        https://docs.moodle.org/dev/Web_services_files_handling
        """
        target = destination if callable(destination) else Path(destination)
        return self._transport.download(url, target, timeout=timeout)

    def upload_file(
        self,
        source: Path | str | IO[bytes],
        *,
        filename: str | None = None,
        itemid: int = 0,
        timeout: Timeout | None = None,
    ) -> DraftUpload:
        """Upload a local file, or an open stream of known length (an object with ``len``),
        into the token user's draft area (a new one with ``itemid=0``, else the draft area
        ``itemid``). The body streams as it is sent. A file of the same name already there
        raises a ``MoodleError`` with errorcode ``filenameexist``; a file above the site's upload
        limit, one of the upload errors (check ``get_site_limits`` first).

        https://docs.moodle.org/dev/Web_services_files_handling
        """
        if isinstance(source, Path | str):
            path = Path(source)
            opened: Any = path.open("rb")
            name = filename or path.name
        else:
            if filename is None:
                raise ValueError("filename is needed to upload a stream")
            opened, name = nullcontext(source), filename
        with opened as content:
            answer = self._transport.upload(content, filename=name, itemid=itemid, timeout=timeout)
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

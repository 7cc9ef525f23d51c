"""`/webservice/pluginfile.php` (file download with a token) and `/webservice/upload.php`
(upload to the token user's draft area), as Moodle's AJAX scripts answer them."""

from __future__ import annotations

import email.parser
import email.policy
import json
import mimetypes
from dataclasses import dataclass, field
from email.message import EmailMessage

from moodle_client.standin.registry import MoodleError
from moodle_client.standin.rest import authenticate
from moodle_client.standin.site import Site, StoredFile

AJAX_CONTENT_TYPE = "application/json; charset=utf-8"
# upload.php prints its JSON answer as plain text.
UPLOAD_CONTENT_TYPE = "text/plain"
BACKUP_MIMETYPE = "application/vnd.moodle.backup"
# File areas whose pluginfile URLs carry no itemid segment (the file's itemid is 0).
AREAS_WITHOUT_ITEMID = frozenset(
    {
        ("backup", "course"),
        ("backup", "activity"),
        ("backup", "section"),
        ("backup", "automated"),
        ("course", "summary"),
        ("course", "overviewfiles"),
    }
)
FIRST_DRAFT_ITEMID = 100_000_001


@dataclass
class FileAnswer:
    status: int
    content_type: str
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)
    changed_site: bool = False
    # A file kept on disk, sent from there a block at a time instead of `body`.
    path: str = ""


def ajax_error(errorcode: str, message: str, status: int = 200) -> FileAnswer:
    """An exception as Moodle's AJAX scripts print it (core_renderer_ajax::fatal_error)."""
    body = json.dumps(
        {
            "error": message,
            "errorcode": errorcode,
            "stacktrace": None,
            "debuginfo": None,
            "reproductionlink": None,
        }
    )
    return FileAnswer(status, AJAX_CONTENT_TYPE, body.encode("utf-8"))


def file_not_found() -> FileAnswer:
    return ajax_error("filenotfound", "Sorry, the requested file could not be found", 404)


def _token_user(site: Site, query: dict[str, str]) -> int | FileAnswer:
    token = query.get("token")
    if token is None:
        return ajax_error("missingparam", "A required parameter (token) was missing")
    try:
        return authenticate(site, token).id
    except MoodleError as error:
        return ajax_error(error.errorcode, error.message)


def serve_pluginfile(site: Site, relative_path: str, query: dict[str, str]) -> FileAnswer:
    """`relative_path` is `/<contextid>/<component>/<filearea>/[<itemid>/]<path>/<name>`."""
    with site.lock:
        userid = _token_user(site, query)
        if isinstance(userid, FileAnswer):
            return userid
        stored = _find(site, relative_path)
        if stored is None or not _may_read(site, userid, stored):
            missing = file_not_found()
            if relative_path.strip("/").split("/")[1:2] == ["local_passage"]:
                # The plugin's file callback answers its 404 without a charset.
                missing.content_type = "application/json"
            return missing
        # The plugin sends its backups as downloads; core's backup areas serve them inline.
        forced = query.get("forcedownload") or stored.component == "local_passage"
        disposition = "attachment" if forced else "inline"
        mimetype = BACKUP_MIMETYPE if stored.filename.endswith(".mbz") else stored.mimetype
        return FileAnswer(
            200,
            mimetype,
            stored.content,
            {
                "Content-Disposition": f'{disposition}; filename="{stored.filename}"',
                "Accept-Ranges": "none",
            },
            path=stored.disk_path,
        )


def _find(site: Site, relative_path: str) -> StoredFile | None:
    parts = relative_path.strip("/").split("/")
    if len(parts) < 4 or not parts[0].isdigit():
        return None
    contextid, component, filearea = int(parts[0]), parts[1], parts[2]
    rest = parts[3:]
    if (component, filearea) in AREAS_WITHOUT_ITEMID:
        itemid = 0
    else:
        if len(rest) < 2 or not rest[0].isdigit():
            return None
        itemid, rest = int(rest[0]), rest[1:]
    filename = rest[-1]
    filepath = "/" + "".join(f"{p}/" for p in rest[:-1])
    return site.find_file(contextid, component, filearea, itemid, filepath, filename)


def _may_read(site: Site, userid: int, stored: StoredFile) -> bool:
    user = site.users[userid]
    if user.siteadmin:
        return True
    if stored.component == "user":
        return stored.contextid == user.contextid
    course = site.course_of_context(stored.contextid)
    if course is None:
        return False
    if stored.component in ("backup", "local_passage"):
        return site.has_capability(userid, "moodle/backup:backupcourse", course.contextid)
    return site.can_access_course(userid, course.id)


def serve_upload(site: Site, content_type: str, body: bytes, query: dict[str, str]) -> FileAnswer:
    """Stores every uploaded file in the token user's draft area and lists what it did."""
    form = _parse_multipart(content_type, body)
    fields = {
        **query,
        **{
            name: value.decode("utf-8", "replace")
            for name, (filename, value) in form.items()
            if filename is None
        },
    }
    uploads = [
        (filename, value) for name, (filename, value) in form.items() if filename is not None
    ]
    with site.lock:
        userid = _token_user(site, fields)
        if isinstance(userid, FileAnswer):
            return userid
        user = site.users[userid]
        filepath = fields.get("filepath") or "/"
        try:
            itemid = int(fields.get("itemid") or 0)
        except ValueError:
            itemid = 0
        if itemid <= 0:
            site.set_next_id("draftitemid", FIRST_DRAFT_ITEMID)
            itemid = site.next_id("draftitemid")
        results: list[dict[str, object]] = []
        for filename, content in uploads:
            if len(content) > site.max_upload_bytes:
                # PHP drops the file (UPLOAD_ERR_INI_SIZE) and upload.php throws.
                return ajax_error(
                    "upload_error_ini_size",
                    "The uploaded file exceeds the upload_max_filesize directive in php.ini.",
                )
            if site.find_file(user.contextid, "user", "draft", itemid, filepath, filename):
                results.append(
                    {
                        "filename": filename,
                        "filepath": filepath,
                        "size": len(content),
                        "errortype": "filenameexist",
                        "error": f"Filename already exists: {filename}",
                    }
                )
                continue
            site.add_file(
                user.contextid,
                "user",
                "draft",
                itemid,
                filepath,
                filename,
                content,
                userid=user.id,
                author=user.fullname,
                license="unknown",
                mimetype=_mimetype(filename),
            )
            source = f'O:8:"stdClass":1:{{s:6:"source";s:{len(filename.encode())}:"{filename}";}}'
            results.append(
                {
                    "component": "user",
                    "contextid": user.contextid,
                    "userid": str(user.id),
                    "filearea": "draft",
                    "filename": filename,
                    "filepath": filepath,
                    "itemid": itemid,
                    "license": "unknown",
                    "author": user.fullname,
                    "source": source,
                    "filesize": len(content),
                }
            )
        return FileAnswer(
            200,
            UPLOAD_CONTENT_TYPE,
            json.dumps(results).encode("utf-8"),
            changed_site=bool(uploads),
        )


def _parse_multipart(content_type: str, body: bytes) -> dict[str, tuple[str | None, bytes]]:
    """Field name -> (file name or None for a plain field, content)."""
    if not content_type.lower().startswith("multipart/form-data"):
        return {}
    head = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode()
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + body)
    fields: dict[str, tuple[str | None, bytes]] = {}
    if not isinstance(message, EmailMessage) or not message.is_multipart():
        return fields
    for part in message.iter_parts():
        if not isinstance(part, EmailMessage):
            continue
        name = part.get_param("name", header="content-disposition")
        if not isinstance(name, str):
            continue
        payload = part.get_payload(decode=True)
        content = payload if isinstance(payload, bytes) else b""
        fields[name] = (part.get_filename(), content)
    return fields


def _mimetype(filename: str) -> str:
    if filename.endswith(".mbz"):
        return BACKUP_MIMETYPE
    return mimetypes.guess_type(filename)[0] or "application/octet-stream"

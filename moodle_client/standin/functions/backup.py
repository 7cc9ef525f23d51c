"""core_backup: the asynchronous backup and copy functions, as far as a token can use them.

Controllers live in `site.extra["backup_controllers"]`, by backup id:
`{"operation": "backup" | "restore", "status": int, "progress": float, "courseid": int,
"contextid": int}`.
"""

from __future__ import annotations

from typing import Any

from moodle_client.standin.registry import (
    Call,
    Int,
    List,
    MoodleError,
    Str,
    Struct,
    missing_record,
    moodle_exception,
    webservice,
)
from moodle_client.standin.site import Site

STATUS_FINISHED_OK = 1000


def controllers(site: Site) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = site.extra.setdefault("backup_controllers", {})
    return found


def _controller(site: Site, backupid: str) -> dict[str, Any]:
    controller = controllers(site).get(backupid)
    if controller is None:
        raise missing_record(
            "backup_controllers",
            "SELECT * FROM {backup_controllers} WHERE backupid = ?",
            [backupid],
        )
    return controller


def _progress(backupid: str, controller: dict[str, Any]) -> dict[str, Any]:
    return {
        "status": controller["status"],
        "progress": controller["progress"],
        "backupid": backupid,
        "operation": controller["operation"],
    }


@webservice(
    "core_backup_get_async_backup_progress",
    params={"backupids": List(Str("alphanumext")), "contextid": Int()},
    read_only=True,
)
def get_async_backup_progress(call: Call, params: dict[str, Any]) -> list[dict[str, Any]]:
    """Status and progress of asynchronous backups."""
    return [_progress(b, _controller(call.site, b)) for b in params["backupids"]]


@webservice(
    "core_backup_get_copy_progress",
    params={
        "copies": List(
            Struct(
                {
                    "backupid": Str("alphanumext"),
                    "restoreid": Str("alphanumext"),
                    "operation": Str("alpha"),
                }
            )
        )
    },
    read_only=True,
)
def get_copy_progress(call: Call, params: dict[str, Any]) -> list[dict[str, Any]]:
    """Progress of course copies: of the backup half, then of the restore half."""
    answer = []
    for copy in params["copies"]:
        backupid = copy["restoreid"] if copy["operation"] == "restore" else copy["backupid"]
        answer.append(_progress(backupid, _controller(call.site, backupid)))
    return answer


@webservice(
    "core_backup_get_async_backup_links_backup",
    params={"filename": Str("file"), "contextid": Int(), "backupid": Str("alphanumext")},
    read_only=True,
)
def get_async_backup_links_backup(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    """Always fails in Moodle 5.0: a finished backup's stored controller is emptied, and this
    function needs it."""
    raise MoodleError(
        "backup_dbops_exception",
        "backup_controller_dbops_loading_invalid_controller",
        "error/backup_controller_dbops_loading_invalid_controller",
    )


@webservice(
    "core_backup_get_async_backup_links_restore",
    params={"backupid": Str("alphanumext"), "contextid": Int()},
    read_only=True,
)
def get_async_backup_links_restore(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    """The course an asynchronous restore went into."""
    controller = _controller(call.site, params["backupid"])
    return {"restoreurl": f"{call.wwwroot}/course/view.php?id={controller['courseid']}"}


@webservice("core_backup_submit_copy_form", params={"jsonformdata": Str()})
def submit_copy_form(call: Call, params: dict[str, Any]) -> int:
    """The copy form checks a session key a token request never has, so it always fails."""
    raise moodle_exception("missingparam", "A required parameter (sesskey) was missing")

"""The companion plugin's web-service functions (moodle_plugin/local_passage/API.md)."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import urllib.request
from pathlib import Path
from typing import Any

from moodle_client.standin.fileserving import BACKUP_MIMETYPE
from moodle_client.standin.functions.common import course_or_missing
from moodle_client.standin.inventory import course_inventory
from moodle_client.standin.mbz import (
    backup_filename,
    build_backup,
    build_bulk_backup,
    read_backup,
)
from moodle_client.standin.passage import cohort_sync, operations
from moodle_client.standin.passage.operations import Operation, find_by_key, passage_state
from moodle_client.standin.passage.restore import (
    MODE_DELETE,
    MODE_MERGE,
    RESTORE_SETTINGS,
    restore_backup,
)
from moodle_client.standin.registry import (
    REQUIRED_CAPABILITY_EXCEPTION,
    Call,
    Int,
    List,
    MoodleError,
    Str,
    Struct,
    invalid_parameter,
    missing_record_by_id,
    moodle_exception,
    webservice,
)
from moodle_client.standin.reset import reset_course, reset_data_from_options
from moodle_client.standin.site import SITE_COURSE_ID, SYSTEM_CONTEXT_ID, Course, Site, now

COMPONENT = "local_passage"
KEY_MAX_LENGTH = 255
# The plugin's own capability, checked in the course before the core one of each action.
PASSAGE_USE = "local/passage:use"
PASSAGE_USE_NAME = "Use the Passage web services on a course"
TYPE_CAPABILITY = {
    "backup": "moodle/backup:backupcourse",
    "reset": "moodle/course:reset",
    "restore": "moodle/restore:restorecourse",
}


def _passage_course(call: Call, courseid: int) -> Course:
    """The course, checked as the plugin's functions check it: it exists, the user may enter
    it (validate_context) and holds local/passage:use there."""
    course = course_or_missing(call.site, courseid)
    if not call.site.can_access_course(call.user.id, course.id):
        raise MoodleError(
            "core\\exception\\require_login_exception",
            "requireloginerror",
            "Course or activity not accessible.",
        )
    if not call.site.has_capability(call.user.id, PASSAGE_USE, course.contextid):
        raise MoodleError(
            REQUIRED_CAPABILITY_EXCEPTION,
            "nopermissions",
            f"Sorry, but you do not currently have permissions to do that ({PASSAGE_USE_NAME}).",
            PASSAGE_USE,
        )
    return course


def _operation_course(call: Call, params: dict[str, Any], *flags: str) -> Course:
    """The checks every operation call makes first: its 0/1 flags, its key, and a course that
    is not the site's front page."""
    # The key is PARAM_RAW_TRIMMED.
    params["key"] = params["key"].strip()
    for flag in flags:
        if params[flag] not in (0, 1):
            raise invalid_parameter(f"{flag} must be 0 or 1")
    if not 0 < len(params["key"]) <= KEY_MAX_LENGTH:
        raise invalid_parameter(f"The key must hold 1 to {KEY_MAX_LENGTH} characters")
    if params["courseid"] == SITE_COURSE_ID:
        raise invalid_parameter("The site front page is not a course Passage works on")
    return _passage_course(call, params["courseid"])


def _name_values(*, required: bool) -> List:
    content = Struct({"name": Str(), "value": Str()})
    return List(content) if required else List(content, default=[])


# ----------------------------------------------------------------------- backup


@webservice(
    "local_passage_backup_course",
    params={
        "courseid": Int(),
        "users": Int(default=0),
        "anonymize": Int(default=0),
        "key": Str(),
        "runinline": Int(default=0),
    },
)
def local_passage_backup_course(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    """Backs a course up into the plugin's file area (an operation)."""
    site = call.site
    course = _operation_course(call, params, "users", "anonymize", "runinline")
    call.require_capability("moodle/backup:backupcourse", course.contextid)
    if params["users"]:
        call.require_capability("moodle/backup:userinfo", course.contextid)
    if params["anonymize"]:
        call.require_capability("moodle/backup:anonymise", course.contextid)
    existing = find_by_key(site, params["key"], "backup", course.id)
    if existing is not None:
        return existing.as_dict()
    operation = operations.create_operation(
        site,
        key=params["key"],
        operation_type="backup",
        courseid=course.id,
        userid=call.user.id,
        # Anonymising means nothing without users, as on the backup page.
        params={
            "users": bool(params["users"]),
            "anonymize": bool(params["users"] and params["anonymize"]),
        },
    )
    operations.dispatch(site, operation, _run_backup, runinline=bool(params["runinline"]))
    return operation.as_dict()


def _run_backup(site: Site, operation: Operation) -> dict[str, Any]:
    course = _course_of(site, operation)
    when = now()
    filename = backup_filename(
        course, when, users=operation.params["users"], anonymize=operation.params["anonymize"]
    )
    users, anonymize = operation.params["users"], operation.params["anonymize"]
    disk_path = ""
    content = b""
    if site.bulk_bytes.get(course.id):
        handle, disk_path = tempfile.mkstemp(prefix="standin-backup-", suffix=".mbz")
        os.close(handle)
        build_bulk_backup(
            site,
            course,
            users=users,
            anonymize=anonymize,
            filename=filename,
            when=when,
            bulk_bytes=site.bulk_bytes[course.id],
            destination=Path(disk_path),
        )
    else:
        content = build_backup(
            site, course, users=users, anonymize=anonymize, filename=filename, when=when
        )
    stored = site.add_file(
        course.contextid,
        COMPONENT,
        "backup",
        operation.id,
        "/",
        filename,
        content,
        mimetype=BACKUP_MIMETYPE,
        userid=operation.userid,
        disk_path=disk_path,
    )
    return {
        "filename": stored.filename,
        "filesize": stored.filesize,
        "contenthash": stored.contenthash,
        "fileurl": (
            f"{site.wwwroot}/webservice/pluginfile.php/{course.contextid}/{COMPONENT}/backup/"
            f"{operation.id}/{stored.filename}"
        ),
    }


def _course_of(site: Site, operation: Operation) -> Course:
    course = site.courses.get(operation.courseid)
    if course is None:
        raise moodle_exception("invalidcourseid", "You are trying to use an invalid course ID")
    return course


# ----------------------------------------------------------------------- reset


@webservice(
    "local_passage_reset_course",
    params={
        "courseid": Int(),
        "options": _name_values(required=True),
        "key": Str(),
        "runinline": Int(default=0),
    },
)
def local_passage_reset_course(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    """Resets a course as the reset page does with these options (an operation)."""
    site = call.site
    course = _operation_course(call, params, "runinline")
    call.require_capability("moodle/course:reset", course.contextid)
    existing = find_by_key(site, params["key"], "reset", course.id)
    if existing is not None:
        return existing.as_dict()
    reset_data_from_options(site, course, params["options"])
    operation = operations.create_operation(
        site,
        key=params["key"],
        operation_type="reset",
        courseid=course.id,
        userid=call.user.id,
        params={"options": params["options"]},
    )
    operations.dispatch(site, operation, _run_reset, runinline=bool(params["runinline"]))
    return operation.as_dict()


def _run_reset(site: Site, operation: Operation) -> dict[str, Any]:
    course = _course_of(site, operation)
    data = reset_data_from_options(site, course, operation.params["options"])
    return {"components": [s.as_dict() for s in reset_course(site, course, data)]}


# ----------------------------------------------------------------------- restore


@webservice(
    "local_passage_restore_course",
    params={
        "courseid": Int(),
        "draftitemid": Int(),
        "mode": Str("alpha", default=MODE_DELETE),
        "settings": _name_values(required=False),
        "expectempty": Int(default=1),
        "key": Str(),
        "runinline": Int(default=0),
        "fileurl": Str("url", default=""),
        "filesha1": Str("alphanumext", default=""),
    },
)
def local_passage_restore_course(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    """Restores the .mbz of the user's draft area, or the one at `fileurl`, into a course (an
    operation)."""
    site = call.site
    if params["mode"] not in (MODE_DELETE, MODE_MERGE):
        raise invalid_parameter("mode must be delete or merge")
    course = _operation_course(call, params, "expectempty", "runinline")
    call.require_capability("moodle/restore:restorecourse", course.contextid)
    # A retry gets its operation back before the refusals its own restore would trigger.
    existing = find_by_key(site, params["key"], "restore", course.id)
    if existing is not None:
        return existing.as_dict()
    # A name the restore plan does not have is ignored, as the plugin ignores it.
    settings = {
        setting["name"]: setting["value"].strip()
        for setting in params["settings"]
        if setting["name"] in RESTORE_SETTINGS
    }
    if course.id in passage_state(site).restores:
        raise moodle_exception(
            "alreadyrestored",
            f"Passage has already restored a backup into course {course.id}; it will not "
            "restore a second one.",
        )
    news = site.news_forum(course.id)
    if params["expectempty"] and any(
        news is None or module.id != news.id for module in site.course_modules_of(course.id)
    ):
        raise moodle_exception(
            "coursenotempty",
            f"Course {course.id} already holds activities; restore refused so that nothing is "
            "overwritten.",
        )
    by_url = params["fileurl"] != ""
    if by_url and not (
        len(params["filesha1"]) == 40 and all(c in "0123456789abcdef" for c in params["filesha1"])
    ):
        raise invalid_parameter("filesha1 must be the 40 hexadecimal digits of the file at fileurl")
    archives = [
        f
        for f in site.user_draft_files(call.user.id, params["draftitemid"])
        if f.filename.lower().endswith(".mbz")
    ]
    if by_url:
        operation = operations.create_operation(
            site,
            key=params["key"],
            operation_type="restore",
            courseid=course.id,
            userid=call.user.id,
            params={
                "mode": params["mode"],
                "settings": settings,
                "fileurl": params["fileurl"],
                "filesha1": params["filesha1"],
            },
        )
        operations.dispatch(site, operation, _run_restore, runinline=bool(params["runinline"]))
        return operation.as_dict()
    if len(archives) != 1:
        raise moodle_exception(
            "nobackupfile",
            f"Draft area {params['draftitemid']} does not hold exactly one .mbz backup file.",
        )
    operation = operations.create_operation(
        site,
        key=params["key"],
        operation_type="restore",
        courseid=course.id,
        userid=call.user.id,
        params={"mode": params["mode"], "settings": settings},
    )
    # A copy of its own, so a queued restore does not depend on the draft area lasting.
    site.add_file(
        course.contextid,
        COMPONENT,
        "restore",
        operation.id,
        "/",
        archives[0].filename,
        archives[0].content,
        mimetype=BACKUP_MIMETYPE,
        userid=call.user.id,
    )
    operations.dispatch(site, operation, _run_restore, runinline=bool(params["runinline"]))
    return operation.as_dict()


def _fetch_backup(url: str, sha1: str) -> Path:
    """The plugin's fetch of a backup too large for upload.php: to disk, SHA-1 checked."""
    handle, name = tempfile.mkstemp(prefix="standin-restore-", suffix=".mbz")
    digest = hashlib.sha1()
    try:
        with os.fdopen(handle, "wb") as out, urllib.request.urlopen(url, timeout=60) as answer:
            while block := answer.read(1024 * 1024):
                digest.update(block)
                out.write(block)
    except OSError as error:
        os.unlink(name)
        raise moodle_exception(
            "backupfetchfailed", f"The backup file could not be fetched from the portal: {error}"
        ) from None
    if digest.hexdigest() != sha1:
        os.unlink(name)
        raise moodle_exception(
            "backupchecksummismatch",
            f"The fetched backup file is not the one the portal sent (SHA-1 "
            f"{digest.hexdigest()} instead of {sha1}).",
        )
    return Path(name)


def _run_restore(site: Site, operation: Operation) -> dict[str, Any]:
    course = _course_of(site, operation)
    if operation.params.get("fileurl"):
        # Fetched outside the site's lock, as the plugin's ad-hoc task fetches it.
        site.lock.release()
        try:
            fetched = _fetch_backup(operation.params["fileurl"], operation.params["filesha1"])
        finally:
            site.lock.acquire()
        try:
            backup = read_backup(fetched)
        finally:
            fetched.unlink()
    else:
        stored = site.files_in_area(course.contextid, COMPONENT, "restore", operation.id)
        if not stored:
            raise moodle_exception("nobackupfile", "The backup file of this restore is gone.")
        backup = read_backup(stored[0].content)
    restore_backup(
        site,
        course,
        backup,
        mode=operation.params["mode"],
        asked=operation.params["settings"],
    )
    passage_state(site).restores[course.id] = operations.RestoreRecord(
        courseid=course.id, operationid=operation.id, userid=operation.userid
    )
    site.delete_files(
        contextid=course.contextid, component=COMPONENT, filearea="restore", itemid=operation.id
    )
    return {"restoredcourseid": course.id}


operations.WORK_OF_TYPE.update(backup=_run_backup, reset=_run_reset, restore=_run_restore)

# ----------------------------------------------------------------------- files


@webservice("local_passage_get_site_limits", params={}, read_only=True)
def local_passage_get_site_limits(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    """The largest file upload.php accepts, and that a restore can fetch a URL."""
    if not call.site.has_capability(call.user.id, PASSAGE_USE, SYSTEM_CONTEXT_ID):
        raise MoodleError(
            REQUIRED_CAPABILITY_EXCEPTION,
            "nopermissions",
            f"Sorry, but you do not currently have permissions to do that ({PASSAGE_USE_NAME}).",
            PASSAGE_USE,
        )
    return {"maxuploadbytes": call.site.max_upload_bytes, "fetchbyurl": 1}


@webservice("local_passage_delete_backup", params={"operationid": Int()})
def local_passage_delete_backup(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    """Deletes the file of a finished backup operation; again, answers deleted = 0."""
    site = call.site
    operation = passage_state(site).operations.get(params["operationid"])
    if operation is None or operation.type != "backup":
        raise moodle_exception(
            "operationnotfound",
            f"Operation {params['operationid']} does not exist or you may not see it.",
        )
    course = _passage_course(call, operation.courseid)
    call.require_capability("moodle/backup:backupcourse", course.contextid)
    if operation.status in ("queued", "running"):
        raise moodle_exception(
            "backupnotfinished",
            f"Backup operation {operation.id} has not finished yet; its file cannot be deleted.",
        )
    files = site.files_in_area(course.contextid, COMPONENT, "backup", operation.id)
    size = sum(f.filesize for f in files)
    site.delete_files(
        contextid=course.contextid, component=COMPONENT, filearea="backup", itemid=operation.id
    )
    return {"operationid": operation.id, "deleted": 1 if files else 0, "bytes": size}


# ----------------------------------------------------------------------- operations


@webservice(
    "local_passage_get_operations",
    params={"ids": List(Int()), "waitseconds": Int(default=0)},
)
def local_passage_get_operations(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    """The operations asked for; an unknown one, or one the user may not see, is a warning.
    With `waitseconds` (at most 30), the answer waits until one of those that are queued or
    running changes status or progress, as the plugin does.

    Not read-only: a background operation may have changed the site since the last call, and
    the server saves its state file after the calls that are not."""
    site = call.site
    state = passage_state(site)
    visible: list[Operation] = []
    warnings: list[dict[str, Any]] = []
    for operation_id in dict.fromkeys(params["ids"]):
        operation = state.operations.get(operation_id)
        if operation is None or not _may_see(call, operation):
            warnings.append(
                {
                    "item": "operation",
                    "itemid": operation_id,
                    "warningcode": "notfound",
                    "message": f"Operation {operation_id} does not exist or you may not see it.",
                }
            )
            continue
        visible.append(operation)
    wait = max(0, min(operations.LONGEST_WAIT, params["waitseconds"]))
    if wait > 0:
        operations.wait_for_change(site, visible, wait)
    return {"operations": [operation.as_dict() for operation in visible], "warnings": warnings}


def _may_see(call: Call, operation: Operation) -> bool:
    """Whoever may start such an operation on its course may follow it."""
    course = call.site.courses.get(operation.courseid)
    if course is None:
        return False
    return all(
        call.site.has_capability(call.user.id, capability, course.contextid)
        for capability in (PASSAGE_USE, TYPE_CAPABILITY[operation.type])
    )


# ----------------------------------------------------------------------- inventory


@webservice("local_passage_get_course_inventory", params={"courseid": Int()}, read_only=True)
def local_passage_get_course_inventory(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    """What the course holds, with students' and others' data counted apart."""
    course = _passage_course(call, params["courseid"])
    call.require_capability("moodle/course:update", course.contextid)
    return course_inventory(call.site, course)


# ------------------------------------------------------------- content fingerprint


@webservice("local_passage_get_content_fingerprint", params={"courseid": Int()}, read_only=True)
def local_passage_get_content_fingerprint(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    """One SHA-1 of the course's content: its settings, sections, activities and files."""
    course = _passage_course(call, params["courseid"])
    call.require_capability("moodle/backup:backupcourse", course.contextid)
    return {"courseid": course.id, **content_fingerprint(call.site, course)}


def content_fingerprint(site: Site, course: Course) -> dict[str, Any]:
    """What the plugin sums up (API.md). The stand-in's activities keep no modification time:
    what a teacher edits in them (name, description, settings) is summed up instead."""
    sections = [
        [s.id, s.section, ",".join(map(str, s.sequence)), s.visible, s.name, s.summary]
        for s in site.course_sections(course.id)
    ]
    modules = site.course_modules_of(course.id)
    contexts = {course.contextid, *(m.contextid for m in modules)}
    files = [
        f
        for contextid in contexts
        for f in site.files.having("contextid", contextid)
        if f.filename != "." and f.component not in ("backup", "user", COMPONENT)
    ]
    parts = {
        "course": [course.id, course.timemodified],
        "sections": sections,
        "modules": [
            [m.id, m.modname, m.instance, m.visible, m.added, m.name, m.intro, m.settings]
            for m in sorted(modules, key=lambda m: m.id)
        ],
        "files": sorted([f.contextid, f.filepath, f.filename, len(f.content)] for f in files),
    }
    latest = max(
        [course.timemodified, *(m.added for m in modules), *(f.timemodified for f in files)]
    )
    digest = hashlib.sha1(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()
    return {"fingerprint": digest, "timemodified": latest}


# ------------------------------------------------------------- announcements forum


@webservice("local_passage_ensure_news_forum", params={"courseid": Int()})
def local_passage_ensure_news_forum(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    """The course's announcements forum, created as opening the course creates it."""
    if params["courseid"] == SITE_COURSE_ID:
        raise invalid_parameter("The site front page has no course announcements forum")
    course = _passage_course(call, params["courseid"])
    call.require_capability("moodle/course:manageactivities", course.contextid)
    module, created = call.site.course_news_forum(course.id)
    return {"forumid": module.instance, "cmid": module.id, "created": created}


# ----------------------------------------------------------------------- cohort sync


@webservice("local_passage_list_cohort_syncs", params={"courseid": Int()}, read_only=True)
def local_passage_list_cohort_syncs(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    """The course's cohort-sync enrolment instances."""
    site = call.site
    course = _passage_course(call, params["courseid"])
    call.require_capability("moodle/course:enrolreview", course.contextid)
    return {
        "instances": [
            cohort_sync.cohort_sync_as_dict(site, i)
            for i in cohort_sync.cohort_syncs_of(site, course)
        ]
    }


def _require_enrol_config(call: Call, course: Course) -> None:
    call.require_capability("moodle/course:enrolconfig", course.contextid)
    call.require_capability("enrol/cohort:config", course.contextid)


@webservice(
    "local_passage_add_cohort_sync",
    params={
        "courseid": Int(),
        "cohortidnumber": Str(),
        "roleshortname": Str(default="student"),
        "groupid": Int(default=0),
    },
)
def local_passage_add_cohort_sync(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    """Synchronises a cohort with the course (idempotent)."""
    site = call.site
    course = _passage_course(call, params["courseid"])
    _require_enrol_config(call, course)
    instance, created = cohort_sync.cohort_sync_add(
        site,
        course,
        cohortidnumber=params["cohortidnumber"],
        roleshortname=params["roleshortname"],
        groupid=params["groupid"],
    )
    return {"instance": cohort_sync.cohort_sync_as_dict(site, instance), "created": created}


@webservice(
    "local_passage_remove_cohort_sync",
    params={"courseid": Int(), "instanceid": Int()},
)
def local_passage_remove_cohort_sync(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    """Removes a cohort sync and the enrolments it made; an absent one is no error."""
    site = call.site
    course = _passage_course(call, params["courseid"])
    _require_enrol_config(call, course)
    removed, unenrolled = cohort_sync.cohort_sync_remove(site, course, params["instanceid"])
    return {"removed": removed, "unenrolled": unenrolled}


@webservice("local_passage_get_quiz_attempts", params={"quizid": Int()}, read_only=True)
def local_passage_get_quiz_attempts(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    """Every attempt at a quiz, by user then attempt number, former participants' included.

    An attempt is a user-data record of kind `attempts` (`data`: state, default "finished";
    sumgrades; preview)."""
    site = call.site
    module = site.module_by_instance("quiz", params["quizid"])
    if module is None:
        raise missing_record_by_id("quiz", params["quizid"])
    _passage_course(call, module.course)
    call.require_capability("mod/quiz:viewreports", module.contextid)
    records = sorted(
        site.user_data_of(cmid=module.id, kind="attempts"), key=lambda r: (r.userid, r.id)
    )
    attempts = []
    number: dict[int, int] = {}
    for record in records:
        number[record.userid] = number.get(record.userid, 0) + 1
        user = site.users.get(record.userid)
        state = str(record.data.get("state", "finished"))
        sumgrades = record.data.get("sumgrades")
        attempts.append(
            {
                "id": record.id,
                "quiz": module.instance,
                "userid": record.userid,
                "userfullname": user.fullname if user else "",
                "attempt": number[record.userid],
                "state": state,
                "preview": bool(record.data.get("preview")),
                "timestart": record.timecreated,
                "timefinish": record.timecreated + 600 if state == "finished" else 0,
                "sumgrades": None if sumgrades is None else float(sumgrades),
            }
        )
    return {"attempts": attempts}

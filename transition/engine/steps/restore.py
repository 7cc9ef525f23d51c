"""Restore last year's course (from the previous platform), or a backup Passage stores, into
this year's empty course.

The backup is streamed to the current platform's draft area and restored with `expectempty=1`;
one larger than what the platform's upload accepts (the plugin's site limits) is fetched by the
plugin itself from a short-lived signed link, and its SHA-1 checked before it is restored. A
retry finds the operation by its id or key; a refusal because the course was already restored
is accepted when the restore was this job's own.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from moodle_client import AlreadyRestored, CourseNotEmpty, MoodleClient
from moodle_client.types.passage import Operation
from transition.engine.errors import StepFailed
from transition.engine.steps.context import StepContext
from transition.engine.steps.guards import require_verified_backup
from transition.engine.steps.operations import operation_run
from transition.engine.storage import backup_link, backup_open
from transition.models import Backup, Job

# Seed 003's restore settings ("Réglages de restauration"): no users, no calendar events, no
# user progress; activities, blocks, filters, badges, groups and the content bank. Every one is
# sent: a setting left out takes the site's backup default, and that default restores the
# students' data with the course.
RESTORE_SETTINGS = {
    "users": False,
    "activities": True,
    "blocks": True,
    "filters": True,
    "badges": True,
    "calendarevents": False,
    "userscompletion": False,
    "groups": True,
    "contentbank": True,
}
# A course reset by mistake put back from its backup with user data ("malencontreusement
# réinitialisé"): its participants, their work, grades, completion and the course's events.
RESTORE_SETTINGS_WITH_USERS = {
    **RESTORE_SETTINGS,
    "users": True,
    "role_assignments": True,
    "comments": True,
    "calendarevents": True,
    "userscompletion": True,
}


def _source_backup(ctx: StepContext) -> Backup:
    """The stored backup the spec names, else the one this request's source job took."""
    assert ctx.spec is not None and ctx.spec.restore is not None
    backup_id = ctx.spec.restore.backup_id
    if backup_id is None:
        request = ctx.job.request
        assert request is not None
        source_job = request.jobs.filter(
            kind=Job.Kind.BACKUP, status=Job.Status.SUCCEEDED, instance__role="previous"
        ).first()
        backup_id = source_job.result.get("backup_id") if source_job is not None else None
    backup = Backup.objects.filter(
        pk=backup_id, verified_at__isnull=False, purged_at__isnull=True
    ).first()
    if backup is None:
        raise StepFailed(
            "No verified backup of the source course is stored.", errorcode="nosourcebackup"
        )
    return backup


def run(ctx: StepContext) -> dict[str, Any]:
    assert ctx.spec is not None and ctx.spec.restore is not None
    assert ctx.job.course is not None
    if ctx.spec.restore.mode == "delete":
        require_verified_backup(ctx)
    source = _source_backup(ctx)
    if ctx.spec.restore.users and not source.includes_users:
        raise StepFailed(f"Backup {source} holds no user data to restore.", errorcode="nouserdata")
    client = ctx.client
    courseid = ctx.job.course.moodle_id

    def start() -> Operation:
        try:
            return backup_restore_start(
                client,
                source,
                courseid=courseid,
                key=ctx.moodle_key,
                mode=ctx.spec.restore.mode,  # type: ignore[union-attr]
                settings=(
                    RESTORE_SETTINGS_WITH_USERS
                    if ctx.spec.restore.users  # type: ignore[union-attr]
                    else RESTORE_SETTINGS
                ),
            )
        except (AlreadyRestored, CourseNotEmpty):
            own = _own_restore(client, courseid, ctx.moodle_key)
            if own is None:
                raise
            return own

    operation = operation_run(ctx, start)
    return {
        "operation_id": operation.id,
        "source_backup_id": source.pk,
        "restored_course_moodle_id": operation.result.restoredcourseid or courseid,
    }


def backup_restore_start(
    client: MoodleClient,
    backup: Backup,
    *,
    courseid: int,
    key: str,
    mode: str,
    settings: Mapping[str, bool] = RESTORE_SETTINGS,
) -> Operation:
    """Ask Moodle to restore a stored backup into the course (with `settings`): through its
    upload when the file fits, else from a signed link the plugin fetches."""
    if client.get_site_limits().accepts_upload(backup.size):
        with backup_open(backup.storage_name) as stream:
            draft = client.upload_file(stream, filename="passage-restore.mbz")
        return client.restore_course(
            courseid,
            draft.itemid,
            key=key,
            mode=mode,
            settings=settings,
            expectempty=True,
        )
    return client.restore_course(
        courseid,
        0,
        key=key,
        mode=mode,
        settings=settings,
        expectempty=True,
        fileurl=backup_link(backup.storage_name),
        filesha1=backup.sha1,
    )


def _own_restore(client: MoodleClient, courseid: int, key: str) -> Operation | None:
    """The restore already made into the course, if this job made it (a lost answer)."""
    inventory = client.get_course_inventory(courseid)
    if not inventory.restore.restored or not inventory.restore.operationid:
        return None
    operation = client.get_operation(inventory.restore.operationid)
    return operation if operation.key == key else None

"""Back a course up in Moodle, download the .mbz into storage, check it, record a Backup.

The current platform's course is backed up with its user data (it is what a reset deletes);
a previous platform's course, restored next year, without users and anonymised. A verified
anonymous backup of that course already stored is used again only while Moodle gives the
course's content the fingerprint it had when that backup was taken: a course changed since is
backed up again (seed 003: "restaurer le lendemain").

Once Passage's copy is verified, Moodle is asked to delete its own (the plugin keeps a full copy
of the course otherwise); if that call fails, the plugin's scheduled clean-up removes it later.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from django.utils import timezone

from moodle_client import MoodleClient, MoodleError
from moodle_client.types.passage import Operation
from transition.engine.errors import StepInterrupted
from transition.engine.steps.context import StepContext
from transition.engine.steps.operations import operation_run
from transition.engine.storage import backup_delete, backup_download
from transition.models import Backup, Job, MoodleInstance
from transition.review.gather import inventory_to_json
from transition.selectors import backup_reusable

logger = logging.getLogger(__name__)


def run(ctx: StepContext) -> dict[str, Any]:
    job = ctx.job
    course = job.course
    assert course is not None
    stored = _stored_by_this_job(job)
    if stored is not None:
        return stored
    with_users = job.instance.role == MoodleInstance.Role.CURRENT
    fingerprint = ""
    inventory: dict[str, Any] = {}
    if not with_users:
        # Read before the backup, and kept across attempts: a change after it is read makes
        # the next request back up again, never the reverse.
        fingerprint = job.result.get("content_fingerprint") or (
            ctx.client.get_content_fingerprint(course.moodle_id).fingerprint
        )
        stored = backup_reusable(course=course, fingerprint=fingerprint)
        if stored is not None:
            return {"backup_id": stored.pk, "reused": True, "size": stored.size}
        ctx.remember(content_fingerprint=fingerprint)

    def start() -> Operation:
        operation = ctx.client.backup_course(
            course.moodle_id, key=ctx.moodle_key, users=with_users, anonymize=not with_users
        )
        if with_users:
            # While Moodle backs the course up in the background: what a restore with user
            # data would bring back, counted as the backup takes it.
            inventory.update(_inventory(ctx))
        return operation

    operation = operation_run(ctx, start)
    if with_users and not inventory:  # an operation an earlier attempt started
        inventory.update(_inventory(ctx))
    result = operation.result
    # One file per attempt: a run the sweeper thought dead and ran again meanwhile never
    # deletes or overwrites the file another run of the job has stored and recorded.
    name = (
        f"{job.instance_id}/{course.moodle_id}/"
        f"{job.campaign_id or 'none'}-job{job.pk}-op{operation.id}-a{job.attempts}.mbz"
    )
    download_started = time.monotonic()
    try:
        downloaded = backup_download(client=ctx.client, url=result.fileurl, name=name)
    except MoodleError:
        # A run of this job the sweeper thought dead may have stored the backup meanwhile, and
        # had Moodle delete its copy: that backup is this job's.
        stored = _stored_by_this_job(job)
        if stored is None:
            raise
        return stored
    download_seconds = time.monotonic() - download_started
    if downloaded.size != result.filesize or not downloaded.matches_contenthash(result.contenthash):
        raise StepInterrupted(
            f"The downloaded backup ({downloaded.size} bytes, SHA-1 {downloaded.sha1}) does not "
            f"match Moodle's ({result.filesize} bytes, SHA-1 {result.contenthash}).",
            errorcode="backupmismatch",
        )
    replaced = Backup.objects.filter(job=job).exclude(storage_name=name).first()
    backup, _ = Backup.objects.update_or_create(
        job=job,
        defaults={
            "course": course,
            "campaign": job.campaign,
            "source_instance": job.instance,
            "storage_name": name,
            "size": downloaded.size,
            "sha1": downloaded.sha1,
            "sha256": downloaded.sha256,
            "moodle_contenthash": result.contenthash.lower(),
            "includes_users": with_users,
            "content_fingerprint": fingerprint,
            "inventory": inventory,
            "verified_at": timezone.now(),
            "moodle_operation_id": operation.id,
        },
    )
    if replaced is not None:
        backup_delete(replaced.storage_name)
    backup_moodle_copy_delete(client=ctx.client, backup=backup)
    return {
        "backup_id": backup.pk,
        "size": backup.size,
        "sha1": backup.sha1,
        "download_seconds": round(download_seconds, 3),
    }


def _stored_by_this_job(job: Job) -> dict[str, Any] | None:
    """The result of this job's backup, stored and verified by an earlier or another run."""
    done = Backup.objects.filter(job=job, verified_at__isnull=False).first()
    if done is None:
        return None
    return {"backup_id": done.pk, "size": done.size, "sha1": done.sha1}


def _inventory(ctx: StepContext) -> dict[str, Any]:
    assert ctx.job.course is not None
    return inventory_to_json(ctx.client.get_course_inventory(ctx.job.course.moodle_id))


def backup_moodle_copy_delete(*, client: MoodleClient, backup: Backup) -> bool:
    """Ask the plugin to delete Moodle's copy of a backup Passage holds verified; True once
    it is gone. A refusal is left to the plugin's clean-up task: the job has what it needs."""
    if backup.verified_at is None or backup.moodle_operation_id is None:
        return False
    try:
        client.delete_backup(backup.moodle_operation_id)
    except MoodleError as error:
        logger.warning(
            "Moodle kept its copy of backup %s: %s %s", backup.pk, type(error).__name__, error
        )
        return False
    backup.moodle_copy_deleted_at = timezone.now()
    backup.save(update_fields=["moodle_copy_deleted_at"])
    return True

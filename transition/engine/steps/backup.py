"""Back a course up in Moodle, download the .mbz into storage, check it, record a Backup.

The current platform's course is backed up with its user data (it is what a reset deletes);
a previous platform's course, restored next year, without users and anonymised. A verified
anonymous backup of that course already stored is used again only while Moodle gives the
course's content the fingerprint it had when that backup was taken: a course changed since is
backed up again (seed 003: "restaurer le lendemain").
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from moodle_client.types.passage import Operation
from transition.engine.errors import StepInterrupted
from transition.engine.steps.context import StepContext
from transition.engine.steps.operations import operation_run
from transition.engine.storage import backup_download
from transition.models import Backup, MoodleInstance
from transition.review.gather import inventory_to_json
from transition.selectors import backup_reusable


def run(ctx: StepContext) -> dict[str, Any]:
    job = ctx.job
    course = job.course
    assert course is not None
    done = Backup.objects.filter(job=job, verified_at__isnull=False).first()
    if done is not None:
        return {"backup_id": done.pk, "size": done.size, "sha1": done.sha1}
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
    name = (
        f"{job.instance_id}/{course.moodle_id}/"
        f"{job.campaign_id or 'none'}-job{job.pk}-op{operation.id}.mbz"
    )
    downloaded = backup_download(client=ctx.client, url=result.fileurl, name=name)
    if downloaded.size != result.filesize or not downloaded.matches_contenthash(result.contenthash):
        raise StepInterrupted(
            f"The downloaded backup ({downloaded.size} bytes, SHA-1 {downloaded.sha1}) does not "
            f"match Moodle's ({result.filesize} bytes, SHA-1 {result.contenthash}).",
            errorcode="backupmismatch",
        )
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
        },
    )
    return {"backup_id": backup.pk, "size": backup.size, "sha1": backup.sha1}


def _inventory(ctx: StepContext) -> dict[str, Any]:
    assert ctx.job.course is not None
    return inventory_to_json(ctx.client.get_course_inventory(ctx.job.course.moodle_id))

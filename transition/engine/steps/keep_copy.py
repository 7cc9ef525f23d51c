"""The copy of what the reset deletes: read from Moodle before the backup and the reset,
written as one zip kept next to the course's backups, checked against Moodle's counts."""

from __future__ import annotations

import hashlib
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone, translation

from transition.engine.errors import StepFailed
from transition.engine.steps.context import StepContext
from transition.engine.storage import backup_storage
from transition.keep_copy.archive import archive_build
from transition.keep_copy.collect import kept_content_read
from transition.keep_copy.counts import counts_differ, kept_counts
from transition.models import KeptCopy
from transition.notifications.emails import user_language


class KeptCopyIncomplete(StepFailed):
    """The copy does not hold what Moodle counts in the course: the reset must wait."""

    errorcode = "keptcopyincomplete"


def kept_copy_name(
    *, instance_id: int, course_moodle_id: int, campaign_id: int, request_id: int
) -> str:
    """Next to the course's backups of the same campaign, so it is kept as long as they are."""
    return f"{instance_id}/{course_moodle_id}/{campaign_id}-request{request_id}-kept.zip"


def run(ctx: StepContext) -> dict[str, Any]:
    job = ctx.job
    course = job.course
    assert course is not None and job.request_id is not None and job.campaign_id is not None
    done = KeptCopy.objects.filter(job=job).first()
    if done is not None:
        return {"kept_copy_id": done.pk, "counts": done.counts}
    inventory = ctx.client.get_course_inventory(course.moodle_id)
    content = kept_content_read(client=ctx.client, inventory=inventory)
    expected = kept_counts(inventory)
    found = content.counts()
    differences = counts_differ(expected=expected, found=found)
    if differences:
        detail = ", ".join(
            f"{key} {want} in Moodle, {got} read" for key, (want, got) in differences.items()
        )
        raise KeptCopyIncomplete(
            f"The copy does not hold everything the course holds ({detail}); nothing was reset.",
            details={"expected": expected, "found": found},
        )
    request = job.request
    assert request is not None
    # Written for the teacher who asked for it, in their language.
    with translation.override(user_language(request.requested_by)):
        data = archive_build(content, built_at=timezone.now())
    name = kept_copy_name(
        instance_id=job.instance_id,
        course_moodle_id=course.moodle_id,
        campaign_id=job.campaign_id,
        request_id=job.request_id,
    )
    storage = backup_storage()
    if storage.exists(name):
        storage.delete(name)
    name = storage.save(name, ContentFile(data))
    kept, _ = KeptCopy.objects.update_or_create(
        request_id=job.request_id,
        defaults={
            "course": course,
            "campaign_id": job.campaign_id,
            "job": job,
            "storage_name": name,
            "size": len(data),
            "sha256": hashlib.sha256(data).hexdigest(),
            "counts": found,
        },
    )
    return {"kept_copy_id": kept.pk, "counts": found, "size": len(data)}

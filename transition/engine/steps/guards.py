"""The rule nothing destructive breaks: a verified backup of the course, from this campaign."""

from __future__ import annotations

from django.db.models import F

from transition.engine.errors import BackupMissing
from transition.engine.steps.context import StepContext
from transition.engine.storage import backup_storage
from transition.models import Backup


def require_verified_backup(ctx: StepContext) -> Backup:
    """The newest verified backup of the request's course taken in the request's campaign.

    Checked by each destructive step itself, right before it changes Moodle, whatever the
    plan says: a plan edited by hand, a job retried out of order, a backup deleted meanwhile.
    """
    request = ctx.job.request
    course = request.course if request is not None else ctx.job.course
    campaign = request.campaign if request is not None else ctx.job.campaign
    backup = (
        Backup.objects.filter(
            course=course,
            campaign=campaign,
            verified_at__isnull=False,
            purged_at__isnull=True,
            size__gt=0,
            sha1=F("moodle_contenthash"),
        )
        .exclude(sha1="")
        .exclude(sha256="")
        .order_by("-verified_at")
        .first()
    )
    storage = backup_storage()
    if backup is not None and not (
        storage.exists(backup.storage_name) and storage.size(backup.storage_name) == backup.size
    ):
        raise BackupMissing(
            f"The backup file {backup.storage_name} of {course.shortname} is missing or "
            "truncated; take a new backup before anything destructive."
        )
    if backup is None:
        raise BackupMissing(
            f"No verified backup of {course.shortname} was taken in campaign {campaign}; "
            "nothing destructive runs without one."
        )
    return backup

"""How long Passage keeps course backups: each campaign's retention (days after a backup was
verified), never cutting short a restore that needs one.

`backups_due_for_purge` is what the preview page lists and what the nightly task purges; a
purge deletes the file, keeps the row (what was taken, when, its checksums) marked `purged_at`
and records one audit event per file.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from transition.engine.storage import backup_delete
from transition.models import Backup, Job, TransitionRequest
from transition.services.audit import audit_record

# A restore finished this recently may still be looked at again (a teacher checking the
# result asks for it to be done over): its backup is kept this long whatever the retention.
RECENT_RESTORE_DAYS = 30
# Backups taken outside a campaign (an engineer's own) follow the default campaign retention.
DEFAULT_RETENTION_DAYS = 400


def backups_needed_by_restores(*, now: datetime) -> set[int]:
    """Ids of the stored backups a restore under way, pending or recent may still read."""
    recent = now - timedelta(days=RECENT_RESTORE_DAYS)
    needed: set[int] = set()
    restores = (
        Job.objects.filter(kind=Job.Kind.RESTORE, request__isnull=False)
        .filter(
            ~Q(status__in=[Job.Status.SUCCEEDED, Job.Status.FAILED, Job.Status.CANCELLED])
            | Q(finished_at__gte=recent)
        )
        .values_list("request_id", flat=True)
    )
    request_ids = set(restores)
    open_requests = TransitionRequest.objects.filter(
        scenario=TransitionRequest.Scenario.RESTORE_PREVIOUS
    ).exclude(
        status__in=[
            TransitionRequest.Status.DONE,
            TransitionRequest.Status.FAILED,
            TransitionRequest.Status.CANCELLED,
            TransitionRequest.Status.REJECTED,
        ]
    )
    request_ids |= set(open_requests.values_list("pk", flat=True))
    for request in TransitionRequest.objects.filter(pk__in=request_ids).select_related("plan"):
        plan = getattr(request, "plan", None)  # a request without a plan yet has none
        named = ((plan.spec if plan is not None else {}).get("restore") or {}).get("backup_id")
        if named is not None:
            needed.add(int(named))
        # Without a named backup the restore takes (or reuses) one of the source course.
        elif request.source_course_id is not None:
            needed.update(
                Backup.objects.filter(course_id=request.source_course_id).values_list(
                    "pk", flat=True
                )
            )
        needed.update(Backup.objects.filter(job__request=request).values_list("pk", flat=True))
    return needed


def backups_due_for_purge(*, now: datetime | None = None) -> QuerySet[Backup]:
    """Stored backups past their campaign's retention that no restore needs, oldest first."""
    now = now or timezone.now()
    due = Q(
        campaign__isnull=False,
        verified_at__lt=now - timedelta(days=1) * F("campaign__backup_retention_days"),
    ) | Q(campaign__isnull=True, created_at__lt=now - timedelta(days=DEFAULT_RETENTION_DAYS))
    return (
        Backup.objects.filter(purged_at__isnull=True)
        .filter(due)
        .exclude(pk__in=backups_needed_by_restores(now=now))
        .select_related("course", "campaign")
        .order_by("created_at")
    )


@dataclass(frozen=True)
class PurgeSummary:
    files: int
    bytes: int


def backups_purge(
    *, actor: AbstractBaseUser | None = None, now: datetime | None = None
) -> PurgeSummary:
    """Delete the files of the backups due for purge, one audit event per file."""
    now = now or timezone.now()
    files = size = 0
    for backup in backups_due_for_purge(now=now):
        # Claimed first: two purges running at once never delete and record a file twice.
        if not Backup.objects.filter(pk=backup.pk, purged_at__isnull=True).update(purged_at=now):
            continue
        backup_delete(backup.storage_name)
        audit_record(
            action="backup_purged",
            actor=actor,
            campaign=backup.campaign,
            course=backup.course,
            details={
                "backup": backup.storage_name,
                "size": backup.size,
                "sha256": backup.sha256,
                "verified_at": backup.verified_at.isoformat() if backup.verified_at else None,
                "retention_days": (
                    backup.campaign.backup_retention_days
                    if backup.campaign is not None
                    else DEFAULT_RETENTION_DAYS
                ),
            },
        )
        files += 1
        size += backup.size
    return PurgeSummary(files=files, bytes=size)

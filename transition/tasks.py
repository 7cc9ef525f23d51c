"""Celery tasks: take ids, reload, call a service."""

import logging

from celery import shared_task

from transition.models import MoodleInstance
from transition.services.retention import backups_purge
from transition.services.sync import instance_sync

logger = logging.getLogger(__name__)


@shared_task(name="transition.tasks.sync_instance")
def sync_instance(instance_id: int) -> None:
    instance = MoodleInstance.objects.get(pk=instance_id)
    summary = instance_sync(instance=instance)
    logger.info("sync finished:\n%s", "\n".join(summary.lines()))


@shared_task(name="transition.tasks.sync_all_instances")
def sync_all_instances() -> None:
    """Nightly: one sync task per platform, so one unreachable Moodle does not stop the others."""
    for instance_id in MoodleInstance.objects.values_list("pk", flat=True):
        sync_instance.delay(instance_id)


@shared_task(name="transition.tasks.purge_backups")
def purge_backups() -> None:
    """Nightly: delete the backups past their campaign's retention that no restore needs."""
    summary = backups_purge()
    logger.info("backups purged: %d files, %d bytes", summary.files, summary.bytes)

"""The Celery application of Passage; settings come from Django's (`CELERY_*`)."""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

app = Celery("passage")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_finalize.connect
def _schedule_periodic_tasks(sender: Celery, **kwargs: object) -> None:
    from django.conf import settings

    sender.conf.beat_schedule = {
        "sync-all-moodle-instances": {
            "task": "transition.tasks.sync_all_instances",
            "schedule": crontab(hour=settings.SYNC_HOUR, minute=0),
        },
    }

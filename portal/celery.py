"""The Celery application of Passage; settings come from Django's (`CELERY_*`)."""

import os
from typing import Any

from celery import Celery
from celery.schedules import crontab
from celery.signals import beat_init, worker_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

app = Celery("passage")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_finalize.connect
def _schedule_periodic_tasks(sender: Celery, **kwargs: Any) -> None:
    from django.conf import settings

    sender.conf.beat_schedule = {
        "sync-all-moodle-instances": {
            "task": "transition.tasks.sync_all_instances",
            "schedule": crontab(hour=settings.SYNC_HOUR, minute=0),
        },
    }


@worker_init.connect
@beat_init.connect
def _refuse_unsafe_settings(**kwargs: Any) -> None:
    from portal.settings.safety import refuse_unsafe_django_settings

    refuse_unsafe_django_settings()

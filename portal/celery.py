"""The Celery application of Passage; settings come from Django's (`CELERY_*`)."""

import os
from typing import Any

from celery import Celery
from celery.schedules import crontab
from celery.signals import beat_init, worker_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

app = Celery("passage")
app.config_from_object("django.conf:settings", namespace="CELERY")
# The tasks of transition (sync), transition.engine (jobs), transition.notifications (e-mails).
app.autodiscover_tasks(["transition", "transition.engine", "transition.notifications"])


@app.on_after_finalize.connect
def _schedule_periodic_tasks(sender: Celery, **kwargs: Any) -> None:
    from django.conf import settings

    from transition.engine.config import engine_config
    from transition.notifications.tasks import beat_schedule as notifications_schedule

    sweep_every = engine_config().sweep_interval
    sender.conf.beat_schedule = {
        "sync-all-moodle-instances": {
            "task": "transition.tasks.sync_all_instances",
            "schedule": crontab(hour=settings.SYNC_HOUR, minute=0),
        },
        # Backups past their campaign's retention (the preview is in the admin pages).
        "purge-backups": {
            "task": "transition.tasks.purge_backups",
            "schedule": crontab(hour=(settings.SYNC_HOUR + 1) % 24, minute=30),
        },
        # Jobs whose worker died, messages lost, waits that are over.
        "engine-sweep": {"task": "transition.engine.sweep", "schedule": sweep_every},
        "engine-start-due-requests": {
            "task": "transition.engine.start_due_requests",
            "schedule": sweep_every,
        },
        # Request news no screen sends, and the admins' daily digest of failures.
        **notifications_schedule(),
    }


@worker_init.connect
@beat_init.connect
def _refuse_unsafe_settings(**kwargs: Any) -> None:
    from portal.settings.safety import refuse_unsafe_django_settings

    refuse_unsafe_django_settings()

"""Periodic e-mails: request news nobody sent yet, messages the mail server refused before,
and the admins' daily digest of failures.

`beat_schedule()` is what the Celery beat runs; the project's Celery app adds it to its own
schedule and lists `transition.notifications` among the packages whose tasks it discovers.
"""

import logging

from celery import shared_task
from celery.schedules import crontab

from transition.notifications.emails import (
    failures_send_daily_digest,
    mail_deliver_due,
    notifications_send_due,
)

logger = logging.getLogger(__name__)

SEND_DUE_EVERY_SECONDS = 60.0
DIGEST_HOUR = 7  # local time: admins read the night's failures first thing


@shared_task(name="transition.notifications.send_due")
def send_due() -> int:
    sent = notifications_send_due()
    if sent:
        logger.info("%d request e-mails sent", sent)
    return sent


@shared_task(name="transition.notifications.deliver_due")
def deliver_due() -> int:
    sent = mail_deliver_due()
    if sent:
        logger.info("%d e-mails delivered on a later try", sent)
    return sent


@shared_task(name="transition.notifications.daily_digest")
def daily_digest() -> int:
    sent = failures_send_daily_digest()
    logger.info("failure digest sent to %d admins", sent)
    return sent


def beat_schedule() -> dict[str, dict[str, object]]:
    return {
        "notifications-send-due": {
            "task": "transition.notifications.send_due",
            "schedule": SEND_DUE_EVERY_SECONDS,
        },
        "notifications-deliver-due": {
            "task": "transition.notifications.deliver_due",
            "schedule": SEND_DUE_EVERY_SECONDS,
        },
        "notifications-daily-digest": {
            "task": "transition.notifications.daily_digest",
            "schedule": crontab(hour=DIGEST_HOUR, minute=0),
        },
    }

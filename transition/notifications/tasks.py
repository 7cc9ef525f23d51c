"""Periodic e-mails: request news nobody sent yet, messages the mail server refused before,
the admins' daily digest of failures, reminders to teachers who have not chosen, and the
engineers' digest of waiting requests.

`beat_schedule()` is what the Celery beat runs; the project's Celery app adds it to its own
schedule and lists `transition.notifications` among the packages whose tasks it discovers.
"""

import logging

from celery import shared_task
from celery.schedules import crontab

from transition.models import Campaign
from transition.notifications.emails import (
    failures_send_daily_digest,
    mail_deliver_due,
    notifications_send_due,
)
from transition.notifications.reminders import (
    approvals_send_digest,
    reminders_send_due,
    reminders_send_now,
)

logger = logging.getLogger(__name__)

SEND_DUE_EVERY_SECONDS = 60.0
DIGEST_HOUR = 7  # local time: admins read the night's failures first thing
# Reminder rounds are due at a time of day (choices lock minus N days): look every 15 minutes.
REMINDERS_EVERY_SECONDS = 900.0


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


@shared_task(name="transition.notifications.send_reminders")
def send_reminders() -> int:
    sent = reminders_send_due()
    if sent:
        logger.info("%d reminders to choose sent", sent)
    return sent


@shared_task(name="transition.notifications.send_reminders_now")
def send_reminders_now(campaign_id: int) -> int:
    campaign = Campaign.objects.select_related("policy").get(pk=campaign_id)
    sent = reminders_send_now(campaign=campaign)
    logger.info("%d reminders to choose sent at an admin's request", sent)
    return sent


@shared_task(name="transition.notifications.approvals_digest")
def approvals_digest() -> int:
    sent = approvals_send_digest()
    logger.info("approval digest sent to %d engineers", sent)
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
        "notifications-send-reminders": {
            "task": "transition.notifications.send_reminders",
            "schedule": REMINDERS_EVERY_SECONDS,
        },
        "notifications-approvals-digest": {
            "task": "transition.notifications.approvals_digest",
            "schedule": crontab(hour=DIGEST_HOUR, minute=0),
        },
    }

"""Periodic e-mails: request news nobody sent yet, and the admins' daily digest of failures."""

import logging

from celery import shared_task

from transition.notifications.emails import failures_send_daily_digest, notifications_send_due

logger = logging.getLogger(__name__)


@shared_task(name="transition.notifications.send_due")
def send_due() -> None:
    sent = notifications_send_due()
    if sent:
        logger.info("%d request e-mails sent", sent)


@shared_task(name="transition.notifications.daily_digest")
def daily_digest() -> None:
    logger.info("failure digest sent to %d admins", failures_send_daily_digest())

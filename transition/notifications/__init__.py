"""E-mails Passage sends (`emails`), and the periodic tasks that send those no screen sends."""

from transition.notifications.emails import (
    failures_send_daily_digest,
    notifications_send_due,
    notify_request_status,
    notify_request_waiting,
    user_language,
    user_set_language,
)

__all__ = [
    "failures_send_daily_digest",
    "notifications_send_due",
    "notify_request_status",
    "notify_request_waiting",
    "user_language",
    "user_set_language",
]

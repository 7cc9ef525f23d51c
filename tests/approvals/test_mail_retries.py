"""E-mails survive a mail server that is down: each delivery is recorded, tried again with a
growing delay, and shown on the dashboard until it goes out."""

import datetime

from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.approvals.conftest import People
from transition.models import MailDelivery, RequestNotice, TransitionRequest
from transition.notifications.emails import (
    mail_deliver_due,
    mail_retry_delay,
    notifications_send_due,
)

SMTP_DOWN = "tests.approvals.smtp_down.EmailBackend"


def test_news_met_by_a_dead_mail_server_is_delivered_later(
    people: People, waiting: TransitionRequest, settings
) -> None:
    settings.EMAIL_BACKEND = SMTP_DOWN

    assert notifications_send_due() == 1  # one message queued for the engineer

    notice = RequestNotice.objects.get(request=waiting)
    (delivery,) = notice.deliveries.all()
    assert delivery.to == people.engineer.email
    assert delivery.status == MailDelivery.Status.PENDING
    assert delivery.attempts == 1
    assert "ConnectionRefusedError" in delivery.last_error
    assert delivery.next_try_at > timezone.now()
    # Not before its time, even once the server is back.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert mail_deliver_due() == 0
    assert mail.outbox == []

    assert mail_deliver_due(now=timezone.now() + datetime.timedelta(minutes=2)) == 1

    delivery.refresh_from_db()
    assert delivery.status == MailDelivery.Status.SENT and delivery.attempts == 2
    assert [m.to for m in mail.outbox] == [[people.engineer.email]]
    assert mail_deliver_due(now=timezone.now() + datetime.timedelta(hours=2)) == 0
    assert len(mail.outbox) == 1


def test_each_failed_try_waits_longer_up_to_an_hour() -> None:
    assert [mail_retry_delay(n).total_seconds() for n in (1, 2, 3, 4)] == [60, 120, 240, 480]
    assert mail_retry_delay(20) == datetime.timedelta(hours=1)


def test_the_dashboard_shows_undelivered_mail(
    people: People, waiting: TransitionRequest, settings
) -> None:
    settings.EMAIL_BACKEND = SMTP_DOWN
    notifications_send_due()
    client = Client()
    client.force_login(people.admin)

    page = client.get(reverse("dashboard:index"), HTTP_ACCEPT_LANGUAGE="en")

    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="undelivered-mail"' in html
    assert people.engineer.email in html
    assert "ConnectionRefusedError" in html

"""Links in e-mails are read away from the portal: they carry its full address."""

from urllib.parse import urlsplit

from django.core import mail
from django.urls import reverse

from tests.approvals.conftest import People
from transition.approvals.services import request_approve
from transition.models import TransitionRequest


def test_the_approval_email_links_to_the_request_page_with_the_portals_address(
    people: People, waiting: TransitionRequest, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        request_approve(request=waiting, actor=people.engineer)

    (message,) = mail.outbox
    page = reverse("request_detail", args=[waiting.pk])
    (link,) = [line.strip() for line in message.body.splitlines() if line.strip().endswith(page)]
    parts = urlsplit(link)
    # The default address, when the deployment names none.
    assert (parts.scheme, parts.netloc, parts.path) == ("http", "localhost:8000", page)


def test_the_link_follows_the_configured_address(
    people: People, waiting: TransitionRequest, django_capture_on_commit_callbacks, settings
) -> None:
    settings.PASSAGE_BASE_URL = "https://passage.univ.example"
    with django_capture_on_commit_callbacks(execute=True):
        request_approve(request=waiting, actor=people.engineer)

    (message,) = mail.outbox
    page = reverse("request_detail", args=[waiting.pk])
    assert f"https://passage.univ.example{page}" in message.body.split()

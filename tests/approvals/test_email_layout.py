"""E-mail bodies read as written: no stray blank lines where an optional part is absent."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from tests.approvals.conftest import People
from transition.models import TransitionRequest
from transition.notifications import notify_request_status, user_set_language
from transition.notifications.emails import notify_request_waiting

Status = TransitionRequest.Status


def approved_body(people: People, waiting: TransitionRequest, **fields: object) -> str:
    user_set_language(user=people.teacher, language="en")
    TransitionRequest.objects.filter(pk=waiting.pk).update(status=Status.APPROVED, **fields)
    assert notify_request_status(request_id=waiting.pk)
    return mail.outbox[-1].body


def test_the_approval_without_run_date_nor_comment_has_no_stray_blank_line(
    people: People, waiting: TransitionRequest
) -> None:
    body = approved_body(people, waiting, run_at=None, decision_comment="")
    assert "\n\n\n" not in body
    paragraphs = body.strip().split("\n\n")
    assert len(paragraphs) == 3, body  # greeting, the news, the link
    assert paragraphs[1].startswith("Your request for the course L1CHIM-THERMO (")
    assert paragraphs[1].endswith(") was approved.")


@pytest.mark.parametrize("comment", ["", "Vu avec le département."])
def test_the_approval_with_a_run_date_lists_it_right_under_the_news(
    people: People, waiting: TransitionRequest, comment: str
) -> None:
    run_at = timezone.now() + datetime.timedelta(days=3)
    body = approved_body(people, waiting, run_at=run_at, decision_comment=comment)
    assert "\n\n\n" not in body
    news = body.strip().split("\n\n")[1].splitlines()
    assert news[0].endswith("was approved.")
    assert news[1].startswith("It will run on ")
    assert news[2:] == ([f"Comment: {comment}"] if comment else [])


def test_the_waiting_request_without_reason_has_no_stray_blank_line(
    people: People, waiting: TransitionRequest
) -> None:
    user_set_language(user=people.engineer, language="en")
    TransitionRequest.objects.filter(pk=waiting.pk).update(special_reason="")
    assert notify_request_waiting(request_id=waiting.pk) == 1
    body = mail.outbox[-1].body
    assert "\n\n\n" not in body
    assert len(body.strip().split("\n\n")) == 3, body

"""Teachers who still have courses without a choice are reminded N days before choices lock:
each round once per teacher, in their language, never when nothing is left to choose."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail

from tests.reminders.conftest import LOCK
from transition.models import ChoiceReminder
from transition.notifications.reminders import reminders_send_due
from transition.notifications.tasks import beat_schedule

pytestmark = [pytest.mark.django_db, pytest.mark.reminders]
DAY = datetime.timedelta(days=1)


def mails_to(user) -> list:
    return [m for m in mail.outbox if m.to == [user.email]]


def test_nobody_is_reminded_before_the_first_round(school) -> None:
    assert reminders_send_due(now=LOCK - 14 * DAY - datetime.timedelta(minutes=1)) == 0
    assert mail.outbox == []


def test_the_first_round_reminds_each_teacher_of_their_courses_in_their_language(school):
    sent = reminders_send_due(now=LOCK - 14 * DAY + datetime.timedelta(minutes=5))

    assert sent == 2
    [french] = mails_to(school.claire)
    assert french.subject == "Passage 2027-2028\u202f: 2 cours attendent encore votre choix"
    assert "CHIM231-2026" in french.body and "LETT101-2026" in french.body
    assert "BIO101-2026" not in french.body
    assert "Bonjour" in french.body
    assert "&amp;" not in french.body and "&#x27;" not in french.body
    assert "Politique de Caen" in french.body or school.campaign.policy.name in french.body
    assert "Messages des forums" in french.body  # what the default reset deletes
    link = next(line for line in french.body.splitlines() if "/requests/new/" in line)
    assert link.endswith(f"?course={school.chim.pk}&course={school.lett.pk}")
    [english] = mails_to(school.john)
    assert english.subject == "Passage 2027-2028: 1 course still waits for your choice"
    assert "BIO101-2026" in english.body and "Hello" in english.body
    assert "Forum posts" in english.body
    # Nadia chose for her only course: nothing to remind her of.
    assert mails_to(school.nadia) == []


def test_a_round_goes_out_once_however_often_the_beat_looks(school) -> None:
    first = LOCK - 14 * DAY
    assert reminders_send_due(now=first) == 2
    assert reminders_send_due(now=first + datetime.timedelta(minutes=15)) == 0
    assert reminders_send_due(now=first + 5 * DAY) == 0
    assert len(mail.outbox) == 2
    assert ChoiceReminder.objects.filter(round="first", sent=True).count() == 2


def test_the_second_round_reminds_only_those_who_still_have_to_choose(school) -> None:
    reminders_send_due(now=LOCK - 14 * DAY)
    school.choose(school.bio, school.john)
    school.choose(school.chim, school.claire)
    mail.outbox.clear()

    assert reminders_send_due(now=LOCK - 3 * DAY) == 1

    [second] = mails_to(school.claire)
    assert "LETT101-2026" in second.body and "CHIM231-2026" not in second.body
    assert second.subject == "Passage 2027-2028\u202f: 1 cours attend encore votre choix"
    assert reminders_send_due(now=LOCK - 2 * DAY) == 0


def test_a_teacher_who_missed_the_first_round_gets_only_the_second(school) -> None:
    assert reminders_send_due(now=LOCK - 2 * DAY) == 2
    assert set(ChoiceReminder.objects.values_list("round", flat=True)) == {"second"}


def test_nobody_is_reminded_once_choices_are_locked(school) -> None:
    assert reminders_send_due(now=LOCK) == 0
    assert reminders_send_due(now=LOCK + DAY) == 0


def test_a_campaign_without_reminders_sends_none(school) -> None:
    school.campaign.first_reminder_days = None
    school.campaign.second_reminder_days = None
    school.campaign.save()
    assert reminders_send_due(now=LOCK - DAY) == 0


def test_a_campaign_not_open_for_choices_sends_none(school) -> None:
    school.campaign.status = "locked"
    school.campaign.save()
    assert reminders_send_due(now=LOCK - DAY) == 0


def test_the_beat_looks_for_due_reminders_and_waiting_requests() -> None:
    schedule = beat_schedule()
    tasks = {entry["task"] for entry in schedule.values()}
    assert "transition.notifications.send_reminders" in tasks
    assert "transition.notifications.approvals_digest" in tasks

"""Reminders to choose, and the engineers' digest of requests waiting for them.

A campaign sets how many days before choices lock its reminders go out (one or two rounds).
Each teacher who still has courses without a choice gets each round once, in their language,
with those courses, what happens to them by default and a link to the wizard with them
selected. Admins may send a reminder at once from the dashboard (once a day per teacher).
"""

from __future__ import annotations

import datetime
from urllib.parse import urlencode

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from transition.models import Campaign, ChoiceReminder, PolicyRule
from transition.notifications.emails import _absolute, _send, engineers
from transition.reminders.selectors import (
    PendingCourse,
    pending_courses_by_teacher,
    requests_waiting_since,
)

FIRST, SECOND = "first", "second"
WAITING_TOO_LONG = datetime.timedelta(days=1)


def reminder_round_due(*, campaign: Campaign, now: datetime.datetime) -> str | None:
    """The latest scheduled round whose time has come, while choices are open; else None."""
    if campaign.status != Campaign.Status.OPEN:
        return None
    if not campaign.choices_open <= now < campaign.choices_lock:
        return None
    for name, days in (
        (SECOND, campaign.second_reminder_days),
        (FIRST, campaign.first_reminder_days),
    ):
        if days is not None and now >= campaign.choices_lock - datetime.timedelta(days=days):
            return name
    return None


def _policy_deletions(campaign: Campaign) -> list[PolicyRule]:
    """The policy's rules that delete (labels are read in the teacher's language)."""
    return list(campaign.policy.rules.exclude(action=PolicyRule.Action.KEEP).order_by("pk"))


def _wizard_link(courses: list[PendingCourse]) -> str:
    query = urlencode([("course", pending.course.pk) for pending in courses])
    return _absolute(f"{reverse('request_new')}?{query}")


def _remind(
    *, campaign: Campaign, user: AbstractBaseUser, courses: list[PendingCourse], round: str
) -> bool:
    """Claim the (campaign, teacher, round) reminder, then send it; False if it was sent."""
    try:
        with transaction.atomic():
            reminder = ChoiceReminder.objects.create(
                campaign=campaign, user=user, round=round, courses=len(courses)
            )
    except IntegrityError:
        return False  # this teacher already had this reminder
    sent = _send(
        user=user,
        template="transition/notifications/choice_reminder.txt",
        context={
            "campaign": campaign,
            "courses": courses,
            "deletions": _policy_deletions(campaign),
            "link": _wizard_link(courses),
        },
    )
    ChoiceReminder.objects.filter(pk=reminder.pk).update(sent=sent)
    return sent


def _remind_all(*, campaign: Campaign, round: str) -> int:
    sent = 0
    for user, courses in pending_courses_by_teacher(campaign=campaign).items():
        sent += _remind(campaign=campaign, user=user, courses=courses, round=round)
    return sent


def reminders_send_due(*, now: datetime.datetime | None = None) -> int:
    """Send each open campaign's reminder round that is due to the teachers who did not get it
    yet and still have courses without a choice. Returns the number of e-mails sent."""
    now = now or timezone.now()
    sent = 0
    for campaign in Campaign.objects.filter(status=Campaign.Status.OPEN).select_related("policy"):
        round = reminder_round_due(campaign=campaign, now=now)
        if round is not None:
            sent += _remind_all(campaign=campaign, round=round)
    return sent


def reminders_send_now(*, campaign: Campaign, now: datetime.datetime | None = None) -> int:
    """An admin's reminder, sent at once to every teacher with courses still without a choice
    (at most once a day per teacher). Returns the number of e-mails sent."""
    now = now or timezone.now()
    day = timezone.localtime(now).date().isoformat()
    return _remind_all(campaign=campaign, round=f"now-{day}")


def approvals_send_digest(*, now: datetime.datetime | None = None) -> int:
    """Tell each engineer which requests have waited for approval more than a day; nothing
    waits that long, nothing is sent. Returns the number of e-mails sent."""
    now = now or timezone.now()
    waiting = list(requests_waiting_since(before=now - WAITING_TOO_LONG))
    if not waiting:
        return 0
    lines = [
        (request, _absolute(reverse("approvals:detail", args=[request.pk]))) for request in waiting
    ]
    return sum(
        _send(
            user=engineer,
            template="transition/notifications/approvals_digest.txt",
            context={"lines": lines, "now": now, "link": _absolute(reverse("approvals:index"))},
        )
        for engineer in engineers()
    )

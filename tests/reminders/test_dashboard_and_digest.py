"""Admins see how many courses still have no choice, per faculty, and can remind their
teachers at once; engineers get a digest of requests waiting for them more than a day."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import CourseFactory, UserFactory
from transition.admin_portal.forms import CampaignForm
from transition.models import ChoiceReminder, TransitionRequest
from transition.notifications.reminders import approvals_send_digest
from transition.notifications.tasks import send_reminders_now

pytestmark = [pytest.mark.django_db, pytest.mark.reminders]


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def admin():
    return UserFactory(username="alain.admin", roles=["admin"])


def test_the_dashboard_counts_courses_without_a_choice_per_faculty(school, admin) -> None:
    page = signed_in(admin).get(reverse("dashboard:index"), {"campaign": school.campaign.pk})

    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="without-choice-total">3<' in html
    # CHIM231 (Chimie, under UFR des Sciences) and BIO101 count for the Sciences; LETT101 for
    # the Humanities; HIST201 has its choice.
    assert (
        'data-faculty="UFR des Sciences"><td>UFR des Sciences</td><td class="text-end" '
        'data-col="courses">2<' in html
    )
    assert (
        'data-faculty="UFR des Humanités"><td>UFR des Humanités</td><td class="text-end" '
        'data-col="courses">1<' in html
    )
    assert 'data-testid="send-reminder-now"' in html


def test_an_admin_reminds_every_teacher_now_once_a_day(
    school, admin, django_capture_on_commit_callbacks
):
    url = reverse("reminders:send_now", args=[school.campaign.pk])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = signed_in(admin).post(url)
    assert response.status_code == 302
    assert len(callbacks) == 1  # the task is queued once the request is over

    assert send_reminders_now(school.campaign.pk) == 2  # what the worker runs
    assert send_reminders_now(school.campaign.pk) == 0
    assert {m.to[0] for m in mail.outbox} == {school.claire.email, school.john.email}
    assert ChoiceReminder.objects.filter(round__startswith="now-").count() == 2


def test_only_admins_remind_teachers(school) -> None:
    engineer = UserFactory(username="eve.engineer", roles=["engineer"])
    url = reverse("reminders:send_now", args=[school.campaign.pk])
    assert signed_in(engineer).post(url).status_code == 403
    assert signed_in(school.claire).post(url).status_code == 403


def test_the_campaign_form_takes_one_or_two_reminders_in_order(school) -> None:
    data = {
        "academic_year": "2028-2029",
        "policy": school.campaign.policy.pk,
        "choices_open": "2028-04-01T08:00",
        "choices_lock": "2028-06-15T18:00",
        "backup_window_start": "2028-07-05T08:00",
        "backup_window_end": "2028-07-12T08:00",
        "run_date": "2028-07-30T08:00",
        "cutoff_date": "2028-09-01",
        "archive_prefix": "ex_",
        "first_reminder_days": "14",
        "second_reminder_days": "3",
        "backup_retention_days": "400",
    }
    assert CampaignForm(data=data).is_valid()
    assert not CampaignForm(data={**data, "second_reminder_days": "20"}).is_valid()
    assert not CampaignForm(data={**data, "first_reminder_days": ""}).is_valid()
    assert CampaignForm(data={**data, "second_reminder_days": ""}).is_valid()


def test_engineers_hear_of_requests_waiting_more_than_a_day(school) -> None:
    engineer = UserFactory(username="eve.engineer", roles=["engineer"])
    now = timezone.now()
    old = TransitionRequest.objects.create(
        campaign=school.campaign,
        course=school.chim,
        requested_by=school.claire,
        scenario=TransitionRequest.Scenario.REUSE_RESET,
        status=TransitionRequest.Status.PENDING_APPROVAL,
        submitted_at=now - datetime.timedelta(days=2),
    )
    TransitionRequest.objects.create(
        campaign=school.campaign,
        course=school.bio,
        requested_by=school.john,
        scenario=TransitionRequest.Scenario.REUSE_RESET,
        status=TransitionRequest.Status.PENDING_APPROVAL,
        submitted_at=now - datetime.timedelta(hours=3),
    )

    assert approvals_send_digest(now=now) == 1

    [digest] = mail.outbox
    assert digest.to == [engineer.email]
    assert "CHIM231-2026" in digest.body and "BIO101-2026" not in digest.body
    assert reverse("approvals:detail", args=[old.pk]) in digest.body


def test_no_digest_when_nothing_waits_more_than_a_day(school) -> None:
    UserFactory(username="eve.engineer", roles=["engineer"])
    TransitionRequest.objects.create(
        campaign=school.campaign,
        course=CourseFactory(instance=school.chim.instance),
        requested_by=school.claire,
        scenario=TransitionRequest.Scenario.REUSE_RESET,
        status=TransitionRequest.Status.PENDING_APPROVAL,
        submitted_at=timezone.now() - datetime.timedelta(hours=23),
    )
    assert approvals_send_digest() == 0
    assert mail.outbox == []


def test_an_admin_sets_the_reminders_when_creating_a_campaign(school, admin) -> None:
    response = signed_in(admin).post(
        reverse("admin_portal:campaign_new"),
        {
            "academic_year": "2028-2029",
            "policy": school.campaign.policy.pk,
            "choices_open": "2028-04-01T08:00",
            "choices_lock": "2028-06-15T18:00",
            "backup_window_start": "2028-07-05T08:00",
            "backup_window_end": "2028-07-12T08:00",
            "run_date": "2028-07-30T08:00",
            "cutoff_date": "2028-09-01",
            "archive_prefix": "ex_",
            "first_reminder_days": "10",
            "second_reminder_days": "2",
            "backup_retention_days": "400",
        },
    )
    assert response.status_code == 302
    created = type(school.campaign).objects.get(academic_year="2028-2029")
    assert (created.first_reminder_days, created.second_reminder_days) == (10, 2)

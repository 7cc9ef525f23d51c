"""Campaign life: draft → open → locked → running ⇄ paused → done."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.factories import CampaignFactory, CategoryFactory, UserFactory
from transition.errors import InvalidTransition
from transition.models import AuditEvent, Campaign
from transition.services.campaigns import (
    campaign_create,
    campaign_finish,
    campaign_lock,
    campaign_open,
    campaign_pause,
    campaign_resume,
    campaign_start,
)
from transition.services.policies import policy_create_caen_default

pytestmark = pytest.mark.django_db
Status = Campaign.Status


def _dates(**overrides: datetime.datetime) -> dict[str, object]:
    now = timezone.now()
    dates: dict[str, object] = {
        "choices_open": now,
        "choices_lock": now + datetime.timedelta(days=30),
        "backup_window_start": now + datetime.timedelta(days=31),
        "backup_window_end": now + datetime.timedelta(days=37),
        "run_date": now + datetime.timedelta(days=40),
        "cutoff_date": (now + datetime.timedelta(days=60)).date(),
    }
    dates.update(overrides)
    return dates


def test_campaign_create_makes_a_draft_with_its_excluded_categories():
    admin = UserFactory(roles=["admin"])
    complementary = CategoryFactory(name="Espaces complémentaires")
    campaign = campaign_create(
        academic_year="2026-2027",
        policy=policy_create_caen_default(),
        excluded_categories=[complementary],
        actor=admin,
        **_dates(),
    )
    assert campaign.status == Status.DRAFT
    assert list(campaign.excluded_categories.all()) == [complementary]
    assert campaign.archive_prefix == "ex_"
    assert AuditEvent.objects.get(action="campaign_create").actor == admin


def test_campaign_create_refuses_a_run_before_the_choices_lock():
    now = timezone.now()
    with pytest.raises(ValidationError):
        campaign_create(
            academic_year="2026-2027",
            policy=policy_create_caen_default(),
            **_dates(run_date=now + datetime.timedelta(days=10)),
        )
    assert not Campaign.objects.exists()


def test_campaign_create_refuses_a_malformed_academic_year():
    with pytest.raises(ValidationError):
        campaign_create(academic_year="2026", policy=policy_create_caen_default(), **_dates())


def test_campaign_goes_through_its_whole_life():
    campaign = CampaignFactory(status=Status.DRAFT)
    for move, expected in [
        (campaign_open, Status.OPEN),
        (campaign_lock, Status.LOCKED),
        (campaign_start, Status.RUNNING),
        (campaign_pause, Status.PAUSED),
        (campaign_resume, Status.RUNNING),
        (campaign_finish, Status.DONE),
    ]:
        move(campaign=campaign)
        assert Campaign.objects.get(pk=campaign.pk).status == expected
    assert AuditEvent.objects.filter(campaign=campaign).count() == 6


@pytest.mark.parametrize(
    ("status", "move"),
    [
        (Status.DRAFT, campaign_lock),
        (Status.OPEN, campaign_start),
        (Status.LOCKED, campaign_pause),
        (Status.PAUSED, campaign_finish),
        (Status.DONE, campaign_open),
        (Status.RUNNING, campaign_open),
    ],
)
def test_campaign_refuses_a_step_its_state_does_not_lead_to(status, move):
    campaign = CampaignFactory(status=status)
    with pytest.raises(InvalidTransition):
        move(campaign=campaign)
    assert Campaign.objects.get(pk=campaign.pk).status == status


def test_a_stale_copy_cannot_move_a_campaign_twice():
    campaign = CampaignFactory(status=Status.OPEN)
    stale = Campaign.objects.get(pk=campaign.pk)
    campaign_lock(campaign=campaign)
    with pytest.raises(InvalidTransition):
        campaign_lock(campaign=stale)
    assert stale.status == Status.LOCKED

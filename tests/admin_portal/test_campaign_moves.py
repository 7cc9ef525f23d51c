import pytest
from django.test import Client
from django.urls import reverse

from tests.approvals.conftest import People
from tests.factories import CampaignFactory
from transition.models import Campaign
from transition.services.campaigns import campaign_moves_allowed

Status = Campaign.Status


def offered_moves(client: Client, campaign: Campaign) -> set[str]:
    response = client.get(reverse("admin_portal:campaigns"))
    page = response.content.decode()
    return {
        move
        for move in ("open", "lock", "start", "finish")
        if reverse("admin_portal:campaign_move", args=[campaign.pk, move]) in page
    }


@pytest.mark.parametrize(
    ("status", "offered"),
    [
        (Status.DRAFT, {"open"}),
        (Status.OPEN, {"lock"}),
        (Status.LOCKED, {"start"}),
        (Status.RUNNING, {"finish"}),
        (Status.PAUSED, set()),
        (Status.DONE, set()),
    ],
)
def test_the_campaigns_table_offers_only_the_moves_the_status_allows(
    people: People, status: str, offered: set[str]
) -> None:
    Campaign.objects.filter(pk=people.campaign.pk).update(status=status)
    people.campaign.refresh_from_db()
    client = Client()
    client.force_login(people.admin)
    assert offered_moves(client, people.campaign) == offered


def test_the_allowed_moves_are_the_ones_the_services_accept(db: None) -> None:
    campaign = CampaignFactory(status=Status.RUNNING)
    assert campaign_moves_allowed(campaign) == {"pause", "finish"}
    campaign.status = Status.PAUSED
    assert campaign_moves_allowed(campaign) == {"resume"}


def test_the_action_buttons_wrap_instead_of_overflowing(people: People) -> None:
    client = Client()
    client.force_login(people.admin)
    page = client.get(reverse("admin_portal:campaigns")).content.decode()
    assert (
        'class="d-flex flex-wrap justify-content-end gap-1" data-testid="campaign-actions"' in page
    )
    assert "text-nowrap" not in page

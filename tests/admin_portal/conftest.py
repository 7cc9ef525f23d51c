"""A platform synced from the `small` stand-in, with an Apogée import and a campaign."""

from dataclasses import dataclass

import pytest

from moodle_client.standin import StandinServer
from tests.approvals.conftest import People, people  # noqa: F401  (fixture)
from tests.factories import CampaignFactory, CategoryFactory, MoodleInstanceFactory, UserFactory
from transition.models import Campaign, Category, Course, MoodleInstance
from transition.services.cohorts import cohorts_import_apogee
from transition.services.policies import policy_create_caen_default
from transition.services.sync import instance_sync
from transition.tokens import token_encrypt

# Next year's curriculum: the chemistry steps go on, biology BIO101 is no longer taught.
APOGEE_2026 = (
    "Code étape;Version;Libellé;Composante;Campus;Année\n"
    "CHIM;231;CHIMIE GENERALE;UFR des Sciences;Caen;2026\n"
    "CHIM;232;THERMODYNAMIQUE;UFR des Sciences;Caen;2026\n"
    "CHIM;241;CHIMIE GENERALE;UFR des Sciences;Caen;2026\n"
    "PHYS;101;PHYSIQUE GENERALE;UFR des Sciences;Caen;2026\n"
).encode()


@dataclass
class Synced:
    server: StandinServer
    instance: MoodleInstance
    campaign: Campaign
    archives: Category
    admin: object

    def course(self, shortname: str) -> Course:
        return Course.objects.get(instance=self.instance, shortname=shortname)


@pytest.fixture
def synced(db: None, start_standin) -> Synced:
    server = start_standin(seed="small")
    instance = MoodleInstanceFactory(
        name="ecampus",
        url=server.url,
        role=MoodleInstance.Role.CURRENT,
        token_encrypted=token_encrypt("admin"),
    )
    instance_sync(instance=instance)
    cohorts_import_apogee(instance=instance, data=APOGEE_2026)
    archives = CategoryFactory(instance=instance, name="Archives", moodle_id=9999, path="/9999")
    campaign = CampaignFactory(
        academic_year="2026-2027",
        policy=policy_create_caen_default(),
        archive_category=archives,
        status=Campaign.Status.LOCKED,
    )
    campaign.excluded_categories.set(
        Category.objects.filter(instance=instance, name="Espaces complémentaires")
    )
    return Synced(
        server=server,
        instance=instance,
        campaign=campaign,
        archives=archives,
        admin=UserFactory(username="alain.admin", roles=["admin"]),
    )

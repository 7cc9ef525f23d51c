"""The review's dates: when the request runs, the course's dates before and after, and which
backup a restore brings back."""

import datetime

import pytest

from tests.factories import CampaignFactory
from tests.review.inventories import chemistry_course
from transition.request_spec import RequestSpec, RestorePlan
from transition.review.engine import ReviewFacts, review_course
from transition.review.gather import review_rescheduled

pytestmark = pytest.mark.django_db

RESTORE = RequestSpec(
    scenario="restore_previous",
    course_moodle_id=42,
    restore=RestorePlan(source_instance_id=1, source_course_moodle_id=7),
)


def kinds_and_dates(review) -> dict[str, int]:
    return {date.kind: date.after for date in review.dates}


def test_a_restore_names_the_stored_backup_it_brings_back_by_its_date() -> None:
    taken = int(datetime.datetime(2026, 7, 20, 3, 0, tzinfo=datetime.UTC).timestamp())
    review = review_course(
        inventory=chemistry_course(),
        spec=RESTORE,
        governed={},
        facts=ReviewFacts(restore_backup_at=taken),
    )

    dated = kinds_and_dates(review_rescheduled(review, campaign=CampaignFactory(), spec=RESTORE))

    assert dated["backup_restored"] == taken
    assert "backup_new" not in dated


def test_a_restore_without_a_backup_holding_the_course_says_a_new_one_is_taken_at_the_run() -> None:
    campaign = CampaignFactory()
    review = review_course(
        inventory=chemistry_course(), spec=RESTORE, governed={}, facts=ReviewFacts()
    )

    dated = kinds_and_dates(review_rescheduled(review, campaign=campaign, spec=RESTORE))

    assert dated["backup_new"] == dated["run"] == int(campaign.run_date.timestamp())
    assert "backup_restored" not in dated

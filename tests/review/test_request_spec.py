import datetime

import pytest

from transition.request_spec import (
    Announcement,
    ArchivePlan,
    CohortChange,
    FreshCopy,
    RequestSpec,
    SpecialCalendar,
    SpecInvalid,
)


def test_spec_round_trips_through_json():
    spec = RequestSpec(
        scenario="fresh_copy",
        course_moodle_id=42,
        new_start_date=datetime.date(2026, 9, 1),
        cohort_changes=(
            CohortChange(
                action="remove", cohort_idnumber="L1CHIM231", enrol_instance_id=7, users=64
            ),
            CohortChange(action="add", cohort_idnumber="L1CHIM241"),
        ),
        grade_export=True,
        announcement=Announcement(days_before=14, subject="Reset", message="Save your work"),
        fresh_copy=FreshCopy(
            new_shortname="CHIM231-2026",
            new_fullname="Chimie 2026",
            archive=ArchivePlan(prefix="ex_", move_to_category_moodle_id=9, hide=True),
        ),
        special_calendar=SpecialCalendar(
            kind="early_opening", opens=datetime.date(2026, 8, 17), closes=None, reason="Summer"
        ),
    )
    assert RequestSpec.from_json(spec.to_json()) == spec
    assert spec.to_json()["cohort_changes"][0]["enrol_instance_id"] == 7


def test_spec_refuses_a_scenario_without_its_settings():
    with pytest.raises(SpecInvalid):
        RequestSpec(scenario="restore_previous", course_moodle_id=1)


def test_spec_refuses_reset_options_outside_reuse_reset():
    with pytest.raises(SpecInvalid):
        RequestSpec(scenario="no_change", course_moodle_id=1, reset_options={"reset_events": "1"})


def test_spec_refuses_unknown_version():
    data = RequestSpec(scenario="no_change", course_moodle_id=1).to_json()
    data["version"] = 99
    with pytest.raises(SpecInvalid):
        RequestSpec.from_json(data)

"""Campaign operations on courses synced from the stand-in: preview counts, runs, re-runs."""

import datetime

import pytest

from tests.admin_portal.conftest import Synced
from tests.approvals.conftest import pending_request
from tests.factories import BackupFactory, CohortFactory, CourseCohortFactory, UserFactory
from transition.admin_portal import operations
from transition.course_dates import day_timestamp
from transition.models import Cohort, Course, Job, TransitionRequest
from transition.policy_options import policy_reset_options
from transition.request_spec import RequestSpec
from transition.services.cohorts import cohorts_import_apogee

CAMPAIGN_COURSES = {
    "CHIM231-2025",
    "CHIM232-2025",
    "CHIM241-2026",
    "BIO101-2025",
    "PHYS101-2025",
}


def names(preview: operations.OperationPreview) -> set[str]:
    assert len(preview.sample) == preview.count  # fewer than the sample size here
    return set(preview.sample)


def test_the_backup_week_covers_every_course_but_the_excluded_category(synced: Synced) -> None:
    preview = operations.backup_week_preview(campaign=synced.campaign)
    assert names(preview) == CAMPAIGN_COURSES  # TUTO-CHIM is an "espace complémentaire"


def test_the_backup_week_skips_courses_already_backed_up_and_runs_once(synced: Synced) -> None:
    BackupFactory(
        course=synced.course("CHIM231-2025"),
        campaign=synced.campaign,
        verified_at=synced.campaign.choices_open,
    )
    assert operations.backup_week_preview(campaign=synced.campaign).count == 4

    created = operations.backup_week_run(campaign=synced.campaign, actor=synced.admin)

    assert created == 4
    jobs = Job.objects.filter(campaign=synced.campaign, kind=Job.Kind.BACKUP)
    assert {job.course.shortname for job in jobs} == CAMPAIGN_COURSES - {"CHIM231-2025"}
    assert all(job.request_id is None for job in jobs)
    assert all(job.status == Job.Status.QUEUED for job in jobs)
    assert operations.backup_week_preview(campaign=synced.campaign).count == 0
    assert operations.backup_week_run(campaign=synced.campaign, actor=synced.admin) == 0


def test_courses_that_left_the_curriculum_are_the_ones_missing_from_the_latest_import(
    synced: Synced,
) -> None:
    preview = operations.archive_preview(campaign=synced.campaign)
    assert names(preview) == {"BIO101-2025"}


def test_a_course_whose_cohort_step_is_still_imported_has_not_left_the_curriculum(
    synced: Synced,
) -> None:
    # BIO101 is not an Apogée step, but the biology cohort it enrols (synced from Moodle, as
    # seed 004 does it, with a campus suffix) belongs to a step next year's import still lists.
    biology = synced.course("BIO101-2025")
    cohort = CohortFactory(
        instance=synced.instance, idnumber="L1BIO231-ALE", apogee_code="", apogee_version=""
    )
    CourseCohortFactory(course=biology, cohort=cohort)
    cohorts_import_apogee(
        instance=synced.instance,
        data="Code étape;Version;Libellé;Composante;Campus;Année\n"
        "L1BIO;241;LICENCE 1 BIOLOGIE;UFR des Sciences;Alençon;2026\n".encode(),
    )

    assert "BIO101-2025" not in names(operations.archive_preview(campaign=synced.campaign))


def test_no_course_is_archived_before_any_apogee_import(synced: Synced) -> None:
    Cohort.objects.update(imported_at=None)
    preview = operations.archive_preview(campaign=synced.campaign)
    assert preview.count == 0
    assert preview.notes


def test_the_archive_run_backs_up_resets_then_renames_and_moves(synced: Synced) -> None:
    created = operations.archive_run(campaign=synced.campaign, actor=synced.admin)

    assert created == 1
    request = TransitionRequest.objects.get(course=synced.course("BIO101-2025"))
    assert request.status == TransitionRequest.Status.APPROVED
    assert list(request.jobs.order_by("position").values_list("kind", flat=True)) == [
        Job.Kind.BACKUP,
        Job.Kind.RESET,
        Job.Kind.ARCHIVE,
    ]
    spec = RequestSpec.from_json(request.plan.spec)
    assert spec.reset_options == policy_reset_options(policy=synced.campaign.policy)
    assert spec.fresh_copy is not None
    assert spec.fresh_copy.archive.prefix == "ex_"
    assert spec.fresh_copy.archive.move_to_category_moodle_id == synced.archives.moodle_id
    assert operations.archive_preview(campaign=synced.campaign).count == 0


def test_the_archive_needs_an_archive_category(synced: Synced) -> None:
    synced.campaign.archive_category = None
    synced.campaign.save()
    assert operations.archive_preview(campaign=synced.campaign).notes
    with pytest.raises(operations.ArchiveCategoryMissing):
        operations.archive_run(campaign=synced.campaign, actor=synced.admin)
    assert not TransitionRequest.objects.exists()


def test_the_default_transition_leaves_chosen_leaving_and_excluded_courses_alone(
    synced: Synced,
) -> None:
    teacher = UserFactory(username="claire.dubois")
    synced.campaign.cutoff_date = datetime.date(2026, 9, 1)
    synced.campaign.save()
    pending_request(campaign=synced.campaign, course=synced.course("CHIM232-2025"), teacher=teacher)
    preview = operations.default_transition_preview(campaign=synced.campaign)
    assert names(preview) == {"CHIM231-2025", "CHIM241-2026", "PHYS101-2025"}

    created = operations.default_transition_run(campaign=synced.campaign, actor=synced.admin)

    assert created == 3
    made = TransitionRequest.objects.filter(requested_by=synced.admin)
    assert {r.course.shortname for r in made} == {"CHIM231-2025", "CHIM241-2026", "PHYS101-2025"}
    for request in made:
        assert request.status == TransitionRequest.Status.APPROVED
        assert request.run_at == synced.campaign.run_date
        spec = RequestSpec.from_json(request.plan.spec)
        assert spec.scenario == "reuse_reset"
        # Courses of last September, and CHIM241-2026 already next year's, start on the
        # campaign's first day, which the reset moves every date to.
        assert spec.new_start_date == synced.campaign.cutoff_date
        assert spec.reset_options == {
            **policy_reset_options(policy=synced.campaign.policy),
            "reset_start_date": str(day_timestamp(synced.campaign.cutoff_date)),
        }
    assert operations.default_transition_preview(campaign=synced.campaign).count == 0


def test_a_rejected_request_leaves_its_course_to_the_default_transition(synced: Synced) -> None:
    teacher = UserFactory(username="claire.dubois")
    rejected = pending_request(
        campaign=synced.campaign, course=synced.course("CHIM232-2025"), teacher=teacher
    )
    TransitionRequest.objects.filter(pk=rejected.pk).update(
        status=TransitionRequest.Status.REJECTED
    )
    preview = operations.default_transition_preview(campaign=synced.campaign)
    assert "CHIM232-2025" in names(preview)


def test_no_reset_is_planned_with_a_policy_without_rules(synced: Synced) -> None:
    synced.campaign.policy.rules.all().delete()
    with pytest.raises(operations.PolicyEmpty):
        operations.default_transition_run(campaign=synced.campaign, actor=synced.admin)
    with pytest.raises(operations.PolicyEmpty):
        operations.archive_run(campaign=synced.campaign, actor=synced.admin)
    assert not TransitionRequest.objects.exists()


def test_archived_courses_are_left_out_of_the_default_transition(synced: Synced) -> None:
    Course.objects.filter(pk=synced.course("CHIM241-2026").pk).update(category=synced.archives)
    # A course a fresh copy archived by its name only, left in its category.
    Course.objects.filter(pk=synced.course("PHYS101-2025").pk).update(
        shortname=f"{synced.campaign.archive_prefix}PHYS101-2025"
    )
    preview = operations.default_transition_preview(campaign=synced.campaign)
    assert names(preview) == {"CHIM231-2025", "CHIM232-2025"}


def test_a_course_this_campaigns_fresh_copy_created_is_not_reset_by_its_default_transition(
    synced: Synced,
) -> None:
    teacher = UserFactory(username="claire.dubois")
    source = synced.course("CHIM231-2025")
    copy = pending_request(campaign=synced.campaign, course=source, teacher=teacher)
    # The copy step records the new course as the request's target, as the next sync sees it.
    new = Course.objects.create(
        instance=synced.instance,
        moodle_id=9001,
        shortname="CHIM231-2026",
        fullname=source.fullname,
        category=source.category,
    )
    TransitionRequest.objects.filter(pk=copy.pk).update(
        scenario=TransitionRequest.Scenario.FRESH_COPY,
        status=TransitionRequest.Status.DONE,
        target_course=new,
    )

    preview = operations.default_transition_preview(campaign=synced.campaign)

    assert "CHIM231-2026" not in names(preview)
    assert names(preview) == {"CHIM232-2025", "CHIM241-2026", "PHYS101-2025"}

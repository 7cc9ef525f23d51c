"""Constraints the database itself enforces, whatever form or script writes."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils import timezone

from tests.factories import (
    AuditEventFactory,
    BackupFactory,
    CampaignFactory,
    CategoryFactory,
    CohortFactory,
    CourseCohortFactory,
    CourseFactory,
    CourseLockFactory,
    CourseRoleFactory,
    InstanceLeaseFactory,
    JobFactory,
    MoodleInstanceFactory,
    PersonFactory,
    PolicyRuleFactory,
    RequestNoticeFactory,
    RequestPlanFactory,
    TransitionRequestFactory,
    UserFactory,
    UserPreferenceFactory,
)
from transition.models import Backup, MoodleInstance, TransitionRequest

pytestmark = pytest.mark.django_db


def refused(factory, **kwargs) -> bool:
    try:
        with transaction.atomic():
            factory(**kwargs)
    except IntegrityError:
        return True
    return False


def test_every_factory_builds_a_valid_row():
    for factory in (
        MoodleInstanceFactory,
        CategoryFactory,
        CourseFactory,
        PersonFactory,
        CourseRoleFactory,
        CohortFactory,
        CourseCohortFactory,
        PolicyRuleFactory,
        CampaignFactory,
        TransitionRequestFactory,
        JobFactory,
        BackupFactory,
        AuditEventFactory,
        UserPreferenceFactory,
        RequestPlanFactory,
        RequestNoticeFactory,
        CourseLockFactory,
        InstanceLeaseFactory,
    ):
        row = factory()
        row.full_clean()


def test_only_one_platform_can_be_current():
    MoodleInstanceFactory(name="ecampus-vert", role=MoodleInstance.Role.CURRENT)
    MoodleInstanceFactory(name="ecampus-bleu", role=MoodleInstance.Role.PREVIOUS)
    assert refused(MoodleInstanceFactory, name="ecampus-rouge", role=MoodleInstance.Role.CURRENT)


def test_platform_concurrency_limit_must_be_positive():
    assert refused(MoodleInstanceFactory, concurrency_limit=0)


def test_platform_takes_its_token_from_exactly_one_place():
    assert refused(MoodleInstanceFactory, token_encrypted="", token_env_var="")
    assert refused(MoodleInstanceFactory, token_env_var="MOODLE_TOKEN")  # and an encrypted one
    assert not refused(MoodleInstanceFactory, token_encrypted="", token_env_var="MOODLE_TOKEN")


def test_course_is_unique_per_platform_not_across_platforms():
    course = CourseFactory(moodle_id=42)
    assert refused(CourseFactory, instance=course.instance, moodle_id=42)
    assert not refused(CourseFactory, moodle_id=42)


def test_course_cannot_end_before_it_starts():
    start = timezone.now()
    assert refused(CourseFactory, startdate=start, enddate=start - datetime.timedelta(days=1))


def test_person_links_one_user_to_one_moodle_account_per_platform():
    person = PersonFactory()
    assert refused(
        PersonFactory,
        instance=person.instance,
        moodle_userid=person.moodle_userid,
        user=UserFactory(),
    )
    assert refused(PersonFactory, instance=person.instance, user=person.user)
    assert not refused(PersonFactory, user=person.user)  # same person, another platform


def test_cohort_idnumber_is_unique_per_platform_but_may_be_empty_twice():
    cohort = CohortFactory(idnumber="L1CHIM231")
    assert refused(CohortFactory, instance=cohort.instance, idnumber="L1CHIM231")
    CohortFactory(instance=cohort.instance, idnumber="", moodle_id=None)
    assert not refused(CohortFactory, instance=cohort.instance, idnumber="", moodle_id=None)


def test_cohort_cannot_succeed_itself():
    cohort = CohortFactory()
    cohort.successor = cohort
    with pytest.raises(IntegrityError), transaction.atomic():
        cohort.save()


def test_campaign_dates_must_be_in_order():
    now = timezone.now()
    assert refused(CampaignFactory, choices_open=now, choices_lock=now - datetime.timedelta(1))
    assert refused(
        CampaignFactory,
        backup_window_start=now + datetime.timedelta(days=35),
        backup_window_end=now + datetime.timedelta(days=32),
    )
    assert refused(CampaignFactory, run_date=now + datetime.timedelta(days=5))


def test_campaign_academic_year_has_the_form_2026_2027():
    assert refused(CampaignFactory, academic_year="2026")
    assert not refused(CampaignFactory, academic_year="2030-2031")


def test_one_policy_rule_per_kind_of_data():
    rule = PolicyRuleFactory()
    assert refused(PolicyRuleFactory, policy=rule.policy, data_kind=rule.data_kind)


def test_a_course_has_one_open_request_at_a_time():
    request = TransitionRequestFactory(status=TransitionRequest.Status.PENDING_APPROVAL)
    assert refused(TransitionRequestFactory, course=request.course)


def test_a_course_may_have_a_new_request_once_the_last_one_closed():
    request = TransitionRequestFactory(status=TransitionRequest.Status.DONE)
    TransitionRequestFactory(course=request.course, status=TransitionRequest.Status.CANCELLED)
    assert not refused(TransitionRequestFactory, course=request.course)


def test_job_idempotency_key_is_unique():
    job = JobFactory()
    assert refused(JobFactory, idempotency_key=job.idempotency_key)


def test_job_progress_is_a_fraction_and_attempts_are_bounded_above_zero():
    assert refused(JobFactory, progress=1.5)
    assert refused(JobFactory, max_attempts=0)


def test_a_backup_is_verified_only_with_its_checksum():
    assert refused(BackupFactory, sha256="", verified_at=timezone.now())
    assert not refused(BackupFactory, verified_at=timezone.now())
    assert Backup.objects.filter(verified_at__isnull=False).count() == 1


def test_a_course_with_requests_cannot_be_deleted():
    request = TransitionRequestFactory()
    with pytest.raises(ProtectedError), transaction.atomic():
        request.course.delete()
    assert TransitionRequest.objects.filter(course=request.course).exists()

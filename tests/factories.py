"""factory-boy factories for every Passage model, shared by all test modules."""

import datetime

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from transition import models
from transition.request_spec import RequestSpec
from transition.tokens import token_encrypt


def _at(days: int) -> datetime.datetime:
    return timezone.now().replace(microsecond=0) + datetime.timedelta(days=days)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    email = factory.LazyAttribute(lambda user: f"{user.username}@univ.example")
    password = factory.django.Password("correct horse battery staple")

    @factory.post_generation
    def roles(self, create: bool, extracted: list[str] | None, **kwargs: object) -> None:
        """UserFactory(roles=["teacher"]) puts the user in those groups."""
        if create and extracted:
            self.groups.add(*(Group.objects.get_or_create(name=name)[0] for name in extracted))
            if {"engineer", "admin"} & set(extracted):
                self.is_staff = True
                self.save(update_fields=["is_staff"])


class MoodleInstanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.MoodleInstance
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"moodle{n}")
    url = factory.LazyAttribute(lambda instance: f"http://127.0.0.1:9/{instance.name}")
    role = models.MoodleInstance.Role.PREVIOUS
    token_encrypted = factory.LazyFunction(lambda: token_encrypt("admin"))
    concurrency_limit = 4


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Category

    instance = factory.SubFactory(MoodleInstanceFactory)
    moodle_id = factory.Sequence(lambda n: 100 + n)
    name = factory.Sequence(lambda n: f"Catégorie {n}")
    path = factory.LazyAttribute(lambda category: f"/{category.moodle_id}")


class CourseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Course

    instance = factory.SubFactory(MoodleInstanceFactory)
    moodle_id = factory.Sequence(lambda n: 1000 + n)
    shortname = factory.Sequence(lambda n: f"CHIM{n:03d}")
    fullname = factory.Sequence(lambda n: f"Chimie générale {n}")
    idnumber = factory.LazyAttribute(lambda course: course.shortname)
    category = factory.SubFactory(CategoryFactory, instance=factory.SelfAttribute("..instance"))
    startdate = factory.LazyFunction(lambda: _at(-300))
    enddate = factory.LazyFunction(lambda: _at(30))
    visible = True
    curriculum_code = factory.LazyAttribute(lambda course: course.idnumber)


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Person

    user = factory.SubFactory(UserFactory)
    instance = factory.SubFactory(MoodleInstanceFactory)
    moodle_userid = factory.Sequence(lambda n: 10 + n)
    moodle_username = factory.LazyAttribute(lambda person: person.user.username)
    firstname = factory.LazyAttribute(lambda person: person.user.first_name)
    lastname = factory.LazyAttribute(lambda person: person.user.last_name)
    email = factory.LazyAttribute(lambda person: person.user.email)


class CourseRoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.CourseRole

    course = factory.SubFactory(CourseFactory)
    person = factory.SubFactory(PersonFactory, instance=factory.SelfAttribute("..course.instance"))
    role = models.CourseRole.EDITING_TEACHER


class CohortFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Cohort

    instance = factory.SubFactory(MoodleInstanceFactory)
    moodle_id = factory.Sequence(lambda n: 500 + n)
    apogee_code = factory.Sequence(lambda n: f"L{n % 3 + 1}CHIM{n}")
    apogee_version = "231"
    idnumber = factory.LazyAttribute(lambda cohort: f"{cohort.apogee_code}{cohort.apogee_version}")
    name = factory.LazyAttribute(lambda cohort: f"{cohort.idnumber} LICENCE CHIMIE")
    label = "LICENCE CHIMIE"
    component = "UFR des Sciences"
    campus = "Caen"
    year = 2025


class CourseCohortFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.CourseCohort

    course = factory.SubFactory(CourseFactory)
    cohort = factory.SubFactory(CohortFactory, instance=factory.SelfAttribute("..course.instance"))
    enrol_instance_id = factory.Sequence(lambda n: 700 + n)
    role = "student"
    users = 64


class PolicyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Policy
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Policy {n}")


class PolicyRuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.PolicyRule

    policy = factory.SubFactory(PolicyFactory)
    data_kind = models.PolicyRule.DataKind.FORUM_POSTS
    action = models.PolicyRule.Action.DELETE
    locked = True


class CampaignFactory(factory.django.DjangoModelFactory):
    """An open campaign: choices open now, lock in a month, runs after the backup window."""

    class Meta:
        model = models.Campaign
        django_get_or_create = ("academic_year",)
        skip_postgeneration_save = True

    academic_year = factory.Sequence(lambda n: f"{2026 + n}-{2027 + n}")
    policy = factory.SubFactory(PolicyFactory)
    choices_open = factory.LazyFunction(lambda: _at(-1))
    choices_lock = factory.LazyFunction(lambda: _at(30))
    backup_window_start = factory.LazyFunction(lambda: _at(31))
    backup_window_end = factory.LazyFunction(lambda: _at(38))
    run_date = factory.LazyFunction(lambda: _at(40))
    cutoff_date = factory.LazyFunction(lambda: (_at(60)).date())
    status = models.Campaign.Status.OPEN


class TransitionRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.TransitionRequest

    campaign = factory.SubFactory(CampaignFactory)
    course = factory.SubFactory(CourseFactory)
    requested_by = factory.SubFactory(UserFactory)
    scenario = models.TransitionRequest.Scenario.REUSE_RESET
    status = models.TransitionRequest.Status.DRAFT


class JobFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Job

    request = factory.SubFactory(TransitionRequestFactory)
    campaign = factory.SelfAttribute("request.campaign")
    course = factory.SelfAttribute("request.course")
    instance = factory.SelfAttribute("course.instance")
    kind = models.Job.Kind.BACKUP
    idempotency_key = factory.Sequence(lambda n: f"passage-job-{n}")


class BackupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Backup

    course = factory.SubFactory(CourseFactory)
    campaign = factory.SubFactory(CampaignFactory)
    source_instance = factory.SelfAttribute("course.instance")
    storage_name = factory.Sequence(lambda n: f"backups/course-{n}.mbz")
    size = 123_456
    sha1 = "a" * 40
    sha256 = "b" * 64
    moodle_contenthash = "a" * 40


class AuditEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.AuditEvent

    actor = factory.SubFactory(UserFactory)
    action = "request_create"


class UserPreferenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.UserPreference

    user = factory.SubFactory(UserFactory)
    language = "fr"


class RequestPlanFactory(factory.django.DjangoModelFactory):
    """A plan for a reset with the request's own options; pass `spec=` for anything else."""

    class Meta:
        model = models.RequestPlan

    request = factory.SubFactory(TransitionRequestFactory)
    spec = factory.LazyAttribute(
        lambda plan: RequestSpec(
            scenario=plan.request.scenario,
            course_moodle_id=plan.request.course.moodle_id,
            reset_options=dict(plan.request.options),
        ).to_json()
    )


class RequestNoticeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.RequestNotice

    request = factory.SubFactory(TransitionRequestFactory)
    status = factory.SelfAttribute("request.status")
    round_at = factory.LazyAttribute(
        lambda notice: notice.request.submitted_at or notice.request.created_at
    )
    recipients = 1


class CourseLockFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.CourseLock

    request = factory.SubFactory(TransitionRequestFactory)
    course = factory.SelfAttribute("request.course")


class InstanceLeaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.InstanceLease

    instance = factory.SubFactory(MoodleInstanceFactory)
    slot = factory.Sequence(lambda n: n)
    holder = "worker@host"
    expires_at = factory.LazyFunction(lambda: _at(1))

"""Campaign-wide operations an admin runs, each previewed (how many courses) before it runs.

- backup week: back up every course of the campaign in the backup window, so that any course
  can be restored on request later (seed 001: "la troisième semaine de juillet, une sauvegarde
  de tous les espaces de cours est réalisée");
- default transition: every course without a choice from its teachers gets the policy's reset
  at the run date (the automatic reset of seed 001);
- archive: courses that left the curriculum are renamed with the prefix, moved to the archive
  category and reset, their content kept (seed 001: "renommés avec le préfixe « ex_ »").

Each run is idempotent: a second run finds nothing left to do.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from transition.admin_portal.scope import (
    campaign_courses,
    cohort_steps_by_course,
    curriculum_code_known,
    curriculum_codes_latest,
)
from transition.course_dates import day_timestamp, start_in_year
from transition.engine.keys import installation_key, job_key
from transition.engine.services import campaign_backup_all
from transition.errors import TransitionError
from transition.models import Backup, Campaign, Course, Job, MoodleInstance, TransitionRequest
from transition.models.request_plans import RequestPlan
from transition.policy_options import policy_reset_options
from transition.request_spec import ArchivePlan, FreshCopy, RequestSpec
from transition.services.audit import audit_record
from transition.services.campaigns import campaign_manager_required
from transition.teaching import course_archived_q

SAMPLE_SIZE = 20
# A request in these states is the teachers' (or an engineer's) choice: the course is theirs.
CHOSEN = [
    s
    for s in TransitionRequest.Status
    if s not in (TransitionRequest.Status.CANCELLED, TransitionRequest.Status.REJECTED)
]


class OperationRaced(TransitionError):
    """Someone changed the courses between the preview and the run: preview again."""


class ArchiveCategoryMissing(TransitionError):
    """The campaign names no archive category to move the courses to."""


class PolicyEmpty(TransitionError):
    """The campaign's policy has no rule: a reset would not know what to delete."""


def _policy_options(campaign: Campaign) -> dict[str, str]:
    options = policy_reset_options(policy=campaign.policy)
    if not options:
        raise PolicyEmpty(_("The campaign's policy has no rule: complete it before a reset."))
    return options


@dataclass(frozen=True)
class OperationPreview:
    course_ids: tuple[int, ...]
    sample: tuple[str, ...]  # short names of the first courses
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def count(self) -> int:
        return len(self.course_ids)


def _preview(courses: QuerySet[Course], notes: tuple[str, ...] = ()) -> OperationPreview:
    rows = list(courses.order_by("shortname").values_list("pk", "shortname"))
    return OperationPreview(
        course_ids=tuple(pk for pk, _name in rows),
        sample=tuple(name for _pk, name in rows[:SAMPLE_SIZE]),
        notes=notes,
    )


# ---------------------------------------------------------------- backup week


def backup_week_courses(*, campaign: Campaign) -> QuerySet[Course]:
    """Courses of the campaign with no verified backup of this campaign and no backup-week job.

    A backup-week job that failed stays on the dashboard, where it is retried.
    """
    verified = Backup.objects.filter(
        course=OuterRef("pk"), campaign=campaign, verified_at__isnull=False
    )
    queued = Job.objects.filter(
        course=OuterRef("pk"), campaign=campaign, kind=Job.Kind.BACKUP, request__isnull=True
    )
    return campaign_courses(campaign=campaign).exclude(Exists(verified)).exclude(Exists(queued))


def backup_week_preview(*, campaign: Campaign) -> OperationPreview:
    notes: tuple[str, ...] = ()
    if timezone.now() < campaign.backup_window_start:
        notes = (_("The backup window has not opened yet: the backups would start now."),)
    return _preview(backup_week_courses(campaign=campaign), notes)


def backup_week_run(*, campaign: Campaign, actor: AbstractBaseUser) -> int:
    """Queue a backup of every course still without one."""
    campaign_manager_required(actor)
    courses = list(backup_week_courses(campaign=campaign).select_related("instance"))
    return campaign_backup_all(campaign=campaign, actor=actor, courses=courses)


# ---------------------------------------------------------------- courses off the curriculum


def left_curriculum_courses(*, campaign: Campaign) -> tuple[QuerySet[Course], tuple[str, ...]]:
    """Courses whose curriculum code is not in the latest Apogée import, nor the step of any
    cohort they enrol, not yet archived.

    Courses without a code, and every course before the first Apogée import, are left alone:
    archiving cannot be undone by a teacher.
    """
    instance = MoodleInstance.objects.filter(role=MoodleInstance.Role.CURRENT).first()
    codes = curriculum_codes_latest(instance=instance) if instance is not None else None
    if codes is None:
        return Course.objects.none(), (
            _("No Apogée import yet: no course is known to have left the curriculum."),
        )
    chosen = TransitionRequest.objects.filter(
        course=OuterRef("pk"), campaign=campaign, status__in=CHOSEN
    )
    candidates = (
        campaign_courses(campaign=campaign)
        .exclude(curriculum_code="")
        .exclude(course_archived_q(campaign=campaign))
        .exclude(Exists(chosen))
        .exclude(Exists(_created_by(campaign)))
    )
    coded = list(candidates.values_list("pk", "curriculum_code"))
    # A course whose own code is not an Apogée step is still taught when the step of a cohort
    # it enrols is in the import: the cohort is the curriculum's word on it.
    cohort_steps = cohort_steps_by_course(course_ids=[pk for pk, _code in coded])
    gone = [
        pk
        for pk, code in coded
        if not curriculum_code_known(code, codes) and not cohort_steps.get(pk, frozenset()) & codes
    ]
    return Course.objects.filter(pk__in=gone), ()


def archive_preview(*, campaign: Campaign) -> OperationPreview:
    courses, notes = left_curriculum_courses(campaign=campaign)
    if campaign.archive_category is None:
        notes = (*notes, _("Choose the archive category in the campaign settings first."))
    return _preview(courses, notes)


# ---------------------------------------------------------------- default transition


def _created_by(campaign: Campaign) -> QuerySet[TransitionRequest]:
    """The campaign's requests that created the outer course (a fresh copy's new course)."""
    return TransitionRequest.objects.filter(campaign=campaign, target_course=OuterRef("pk"))


def default_transition_courses(*, campaign: Campaign) -> QuerySet[Course]:
    """Courses of the campaign nobody chose for, minus those that left the curriculum, those
    already archived and those the campaign created."""
    chosen = TransitionRequest.objects.filter(
        course=OuterRef("pk"), campaign=campaign, status__in=CHOSEN
    )
    leaving, _notes = left_curriculum_courses(campaign=campaign)
    # Archived courses (in the archive category or named with the archive prefix, as the
    # teachers' list sees them) were reset when they were archived; they wait out their year.
    # A course this campaign created (a fresh copy) is next year's already.
    return (
        campaign_courses(campaign=campaign)
        .exclude(Exists(chosen))
        .exclude(pk__in=leaving.values("pk"))
        .exclude(course_archived_q(campaign=campaign))
        .exclude(Exists(_created_by(campaign)))
    )


def default_transition_preview(*, campaign: Campaign) -> OperationPreview:
    return _preview(default_transition_courses(campaign=campaign))


def _requests_create(
    *,
    campaign: Campaign,
    actor: AbstractBaseUser,
    course_ids: tuple[int, ...],
    spec_for: Callable[[Course], RequestSpec],
    action: str,
    job_kinds: tuple[str, ...] = (),
) -> int:
    """Approved requests (with their plan) for these courses, all or none.

    With `job_kinds`, the requests' jobs are stored too, in that order (the engine runs a
    request's stored jobs as they are); without, the engine plans them from the spec.
    """
    now = timezone.now()
    courses = list(Course.objects.filter(pk__in=course_ids).select_related("category"))
    installation = installation_key()
    try:
        with transaction.atomic():
            requests = TransitionRequest.objects.bulk_create(
                [
                    TransitionRequest(
                        campaign=campaign,
                        course=course,
                        requested_by=actor,
                        scenario=TransitionRequest.Scenario.REUSE_RESET,
                        status=TransitionRequest.Status.APPROVED,
                        run_at=campaign.run_date,
                        submitted_at=now,
                        decided_by=actor,
                        decided_at=now,
                    )
                    for course in courses
                ],
                batch_size=1000,
            )
            specs = {course.pk: spec_for(course) for course in courses}
            for request in requests:
                request.options = dict(specs[request.course_id].reset_options)
            TransitionRequest.objects.bulk_update(requests, ["options"], batch_size=1000)
            RequestPlan.objects.bulk_create(
                [
                    RequestPlan(request=request, spec=specs[request.course_id].to_json())
                    for request in requests
                ],
                batch_size=1000,
            )
            Job.objects.bulk_create(
                [
                    Job(
                        request=request,
                        campaign=campaign,
                        course_id=request.course_id,
                        instance_id=request.course.instance_id,
                        kind=kind,
                        position=position,
                        status=Job.Status.WAITING,
                        idempotency_key=job_key(
                            installation=installation,
                            campaign_id=campaign.pk,
                            request_id=request.pk,
                            position=position,
                            kind=kind,
                        ),
                    )
                    for request in requests
                    for position, kind in enumerate(job_kinds)
                ],
                batch_size=1000,
            )
            audit_record(
                action=action, actor=actor, campaign=campaign, details={"courses": len(requests)}
            )
    except IntegrityError as error:
        raise OperationRaced(
            _("A course got a request while the operation ran; preview it again.")
        ) from error
    return len(requests)


def default_transition_run(*, campaign: Campaign, actor: AbstractBaseUser) -> int:
    """Give every course without a choice the policy's reset at the campaign's run date."""
    campaign_manager_required(actor)
    preview = default_transition_preview(campaign=campaign)
    options = _policy_options(campaign)

    def spec_for(course: Course) -> RequestSpec:
        # Next year's dates, as the wizard suggests them: the reset moves every date.
        start = start_in_year(
            startdate=int(course.startdate.timestamp()) if course.startdate else 0,
            year_start=campaign.cutoff_date,
        )
        return RequestSpec(
            scenario=TransitionRequest.Scenario.REUSE_RESET,
            course_moodle_id=course.moodle_id,
            reset_options={**options, "reset_start_date": str(day_timestamp(start))},
            new_start_date=start,
        )

    return _requests_create(
        campaign=campaign,
        actor=actor,
        course_ids=preview.course_ids,
        spec_for=spec_for,
        action="campaign_default_transition",
    )


def archive_run(*, campaign: Campaign, actor: AbstractBaseUser) -> int:
    """Back up, reset (the policy's reset: student traces go, content stays), then rename with
    the prefix and move to the archive category every course that left the curriculum."""
    campaign_manager_required(actor)
    if campaign.archive_category is None:
        raise ArchiveCategoryMissing(_("Choose the archive category in the campaign settings."))
    preview = archive_preview(campaign=campaign)
    options = _policy_options(campaign)
    # The engine's archive step reads its plan from the spec's fresh-copy part; an archive
    # keeps the course itself, hence no new short name.
    archive = FreshCopy(
        new_shortname="",
        new_fullname="",
        archive=ArchivePlan(
            prefix=campaign.archive_prefix,
            move_to_category_moodle_id=campaign.archive_category.moodle_id,
            hide=False,
        ),
    )

    def spec_for(course: Course) -> RequestSpec:
        return RequestSpec(
            scenario=TransitionRequest.Scenario.REUSE_RESET,
            course_moodle_id=course.moodle_id,
            reset_options=options,
            fresh_copy=archive,
        )

    return _requests_create(
        campaign=campaign,
        actor=actor,
        course_ids=preview.course_ids,
        spec_for=spec_for,
        action="campaign_archive",
        job_kinds=(Job.Kind.BACKUP, Job.Kind.RESET, Job.Kind.ARCHIVE),
    )

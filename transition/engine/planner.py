"""A request's spec turned into its ordered jobs, stored before anything runs.

The order is the safety: the backup comes before anything that changes the course, and each
destructive step checks for that backup again when it runs (`steps.guards`).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction

from transition.engine.keys import installation_key, job_key
from transition.models import Course, Job, MoodleInstance, TransitionRequest
from transition.request_spec import Announcement, RequestSpec

Kind = Job.Kind


@dataclass(frozen=True)
class PlannedJob:
    kind: str
    # "course": the request's course on the current platform; "source": the course of the
    # previous platform a restore takes its content from.
    on: str = "course"


def plan_for_spec(spec: RequestSpec) -> tuple[PlannedJob, ...]:
    """The jobs a spec runs, in order. Pure: the planner's rules in one place."""
    jobs: list[PlannedJob] = []
    if spec.announcement is not None:
        jobs.append(PlannedJob(Kind.ANNOUNCEMENT))
    if spec.grade_export:
        jobs.append(PlannedJob(Kind.GRADE_EXPORT))
    if spec.keep_copy:
        # Read from the course as it is, before its backup and reset.
        jobs.append(PlannedJob(Kind.KEEP_COPY))
    if spec.scenario == "reuse_reset":
        jobs += [PlannedJob(Kind.BACKUP), PlannedJob(Kind.RESET)]
    elif spec.scenario == "fresh_copy":
        jobs += [PlannedJob(Kind.BACKUP), PlannedJob(Kind.COPY), PlannedJob(Kind.ARCHIVE)]
    elif spec.scenario == "restore_previous":
        assert spec.restore is not None
        jobs.append(PlannedJob(Kind.BACKUP))
        if spec.restore.backup_id is None:
            jobs.append(PlannedJob(Kind.BACKUP, on="source"))
        jobs.append(PlannedJob(Kind.RESTORE))
    elif spec.scenario == "hand_over":
        jobs.append(PlannedJob(Kind.HAND_OVER))
    if spec.cohort_changes:
        if spec.removes_cohorts and not any(job.kind == Kind.BACKUP for job in jobs):
            # Removing a cohort unenrols its students: back the course up first.
            jobs.append(PlannedJob(Kind.BACKUP))
        jobs.append(PlannedJob(Kind.COHORT_RESYNC))
    if spec.scenario in ("reuse_reset", "fresh_copy", "restore_previous"):
        jobs.append(PlannedJob(Kind.VERIFY))
    return tuple(jobs)


def job_course_matches_plan(*, job: Job, spec: RequestSpec) -> bool:
    """Whether a request's job works where the confirmed plan says: on the request's course
    (the plan's course), or on the plan's source course for the restore's backup of it; and
    through that course's own platform."""
    course = job.course
    request = job.request
    if request is None or job.instance_id != course.instance_id:
        return False
    if course.pk == request.course_id and course.moodle_id == spec.course_moodle_id:
        return True
    restore = spec.restore
    return (
        restore is not None
        and course.instance_id == restore.source_instance_id
        and course.moodle_id == restore.source_course_moodle_id
    )


def request_spec(request: TransitionRequest) -> RequestSpec:
    return request.plan.as_spec()


def request_run_time(request: TransitionRequest, spec: RequestSpec) -> datetime.datetime:
    """When the transformation is asked to run: as soon as possible if the teacher asked and
    the campaign allows it, else the request's own time, else the campaign's run date."""
    if spec.asap and request.campaign.allow_asap:
        return request.submitted_at or request.created_at
    return request.run_at or request.campaign.run_date


@dataclass(frozen=True)
class Schedule:
    """When a request's announcement goes out (None without one) and when its transformation
    runs."""

    announce_at: datetime.datetime | None
    run_at: datetime.datetime

    @property
    def start_at(self) -> datetime.datetime:
        """When its first job is due."""
        return self.announce_at or self.run_at


def schedule_plan(
    *,
    planned_run: datetime.datetime,
    confirmed_at: datetime.datetime,
    announcement: Announcement | None,
) -> Schedule:
    """Students are told `days_before` days ahead: the announcement goes out that long before
    the planned run, or at confirmation if that is already past, and the run never comes
    sooner than `days_before` after the announcement ("as soon as possible" included)."""
    if announcement is None:
        return Schedule(announce_at=None, run_at=planned_run)
    notice = datetime.timedelta(days=announcement.days_before)
    announce_at = max(planned_run - notice, confirmed_at)
    return Schedule(announce_at=announce_at, run_at=max(planned_run, announce_at + notice))


def request_schedule(request: TransitionRequest, spec: RequestSpec) -> Schedule:
    return schedule_plan(
        planned_run=request_run_time(request, spec),
        confirmed_at=request.submitted_at or request.created_at,
        announcement=spec.announcement,
    )


def run_after_announcement(
    *, spec: RequestSpec, not_before: datetime.datetime | None, posted_at: datetime.datetime
) -> datetime.datetime | None:
    """When the job after the announcement may run: not before the planned run, and never
    sooner than `days_before` after the announcement was really posted."""
    if spec.announcement is None:
        return not_before
    earliest = posted_at + datetime.timedelta(days=spec.announcement.days_before)
    return max(not_before, earliest) if not_before else earliest


def _source_course(request: TransitionRequest, spec: RequestSpec) -> Course:
    assert spec.restore is not None
    if request.source_course is not None:
        return request.source_course
    instance = MoodleInstance.objects.get(pk=spec.restore.source_instance_id)
    course, _ = Course.objects.get_or_create(
        instance=instance,
        moodle_id=spec.restore.source_course_moodle_id,
        defaults={
            "shortname": f"#{spec.restore.source_course_moodle_id}",
            "fullname": "",
        },
    )
    return course


def request_plan_jobs(*, request: TransitionRequest) -> list[Job]:
    """Store the request's jobs (once: a second call returns those already stored).

    Every job waits; the first one is queued when the request starts. The job after an
    announcement is not due before the run time.
    """
    with transaction.atomic():
        TransitionRequest.objects.select_for_update().filter(pk=request.pk).get()
        existing = list(request.jobs.order_by("position"))
        if existing:
            return existing
        spec = request_spec(request)
        run_time = request_schedule(request, spec).run_at
        planned = plan_for_spec(spec)
        installation = installation_key()
        jobs = []
        for position, step in enumerate(planned):
            course = _source_course(request, spec) if step.on == "source" else request.course
            after_announcement = position > 0 and planned[position - 1].kind == Kind.ANNOUNCEMENT
            jobs.append(
                Job(
                    request=request,
                    campaign=request.campaign,
                    course=course,
                    instance=course.instance,
                    kind=step.kind,
                    position=position,
                    status=Job.Status.WAITING,
                    idempotency_key=job_key(
                        installation=installation,
                        campaign_id=request.campaign_id,
                        request_id=request.pk,
                        position=position,
                        kind=step.kind,
                    ),
                    not_before=run_time if after_announcement else None,
                )
            )
        return Job.objects.bulk_create(jobs)

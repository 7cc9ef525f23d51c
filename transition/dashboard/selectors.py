"""What the campaign dashboard reads: counts, throughput, progress, failures, course statuses.

Every function runs a fixed number of queries whatever the number of courses and jobs (grouped
counts, subqueries, one page at a time), so the dashboard stays fast at 20,000 courses.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, Max, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import TruncHour
from django.utils import timezone

from transition.admin_portal.scope import campaign_courses
from transition.models import (
    AuditEvent,
    Backup,
    Campaign,
    Course,
    Job,
    MoodleInstance,
    TransitionRequest,
)
from transition.selectors import course_matching_q

JobStatus = Job.Status
UNFINISHED = (JobStatus.QUEUED, JobStatus.WAITING, JobStatus.RUNNING)
FINISHED = (JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.CANCELLED)
THROUGHPUT_WINDOW = datetime.timedelta(hours=1)
# Codes a job is given back with when it could not start, not when it failed.
_NOT_A_FAILURE = ("", "noslot", "coursebusy")
RETRYING_SHOWN = 20


@dataclass(frozen=True)
class PlatformOutage:
    instance_id: int
    name: str
    since: datetime.datetime
    error: str
    next_probe_at: datetime.datetime | None


def platforms_unreachable() -> tuple[PlatformOutage, ...]:
    """Platforms whose breaker is open: Moodle stopped answering, their work waits. One query."""
    return tuple(
        PlatformOutage(i.pk, i.name, i.unreachable_since, i.unreachable_error, i.next_probe_at)
        for i in MoodleInstance.objects.filter(unreachable_since__isnull=False).order_by("name")
    )


def jobs_retrying(*, campaign: Campaign) -> QuerySet[Job]:
    """Jobs that failed and wait for their next try (or for their platform), next try first."""
    return (
        Job.objects.filter(campaign=campaign, status=JobStatus.QUEUED)
        .exclude(last_error_code__in=_NOT_A_FAILURE)
        .select_related("course", "instance")
        .order_by("not_before", "pk")
    )


@dataclass(frozen=True)
class InstanceProgress:
    instance_id: int
    name: str
    role: str
    jobs: dict[str, int]
    requests_total: int


@dataclass(frozen=True)
class CampaignProgress:
    campaign_id: int
    status: str
    requests: dict[str, int]
    jobs: dict[str, int]
    instances: tuple[InstanceProgress, ...]
    finished_last_hour: int
    remaining: int
    estimated_finish: datetime.datetime | None
    # (hour, jobs finished by the end of that hour), oldest first
    series: tuple[tuple[datetime.datetime, int], ...] = field(default_factory=tuple)
    retrying: int = 0
    outages: tuple[PlatformOutage, ...] = ()

    @property
    def estimate_blocked(self) -> bool:
        """No finish can be estimated while a platform with work left does not answer."""
        return bool(self.remaining and self.outages)

    @property
    def total_jobs(self) -> int:
        return sum(self.jobs.values())

    def to_json(self) -> dict[str, object]:
        return {
            "campaign": self.campaign_id,
            "status": self.status,
            "requests": self.requests,
            "jobs": self.jobs,
            "total_jobs": self.total_jobs,
            "instances": [
                {
                    "id": i.instance_id,
                    "name": i.name,
                    "role": i.role,
                    "jobs": i.jobs,
                    "requests_total": i.requests_total,
                }
                for i in self.instances
            ],
            "finished_last_hour": self.finished_last_hour,
            "remaining": self.remaining,
            "estimated_finish": (
                self.estimated_finish.isoformat() if self.estimated_finish else None
            ),
            "series": [[hour.isoformat(), done] for hour, done in self.series],
            "retrying": self.retrying,
        }


def campaign_progress(
    *, campaign: Campaign, now: datetime.datetime | None = None
) -> CampaignProgress:
    """Counts by state for the campaign and per platform, throughput, finish estimate, history.

    Three queries.
    """
    now = now or timezone.now()
    requests = {status.value: 0 for status in TransitionRequest.Status}
    requests_per_instance: dict[int, int] = defaultdict(int)
    for row in (
        TransitionRequest.objects.filter(campaign=campaign)
        .values("course__instance_id", "status")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        requests[row["status"]] += row["n"]
        requests_per_instance[row["course__instance_id"]] += row["n"]

    # One pass over the campaign's jobs gives the counts, the pace and the chart: grouped by
    # platform, state and the hour each job finished in (none for unfinished jobs).
    jobs = {status.value: 0 for status in JobStatus}
    per_instance: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    finished_by_hour: dict[datetime.datetime, int] = defaultdict(int)
    finished_last_hour = 0
    for row in (
        Job.objects.filter(campaign=campaign)
        .annotate(hour=TruncHour("finished_at"))
        .values("instance_id", "status", "hour")
        .annotate(
            n=Count("pk"),
            recent=Count("pk", filter=Q(finished_at__gte=now - THROUGHPUT_WINDOW)),
        )
        .order_by()
    ):
        jobs[row["status"]] += row["n"]
        per_instance[row["instance_id"]][row["status"]] += row["n"]
        if row["status"] in (JobStatus.SUCCEEDED, JobStatus.FAILED):
            finished_last_hour += row["recent"]
        if row["status"] in FINISHED and row["hour"] is not None:
            finished_by_hour[row["hour"]] += row["n"]
    instances = tuple(
        InstanceProgress(
            instance_id=instance.pk,
            name=instance.name,
            role=instance.role,
            jobs={
                status.value: per_instance[instance.pk].get(status.value, 0) for status in JobStatus
            },
            requests_total=requests_per_instance[instance.pk],
        )
        for instance in MoodleInstance.objects.order_by("role", "name")
    )
    remaining = sum(jobs[status] for status in UNFINISHED)
    retrying = jobs_retrying(campaign=campaign)
    retry_count = retrying.count()
    latest_retry = retrying.aggregate(latest=Max("not_before"))["latest"] if retry_count else None
    outages = platforms_unreachable()
    estimated_finish = None
    if remaining and finished_last_hour and not outages:
        estimated_finish = now + THROUGHPUT_WINDOW * (remaining / finished_last_hour)
        # The pace says nothing of jobs waiting for a later try: the end is not before them.
        if latest_retry is not None and latest_retry > estimated_finish:
            estimated_finish = latest_retry

    done = 0
    series = []
    for hour in sorted(finished_by_hour):
        done += finished_by_hour[hour]
        series.append((hour, done))
    return CampaignProgress(
        campaign_id=campaign.pk,
        status=campaign.status,
        requests=requests,
        jobs=jobs,
        instances=instances,
        finished_last_hour=finished_last_hour,
        remaining=remaining,
        estimated_finish=estimated_finish,
        series=tuple(series),
        retrying=retry_count,
        outages=outages,
    )


CHART_HOURS_MAX = 24 * 14


def progress_chart(
    *, progress: CampaignProgress, now: datetime.datetime | None = None
) -> list[tuple[datetime.datetime, int]]:
    """The chart's points: jobs finished by each hour's end, hour by hour from the hour before
    the first finished job to the current hour, so a single hour of work already draws a rise
    from zero (the latest two weeks at most)."""
    if not progress.series:
        return []
    now = now or timezone.now()
    current = timezone.localtime(now).replace(minute=0, second=0, microsecond=0)
    done_by_hour = dict(progress.series)
    hour = timezone.localtime(progress.series[0][0]) - datetime.timedelta(hours=1)
    hour = max(hour, current - datetime.timedelta(hours=CHART_HOURS_MAX))
    points = []
    done = 0
    for when, total in progress.series:
        if when <= hour:
            done = total
    while hour <= current:
        done = done_by_hour.get(hour, done)
        points.append((hour, done))
        hour += datetime.timedelta(hours=1)
    return points


@dataclass(frozen=True)
class FailureGroup:
    errorcode: str
    count: int
    latest: datetime.datetime | None


def jobs_failed_by_cause(*, campaign: Campaign) -> list[FailureGroup]:
    """Failed jobs grouped by Moodle error code, largest group first. One query."""
    return [
        FailureGroup(row["last_error_code"], row["n"], row["latest"])
        for row in Job.objects.filter(campaign=campaign, status=JobStatus.FAILED)
        .values("last_error_code")
        .annotate(n=Count("pk"), latest=Max("finished_at"))
        .order_by("-n", "last_error_code")
    ]


def jobs_failed(*, campaign: Campaign, errorcode: str | None = None) -> QuerySet[Job]:
    """Failed jobs with their course, platform and history (audit events), newest first.

    Paginated, a page costs two queries (the page and the histories) plus the count.
    """
    jobs = Job.objects.filter(campaign=campaign, status=JobStatus.FAILED)
    if errorcode is not None:
        jobs = jobs.filter(last_error_code=errorcode)
    return (
        jobs.select_related("course", "instance", "request")
        .prefetch_related(
            Prefetch(
                "audit_events",
                queryset=AuditEvent.objects.select_related("actor").order_by("created_at"),
                to_attr="history",
            )
        )
        .order_by("-finished_at", "-pk")
    )


def failed_job_ids(*, campaign: Campaign, errorcode: str) -> list[int]:
    """The jobs of one failure group, for retrying or cancelling the whole group."""
    return list(
        Job.objects.filter(
            campaign=campaign, status=JobStatus.FAILED, last_error_code=errorcode
        ).values_list("pk", flat=True)
    )


class CourseState:
    """Filters of the course list."""

    NO_REQUEST = "no_request"
    FAILED = "failed"
    RUNNING = "running"
    DONE = "done"
    PENDING = "pending_approval"


def campaign_courses_in_state(
    *, campaign: Campaign, state: str = "", search: str = ""
) -> QuerySet[Course]:
    """The campaign's courses in a state (see `CourseState`), by short name.

    States are tested with EXISTS, which the database answers from the indexes without
    computing every course's latest job first.
    """
    courses = campaign_courses(campaign=campaign)
    if search:
        courses = courses.filter(course_matching_q(search))
    requests = TransitionRequest.objects.filter(course=OuterRef("pk"), campaign=campaign)
    jobs = Job.objects.filter(course=OuterRef("pk"), campaign=campaign)
    if state == CourseState.NO_REQUEST:
        courses = courses.exclude(Exists(requests))
    elif state == CourseState.FAILED:
        courses = courses.filter(Exists(jobs.filter(status=JobStatus.FAILED)))
    elif state == CourseState.RUNNING:
        courses = courses.filter(Exists(jobs.filter(status__in=UNFINISHED)))
    elif state == CourseState.DONE:
        courses = courses.filter(Exists(requests.filter(status=TransitionRequest.Status.DONE)))
    elif state == CourseState.PENDING:
        courses = courses.filter(
            Exists(requests.filter(status=TransitionRequest.Status.PENDING_APPROVAL))
        )
    return courses.order_by("shortname", "pk")


def courses_with_latest(*, campaign: Campaign, courses: QuerySet[Course]) -> QuerySet[Course]:
    """The courses with their latest request, latest job and latest verified backup, one query.

    Annotations: request_status, request_scenario, job_kind, job_status, job_error,
    job_finished_at, backup_verified_at. Apply it to one page of courses, not to all of them:
    the database computes the subqueries for every row it reads.
    """
    request = TransitionRequest.objects.filter(course=OuterRef("pk"), campaign=campaign).order_by(
        "-created_at", "-pk"
    )
    job = Job.objects.filter(course=OuterRef("pk"), campaign=campaign).order_by(
        "-created_at", "-position", "-pk"
    )
    backup = Backup.objects.filter(
        course=OuterRef("pk"), campaign=campaign, verified_at__isnull=False
    ).order_by("-verified_at")
    return courses.select_related("category", "instance").annotate(
        request_status=Subquery(request.values("status")[:1]),
        request_scenario=Subquery(request.values("scenario")[:1]),
        job_kind=Subquery(job.values("kind")[:1]),
        job_status=Subquery(job.values("status")[:1]),
        job_error=Subquery(job.values("last_error_message")[:1]),
        job_finished_at=Subquery(job.values("finished_at")[:1]),
        backup_verified_at=Subquery(backup.values("verified_at")[:1]),
    )


def course_statuses_page(
    *, campaign: Campaign, state: str, search: str, page_number: str | None, per_page: int
) -> tuple[Page, list[Course]]:
    """One page of the course list: the page of ids first, then those courses in full.

    Three queries whatever the page: the count, the ids, the courses with their status.
    """
    ids = campaign_courses_in_state(campaign=campaign, state=state, search=search).values_list(
        "pk", flat=True
    )
    page = Paginator(ids, per_page).get_page(page_number)
    page_ids = list(page.object_list)
    rows = courses_with_latest(campaign=campaign, courses=Course.objects.filter(pk__in=page_ids))
    by_id = {course.pk: course for course in rows}
    return page, [by_id[pk] for pk in page_ids]


def campaigns_for_dashboard() -> QuerySet[Campaign]:
    return Campaign.objects.order_by("-academic_year")


def campaign_for_dashboard(campaign_id: str | None) -> Campaign | None:
    """The campaign asked for, else the one in progress, else the latest."""
    campaigns = Campaign.objects.select_related("policy")
    if campaign_id and campaign_id.isdigit():
        found = campaigns.filter(pk=int(campaign_id)).first()
        if found is not None:
            return found
    active = (
        campaigns.exclude(status__in=[Campaign.Status.DRAFT, Campaign.Status.DONE])
        .order_by("-academic_year")
        .first()
    )
    return active or campaigns.order_by("-academic_year").first()

"""A campaign with courses and jobs in every state, built in bulk."""

import datetime
import itertools
from dataclasses import dataclass

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from tests.approvals.conftest import People, people  # noqa: F401  (fixture)
from transition.models import Campaign, Course, Job, TransitionRequest

_keys = itertools.count()


def jobs_create(
    *,
    campaign: Campaign,
    courses: list[Course],
    count: int,
    status: str,
    errorcode: str = "",
    message: str = "",
    finished_ago: datetime.timedelta | None = None,
    kind: str = Job.Kind.BACKUP,
    request_status: str | None = None,
) -> list[Job]:
    """`count` jobs spread over the courses; with `request_status`, each job belongs to a
    request of its course in that state (a failed request for a failed job)."""
    now = timezone.now()
    jobs = []
    requests = []
    if request_status is not None:
        owner = get_user_model().objects.get_or_create(username="jobs.owner")[0]
        requests = TransitionRequest.objects.bulk_create(
            TransitionRequest(
                campaign=campaign,
                course=courses[index % len(courses)],
                requested_by=owner,
                scenario=TransitionRequest.Scenario.REUSE_RESET,
                status=request_status,
            )
            for index in range(count)
        )
    for index in range(count):
        course = courses[index % len(courses)]
        jobs.append(
            Job(
                request=requests[index] if requests else None,
                campaign=campaign,
                course=course,
                instance_id=course.instance_id,
                kind=kind,
                status=status,
                last_error_code=errorcode,
                last_error_message=message,
                attempts=5 if status == Job.Status.FAILED else 1,
                idempotency_key=f"test-{next(_keys)}",
                finished_at=now - finished_ago if finished_ago is not None else None,
            )
        )
    return Job.objects.bulk_create(jobs)


def courses_create(cast: People, count: int) -> list[Course]:
    first = Course.objects.filter(shortname__startswith="BULK").count()
    return Course.objects.bulk_create(
        Course(
            instance=cast.instance,
            moodle_id=50_000 + n,
            shortname=f"BULK{n:05d}",
            fullname=f"Cours {n}",
            category=cast.course.category,
            curriculum_code=f"BULK{n:05d}",
        )
        for n in range(first, first + count)
    )


@dataclass
class Board:
    people: People
    campaign: Campaign
    client: Client


@pytest.fixture
def board(people: People) -> Board:  # noqa: F811
    client = Client()
    client.force_login(people.admin)
    TransitionRequest.objects.create(
        campaign=people.campaign,
        course=people.course,
        requested_by=people.teacher,
        scenario=TransitionRequest.Scenario.REUSE_RESET,
        status=TransitionRequest.Status.RUNNING,
    )
    return Board(people=people, campaign=people.campaign, client=client)

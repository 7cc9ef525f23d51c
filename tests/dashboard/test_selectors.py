import datetime

from django.utils import timezone

from tests.dashboard.conftest import Board, courses_create, jobs_create
from transition.dashboard.selectors import (
    campaign_courses_in_state,
    campaign_progress,
    courses_with_latest,
    jobs_failed,
    jobs_failed_by_cause,
)
from transition.models import Job

HOUR = datetime.timedelta(hours=1)


def test_progress_counts_requests_and_jobs_by_state_and_per_platform(board: Board) -> None:
    courses = [board.people.course, board.people.other_course]
    jobs_create(campaign=board.campaign, courses=courses, count=6, status=Job.Status.QUEUED)
    jobs_create(campaign=board.campaign, courses=courses, count=2, status=Job.Status.RUNNING)
    jobs_create(
        campaign=board.campaign,
        courses=courses,
        count=4,
        status=Job.Status.SUCCEEDED,
        finished_ago=datetime.timedelta(minutes=10),
    )
    jobs_create(
        campaign=board.campaign,
        courses=courses,
        count=3,
        status=Job.Status.SUCCEEDED,
        finished_ago=3 * HOUR,
    )

    progress = campaign_progress(campaign=board.campaign)

    assert progress.requests["running"] == 1
    assert progress.jobs["queued"] == 6
    assert progress.jobs["running"] == 2
    assert progress.jobs["succeeded"] == 7
    assert progress.total_jobs == 15
    (platform,) = progress.instances
    assert platform.name == "ecampus"
    assert platform.jobs["succeeded"] == 7
    assert platform.requests_total == 1
    # 4 finished in the last hour, 8 left: two more hours at this pace.
    assert progress.finished_last_hour == 4
    assert progress.remaining == 8
    assert progress.estimated_finish is not None
    expected = timezone.now() + 2 * HOUR
    assert abs((progress.estimated_finish - expected).total_seconds()) < 60
    # The chart: cumulative finished jobs per hour, oldest first.
    assert [done for _hour, done in progress.series] == [3, 7]


def test_no_finish_estimate_without_recent_throughput(board: Board) -> None:
    jobs_create(
        campaign=board.campaign, courses=[board.people.course], count=3, status=Job.Status.QUEUED
    )
    progress = campaign_progress(campaign=board.campaign)
    assert progress.remaining == 3
    assert progress.estimated_finish is None


def test_failures_are_grouped_by_error_code_largest_first(board: Board) -> None:
    course = [board.people.course]
    jobs_create(
        campaign=board.campaign,
        courses=course,
        count=3,
        status=Job.Status.FAILED,
        errorcode="invalidtoken",
        message="Invalid token - token not found",
        finished_ago=HOUR,
    )
    jobs_create(
        campaign=board.campaign,
        courses=course,
        count=5,
        status=Job.Status.FAILED,
        errorcode="coursenotempty",
        message="The course holds activities",
        finished_ago=HOUR,
    )
    groups = jobs_failed_by_cause(campaign=board.campaign)
    assert [(g.errorcode, g.count) for g in groups] == [("coursenotempty", 5), ("invalidtoken", 3)]
    failed = list(jobs_failed(campaign=board.campaign, errorcode="invalidtoken"))
    assert len(failed) == 3
    assert failed[0].course == board.people.course
    assert failed[0].last_error_message == "Invalid token - token not found"


def test_the_course_list_shows_each_course_with_its_latest_request_and_job(board: Board) -> None:
    courses_create(board.people, 3)
    jobs_create(
        campaign=board.campaign,
        courses=[board.people.course],
        count=1,
        status=Job.Status.FAILED,
        errorcode="nopermissions",
        message="Sorry, but you do not currently have permissions",
        finished_ago=HOUR,
    )
    every = campaign_courses_in_state(campaign=board.campaign)
    rows = {
        course.shortname: course
        for course in courses_with_latest(campaign=board.campaign, courses=every)
    }
    assert len(rows) == 5
    failed = rows["L1CHIM-THERMO"]
    assert failed.request_status == "running"
    assert failed.job_status == "failed"
    assert "permissions" in failed.job_error
    assert rows["BULK00000"].request_status is None

    only_failed = campaign_courses_in_state(campaign=board.campaign, state="failed")
    assert [c.shortname for c in only_failed] == ["L1CHIM-THERMO"]
    no_choice = campaign_courses_in_state(campaign=board.campaign, state="no_request")
    assert "L1CHIM-THERMO" not in {c.shortname for c in no_choice}
    found = campaign_courses_in_state(campaign=board.campaign, search="bulk00002")
    assert [c.shortname for c in found] == ["BULK00002"]

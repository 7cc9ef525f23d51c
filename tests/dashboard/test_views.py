import csv
import datetime
import io

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from tests.dashboard.conftest import Board, courses_create, jobs_create
from tests.factories import AuditEventFactory
from transition.models import AuditEvent, Campaign, Job, TransitionRequest
from transition.notifications import failures_send_daily_digest, user_set_language

HOUR = datetime.timedelta(hours=1)


def populate(board: Board, jobs: int) -> None:
    """`jobs` jobs over as many courses, a fifth of them failed under two causes."""
    courses = courses_create(board.people, jobs)
    # Courses with a failed request have no other open one (one open request per course).
    for course in courses[jobs // 2 :]:
        TransitionRequest.objects.create(
            campaign=board.campaign,
            course=course,
            requested_by=board.people.teacher,
            scenario=TransitionRequest.Scenario.REUSE_RESET,
            status=TransitionRequest.Status.SCHEDULED,
        )
    failed = jobs // 5
    jobs_create(
        campaign=board.campaign,
        courses=courses,
        count=failed // 2,
        status=Job.Status.FAILED,
        errorcode="invalidtoken",
        message="Invalid token",
        finished_ago=HOUR,
        request_status=TransitionRequest.Status.FAILED,
    )
    jobs_create(
        campaign=board.campaign,
        courses=courses[failed:],
        count=failed - failed // 2,
        status=Job.Status.FAILED,
        errorcode="coursenotempty",
        message="Course not empty",
        finished_ago=HOUR,
        request_status=TransitionRequest.Status.FAILED,
    )
    jobs_create(
        campaign=board.campaign,
        courses=courses,
        count=jobs - failed,
        status=Job.Status.SUCCEEDED,
        finished_ago=2 * HOUR,
    )
    for job in Job.objects.filter(status=Job.Status.FAILED)[:3]:
        AuditEventFactory(action="job_failed", job=job, course=job.course, actor=None)


def queries_for(board: Board, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = board.client.get(url)
    assert response.status_code == 200, url
    return len(captured)


PAGES = [
    "dashboard:index",
    "dashboard:status",
    "dashboard:courses",
    "dashboard:failures",
    "audit:index",
]


@pytest.mark.parametrize("name", PAGES)
def test_each_dashboard_page_runs_the_same_number_of_queries_for_10_or_200_jobs(
    board: Board, name: str
) -> None:
    url = f"{reverse(name)}?campaign={board.campaign.pk}&code=invalidtoken"
    populate(board, 10)
    few = queries_for(board, url)
    populate(board, 190)
    assert Job.objects.count() == 200
    assert queries_for(board, url) == few


def test_the_dashboard_shows_counts_failures_and_the_chart(board: Board) -> None:
    populate(board, 20)
    html = board.client.get(reverse("dashboard:index")).content.decode()
    assert 'data-count="jobs.failed">4<' in html
    assert 'data-count="jobs.succeeded">16<' in html
    assert 'data-testid="group-invalidtoken"' in html
    assert 'data-testid="group-coursenotempty"' in html
    assert 'id="progress-chart"' in html
    assert "transition/dashboard.js" in html


def test_the_status_endpoint_gives_what_the_page_refreshes(board: Board) -> None:
    populate(board, 20)
    data = board.client.get(reverse("dashboard:status"), {"campaign": board.campaign.pk}).json()
    assert data["jobs"]["failed"] == 4
    assert data["requests"]["scheduled"] == 10
    assert data["instances"][0]["jobs"]["succeeded"] == 16
    assert {g["errorcode"]: g["count"] for g in data["failure_groups"]} == {
        "invalidtoken": 2,
        "coursenotempty": 2,
    }
    assert data["series"][-1][1] == 20


def test_retry_one_failed_job_queues_it_again_and_records_who(board: Board) -> None:
    (job,) = jobs_create(
        campaign=board.campaign,
        courses=[board.people.other_course],
        count=1,
        status=Job.Status.FAILED,
        errorcode="invalidtoken",
        finished_ago=HOUR,
        request_status=TransitionRequest.Status.FAILED,
    )
    response = board.client.post(reverse("dashboard:job_retry", args=[job.pk]))
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == Job.Status.QUEUED
    assert job.attempts == 0
    assert job.request.status == TransitionRequest.Status.RUNNING
    assert AuditEvent.objects.filter(action="job_retry", job=job, actor=board.people.admin).exists()
    # Twice is harmless: the job is no longer failed.
    board.client.post(reverse("dashboard:job_retry", args=[job.pk]))
    assert AuditEvent.objects.filter(action="job_retry", job=job).count() == 1


def test_cancel_one_job(board: Board) -> None:
    (job,) = jobs_create(
        campaign=board.campaign, courses=[board.people.course], count=1, status=Job.Status.QUEUED
    )
    board.client.post(reverse("dashboard:job_cancel", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == Job.Status.CANCELLED


def test_a_running_job_cannot_be_cancelled(board: Board) -> None:
    (job,) = jobs_create(
        campaign=board.campaign, courses=[board.people.course], count=1, status=Job.Status.RUNNING
    )
    board.client.post(reverse("dashboard:job_cancel", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == Job.Status.RUNNING


def test_retry_and_cancel_a_whole_group(board: Board) -> None:
    populate(board, 20)
    board.client.post(
        reverse("dashboard:group_retry", args=[board.campaign.pk]), {"code": "invalidtoken"}
    )
    assert not Job.objects.filter(status=Job.Status.FAILED, last_error_code="invalidtoken").exists()
    assert Job.objects.filter(status=Job.Status.QUEUED, last_error_code="invalidtoken").count() == 2
    board.client.post(
        reverse("dashboard:group_cancel", args=[board.campaign.pk]), {"code": "coursenotempty"}
    )
    assert Job.objects.filter(status=Job.Status.CANCELLED).count() == 2


def test_pause_and_resume_the_campaign(board: Board) -> None:
    Campaign.objects.filter(pk=board.campaign.pk).update(status=Campaign.Status.RUNNING)
    board.client.post(reverse("dashboard:pause", args=[board.campaign.pk]))
    board.campaign.refresh_from_db()
    assert board.campaign.status == Campaign.Status.PAUSED
    board.client.post(reverse("dashboard:resume", args=[board.campaign.pk]))
    board.campaign.refresh_from_db()
    assert board.campaign.status == Campaign.Status.RUNNING


def test_the_csv_export_has_one_row_per_course_with_its_status(board: Board) -> None:
    populate(board, 10)
    response = board.client.get(reverse("dashboard:export_csv"), {"campaign": board.campaign.pk})
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    header, body = rows[0], rows[1:]
    assert len(body) == 12  # 10 bulk courses and the two of the named people
    by_name = {row[2]: dict(zip(header, row, strict=True)) for row in body}
    thermo = by_name["L1CHIM-THERMO"]
    assert thermo[header[7]] in ("Running", "En cours")
    assert by_name["BULK00000"][header[0]] == "ecampus"


def test_the_xlsx_export_holds_the_same_rows(board: Board) -> None:
    populate(board, 10)
    response = board.client.get(reverse("dashboard:export_xlsx"), {"campaign": board.campaign.pk})
    workbook = load_workbook(io.BytesIO(response.content), read_only=True)
    sheet = workbook[board.campaign.academic_year]
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 13
    assert {row[2] for row in rows[1:]} >= {"L1CHIM-THERMO", "BULK00009"}


def test_the_audit_log_is_searchable_by_course_person_and_date(board: Board) -> None:
    AuditEventFactory(
        action="request_approve", actor=board.people.engineer, course=board.people.course
    )
    AuditEventFactory(
        action="job_retry", actor=board.people.admin, course=board.people.other_course
    )
    old = AuditEventFactory(action="campaign_open", actor=board.people.admin)
    AuditEvent.objects.filter(pk=old.pk).update(created_at=timezone.now() - 30 * 24 * HOUR)

    def actions(**query: str) -> list[str]:
        page = board.client.get(reverse("audit:index"), query)
        return [event.action for event in page.context["page"]]

    assert actions(course="THERMO") == ["request_approve"]
    assert actions(person="ines") == ["request_approve"]
    assert sorted(actions(person="alain")) == ["campaign_open", "job_retry"]
    since = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    assert "campaign_open" not in actions(date_from=since)
    assert actions(date_to=(timezone.localdate() - datetime.timedelta(days=20)).isoformat()) == [
        "campaign_open"
    ]


def test_the_daily_digest_tells_admins_what_failed_in_their_language(board: Board) -> None:
    populate(board, 20)
    user_set_language(user=board.people.admin, language="fr")
    sent = failures_send_daily_digest()
    assert sent == 1
    (message,) = mail.outbox
    assert message.to == [board.people.admin.email]
    assert "4" in message.subject
    assert "invalidtoken: 2" in message.body
    assert "coursenotempty: 2" in message.body


def test_no_digest_when_nothing_failed(board: Board) -> None:
    jobs_create(
        campaign=board.campaign,
        courses=[board.people.course],
        count=2,
        status=Job.Status.SUCCEEDED,
        finished_ago=HOUR,
    )
    assert failures_send_daily_digest() == 0
    assert mail.outbox == []


def test_a_retry_is_refused_while_the_course_has_another_request_in_progress(
    board: Board,
) -> None:
    # board.people.course has a running request; an older failed one cannot run again beside it.
    (job,) = jobs_create(
        campaign=board.campaign,
        courses=[board.people.course],
        count=1,
        status=Job.Status.FAILED,
        errorcode="invalidtoken",
        finished_ago=HOUR,
        request_status=TransitionRequest.Status.FAILED,
    )
    response = board.client.post(reverse("dashboard:job_retry", args=[job.pk]), follow=True)
    assert response.status_code == 200
    holder = TransitionRequest.objects.get(
        course=board.people.course, status__in=TransitionRequest.OPEN_STATUSES
    )
    shown = [str(m) for m in response.context["messages"]]
    # The admin is told who holds the course.
    holder_name = holder.requested_by.get_full_name()
    assert holder_name and any(holder_name in m for m in shown), shown
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED

    response = board.client.post(
        reverse("dashboard:group_retry", args=[board.campaign.pk]),
        {"code": "invalidtoken"},
        follow=True,
    )
    assert response.status_code == 200
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED


def test_a_failure_shows_its_history_and_what_differs_from_the_review(board: Board) -> None:
    (job,) = jobs_create(
        campaign=board.campaign,
        courses=[board.people.other_course],
        count=1,
        status=Job.Status.FAILED,
        errorcode="verificationfailed",
        message="1 count(s) differ from the review.",
        finished_ago=HOUR,
        kind=Job.Kind.VERIFY,
    )
    Job.objects.filter(pk=job.pk).update(
        result={
            "error_details": [
                {
                    "section": "activity",
                    "subject": "Forum des questions",
                    "kind": "posts",
                    "fate": "deleted",
                    "reviewed": 48,
                    "expected": 0,
                    "found": 3,
                }
            ]
        }
    )
    AuditEventFactory(
        action="job_attempt",
        job=job,
        actor=None,
        details={"errorcode": "verificationfailed", "message": "first attempt"},
    )
    page = board.client.get(
        reverse("dashboard:failures"), {"campaign": board.campaign.pk, "code": "verificationfailed"}
    )
    html = page.content.decode()
    assert f'data-testid="differences-{job.pk}"' in html
    assert "Forum des questions" in html
    assert "[verificationfailed]: first attempt" in html


def test_group_messages_are_counted_in_french(board: Board) -> None:
    populate(board, 20)
    response = board.client.post(
        reverse("dashboard:group_retry", args=[board.campaign.pk]),
        {"code": "invalidtoken"},
        follow=True,
        headers={"accept-language": "fr"},
    )
    shown = [str(m) for m in response.context["messages"]]
    assert "2 tâches en échec (invalidtoken) remises en file." in shown


def test_the_failures_page_without_a_code_lists_every_failure_and_every_cause(
    board: Board,
) -> None:
    populate(board, 20)
    page = board.client.get(
        reverse("dashboard:failures"), {"campaign": board.campaign.pk}, HTTP_ACCEPT_LANGUAGE="en"
    )
    html = page.content.decode()
    assert page.context["page"].paginator.count == 4
    assert "4 failures, every cause" in html
    assert "no error code" not in html
    assert 'data-testid="group-invalidtoken"' in html
    assert 'data-testid="group-coursenotempty"' in html


def test_the_failures_page_of_jobs_without_a_code_still_finds_them(board: Board) -> None:
    courses = courses_create(board.people, 2)
    jobs_create(
        campaign=board.campaign, courses=courses, count=2, status=Job.Status.FAILED,
        finished_ago=HOUR, request_status=TransitionRequest.Status.FAILED,
    )  # fmt: skip
    page = board.client.get(
        reverse("dashboard:failures"), {"campaign": board.campaign.pk, "code": ""}
    )
    assert page.context["page"].paginator.count == 2


def test_the_chart_and_times_are_in_the_portals_time_zone_and_rise_from_the_first_job(
    board: Board, settings
) -> None:
    # A zone half an hour off UTC: hours counted or shown in UTC would end in ":30".
    settings.TIME_ZONE = "Asia/Kolkata"
    courses = courses_create(board.people, 1)
    # Finished within the current hour, whatever the minute the test runs at.
    now = timezone.localtime()
    within_the_hour = (now - now.replace(minute=0, second=0, microsecond=0)) / 2
    jobs_create(
        campaign=board.campaign, courses=courses, count=1, status=Job.Status.SUCCEEDED,
        finished_ago=within_the_hour,
    )  # fmt: skip
    jobs_create(campaign=board.campaign, courses=courses, count=3, status=Job.Status.QUEUED)

    data = board.client.get(
        reverse("dashboard:status"), {"campaign": board.campaign.pk}, HTTP_ACCEPT_LANGUAGE="en"
    ).json()

    points = data["chart"]["points"]
    assert [done for _label, done in points] == [0, 1]
    # In the first hour of a day, the chart's zero an hour earlier is on the day before: every
    # label then carries its day.
    spans_two_days = now.hour == 0
    assert points[-1][0] == now.strftime("%d/%m %H:00" if spans_two_days else "%H:00")
    assert all(label.endswith(":00") for label, _done in points)
    assert data["chart"]["planned"] == 4
    assert data["chart"]["planned_label"] == "4 jobs planned"
    assert data["refreshed_label"][:5] == timezone.localtime().strftime("%H:%M")


def test_the_audit_log_says_actions_and_details_in_words(board: Board) -> None:
    AuditEventFactory(
        action="campaign_update",
        actor=board.people.admin,
        details={"run_date": {"from": "2026-08-20", "to": "2026-08-27"}, "allow_asap": True},
    )
    AuditEventFactory(
        action="job_reset",
        actor=None,
        details={"attempt": 2, "errorcode": "http503", "final": True},
    )

    html = board.client.get(reverse("audit:index"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()

    assert "Paramètres de la campagne modifiés" in html
    assert "2026-08-20 → 2026-08-27" in html
    assert "Tâche\u202f: Réinitialisation" in html
    assert "Code d\u2019erreur" in html and "Tentative" in html
    assert "{&#x27;" not in html  # no Python dict
    assert "<code>campaign_update</code>" not in html

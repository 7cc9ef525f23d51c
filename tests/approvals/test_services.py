import datetime

import pytest
from django.core import mail
from django.utils import timezone

from tests.approvals.conftest import People, pending_request
from tests.factories import CategoryFactory, CourseFactory
from transition.approvals.services import (
    CommentRequired,
    RunDateInPast,
    request_approve,
    request_ask_changes,
    request_reject,
    requests_bulk_approve,
)
from transition.errors import NotAllowed
from transition.models import AuditEvent, TransitionRequest
from transition.notifications import notify_request_waiting, user_set_language
from transition.services.requests import request_submit

Status = TransitionRequest.Status


def test_approve_with_a_changed_run_date_schedules_it_and_tells_the_teacher(
    people: People, waiting: TransitionRequest, django_capture_on_commit_callbacks
) -> None:
    run_at = timezone.now().replace(microsecond=0) + datetime.timedelta(days=3)
    with django_capture_on_commit_callbacks(execute=True):
        request_approve(request=waiting, actor=people.engineer, run_at=run_at)

    waiting.refresh_from_db()
    assert waiting.status == Status.APPROVED
    assert waiting.run_at == run_at
    assert waiting.decided_by == people.engineer
    moved = AuditEvent.objects.get(action="request_set_run_at", request=waiting)
    assert moved.details["to"] == run_at.isoformat()
    assert [message.to for message in mail.outbox] == [[people.teacher.email]]


def test_approve_refuses_a_run_date_in_the_past(people: People, waiting: TransitionRequest) -> None:
    with pytest.raises(RunDateInPast):
        request_approve(
            request=waiting,
            actor=people.engineer,
            run_at=timezone.now() - datetime.timedelta(hours=1),
        )
    waiting.refresh_from_db()
    assert waiting.status == Status.PENDING_APPROVAL
    assert waiting.run_at is None


def test_reject_with_a_comment_emails_the_teacher_in_french(
    people: People, waiting: TransitionRequest, django_capture_on_commit_callbacks
) -> None:
    user_set_language(user=people.teacher, language="fr")
    with django_capture_on_commit_callbacks(execute=True):
        request_reject(request=waiting, actor=people.engineer, comment="Calendrier non justifié.")

    waiting.refresh_from_db()
    assert waiting.status == Status.REJECTED
    assert waiting.decision_comment == "Calendrier non justifié."
    (message,) = mail.outbox
    assert message.to == [people.teacher.email]
    assert "refusée" in message.subject
    assert "L1CHIM-THERMO" in message.subject
    assert "Calendrier non justifié." in message.body
    assert "Bonjour" in message.body
    assert f"/requests/{waiting.pk}/" in message.body  # the teacher's request page


def test_reject_emails_the_teacher_in_english_when_that_is_their_language(
    people: People, waiting: TransitionRequest, django_capture_on_commit_callbacks
) -> None:
    user_set_language(user=people.teacher, language="en")
    with django_capture_on_commit_callbacks(execute=True):
        request_reject(request=waiting, actor=people.engineer, comment="Not justified.")
    (message,) = mail.outbox
    assert message.subject == "Passage: your request for L1CHIM-THERMO was rejected"
    assert "Hello" in message.body


def test_reject_without_a_comment_is_refused_and_changes_nothing(
    people: People, waiting: TransitionRequest
) -> None:
    with pytest.raises(CommentRequired):
        request_reject(request=waiting, actor=people.engineer, comment="  ")
    waiting.refresh_from_db()
    assert waiting.status == Status.PENDING_APPROVAL
    assert mail.outbox == []


def test_ask_changes_sends_the_request_back_to_the_teacher_who_can_submit_again(
    people: People, waiting: TransitionRequest, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        request_ask_changes(
            request=waiting, actor=people.engineer, comment="Précisez la date de fermeture."
        )
    waiting.refresh_from_db()
    assert waiting.status == Status.CHANGES_REQUESTED
    assert "Précisez la date de fermeture." in mail.outbox[0].body

    request_submit(request=waiting, actor=people.teacher)
    waiting.refresh_from_db()
    assert waiting.status == Status.PENDING_APPROVAL


def test_a_teacher_cannot_decide_even_on_their_own_request(
    people: People, waiting: TransitionRequest
) -> None:
    with pytest.raises(NotAllowed):
        request_approve(request=waiting, actor=people.teacher)
    with pytest.raises(NotAllowed):
        request_reject(request=waiting, actor=people.teacher, comment="non")
    waiting.refresh_from_db()
    assert waiting.status == Status.PENDING_APPROVAL


def test_nothing_is_emailed_when_the_decision_rolls_back(
    people: People, waiting: TransitionRequest, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        request_approve(request=waiting, actor=people.admin)
    assert len(callbacks) == 1
    assert mail.outbox == []


def test_bulk_approve_of_a_faculty_approves_its_waiting_requests_and_skips_moved_ones(
    people: People, django_capture_on_commit_callbacks
) -> None:
    chimie = people.course.category
    sibling = CourseFactory(instance=people.instance, shortname="L1CHIM-ORGA", category=chimie)
    first = pending_request(campaign=people.campaign, course=people.course, teacher=people.teacher)
    second = pending_request(campaign=people.campaign, course=sibling, teacher=people.teacher)
    TransitionRequest.objects.filter(pk=second.pk).update(status=Status.CANCELLED)

    with django_capture_on_commit_callbacks(execute=True):
        result = requests_bulk_approve(requests=[first, second], actor=people.engineer)

    assert result.approved == [first.pk]
    assert [request_id for request_id, _why in result.skipped] == [second.pk]
    assert TransitionRequest.objects.get(pk=first.pk).status == Status.APPROVED
    assert TransitionRequest.objects.get(pk=second.pk).status == Status.CANCELLED
    assert len(mail.outbox) == 1


def test_engineers_are_told_when_a_request_waits_for_them(
    people: People, waiting: TransitionRequest
) -> None:
    CategoryFactory(instance=people.instance)  # unrelated data changes nothing
    told = notify_request_waiting(request_id=waiting.pk)
    assert told == 1
    (message,) = mail.outbox
    assert message.to == [people.engineer.email]
    assert "L1CHIM-THERMO" in message.subject
    assert "alternants" in message.body


def test_an_approved_request_asked_as_soon_as_possible_starts_at_once(
    people: People, waiting: TransitionRequest
) -> None:
    from transition.models import Job, RequestPlan
    from transition.request_spec import RequestSpec

    TransitionRequest.objects.filter(pk=waiting.pk).update(run_at=waiting.submitted_at)
    people.campaign.allow_asap = True
    people.campaign.save()
    RequestPlan.objects.create(
        request=waiting,
        spec=RequestSpec(
            scenario="no_change", course_moodle_id=people.course.moodle_id, asap=True
        ).to_json(),
    )

    request_approve(request=waiting, actor=people.engineer)

    waiting.refresh_from_db()
    # Nothing waits for the next beat: a no-change request, with no job, is done already.
    assert waiting.status == Status.DONE
    assert not Job.objects.filter(request=waiting).exists()

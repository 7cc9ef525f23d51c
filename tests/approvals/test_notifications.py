"""Request news that no screen sends at once: sent by the periodic task, once."""

from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.approvals.conftest import People
from tests.factories import JobFactory
from transition.models import Job, TransitionRequest
from transition.notifications import notifications_send_due, user_language, user_set_language
from transition.notifications.tasks import beat_schedule, daily_digest, deliver_due, send_due
from transition.services.requests import request_submit

Status = TransitionRequest.Status


def test_engineers_hear_of_a_waiting_request_once_per_submission(
    people: People, waiting: TransitionRequest
) -> None:
    assert notifications_send_due() == 1
    assert notifications_send_due() == 0
    assert [m.to for m in mail.outbox] == [[people.engineer.email]]

    TransitionRequest.objects.filter(pk=waiting.pk).update(status=Status.CHANGES_REQUESTED)
    request_submit(request=waiting, actor=people.teacher)  # a new submission
    assert notifications_send_due() == 1
    assert len(mail.outbox) == 2


def test_the_teacher_hears_when_the_request_is_done(
    people: People, waiting: TransitionRequest
) -> None:
    user_set_language(user=people.teacher, language="en")
    TransitionRequest.objects.filter(pk=waiting.pk).update(status=Status.DONE)
    assert notifications_send_due() == 1
    (message,) = mail.outbox
    assert message.to == [people.teacher.email]
    assert message.subject == "Passage: L1CHIM-THERMO is ready for next year"


def test_the_teacher_hears_when_the_request_failed_with_the_failed_steps(
    people: People, waiting: TransitionRequest
) -> None:
    user_set_language(user=people.teacher, language="fr")
    people.teacher.last_name = "O'Neil"
    people.teacher.save()
    JobFactory(
        request=waiting,
        status=Job.Status.FAILED,
        kind=Job.Kind.RESET,
        last_error_code="connectionerror",
        last_error_message="cannot reach Moodle: HTTPConnectionPool(host='moodle', port=80): "
        "Max retries exceeded",
    )
    TransitionRequest.objects.filter(pk=waiting.pk).update(status=Status.FAILED)
    assert notifications_send_due() == 2  # the teacher, and the admin the teacher is told of
    (message,) = [m for m in mail.outbox if m.to == [people.teacher.email]]
    assert "échoué" in message.subject
    # A sentence in the teacher's language and what happens next, never the technical text.
    assert "Moodle n\u2019a pas pu être joint" in message.body
    assert "Les administrateurs sont prévenus" in message.body
    assert "HTTPConnectionPool" not in message.body and "Max retries" not in message.body
    # Plain text: no HTML escaping.
    assert "O'Neil" in message.body and "&#x27;" not in message.body
    assert notifications_send_due() == 0


def test_admins_hear_of_a_failed_request_and_the_teacher_reads_no_network_jargon(
    people: People, waiting: TransitionRequest
) -> None:
    user_set_language(user=people.teacher, language="fr")
    JobFactory(
        request=waiting,
        status=Job.Status.FAILED,
        kind=Job.Kind.BACKUP,
        last_error_code="connectionrefused",
        last_error_message="cannot reach Moodle: HTTPConnectionPool(host='moodle', port=443)",
    )
    TransitionRequest.objects.filter(pk=waiting.pk).update(status=Status.FAILED)

    notifications_send_due()

    (teacher,) = [m for m in mail.outbox if m.to == [people.teacher.email]]
    assert "HTTPConnectionPool" not in teacher.body
    assert "Moodle n\u2019a pas pu être joint" in teacher.body
    (admin,) = [m for m in mail.outbox if m.to == [people.admin.email]]
    assert "L1CHIM-THERMO" in admin.subject
    assert "connectionrefused" in admin.body


def test_a_person_chooses_the_language_of_their_emails(people: People) -> None:
    client = Client()
    client.force_login(people.teacher)
    assert client.get(reverse("notifications:language")).status_code == 200
    client.post(reverse("notifications:language"), {"language": "en"})
    assert user_language(people.teacher) == "en"
    client.post(reverse("notifications:language"), {"language": "xx"})
    assert user_language(people.teacher) == "en"


def test_the_periodic_tasks_send_what_is_due(people: People, waiting: TransitionRequest) -> None:
    assert send_due.apply().get() == 1
    assert daily_digest.apply().get() == 0  # nothing failed
    names = {entry["task"] for entry in beat_schedule().values()}
    assert {send_due.name, deliver_due.name, daily_digest.name} <= names


def test_the_engineers_email_says_when_the_request_runs_once_approved(
    people: People, waiting: TransitionRequest
) -> None:
    from transition.models import Campaign, RequestPlan
    from transition.request_spec import RequestSpec

    user_set_language(user=people.engineer, language="fr")
    Campaign.objects.filter(pk=people.campaign.pk).update(allow_asap=True)
    RequestPlan.objects.create(
        request=waiting,
        spec=RequestSpec(
            scenario="reuse_reset", course_moodle_id=waiting.course.moodle_id, asap=True
        ).to_json(),
    )

    assert notifications_send_due() == 1

    assert "Une fois validée, elle démarre aussitôt" in mail.outbox[0].body


def test_the_daily_digest_names_its_last_link(people: People, waiting: TransitionRequest) -> None:
    import datetime

    from django.utils import timezone

    from transition.notifications.reminders import approvals_send_digest

    user_set_language(user=people.engineer, language="fr")

    assert approvals_send_digest(now=timezone.now() + datetime.timedelta(days=2)) == 1

    last = mail.outbox[-1].body.strip().splitlines()[-1]
    assert last.startswith("Toutes les demandes en attente de validation") and last.endswith(
        reverse("approvals:index")
    )

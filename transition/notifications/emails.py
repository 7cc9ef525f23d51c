"""E-mails Passage sends, each in the language of the person who receives it.

Teachers hear about their request (approved, rejected, changes asked, done, failed), and the
colleague a course is handed over to once it is theirs; engineers about requests waiting for
them, admins get a daily digest of failures. Callers send after their
transaction commits (`transaction.on_commit`), so a rolled-back change never mails anyone.
"""

import datetime
import logging
import smtplib
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce
from django.template import Context
from django.template.loader import get_template
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import lazy

from transition.approvals.selectors import request_approval_plan
from transition.engine.breaker import transient_cause
from transition.error_texts import error_for_people
from transition.models import (
    Backup,
    Job,
    MailDelivery,
    MoodleInstance,
    Person,
    RequestNotice,
    TransitionRequest,
    UserPreference,
)
from transition.outcome import moodle_course_url, request_outcome
from transition.permissions import Role

logger = logging.getLogger(__name__)
Status = TransitionRequest.Status
Delivery = MailDelivery.Status

# A mail server that refuses or cannot be reached is tried again after 1, 2, 4... minutes (at
# most an hour apart), for about a day before Passage gives up on the message.
MAIL_RETRY_BASE = datetime.timedelta(minutes=1)
MAIL_RETRY_MAX = datetime.timedelta(hours=1)
MAIL_MAX_ATTEMPTS = 30
# How long a sender holds a delivery it is trying, so that two senders never send it twice.
MAIL_CLAIM = datetime.timedelta(minutes=5)

# The request states a teacher is told about, and the template of each message.
_TEACHER_TEMPLATES = {
    Status.APPROVED: "transition/notifications/request_approved.txt",
    Status.REJECTED: "transition/notifications/request_rejected.txt",
    Status.CHANGES_REQUESTED: "transition/notifications/request_changes_requested.txt",
    Status.DONE: "transition/notifications/request_done.txt",
    Status.FAILED: "transition/notifications/request_failed.txt",
}


def user_language(user: AbstractBaseUser) -> str:
    """The person's language for e-mails: their preference, else the site's language."""
    preference = UserPreference.objects.filter(user=user).values_list("language", flat=True)
    return next(iter(preference), settings.LANGUAGE_CODE)


def user_set_language(*, user: AbstractBaseUser, language: str) -> UserPreference:
    if language not in dict(settings.LANGUAGES):
        raise ValueError(f"{language!r} is not one of Passage's languages.")
    preference, _ = UserPreference.objects.update_or_create(
        user=user, defaults={"language": language}
    )
    return preference


def _absolute(path: str) -> str:
    """A link for an e-mail: the site's address (setting PASSAGE_BASE_URL) and the path."""
    return settings.PASSAGE_BASE_URL.rstrip("/") + path


def _send(
    *,
    user: AbstractBaseUser,
    template: str,
    context: dict[str, object],
    notice: RequestNotice | None = None,
) -> bool:
    """Render `template` in the person's language (first line the subject, the rest the body),
    record the delivery and try it at once; a refused delivery is tried again later.

    Returns whether a message was queued for the person (they have an address).
    """
    email = getattr(user, "email", "")
    if not email:
        return False
    # Plain text: nothing is HTML-escaped (a name with an apostrophe stays an apostrophe).
    with translation.override(user_language(user)):
        plain = get_template(template).template  # type: ignore[attr-defined]
        text = plain.render(Context({**context, "user": user}, autoescape=False)).strip()
    subject, _, body = text.partition("\n")
    delivery = MailDelivery.objects.create(
        notice=notice,
        recipient=user if getattr(user, "pk", None) else None,
        to=email,
        subject=subject.strip()[:255],
        body=body.strip() + "\n",
        next_try_at=timezone.now(),
    )
    mail_deliver(delivery_id=delivery.pk)
    return True


def mail_retry_delay(attempts: int) -> datetime.timedelta:
    """The wait after the `attempts`-th failed try: 1, 2, 4... minutes, at most an hour."""
    return min(MAIL_RETRY_MAX, MAIL_RETRY_BASE * 2 ** max(0, attempts - 1))


def mail_deliver(*, delivery_id: int, now: datetime.datetime | None = None) -> bool:
    """Hand one delivery to the mail server if it is due; record the outcome either way.

    Claimed in the database first, so two senders never send the same message.
    """
    now = now or timezone.now()
    claimed = MailDelivery.objects.filter(
        pk=delivery_id, status=Delivery.PENDING, next_try_at__lte=now
    ).update(next_try_at=now + MAIL_CLAIM, attempts=F("attempts") + 1)
    if claimed != 1:
        return False
    delivery = MailDelivery.objects.get(pk=delivery_id)
    message = EmailMessage(
        subject=delivery.subject,
        body=delivery.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[delivery.to],
        connection=get_connection(),
    )
    try:
        message.send()
    except (OSError, smtplib.SMTPException) as error:
        reason = f"{type(error).__name__}: {error}"[:2000]
        logger.warning(
            "e-mail to %s not delivered (try %d): %s", delivery.to, delivery.attempts, reason
        )
        given_up = delivery.attempts >= MAIL_MAX_ATTEMPTS
        MailDelivery.objects.filter(pk=delivery_id).update(
            status=Delivery.FAILED if given_up else Delivery.PENDING,
            last_error=reason,
            next_try_at=None if given_up else timezone.now() + mail_retry_delay(delivery.attempts),
        )
        return False
    MailDelivery.objects.filter(pk=delivery_id).update(
        status=Delivery.SENT, sent_at=timezone.now(), next_try_at=None
    )
    return True


def mail_deliver_due(*, now: datetime.datetime | None = None) -> int:
    """Try again every delivery whose wait is over; returns how many went out."""
    now = now or timezone.now()
    due = MailDelivery.objects.filter(status=Delivery.PENDING, next_try_at__lte=now).order_by(
        "next_try_at", "pk"
    )
    return sum(mail_deliver(delivery_id=pk, now=now) for pk in due.values_list("pk", flat=True))


def mail_undelivered() -> QuerySet[MailDelivery]:
    """Messages the mail server has not taken after a try: what the dashboard shows."""
    return MailDelivery.objects.filter(
        Q(status=Delivery.FAILED) | Q(status=Delivery.PENDING, attempts__gt=0)
    ).order_by("-created_at", "-pk")


def notify_request_status(*, request_id: int, notice: RequestNotice | None = None) -> bool:
    """Tell the teacher who made the request what became of it (if it is news for them)."""
    request = TransitionRequest.objects.select_related(
        "course__instance", "campaign", "requested_by", "decided_by", "target_course__instance"
    ).get(pk=request_id)
    template = _TEACHER_TEMPLATES.get(request.status)
    if template is None:
        return False
    failed_jobs = [(job, error_for_people(job.last_error_code)) for job in _failed_jobs(request)]
    plan = getattr(request, "plan", None)
    outcome = (
        request_outcome(
            spec=plan.as_spec(), course=request.course, target_course=request.target_course
        )
        if plan is not None
        else None
    )
    return _send(
        user=request.requested_by,
        notice=notice,
        template=template,
        context={
            "request": request,
            "course": request.course,
            "outcome": outcome,
            "old_course_url": moodle_course_url(request.course),
            "backup_kept": _backup_kept(request),
            "failed_jobs": failed_jobs,
            "link": _absolute(reverse("request_detail", args=[request.pk])),
        },
    )


def notify_hand_over_successor(*, request_id: int, notice: RequestNotice | None = None) -> int:
    """Tell the colleague a course was handed over to, once the hand-over is done."""
    request = TransitionRequest.objects.select_related(
        "course__instance", "requested_by", "plan"
    ).get(pk=request_id)
    plan = getattr(request, "plan", None)
    hand_over = plan.as_spec().hand_over if plan is not None else None
    if request.status != Status.DONE or hand_over is None:
        return 0
    successor = (
        Person.objects.filter(
            instance=request.course.instance, moodle_username=hand_over.successor_username
        )
        .select_related("user")
        .first()
    )
    if successor is None:
        return 0
    giver = request.requested_by
    return int(
        _send(
            user=successor.user,
            notice=notice,
            template="transition/notifications/course_handed_over.txt",
            context={
                "course": request.course,
                "giver": giver.get_full_name() or giver.get_username(),
                "course_url": moodle_course_url(request.course),
            },
        )
    )


def _backup_kept(request: TransitionRequest) -> bool:
    """Whether Passage keeps a verified backup of the course this request took (one of those
    its page offers for download; a hand-over, say, takes none)."""
    return Backup.objects.filter(
        job__request=request,
        course=request.course,
        verified_at__isnull=False,
        purged_at__isnull=True,
    ).exists()


def _failed_jobs(request: TransitionRequest) -> list[Job]:
    """The request's failed jobs, each with its cause in words (`cause`): a transient failure
    said in the reader's language, otherwise Moodle's (or the step's) own message."""
    if request.status != Status.FAILED:
        return []
    jobs = list(request.jobs.filter(status=Job.Status.FAILED).order_by("position"))
    for job in jobs:
        # Said when the e-mail is drawn, in its reader's language.
        job.cause = _lazy_cause(job.last_error_code, job.last_error_message)  # type: ignore[attr-defined]
    return jobs


def _cause(errorcode: str, message: str) -> str:
    return transient_cause(errorcode) or message


_lazy_cause = lazy(_cause, str)


def notify_request_failed_to_admins(*, request_id: int, notice: RequestNotice | None = None) -> int:
    """Tell the admins that a request failed, as its teacher is told they are; returns how
    many were told."""
    request = TransitionRequest.objects.select_related("course", "campaign", "requested_by").get(
        pk=request_id
    )
    if request.status != Status.FAILED:
        return 0
    link = _absolute(f"{reverse('dashboard:failures')}?campaign={request.campaign_id}")
    return sum(
        _send(
            user=admin,
            notice=notice,
            template="transition/notifications/request_failed_admins.txt",
            context={
                "request": request,
                "course": request.course,
                "failed_jobs": _failed_jobs(request),
                "link": link,
            },
        )
        for admin in admins()
    )


def engineers() -> list[AbstractBaseUser]:
    """Everyone who decides on special requests: the engineer group."""
    return list(
        get_user_model()
        .objects.filter(is_active=True, groups__name=Role.ENGINEER)
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )


def admins() -> list[AbstractBaseUser]:
    return list(
        get_user_model()
        .objects.filter(Q(groups__name=Role.ADMIN) | Q(is_superuser=True), is_active=True)
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )


def notify_request_waiting(*, request_id: int, notice: RequestNotice | None = None) -> int:
    """Tell the engineers that a request waits for their decision; returns how many were told."""
    request = TransitionRequest.objects.select_related("course", "requested_by").get(pk=request_id)
    if request.status != Status.PENDING_APPROVAL:
        return 0
    link = _absolute(reverse("approvals:detail", args=[request.pk]))
    return sum(
        _send(
            user=engineer,
            notice=notice,
            template="transition/notifications/request_waiting.txt",
            context={
                "request": request,
                "course": request.course,
                "plan": request_approval_plan(request),
                "link": link,
            },
        )
        for engineer in engineers()
    )


@dataclass(frozen=True)
class FailureGroup:
    errorcode: str
    count: int
    example_message: str


def failures_since(*, since: datetime.datetime) -> list[FailureGroup]:
    """Jobs that failed since `since`, grouped by Moodle error code, largest group first."""
    rows = (
        Job.objects.filter(status=Job.Status.FAILED, finished_at__gte=since)
        .values("last_error_code")
        .annotate(count=Count("pk"))
        .order_by("-count", "last_error_code")
    )
    groups = []
    for row in rows:
        example = (
            Job.objects.filter(
                status=Job.Status.FAILED,
                finished_at__gte=since,
                last_error_code=row["last_error_code"],
            )
            .order_by("-finished_at")
            .values_list("last_error_message", flat=True)
            .first()
        )
        groups.append(FailureGroup(row["last_error_code"], row["count"], example or ""))
    return groups


def failures_send_daily_digest(*, now: datetime.datetime | None = None) -> int:
    """Send each admin the failures of the last 24 hours; nothing failed, nothing sent.

    Returns the number of e-mails sent.
    """
    now = now or timezone.now()
    groups = failures_since(since=now - datetime.timedelta(days=1))
    if not groups:
        return 0
    link = _absolute(reverse("dashboard:index"))
    return sum(
        _send(
            user=admin,
            template="transition/notifications/failures_digest.txt",
            context={"groups": groups, "total": sum(g.count for g in groups), "link": link},
        )
        for admin in admins()
    )


# The states whose news no screen sends at once: the engine finishes requests, the wizard
# submits them. A periodic task tells people about them, once per state and submission.
_NEWS_BY_POLLING = (Status.PENDING_APPROVAL, Status.DONE, Status.FAILED)
POLLING_LOOKBACK = datetime.timedelta(days=7)


def notifications_send_due(*, now: datetime.datetime | None = None) -> int:
    """E-mail the news of requests that reached a state nobody was told about yet.

    Engineers for a request waiting for them, the teacher for a request done or failed. Each
    (request, state, submission) is claimed in the database before sending, so two beats running
    at once never send twice. Returns the number of e-mails sent.
    """
    now = now or timezone.now()
    round_at = Coalesce("submitted_at", "created_at")
    told = RequestNotice.objects.filter(
        request=OuterRef("pk"), status=OuterRef("status"), round_at=OuterRef("round_at")
    )
    due = list(
        TransitionRequest.objects.filter(
            status__in=_NEWS_BY_POLLING, updated_at__gte=now - POLLING_LOOKBACK
        )
        .annotate(round_at=round_at)
        .exclude(Exists(told))
        .values_list("pk", "status", "round_at")
    )
    return sum(
        _notice_send(request_id=request_id, status=status, round_at=round_at_value)
        for request_id, status, round_at_value in due
    )


def _notice_send(*, request_id: int, status: str, round_at: datetime.datetime) -> int:
    """Claim the news of (request, state, submission), then send it; 0 if already claimed."""
    try:
        with transaction.atomic():
            notice = RequestNotice.objects.create(
                request_id=request_id, status=status, round_at=round_at
            )
    except IntegrityError:
        return 0  # another beat, or the submission itself, claimed it
    if status == Status.PENDING_APPROVAL:
        count = notify_request_waiting(request_id=request_id, notice=notice)
    else:
        count = int(notify_request_status(request_id=request_id, notice=notice))
    if status == Status.DONE:
        count += notify_hand_over_successor(request_id=request_id, notice=notice)
    if status == Status.FAILED:
        count += notify_request_failed_to_admins(request_id=request_id, notice=notice)
    RequestNotice.objects.filter(pk=notice.pk).update(recipients=count)
    return count


def notify_request_submitted(*, request_id: int) -> int:
    """Tell the engineers at once that a request waits for them (the beat would tell them
    within a minute; the demo and a quiet beat need not wait). Sent once per submission."""
    request = TransitionRequest.objects.get(pk=request_id)
    if request.status != Status.PENDING_APPROVAL:
        return 0
    return _notice_send(
        request_id=request.pk,
        status=request.status,
        round_at=request.submitted_at or request.created_at,
    )


def notify_platform_unreachable(*, instance_id: int) -> int:
    """Tell the admins, once per outage, that a Moodle platform stopped answering and that
    its work waits for it; returns how many were told."""
    instance = MoodleInstance.objects.get(pk=instance_id)
    if instance.unreachable_since is None:
        return 0
    link = _absolute(reverse("dashboard:index"))
    return sum(
        _send(
            user=admin,
            template="transition/notifications/platform_unreachable.txt",
            context={"instance": instance, "link": link},
        )
        for admin in admins()
    )

"""One breaker per Moodle platform: when Moodle stops answering, its work pauses as a whole.

Without it, each job would burn its own retries against a dead platform and fail after a few
minutes. With it, the first job that cannot reach Moodle opens the platform's breaker: that
job and every other job of the platform go back to the queue without counting an attempt, the
dashboard says since when the platform is unreachable, and admins get one e-mail. Every
`outage_probe_interval` one job (whichever claims the probe first) tries again; the first
answer from Moodle closes the breaker and wakes the waiting jobs.
"""

from __future__ import annotations

import datetime
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from moodle_client import MoodleClient, MoodleError, MoodleUnavailable
from transition.engine.config import engine_config
from transition.engine.dispatch import jobs_send_on_commit
from transition.models import AuditEvent, Job, MoodleInstance
from transition.services.audit import audit_record
from transition.services.instances import instance_token

# A download cut short says nothing about the platform being down.
_NOT_AN_OUTAGE = frozenset({"truncated"})


def is_outage(error: BaseException) -> bool:
    """Moodle could not be reached or did not answer as Moodle (refused, timeout, HTTP 5xx)."""
    return isinstance(error, MoodleUnavailable) and error.errorcode not in _NOT_AN_OUTAGE


_CAUSES = {
    "connectionrefused": _("connection refused"),
    "dnserror": _("server name not found"),
    "timeout": _("no answer in time"),
    "tlserror": _("secure connection failed"),
    "connectionerror": _("connection broken off"),
    "notjson": _("an answer that is not Moodle's"),
    "truncated": _("download cut short"),
    "platformdown": _("waits for its platform to answer"),
}


def transient_cause(errorcode: str) -> str:
    """A transient error code as an admin reads it, in their language ("" if not one)."""
    if errorcode in _CAUSES:
        return str(_CAUSES[errorcode])
    if errorcode.startswith("http") and errorcode[4:].isdigit():
        return str(_("server error (HTTP %(status)s)") % {"status": errorcode[4:]})
    return ""


def outage_reason(error: BaseException) -> str:
    if isinstance(error, MoodleError):
        return f"{error.errorcode}: {error.message}" if error.errorcode else error.message
    return str(error)


def platform_mark_unreachable(
    *, instance: MoodleInstance, error: BaseException, now: datetime.datetime | None = None
) -> datetime.datetime:
    """Open the platform's breaker (or keep it open); returns when it is tried next.

    Call inside a transaction: admins are e-mailed after it commits, once per outage.
    """
    now = now or timezone.now()
    probe_at = now + timedelta(seconds=engine_config().outage_probe_interval)
    reason = outage_reason(error)[:2000]
    opened = MoodleInstance.objects.filter(pk=instance.pk, unreachable_since__isnull=True).update(
        unreachable_since=now, unreachable_error=reason, next_probe_at=probe_at
    )
    if opened:
        audit_record(
            action="platform_unreachable",
            outcome=AuditEvent.Outcome.FAILURE,
            details={"platform": instance.name, "error": reason},
        )
        instance_id = instance.pk
        transaction.on_commit(lambda: _tell_admins(instance_id))
    else:
        MoodleInstance.objects.filter(pk=instance.pk).update(
            unreachable_error=reason, next_probe_at=probe_at
        )
    instance.unreachable_since = instance.unreachable_since or now
    instance.next_probe_at = probe_at
    return probe_at


def _tell_admins(instance_id: int) -> None:
    from transition.notifications.emails import notify_platform_unreachable

    notify_platform_unreachable(instance_id=instance_id)


def platform_mark_reachable(
    *, instance: MoodleInstance, now: datetime.datetime | None = None
) -> bool:
    """Close the breaker after Moodle answered; the platform's waiting jobs are due at once.

    Returns whether it was open. Call inside a transaction.
    """
    if instance.unreachable_since is None:
        return False
    now = now or timezone.now()
    open_until = list(
        MoodleInstance.objects.select_for_update()
        .filter(pk=instance.pk, unreachable_since__isnull=False)
        .values_list("next_probe_at", flat=True)
    )
    instance.unreachable_since = None
    if not open_until:
        return False
    MoodleInstance.objects.filter(pk=instance.pk).update(
        unreachable_since=None, unreachable_error="", next_probe_at=None
    )
    # The jobs paused for the outage wait until the next probe at the latest; a job due later
    # waits for its own reason (a reset after an announcement's notice) and keeps its time.
    waiting = Job.objects.filter(
        instance=instance,
        status=Job.Status.QUEUED,
        not_before__gt=now,
        not_before__lte=open_until[0] or now,
    ).filter(Q(request__isnull=True) | Q(request__status="running"))
    ids = list(waiting.values_list("pk", flat=True))
    Job.objects.filter(pk__in=ids).update(not_before=now, updated_at=now)
    jobs_send_on_commit(ids)
    audit_record(
        action="platform_reachable",
        details={"platform": instance.name, "jobs_resumed": len(ids)},
    )
    return True


def probe_claim(*, instance: MoodleInstance, now: datetime.datetime | None = None) -> bool:
    """Whether this job may try the unreachable platform now (one job per probe interval)."""
    now = now or timezone.now()
    probe_at = now + timedelta(seconds=engine_config().outage_probe_interval)
    claimed = MoodleInstance.objects.filter(
        Q(next_probe_at__isnull=True) | Q(next_probe_at__lte=now),
        pk=instance.pk,
        unreachable_since__isnull=False,
    ).update(next_probe_at=probe_at)
    return claimed == 1


# The one look that tells a dead platform from a blip: tried once, soon given up.
PROBE_TIMEOUT = 15.0


def platform_answers(instance: MoodleInstance) -> bool:
    """One light call: does Moodle answer at all (even with an error)?"""
    try:
        MoodleClient(
            instance.url,
            instance_token(instance=instance),
            timeout=min(float(settings.MOODLE_TIMEOUT), PROBE_TIMEOUT),
            max_attempts=1,
        ).call("core_webservice_get_site_info")
    except MoodleUnavailable:
        return False
    except Exception:  # Moodle answered (a refusal is an answer), or the call could not be built
        return True
    return True


def platforms_probe(*, now: datetime.datetime | None = None) -> list[str]:
    """Beat: try each unreachable platform whose next try is due, so that one whose jobs are
    all gone (cancelled meanwhile) is not shown unreachable for ever. Returns the names of the
    platforms found answering again."""
    now = now or timezone.now()
    back = []
    due = MoodleInstance.objects.filter(unreachable_since__isnull=False, next_probe_at__lte=now)
    for instance in due:
        if probe_claim(instance=instance, now=now) and platform_answers(instance):
            with transaction.atomic():
                if platform_mark_reachable(instance=instance):
                    back.append(instance.name)
    return back


def platform_next_probe(*, instance: MoodleInstance) -> datetime.datetime | None:
    return (
        MoodleInstance.objects.filter(pk=instance.pk).values_list("next_probe_at", flat=True).get()
    )

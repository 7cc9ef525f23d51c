from typing import Any

from django.contrib.auth.models import AbstractBaseUser

from transition.models import AuditEvent, Campaign, Course, Job, TransitionRequest


def audit_record(
    *,
    action: str,
    actor: AbstractBaseUser | None = None,
    outcome: str = AuditEvent.Outcome.SUCCESS,
    campaign: Campaign | None = None,
    course: Course | None = None,
    request: TransitionRequest | None = None,
    job: Job | None = None,
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    return AuditEvent.objects.create(
        action=action,
        actor=actor if actor is not None and actor.is_authenticated else None,
        outcome=outcome,
        campaign=campaign,
        course=course,
        request=request,
        job=job,
        details=details or {},
    )

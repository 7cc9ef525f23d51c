"""A campaign's life: draft → open → locked → running ⇄ paused → done."""

import datetime
from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from transition.errors import InvalidTransition, NotAllowed
from transition.models import Campaign, Category, Policy
from transition.permissions import can_manage_campaigns
from transition.services.audit import audit_record

Status = Campaign.Status


def campaign_manager_required(actor: AbstractBaseUser | None) -> None:
    """Campaigns and policies change by an admin's hand, or by Passage itself (no actor: the
    beat, a command); the services check it as well as the pages that call them."""
    if actor is not None and not can_manage_campaigns(actor):
        raise NotAllowed("Only admins manage campaigns and policies.")


def campaign_create(
    *,
    academic_year: str,
    policy: Policy,
    choices_open: datetime.datetime,
    choices_lock: datetime.datetime,
    backup_window_start: datetime.datetime,
    backup_window_end: datetime.datetime,
    run_date: datetime.datetime,
    cutoff_date: datetime.date,
    excluded_categories: Iterable[Category] = (),
    archive_category: Category | None = None,
    archive_prefix: str = "ex_",
    allow_asap: bool = False,
    first_reminder_days: int | None = None,
    second_reminder_days: int | None = None,
    backup_retention_days: int = 400,
    actor: AbstractBaseUser | None = None,
) -> Campaign:
    """Create a draft campaign; bad dates raise ValidationError naming the rule they break."""
    campaign_manager_required(actor)
    campaign = Campaign(
        academic_year=academic_year,
        policy=policy,
        choices_open=choices_open,
        choices_lock=choices_lock,
        backup_window_start=backup_window_start,
        backup_window_end=backup_window_end,
        run_date=run_date,
        cutoff_date=cutoff_date,
        archive_category=archive_category,
        archive_prefix=archive_prefix,
        allow_asap=allow_asap,
        first_reminder_days=first_reminder_days,
        second_reminder_days=second_reminder_days,
        backup_retention_days=backup_retention_days,
        created_by=actor if actor is not None and actor.is_authenticated else None,
    )
    campaign.full_clean()
    with transaction.atomic():
        campaign.save()
        campaign.excluded_categories.set(excluded_categories)
        audit_record(action="campaign_create", actor=actor, campaign=campaign)
    return campaign


# The campaign's state machine: each move, the statuses it starts from and the one it leads to.
CAMPAIGN_MOVES: dict[str, tuple[frozenset[str], str]] = {
    "open": (frozenset({Status.DRAFT}), Status.OPEN),
    "lock": (frozenset({Status.OPEN}), Status.LOCKED),
    "start": (frozenset({Status.LOCKED}), Status.RUNNING),
    "pause": (frozenset({Status.RUNNING}), Status.PAUSED),
    "resume": (frozenset({Status.PAUSED}), Status.RUNNING),
    "finish": (frozenset({Status.RUNNING}), Status.DONE),
}


def campaign_moves_allowed(campaign: Campaign) -> frozenset[str]:
    """The moves (keys of CAMPAIGN_MOVES) the campaign's status allows now."""
    return frozenset(
        move
        for move, (allowed_from, _to) in CAMPAIGN_MOVES.items()
        if campaign.status in allowed_from
    )


def _campaign_move(*, campaign: Campaign, move: str, actor: AbstractBaseUser | None) -> Campaign:
    campaign_manager_required(actor)
    allowed_from, to = CAMPAIGN_MOVES[move]
    # Claim the change in the database so that two admins clicking at once cannot both win.
    with transaction.atomic():
        moved = Campaign.objects.filter(pk=campaign.pk, status__in=list(allowed_from)).update(
            status=to, status_changed_at=timezone.now()
        )
        if moved != 1:
            campaign.refresh_from_db(fields=["status"])
            raise InvalidTransition(campaign, campaign.status, to)
        campaign.refresh_from_db(fields=["status", "status_changed_at"])
        audit_record(action=f"campaign_{move}", actor=actor, campaign=campaign)
    return campaign


def campaign_open(*, campaign: Campaign, actor: AbstractBaseUser | None = None) -> Campaign:
    """Let teachers make their choices."""
    return _campaign_move(campaign=campaign, move="open", actor=actor)


def campaign_lock(*, campaign: Campaign, actor: AbstractBaseUser | None = None) -> Campaign:
    """Stop taking choices; requests already made stay."""
    return _campaign_move(campaign=campaign, move="lock", actor=actor)


def campaign_start(*, campaign: Campaign, actor: AbstractBaseUser | None = None) -> Campaign:
    return _campaign_move(campaign=campaign, move="start", actor=actor)


def campaign_pause(*, campaign: Campaign, actor: AbstractBaseUser | None = None) -> Campaign:
    """Workers finish the Moodle operation under way and start no new one."""
    return _campaign_move(campaign=campaign, move="pause", actor=actor)


def campaign_resume(*, campaign: Campaign, actor: AbstractBaseUser | None = None) -> Campaign:
    return _campaign_move(campaign=campaign, move="resume", actor=actor)


def campaign_finish(*, campaign: Campaign, actor: AbstractBaseUser | None = None) -> Campaign:
    return _campaign_move(campaign=campaign, move="finish", actor=actor)

"""Admins' changes to campaigns and policies."""

from collections.abc import Iterable, Mapping
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from transition.errors import TransitionError
from transition.models import Campaign, Category, Policy, PolicyRule
from transition.policy_options import UnsupportedRule, rule_actions
from transition.services.audit import audit_record
from transition.services.campaigns import campaign_manager_required

# Once a campaign has run resets with a policy, changing it would make the record lie.
_POLICY_FROZEN_BY = (Campaign.Status.RUNNING, Campaign.Status.PAUSED, Campaign.Status.DONE)


class PolicyInUse(TransitionError):
    """The policy is the one of a campaign that already runs: copy it instead."""


def campaign_update(
    *,
    campaign: Campaign,
    actor: AbstractBaseUser,
    excluded_categories: Iterable[Category] | None = None,
    **fields: Any,
) -> Campaign:
    """Change a campaign's settings; bad dates raise ValidationError naming the broken rule."""
    campaign_manager_required(actor)
    # Read from the database: a bound ModelForm has already changed the instance in memory.
    stored = Campaign.objects.get(pk=campaign.pk)
    before = {name: str(getattr(stored, name)) for name in fields}
    for name, value in fields.items():
        setattr(campaign, name, value)
    campaign.full_clean()
    with transaction.atomic():
        campaign.save()
        if excluded_categories is not None:
            campaign.excluded_categories.set(excluded_categories)
        audit_record(
            action="campaign_update",
            actor=actor,
            campaign=campaign,
            details={
                name: {"from": before[name], "to": str(value)}
                for name, value in fields.items()
                if before[name] != str(value)
            },
        )
    return campaign


def policy_copy(*, source: Policy, name: str, actor: AbstractBaseUser) -> Policy:
    """A new policy with the same rules, to edit without touching the original."""
    campaign_manager_required(actor)
    with transaction.atomic():
        policy = Policy.objects.create(
            name=name,
            description=source.description,
            copy_enrols_course_teachers=source.copy_enrols_course_teachers,
        )
        PolicyRule.objects.bulk_create(
            PolicyRule(
                policy=policy,
                data_kind=rule.data_kind,
                action=rule.action,
                locked=rule.locked,
                reason=rule.reason,
            )
            for rule in source.rules.all()
        )
        audit_record(action="policy_copy", actor=actor, details={"from": source.name, "to": name})
    return policy


def policy_update_rules(
    *,
    policy: Policy,
    rules: Mapping[str, tuple[str, bool]],
    actor: AbstractBaseUser,
) -> Policy:
    """Set each kind of data's action and lock: {kind: (action, locked)}."""
    campaign_manager_required(actor)
    if Campaign.objects.filter(policy=policy, status__in=_POLICY_FROZEN_BY).exists():
        raise PolicyInUse(f"{policy} is used by a campaign that has started; copy it instead.")
    for kind, (action, _locked) in rules.items():
        if action not in rule_actions(kind):
            raise UnsupportedRule(f"{kind}: {action!r} is not possible in Moodle.")
    with transaction.atomic():
        existing = {rule.data_kind: rule for rule in policy.rules.select_for_update()}
        changes = {}
        for kind, (action, locked) in rules.items():
            rule = existing.get(kind)
            if rule is None:
                PolicyRule.objects.create(
                    policy=policy, data_kind=kind, action=action, locked=locked
                )
                changes[kind] = {"action": action, "locked": locked}
            elif (rule.action, rule.locked) != (action, locked):
                changes[kind] = {
                    "action": [rule.action, action],
                    "locked": [rule.locked, locked],
                }
                rule.action, rule.locked = action, locked
                rule.save(update_fields=["action", "locked"])
        audit_record(
            action="policy_update", actor=actor, details={"policy": policy.name, **changes}
        )
    return policy

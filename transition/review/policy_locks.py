"""Which policy rule decides each reset option of a course, and the options it starts from."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Protocol

from moodle_client.types.passage import CourseInventory
from transition.policy_options import rule_actions, rule_reset_options
from transition.reset_options import (
    STUDENT_ARCHETYPE,
    OptionType,
    ResetOption,
    feedback_option,
    options_for_modules,
)

DELETE = "delete"
DELETE_NOT_ENROLLED = "delete_not_enrolled"


class RuleLike(Protocol):
    data_kind: str
    action: str
    locked: bool
    reason: str


@dataclass(frozen=True)
class OptionRule:
    """The policy rule behind a reset option: what it wants and whether a teacher may differ."""

    rule: str
    action: str
    locked: bool
    reason: str
    value: str  # the option's value the rule sets ("1", "0", or role ids for unenrol_users)


def student_role_ids(inventory: CourseInventory) -> tuple[int, ...]:
    ids = tuple(r.roleid for r in inventory.roles if r.archetype == STUDENT_ARCHETYPE)
    return ids or (5,)


def feedback_ids(inventory: CourseInventory) -> tuple[int, ...]:
    return tuple(m.instance for m in inventory.modules if m.modname == "feedback")


def course_options(inventory: CourseInventory) -> tuple[ResetOption, ...]:
    """The options Moodle's reset page shows for this course, feedback's per activity."""
    modnames = {m.modname for m in inventory.modules}
    feedbacks = tuple(
        feedback_option(m.instance, m.name) for m in inventory.modules if m.modname == "feedback"
    )
    return options_for_modules(modnames) + feedbacks


def option_rules(*, rules: Iterable[RuleLike], inventory: CourseInventory) -> dict[str, OptionRule]:
    """For each reset option a rule of the policy governs: that rule and the value it sets."""
    roles = student_role_ids(inventory)
    feedbacks = feedback_ids(inventory)
    governed: dict[str, OptionRule] = {}
    for rule in rules:
        values = rule_reset_options(
            kind=rule.data_kind,
            action=rule.action,
            student_role_ids=roles,
            feedback_ids=feedbacks,
        )
        # The names a rule can touch, whatever its action: those of "delete" and, where Moodle
        # has it, of "delete for users no longer enrolled".
        names = set(
            rule_reset_options(
                kind=rule.data_kind, action=DELETE, student_role_ids=roles, feedback_ids=feedbacks
            )
        )
        if DELETE_NOT_ENROLLED in rule_actions(rule.data_kind):
            names |= set(rule_reset_options(kind=rule.data_kind, action=DELETE_NOT_ENROLLED))
        for name in names:
            governed[name] = OptionRule(
                rule=rule.data_kind,
                action=rule.action,
                locked=rule.locked,
                reason=rule.reason,
                value=values.get(name, ""),
            )
    return governed


def _default_value(option: ResetOption, roles: tuple[int, ...]) -> str:
    if not option.default:
        return ""
    if option.type == OptionType.ROLES:
        return ",".join(str(i) for i in sorted(roles))
    return "1"


def moodle_default_options(inventory: CourseInventory) -> dict[str, str]:
    """What Moodle's "Select default" ticks on this course's reset page."""
    roles = student_role_ids(inventory)
    values = {o.name: _default_value(o, roles) for o in course_options(inventory)}
    return {name: value for name, value in values.items() if value}


def policy_options(
    *, governed: Mapping[str, OptionRule], inventory: CourseInventory
) -> dict[str, str]:
    """The policy's selection: Moodle's defaults, then every rule's value on top.

    Only the options shown for this course are kept; an option left unticked is absent.
    """
    shown = {o.name for o in course_options(inventory)}
    values = moodle_default_options(inventory)
    for name, rule in governed.items():
        if name in shown:
            values[name] = rule.value
    return {name: value for name, value in values.items() if value and value != "0"}


def locked_values(governed: Mapping[str, OptionRule]) -> dict[str, str]:
    """The options a teacher may not change, with the value the policy imposes ("" = unticked)."""
    return {
        name: ("" if rule.value == "0" else rule.value)
        for name, rule in governed.items()
        if rule.locked
    }

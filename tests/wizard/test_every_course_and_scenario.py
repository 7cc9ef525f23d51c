"""Every course a teacher can prepare, under every scenario, goes through the wizard with the
options as shown and reaches the confirmation: nothing the policy locks can block a course that
has no use for it (a role the course lacks, an activity it does not have)."""

from __future__ import annotations

from typing import Any

import pytest

from portal.demo import prepare_data
from tests.wizard.conftest import Wizard, World
from transition.models import Campaign, Course, Person
from transition.teaching import restore_sources_for
from transition.wizard.scenario_forms import SCENARIO_CHOICES

SCENARIOS = [value for value, _label in SCENARIO_CHOICES]
# What a course's own state forbids, explained on the review (not a form's refusal).
COURSE_STATE_BLOCKS = {"restore_not_empty", "restore_already"}


def scenario_fields(form: Any, scenario: str, colleague: str) -> dict[str, Any]:
    """The scenario step as a teacher leaves it: every field at what it shows."""
    data: dict[str, Any] = {}
    for name in form.fields:
        value = form[name].value()
        if value in (None, False, [], ""):
            continue
        data[name] = "on" if value is True else value
    data["scenario"] = scenario
    if scenario == "hand_over":
        data["successor_username"] = colleague
    return data


def walk(client: Any, course: Course, scenario: str, colleague: str) -> Wizard:
    wizard = Wizard(client, courses=[course])
    wizard.courses(course)
    assert wizard.step == "scenarios"
    ((_course, form),) = list(wizard.page.context["wizard"]["form"])
    wizard.scenarios({course: scenario_fields(form, scenario, colleague)})
    if wizard.step == "options":
        wizard.options()
    assert wizard.step == "review", (
        f"{course.shortname} / {scenario} stopped at {wizard.step}: "
        f"{wizard.page.context['wizard']['form'].errors}"
    )
    (review,) = wizard.page.context["reviews"]
    if scenario == "restore_previous" and review.blocked:
        # Restoring into a course that already has content is refused by the rules, and said
        # so on the review with what to do; it is not the wizard's dead end.
        codes = {w.code for w in review.warnings if w.blocking}
        assert codes <= COURSE_STATE_BLOCKS, f"{course.shortname} / {scenario}: {codes}"
        assert 'data-warning="restore_not_empty"' in wizard.page.content.decode()
        return wizard
    assert not review.blocked, f"{course.shortname} / {scenario}: {review.warnings}"
    wizard.submit({})
    assert wizard.step == "confirm", f"{course.shortname} / {scenario}: review refused"
    return wizard


def offered_courses(wizard: Wizard) -> list[Course]:
    return list(wizard.page.context["wizard"]["form"].fields["courses"].queryset)


def colleague_of(world_instance: Any, teacher: Any) -> str:
    return (
        Person.objects.filter(instance=world_instance)
        .exclude(user=teacher)
        .exclude(moodle_username__in=("admin", "guest", ""))
        .order_by("moodle_username")
        .values_list("moodle_username", flat=True)
        .first()
    )


@pytest.fixture
def demo_world(db: None, start_standin, client) -> tuple[Any, Any]:
    from django.contrib.auth import get_user_model

    current = start_standin(seed="demo")
    previous = start_standin(seed="demo-previous")
    prepare_data(current_url=current.url, previous_url=previous.url)
    teacher = get_user_model().objects.get(username="teacher")
    client.force_login(teacher)
    return client, teacher


def test_every_demo_course_under_every_scenario_reaches_the_confirmation(demo_world) -> None:
    client, teacher = demo_world
    campaign = Campaign.objects.get()
    courses = offered_courses(Wizard(client))
    assert any(c.shortname == "CHIM235-2025" for c in courses)
    instance = courses[0].instance
    colleague = colleague_of(instance, teacher)
    failures = []
    for course in courses:
        for scenario in SCENARIOS:
            if scenario == "restore_previous" and not _has_source(course, teacher):
                continue
            try:
                walk(client, course, scenario, colleague)
            except AssertionError as error:
                failures.append(str(error).splitlines()[0])
    assert campaign.status == Campaign.Status.OPEN
    assert not failures, "\n".join(failures)
    # CHIM235 has no students: the policy's locked unenrolment is said not to apply here.
    empty = next(c for c in courses if c.shortname == "CHIM235-2025")
    wizard = Wizard(client, courses=[empty])
    wizard.courses(empty)
    wizard.scenarios({empty: {"scenario": "reuse_reset"}})
    field = wizard.options_form(empty).fields["unenrol_users"]
    assert field.disabled and wizard.options_form(empty)["unenrol_users"].value() == []
    assert "Sans objet ici" in wizard.page.content.decode()
    # Next year's cohorts are suggested for the cohorts removed, as the field promises.
    loaded = next(c for c in courses if c.shortname == "CHIM231-2025")
    wizard = Wizard(client, courses=[loaded])
    wizard.courses(loaded)
    wizard.scenarios({loaded: {"scenario": "reuse_reset"}})
    assert wizard.options_form(loaded)["cohorts_add"].value() == "L1CHIM241, L1CHIM241-ALE"


def test_every_small_course_under_every_scenario_reaches_the_confirmation(
    world: World, previous_course: Course
) -> None:
    courses = offered_courses(Wizard(world.client))
    colleague = colleague_of(world.instance, world.teacher)
    failures = []
    for course in courses:
        for scenario in SCENARIOS:
            if scenario == "restore_previous" and not _has_source(course, world.teacher):
                continue
            try:
                walk(world.client, course, scenario, colleague)
            except AssertionError as error:
                failures.append(str(error).splitlines()[0])
    assert not failures, "\n".join(failures)


def _has_source(course: Course, teacher: Any) -> bool:
    return bool(restore_sources_for(user=teacher, course=course))

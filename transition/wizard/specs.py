"""From the wizard's cleaned answers to the `RequestSpec` of each course."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser

from transition.models import Campaign, Course, Person
from transition.request_spec import (
    ArchivePlan,
    FreshCopy,
    HandOver,
    RequestSpec,
    RestorePlan,
    SpecialCalendar,
)
from transition.selectors import copy_teachers
from transition.wizard.option_forms import CourseOptionsForm


def spec_build(
    *,
    course: Course,
    campaign: Campaign,
    user: AbstractBaseUser,
    scenario: dict[str, Any],
    source: Course | None,
    options: CourseOptionsForm | None,
    asap: bool = False,
) -> RequestSpec:
    chosen = scenario["scenario"]
    fresh_copy = restore = hand_over = special = None
    if chosen == "fresh_copy":
        move = scenario.get("archive_move") and campaign.archive_category is not None
        fresh_copy = FreshCopy(
            new_shortname=scenario["new_shortname"],
            new_fullname=course.fullname,
            archive=ArchivePlan(
                prefix=campaign.archive_prefix if scenario.get("archive_prefix") else "",
                move_to_category_moodle_id=(
                    campaign.archive_category.moodle_id if move else None  # type: ignore[union-attr]
                ),
                hide=bool(scenario.get("archive_hide")),
            ),
            teachers=copy_teachers(course=course, campaign=campaign, user=user),
        )
    elif chosen == "restore_previous" and source is not None:
        restore = RestorePlan(
            source_instance_id=source.instance_id,
            source_course_moodle_id=source.moodle_id,
            mode=scenario.get("restore_mode") or "delete",
        )
    elif chosen == "hand_over":
        own = Person.objects.filter(instance=course.instance, user=user).first()
        hand_over = HandOver(
            successor_username=scenario["successor_username"],
            remove_own_role=bool(scenario.get("remove_own_role")),
            own_username=own.moodle_username if own else "",
        )
    if scenario.get("special_calendar"):
        special = SpecialCalendar(
            kind=scenario["special_calendar"],
            opens=scenario.get("special_opens"),
            closes=scenario.get("special_closes"),
            reason=scenario.get("special_reason") or "",
        )
    return RequestSpec(
        scenario=chosen,
        course_moodle_id=course.moodle_id,
        reset_options=options.reset_options() if options else {},
        new_start_date=options.cleaned_data.get("new_start_date") if options else None,
        cohort_changes=options.cohort_changes() if options else (),
        grade_export=bool(options.cleaned_data.get("grade_export")) if options else False,
        keep_copy=bool(options.cleaned_data.get("keep_copy")) if options else False,
        announcement=options.announcement() if options else None,
        fresh_copy=fresh_copy,
        restore=restore,
        hand_over=hand_over,
        special_calendar=special,
        asap=asap,
    )

"""Reading what a review needs: the course inventory and facts from Moodle and Passage.

These functions call Moodle: never call them inside a database transaction.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone

from moodle_client import MoodleClient
from moodle_client.errors import AccessDenied, FunctionUnavailable, MoodleError
from moodle_client.types.passage import CourseInventory
from transition.engine.planner import schedule_plan
from transition.models import Campaign, Cohort, Course, Person, PolicyRule, TransitionRequest
from transition.request_spec import RequestSpec
from transition.review.engine import ReviewFacts, review_course
from transition.review.policy_locks import option_rules
from transition.review.results import CourseReview, ReviewDate, ReviewWarning
from transition.selectors import backup_reusable
from transition.services.instances import instance_client
from transition.services.request_create import request_run_at


def inventory_to_json(inventory: CourseInventory) -> dict[str, Any]:
    """The inventory as JSON (for a session), readable again by `CourseInventory.from_json`."""
    return dataclasses.asdict(inventory)


def open_request_holder(*, course: Course, user: AbstractBaseUser) -> str:
    """Who holds an open request on the course, when it is someone else ("" otherwise)."""
    request = (
        TransitionRequest.objects.filter(course=course, status__in=TransitionRequest.OPEN_STATUSES)
        .exclude(requested_by=user)
        .select_related("requested_by")
        .first()
    )
    if request is None:
        return ""
    holder = request.requested_by
    return holder.get_full_name() or holder.get_username()


def teacher_roles_in_course(
    *, client: MoodleClient, course: Course, user: AbstractBaseUser
) -> tuple[str, ...]:
    """The role shortnames the user holds in the course, per Moodle (seed 000, step 3)."""
    person = Person.objects.filter(instance=course.instance, user=user).first()
    if person is None:
        return ()
    for enrolled in client.get_enrolled_users(course.moodle_id):
        if enrolled.id == person.moodle_userid:
            return tuple(role.shortname for role in enrolled.roles)
    return ()


@dataclass(frozen=True)
class SourceFacts:
    """Last year's course on the previous platform, as a restore of it would find it."""

    # When the stored backup the restore would use was taken (Unix time), or 0 when the course
    # changed since its last backup (or has none): a new backup is then taken at the run.
    backup_at: int = 0
    activities: int = 0  # what the restore brings back


def source_facts_read(*, source: Course) -> SourceFacts:
    """Read from the previous platform; nothing known (zeros) when it does not answer, and
    then it is asked once, not once per fact."""
    client = instance_client(instance=source.instance)
    try:
        fingerprint = client.get_content_fingerprint(source.moodle_id)
        inventory = client.get_course_inventory(source.moodle_id)
    except MoodleError:
        return SourceFacts()
    stored = backup_reusable(course=source, fingerprint=fingerprint.fingerprint)
    backup_at = int(stored.verified_at.timestamp()) if stored and stored.verified_at else 0
    return SourceFacts(backup_at=backup_at, activities=len(inventory.modules))


def cohort_sizes_read(
    *, client: MoodleClient, course: Course, idnumbers: Iterable[str]
) -> dict[str, int]:
    """How many members each cohort a request adds to the course has in Moodle now."""
    cohorts = dict(
        Cohort.objects.filter(
            instance=course.instance, idnumber__in=list(idnumbers), moodle_id__isnull=False
        ).values_list("moodle_id", "idnumber")
    )
    if not cohorts:
        return {}
    return {
        cohorts[members.cohortid]: len(members.userids)
        for members in client.get_cohort_members(list(cohorts))
        if members.cohortid in cohorts
    }


def review_facts_read(
    *,
    client: MoodleClient,
    course: Course,
    user: AbstractBaseUser,
    source_label: str = "",
    source: Course | None = None,
) -> tuple[CourseInventory | None, ReviewFacts]:
    """A fresh inventory of the course (None when Moodle refuses it) and the review's facts.

    Moodle refusing the inventory means the service account lacks the course capabilities
    a backup needs too: the review then says that no backup can be taken.
    """
    holder = open_request_holder(course=course, user=user)
    try:
        inventory = client.get_course_inventory(course.moodle_id)
    except (AccessDenied, FunctionUnavailable) as error:
        return None, ReviewFacts(
            open_request_holder=holder, backup_refused=error.message or error.errorcode
        )
    forums = client.get_forums([course.moodle_id])
    previous = source_facts_read(source=source) if source is not None else SourceFacts()
    return inventory, ReviewFacts(
        teacher_roles=teacher_roles_in_course(client=client, course=course, user=user),
        open_request_holder=holder,
        forum_types={forum.id: forum.type for forum in forums},
        source_label=source_label,
        restore_backup_at=previous.backup_at,
        source_activities=previous.activities,
    )


def course_review_build(
    *,
    course: Course,
    spec: RequestSpec,
    rules: Iterable[PolicyRule],
    inventory: CourseInventory | None,
    facts: ReviewFacts,
    campaign: Campaign | None = None,
) -> CourseReview:
    """The review of one course; without an inventory, only why it cannot go ahead. With the
    campaign, the review says when the request would run if confirmed now."""
    if inventory is None:
        warnings = [ReviewWarning("no_backup", {"detail": facts.backup_refused}, blocking=True)]
        if facts.open_request_holder:
            warnings.append(
                ReviewWarning("open_request", {"holder": facts.open_request_holder}, blocking=True)
            )
        return CourseReview(
            course_moodle_id=course.moodle_id,
            shortname=course.shortname,
            fullname=course.fullname,
            scenario=spec.scenario,
            rows=(),
            warnings=tuple(warnings),
            generated_at=0,
        )
    governed = option_rules(rules=rules, inventory=inventory)
    review = review_course(inventory=inventory, spec=spec, governed=governed, facts=facts)
    if campaign is None:
        return review
    return review_rescheduled(review, campaign=campaign, spec=spec)


SCHEDULE_DATES = frozenset({"announcement", "run", "backup_new"})


def review_rescheduled(
    review: CourseReview, *, campaign: Campaign, spec: RequestSpec
) -> CourseReview:
    """The review with the dates the request runs at if confirmed now with this spec ("as
    soon as possible" or the run date): its announcement, then its run."""
    now = timezone.now()
    schedule = schedule_plan(
        planned_run=request_run_at(campaign=campaign, spec=spec, now=now),
        confirmed_at=now,
        announcement=spec.announcement,
    )
    dates = []
    if schedule.announce_at is not None:
        dates.append(ReviewDate("announcement", 0, int(schedule.announce_at.timestamp())))
    if spec.scenario != "no_change":
        dates.append(ReviewDate("run", 0, int(schedule.run_at.timestamp())))
    kept = tuple(date for date in review.dates if date.kind not in SCHEDULE_DATES)
    if spec.scenario == "restore_previous" and not any(
        date.kind == "backup_restored" for date in kept
    ):
        # No stored backup holds the course as it is: a new one is taken when the request runs.
        dates.append(ReviewDate("backup_new", 0, int(schedule.run_at.timestamp())))
    return dataclasses.replace(review, dates=(*dates, *kept))

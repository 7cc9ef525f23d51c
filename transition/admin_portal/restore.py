"""Restore on request: put a course back from any backup Passage stores (seed 001: "afin
d'obtenir une restauration de cet espace de cours"), with the wizard's review and confirmation.

The request is an approved `restore_previous` request whose spec names the stored backup the
admin chose; the engine plans it as any restore: a backup of the target course as it is now
(nothing destructive without one), the restore of the chosen file, the verification.
"""

import dataclasses

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from moodle_client import MoodleError, ShortnameTaken
from moodle_client.types.courses import NewCourse
from moodle_client.types.passage import CourseInventory
from transition.errors import RequestAlreadyOpen, TransitionError
from transition.models import Backup, Campaign, Category, Course, Job, TransitionRequest
from transition.models.request_plans import RequestPlan
from transition.request_spec import RequestSpec, RestorePlan
from transition.review.engine import restored_user_data_rows
from transition.review.gather import course_review_build, review_facts_read
from transition.review.results import CourseReview, ReviewDate
from transition.services.audit import audit_record
from transition.services.campaigns import campaign_manager_required
from transition.services.instances import instance_client

Kind = Job.Kind
SEARCH_LIMIT = 50


class ReviewBlocked(TransitionError):
    """The review found a reason the restore cannot run (shown with what to do)."""


def backups_matching(*, code: str) -> QuerySet[Backup]:
    """Verified backups of the courses whose short name, ID number or Apogée code contains
    `code`, newest first."""
    code = code.strip()
    return (
        Backup.objects.filter(verified_at__isnull=False, purged_at__isnull=True)
        .filter(
            Q(course__shortname__icontains=code)
            | Q(course__idnumber__icontains=code)
            | Q(course__curriculum_code__icontains=code)
        )
        .select_related("course", "course__instance", "source_instance", "campaign")
        .order_by("-created_at")[:SEARCH_LIMIT]
    )


def _require_user_data(backup: Backup, users: bool) -> None:
    if users and not backup.includes_users:
        raise ReviewBlocked(f"Backup {backup} holds no user data: only its content can return.")


def restore_spec(*, backup: Backup, target: Course, mode: str, users: bool = False) -> RequestSpec:
    _require_user_data(backup, users)
    return RequestSpec(
        scenario=TransitionRequest.Scenario.RESTORE_PREVIOUS,
        course_moodle_id=target.moodle_id,
        restore=RestorePlan(
            source_instance_id=backup.source_instance_id,
            source_course_moodle_id=backup.course.moodle_id,
            mode=mode,
            backup_id=backup.pk,
            users=users,
        ),
        asap=True,
    )


def restore_review(
    *,
    backup: Backup,
    target: Course,
    mode: str,
    campaign: Campaign,
    actor: AbstractBaseUser,
    users: bool = False,
) -> CourseReview:
    """The wizard's review of the target course for this restore. Calls Moodle: no transaction."""
    label = f"{backup.course.shortname} ({backup.created_at:%Y-%m-%d %H:%M})"
    try:
        inventory, facts = review_facts_read(
            client=instance_client(instance=target.instance),
            course=target,
            user=actor,
            source_label=label,
        )
    except MoodleError as error:
        raise ReviewBlocked(str(error)) from error
    taken = backup.verified_at or backup.created_at
    facts = dataclasses.replace(
        facts,
        restore_backup_at=int(taken.timestamp()),
        restored_inventory=(
            CourseInventory.from_json(backup.inventory) if users and backup.inventory else None
        ),
    )
    return course_review_build(
        course=target,
        spec=restore_spec(backup=backup, target=target, mode=mode, users=users),
        rules=campaign.policy.rules.all(),
        inventory=inventory,
        facts=facts,
        campaign=campaign,
    )


def restore_new_course_review(*, backup: Backup, users: bool) -> CourseReview | None:
    """A new course is empty: its review is only what comes back with the user data."""
    _require_user_data(backup, users)
    if not users or not backup.inventory:
        return None
    restored = CourseInventory.from_json(backup.inventory)
    taken = backup.verified_at or backup.created_at
    return CourseReview(
        course_moodle_id=0,
        shortname=backup.course.shortname,
        fullname=backup.course.fullname,
        scenario=TransitionRequest.Scenario.RESTORE_PREVIOUS,
        rows=tuple(restored_user_data_rows(restored)),
        warnings=(),
        generated_at=restored.timegenerated,
        dates=(ReviewDate("backup_restored", 0, int(taken.timestamp())),),
    )


def restore_request_create(
    *,
    backup: Backup,
    target: Course,
    mode: str,
    campaign: Campaign,
    actor: AbstractBaseUser,
    review: CourseReview,
    users: bool = False,
) -> TransitionRequest:
    """Store the confirmed restore; the engine plans and starts it at its next round."""
    campaign_manager_required(actor)
    if review.blocked:
        raise ReviewBlocked("The review found a reason the restore cannot run.")
    if backup.verified_at is None:
        raise ReviewBlocked(f"Backup {backup} is not verified.")
    spec = restore_spec(backup=backup, target=target, mode=mode, users=users)
    now = timezone.now()
    try:
        with transaction.atomic():
            request = TransitionRequest.objects.create(
                campaign=campaign,
                course=target,
                source_course=backup.course,
                requested_by=actor,
                scenario=TransitionRequest.Scenario.RESTORE_PREVIOUS,
                status=TransitionRequest.Status.APPROVED,
                review_snapshot=review.to_json(),
                run_at=now,
                submitted_at=now,
                decided_by=actor,
                decided_at=now,
            )
            RequestPlan.objects.create(request=request, spec=spec.to_json())
            audit_record(
                action="restore_on_request",
                actor=actor,
                campaign=campaign,
                course=target,
                request=request,
                details={"backup": backup.storage_name, "mode": mode, "users": users},
            )
    except IntegrityError as error:
        raise RequestAlreadyOpen(
            f"{target.shortname} already has a request in progress."
        ) from error
    return request


class RestoreTargetRefused(TransitionError):
    """Moodle refused to create the new course (a short name taken, a missing right)."""


def restore_target_create(
    *, shortname: str, fullname: str, category: Category, actor: AbstractBaseUser
) -> Course:
    """Create the empty, hidden course a backup goes back into (one Moodle call), and record it
    as the next sync would."""
    campaign_manager_required(actor)
    instance = category.instance
    try:
        created = instance_client(instance=instance).create_course(
            NewCourse(
                fullname=fullname, shortname=shortname, categoryid=category.moodle_id, visible=False
            )
        )
    except ShortnameTaken as error:
        raise RestoreTargetRefused(f"A course named {shortname} exists already.") from error
    except MoodleError as error:
        raise RestoreTargetRefused(str(error)) from error
    course = Course.objects.create(
        instance=instance,
        moodle_id=created.id,
        shortname=created.shortname,
        fullname=fullname,
        category=category,
        visible=False,
        synced_at=timezone.now(),
    )
    audit_record(
        action="restore_target_create",
        actor=actor,
        course=course,
        details={"shortname": course.shortname, "category": category.name},
    )
    return course

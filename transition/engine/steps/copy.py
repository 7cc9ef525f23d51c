"""Copy the course into a new one for next year, without any user data, and enrol its
teachers.

`users=0` is sent explicitly: Moodle's duplicate otherwise copies user data (site backup
defaults). Without user data Moodle's copy enrols nobody and assigns no role: the teachers the
teacher reviewed (`FreshCopy.teachers`) are enrolled as editing teachers of the new course, and
Passage records their role there; enrolling someone already enrolled changes nothing. On a
retry the copy is recognised by its short name and the course id recorded, or, after a crash
before that record, by its creation after the job started; a course of that short name that is
not ours stops the job.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from moodle_client.types.courses import Course as MoodleCourse
from moodle_client.types.users import ManualEnrolment
from transition.course_dates import dates_after
from transition.engine.errors import CopyNotOurs
from transition.engine.steps.context import StepContext
from transition.engine.steps.guards import require_verified_backup
from transition.engine.steps.people import EDITING_TEACHER_ROLE_ID, moodle_user_id
from transition.models import Course, CourseRole, Person

# A duplicate of a large course takes minutes, inside one HTTP request.
DUPLICATE_TIMEOUT = 3600.0


def run(ctx: StepContext) -> dict[str, Any]:
    assert ctx.spec is not None and ctx.spec.fresh_copy is not None
    assert ctx.job.course is not None
    require_verified_backup(ctx)
    plan = ctx.spec.fresh_copy
    client = ctx.client
    source = client.get_course(ctx.job.course.moodle_id)
    existing = client.find_course_by_shortname(plan.new_shortname)
    if existing is not None:
        if not _is_our_copy(ctx, existing):
            raise CopyNotOurs(
                f"A course with the short name {plan.new_shortname} already exists "
                f"(id {existing.id}) and is not a copy made by Passage."
            )
        new_id = existing.id
    else:
        created = client.duplicate_course(
            source.id,
            fullname=plan.new_fullname or source.fullname,
            shortname=plan.new_shortname,
            categoryid=source.categoryid,
            visible=True,
            users=False,
            timeout=DUPLICATE_TIMEOUT,
        )
        new_id = created.id
    ctx.remember(new_course_moodle_id=new_id)
    if ctx.spec.new_start_date is not None:
        # As Moodle's reset moves dates: the end follows the start, so the copy never ends
        # before it begins.
        startdate, enddate = dates_after(
            startdate=source.startdate, enddate=source.enddate, new_start=ctx.spec.new_start_date
        )
        client.update_course(new_id, startdate=startdate, enddate=enddate)
    teachers = {name: moodle_user_id(ctx, client, name) for name in plan.teachers}
    if teachers:
        client.enrol_users(
            [
                ManualEnrolment(userid=userid, courseid=new_id, roleid=EDITING_TEACHER_ROLE_ID)
                for userid in teachers.values()
            ]
        )
    new_course = _mirror(ctx, new_id, plan.new_shortname, plan.new_fullname or source.fullname)
    _record_teachers(ctx, new_course, teachers)
    return {
        "new_course_moodle_id": new_id,
        "new_course_id": new_course.pk,
        "teachers_enrolled": list(teachers),
    }


def _is_our_copy(ctx: StepContext, course: MoodleCourse) -> bool:
    if ctx.job.result.get("new_course_moodle_id") == course.id:
        return True
    # A crash between Moodle's duplicate and our marking it: the copy was created after this
    # job first started, with no ID number, in the source's category.
    started = ctx.job.started_at or ctx.job.created_at
    return (
        not course.idnumber
        and course.timecreated >= int(started.timestamp()) - 5
        and course.categoryid == ctx.client.get_course(ctx.job.course.moodle_id).categoryid
    )


def _mirror(ctx: StepContext, moodle_id: int, shortname: str, fullname: str) -> Course:
    """The new course in Passage's catalogue, so the next steps and screens can name it."""
    source = ctx.job.course
    assert source is not None
    with transaction.atomic():
        course, _ = Course.objects.update_or_create(
            instance=source.instance,
            moodle_id=moodle_id,
            defaults={
                "shortname": shortname,
                "fullname": fullname,
                "category": source.category,
                "curriculum_code": source.curriculum_code,
            },
        )
        if ctx.job.request is not None and ctx.job.request.target_course_id is None:
            ctx.job.request.target_course = course
            ctx.job.request.save(update_fields=["target_course"])
    return course


def _record_teachers(ctx: StepContext, course: Course, teachers: dict[str, int]) -> None:
    """The new course's editing teachers in Passage, so it is in their list before the next
    sync."""
    people = Person.objects.filter(instance=ctx.job.instance, moodle_username__in=list(teachers))
    for person in people:
        CourseRole.objects.get_or_create(
            course=course, person=person, role=CourseRole.EDITING_TEACHER
        )

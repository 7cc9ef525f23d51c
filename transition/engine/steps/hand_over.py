"""Hand the course over: the successor is enrolled as editing teacher, the owner may give up
their teacher role.

Enrolling someone already enrolled, or unassigning a role not held, changes nothing in Moodle:
a retry is harmless.
"""

from __future__ import annotations

from typing import Any

from moodle_client.types.users import ManualEnrolment, RoleAssignment
from transition.engine.steps.context import StepContext
from transition.engine.steps.people import EDITING_TEACHER_ROLE_ID, moodle_user_id
from transition.models import CourseRole


def run(ctx: StepContext) -> dict[str, Any]:
    assert ctx.spec is not None and ctx.spec.hand_over is not None
    assert ctx.job.course is not None
    plan = ctx.spec.hand_over
    client = ctx.client
    courseid = ctx.job.course.moodle_id
    successor = moodle_user_id(ctx, client, plan.successor_username)
    client.enrol_users(
        [ManualEnrolment(userid=successor, courseid=courseid, roleid=EDITING_TEACHER_ROLE_ID)]
    )
    removed = False
    if plan.remove_own_role and plan.own_username:
        own = moodle_user_id(ctx, client, plan.own_username)
        client.unassign_roles(
            [RoleAssignment(roleid=EDITING_TEACHER_ROLE_ID, userid=own, instanceid=courseid)]
        )
        CourseRole.objects.filter(
            course=ctx.job.course,
            person__moodle_username=plan.own_username,
            role=CourseRole.EDITING_TEACHER,
        ).delete()
        removed = True
    return {"successor_userid": successor, "own_role_removed": removed}

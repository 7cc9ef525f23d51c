"""Archive last year's course once copied: rename with a prefix, move it, hide it."""

from __future__ import annotations

from typing import Any

from transition.engine.steps.context import StepContext
from transition.engine.steps.guards import require_verified_backup
from transition.models import Category


def run(ctx: StepContext) -> dict[str, Any]:
    assert ctx.spec is not None and ctx.spec.fresh_copy is not None
    assert ctx.job.course is not None
    require_verified_backup(ctx)
    plan = ctx.spec.fresh_copy.archive
    client = ctx.client
    course = client.get_course(ctx.job.course.moodle_id)
    changes: dict[str, Any] = {}
    # Each change is read back from Moodle first, so a retry never prefixes twice.
    if plan.prefix and not course.shortname.startswith(plan.prefix):
        changes["shortname"] = plan.prefix + course.shortname
        changes["fullname"] = plan.prefix + course.fullname
    if plan.move_to_category_moodle_id and course.categoryid != plan.move_to_category_moodle_id:
        changes["categoryid"] = plan.move_to_category_moodle_id
    if plan.hide and course.visible:
        changes["visible"] = False
    if changes:
        client.update_course(course.id, **changes)
        mirrored = {
            name: value for name, value in changes.items() if name in ("shortname", "fullname")
        }
        if "visible" in changes:
            mirrored["visible"] = False
        if "categoryid" in changes:
            # The teacher's lists show the old course where it now is, not where it was.
            moved_to = Category.objects.filter(
                instance_id=ctx.job.course.instance_id, moodle_id=changes["categoryid"]
            ).first()
            if moved_to is not None:
                mirrored["category"] = moved_to
        if mirrored:
            type(ctx.job.course).objects.filter(pk=ctx.job.course.pk).update(**mirrored)
    return {"changed": sorted(changes)}

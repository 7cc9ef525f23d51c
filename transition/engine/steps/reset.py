"""Reset the course with exactly the options the teacher reviewed."""

from __future__ import annotations

from typing import Any

from transition.engine.errors import StepFailed
from transition.engine.steps.context import StepContext
from transition.engine.steps.guards import require_verified_backup
from transition.engine.steps.operations import operation_run


def run(ctx: StepContext) -> dict[str, Any]:
    assert ctx.spec is not None and ctx.job.course is not None
    backup = require_verified_backup(ctx)
    course = ctx.job.course
    options = dict(ctx.spec.reset_options)
    operation = operation_run(
        ctx, lambda: ctx.client.reset_course(course.moodle_id, options, ctx.moodle_key)
    )
    errors = [item for item in operation.result.components if item.error]
    if errors:
        raise StepFailed(
            "Moodle reset the course but reported errors: "
            + "; ".join(f"{item.component} {item.item}: {item.error}" for item in errors),
            errorcode="resetincomplete",
        )
    return {
        "backup_id": backup.pk,
        "operation_id": operation.id,
        "components": [
            {"component": item.component, "item": item.item, "error": item.error}
            for item in operation.result.components
        ],
    }

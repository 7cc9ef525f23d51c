"""Swap last year's cohort syncs for next year's on the course students use next year.

Both plugin calls are idempotent (adding a cohort already there returns it, removing an
instance already gone is harmless), so a retry after a crash simply does the rest.
"""

from __future__ import annotations

from typing import Any

from transition.engine.steps.context import StepContext
from transition.engine.steps.guards import require_verified_backup
from transition.models import Job


def target_course_moodle_id(ctx: StepContext) -> int:
    """The new course for a fresh copy, else the request's course."""
    request = ctx.job.request
    assert request is not None and ctx.job.course is not None
    if ctx.spec is not None and ctx.spec.scenario == "fresh_copy":
        copy = request.jobs.filter(kind=Job.Kind.COPY, status=Job.Status.SUCCEEDED).first()
        if copy is not None and copy.result.get("new_course_moodle_id"):
            return int(copy.result["new_course_moodle_id"])
    return ctx.job.course.moodle_id


def run(ctx: StepContext) -> dict[str, Any]:
    assert ctx.spec is not None
    courseid = target_course_moodle_id(ctx)
    client = ctx.client
    removed: list[int] = []
    unenrolled = 0
    if ctx.spec.removes_cohorts:
        require_verified_backup(ctx)
        present = client.list_cohort_syncs(courseid)
        to_remove = {change.enrol_instance_id for change in ctx.spec.removes_cohorts}
        if courseid != ctx.job.course.moodle_id:  # type: ignore[union-attr]
            # On a copy the instances have new ids: match them by cohort.
            cohorts = {change.cohort_idnumber for change in ctx.spec.removes_cohorts}
            to_remove = {sync.id for sync in present if sync.cohortidnumber in cohorts}
        for instance_id in sorted(to_remove):
            answer = client.remove_cohort_sync(courseid, instance_id)
            if answer.removed:
                removed.append(instance_id)
                unenrolled += answer.unenrolled
    added: list[dict[str, Any]] = []
    for change in ctx.spec.adds_cohorts:
        answer = client.add_cohort_sync(courseid, change.cohort_idnumber, roleshortname=change.role)
        added.append(
            {
                "cohort": change.cohort_idnumber,
                "instance": answer.instance.id,
                "created": answer.created,
                "users": answer.instance.users,
            }
        )
    return {
        "course_moodle_id": courseid,
        "removed": removed,
        "unenrolled": unenrolled,
        "added": added,
    }

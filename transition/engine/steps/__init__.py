"""What each kind of job does in Moodle: one module per kind, each with `run(ctx) -> result`.

A step runs outside any database transaction, is safe to run again after a crash at any point
(it reads Moodle's state or passes its key before acting), and returns what the job records.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from transition.engine.steps import (
    announcement,
    archive,
    backup,
    cohort_resync,
    copy,
    grade_export,
    hand_over,
    keep_copy,
    reset,
    restore,
    verify,
)
from transition.engine.steps.context import StepContext
from transition.models import Job

Step = Callable[[StepContext], dict[str, Any]]

STEPS: dict[str, Step] = {
    Job.Kind.GRADE_EXPORT: grade_export.run,
    Job.Kind.KEEP_COPY: keep_copy.run,
    Job.Kind.ANNOUNCEMENT: announcement.run,
    Job.Kind.BACKUP: backup.run,
    Job.Kind.RESET: reset.run,
    Job.Kind.COPY: copy.run,
    Job.Kind.ARCHIVE: archive.run,
    Job.Kind.RESTORE: restore.run,
    Job.Kind.HAND_OVER: hand_over.run,
    Job.Kind.COHORT_RESYNC: cohort_resync.run,
    Job.Kind.VERIFY: verify.run,
}

__all__ = ["STEPS", "Step", "StepContext"]

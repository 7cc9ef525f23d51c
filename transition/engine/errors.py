"""Why a job stops: errors a step raises, each saying whether trying again may help."""

from __future__ import annotations

from typing import Any

from transition.errors import TransitionError


class StepFailed(TransitionError):
    """A job cannot succeed as things are; a person has to look (permanent)."""

    errorcode = "stepfailed"

    def __init__(self, message: str, *, errorcode: str = "", details: Any = None) -> None:
        super().__init__(message)
        self.message = message
        if errorcode:
            self.errorcode = errorcode
        self.details = details


class BackupMissing(StepFailed):
    """A destructive job found no verified backup of its course taken in this campaign."""

    errorcode = "backupmissing"


class OperationFailed(StepFailed):
    """Moodle ran the operation and reports it failed; its error code and message are kept."""


class OperationStale(StepFailed):
    """Moodle answered, under this job's key, an operation created before the job: work another
    installation (or a restored copy of this database) asked for. It is never taken as the job's
    own."""

    errorcode = "operationstale"


class VerificationFailed(StepFailed):
    """The course after the transition differs from what the teacher reviewed."""

    errorcode = "verifymismatch"


class PlanMismatch(StepFailed):
    """The job's course (or platform) is not the one its request's confirmed plan names: the
    request or the job was changed after the teacher confirmed. Nothing is done."""

    errorcode = "planmismatch"


class CopyNotOurs(StepFailed):
    """The copy's short name is taken by a course Passage did not create."""

    errorcode = "shortnametaken"


class StepInterrupted(TransitionError):
    """Transient: the step could not finish now (a download that does not match Moodle's
    checksum, an operation still running at the deadline); the next attempt resumes it."""

    def __init__(self, message: str, *, errorcode: str) -> None:
        super().__init__(message)
        self.message = message
        self.errorcode = errorcode


class CourseBusy(TransitionError):
    """Another request (or a campaign backup) holds the course."""


class NoSlot(TransitionError):
    """The Moodle platform is at its concurrency limit; the job waits for a slot."""

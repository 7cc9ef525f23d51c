"""Exception types for everything that can go wrong when Passage talks to Moodle.

Moodle answers web-service errors with HTTP 200 and a body
``{"exception": ..., "errorcode": ..., "message": ...[, "debuginfo": ...]}``; the client turns each
one into the type below that says who can fix it. Only :class:`MoodleUnavailable` (Moodle could
not be reached or answered garbage) is worth a retry: every other error is permanent and must be
shown to the person who can fix it (an admin for a bad token, a teacher for a taken short name).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from moodle_client.types.passage import Operation


class MoodleError(Exception):
    """An error answered by Moodle or met on the way to it.

    ``errorcode`` is Moodle's error code (``invalidtoken``, ``shortnametaken``, ``keyconflict``...)
    and is the thing to test in code; ``message`` is Moodle's text, meant for people.
    Only subclasses whose ``retryable`` is true (that is :class:`MoodleUnavailable`) may be retried.
    """

    retryable: ClassVar[bool] = False

    def __init__(
        self,
        message: str,
        *,
        errorcode: str = "",
        exception: str = "",
        function: str = "",
        debuginfo: str = "",
    ) -> None:
        super().__init__(message)
        self.message = message
        self.errorcode = errorcode
        self.exception = exception
        self.function = function
        self.debuginfo = debuginfo

    def __str__(self) -> str:
        where = f"{self.function}: " if self.function else ""
        code = f" [{self.errorcode}]" if self.errorcode else ""
        return f"{where}{self.message}{code}"

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(errorcode={self.errorcode!r}, message={self.message!r}, "
            f"function={self.function!r})"
        )


class MoodleUnavailable(MoodleError):
    """Moodle could not be reached or did not answer as Moodle does: connection refused, timeout,
    dropped connection, HTTP 5xx, a body that is not Moodle's JSON (an HTML error page). Transient:
    the only error worth a retry."""

    retryable = True


class InvalidToken(MoodleError):
    """The token is unknown, expired or restricted to other addresses (``invalidtoken``)."""


class AccessDenied(MoodleError):
    """The token's user may not do this: missing capability, no ``webservice/rest:use``, not
    enrolled in the course."""


class InvalidParameter(MoodleError):
    """Moodle refused the parameters (wrong type, missing, unexpected key, unknown option)."""


class NotFound(MoodleError):
    """The record asked for does not exist (course, forum, file...)."""


class FunctionUnavailable(MoodleError):
    """The web-service function does not exist on this Moodle or is not in the token's service."""


class UnexpectedResponse(MoodleError):
    """Moodle answered valid JSON whose structure is not the one documented for the function
    (another Moodle or plugin version). Permanent: retrying gives the same answer."""


class ShortnameTaken(MoodleError):
    """A course with this short name already exists (``shortnametaken``)."""


class CourseNotEmpty(MoodleError):
    """Restore refused: the target course holds activities (``coursenotempty``)."""


class AlreadyRestored(MoodleError):
    """Restore refused: Passage already restored into this course (``alreadyrestored``)."""


class NoBackupFile(MoodleError):
    """Restore refused: the draft area holds no ``.mbz`` (``nobackupfile``)."""


class KeyConflict(MoodleError):
    """The operation key is already used by another function or course (``keyconflict``)."""


class CohortNotFound(MoodleError):
    """No cohort with this idnumber (``cohortnotfound``)."""


class OperationTimeout(Exception):
    """A plugin operation did not finish before the deadline.

    ``operation`` is the last state read from Moodle (``None`` if it could never be read); the
    operation itself goes on in Moodle and can be polled again later.
    """

    def __init__(self, operation_id: int, operation: Operation | None, waited: float) -> None:
        status = operation.status if operation is not None else "unknown"
        super().__init__(
            f"operation {operation_id} still {status} after {waited:.0f} s",
        )
        self.operation_id = operation_id
        self.operation = operation
        self.waited = waited


ERRORCODE_TYPES: Mapping[str, type[MoodleError]] = {
    "invalidtoken": InvalidToken,
    "accessexception": AccessDenied,
    "nopermissions": AccessDenied,
    "required_capability_exception": AccessDenied,
    "errorcoursecontextnotvalid": AccessDenied,
    "requireloginerror": AccessDenied,
    "invalidparameter": InvalidParameter,
    "missingparam": InvalidParameter,
    "invalidextparam": InvalidParameter,
    "errorinvalidparam": InvalidParameter,
    "setting_by_name_not_found": InvalidParameter,
    "invalidrole": InvalidParameter,
    "invalidgroup": InvalidParameter,
    "invalidrecord": NotFound,
    "invalidrecordunknown": NotFound,
    "invalidcourseid": NotFound,
    "invalidcoursemodule": NotFound,
    "filenotfound": NotFound,
    "notfound": NotFound,
    # local_passage_delete_backup: no backup operation with that id.
    "operationnotfound": NotFound,
    "unknowncourseidnumber": NotFound,
    "shortnametaken": ShortnameTaken,
    "coursenotempty": CourseNotEmpty,
    "alreadyrestored": AlreadyRestored,
    "nobackupfile": NoBackupFile,
    "keyconflict": KeyConflict,
    "cohortnotfound": CohortNotFound,
}
"""Moodle error codes (and warning codes) mapped to exception types; any other code gives a plain
:class:`MoodleError` carrying it."""


def is_moodle_error_body(body: Any) -> bool:
    """True for the JSON object Moodle sends instead of a result when a call fails. A PHP error
    inside a function (``mod_forum_get_discussion_posts`` on an unknown discussion) comes back
    as ``{"exception": "Error", "message": ...}``, without an error code."""
    return (
        isinstance(body, Mapping)
        and "exception" in body
        and ("errorcode" in body or set(body) <= {"exception", "message", "debuginfo"})
    )


def error_from_body(body: Mapping[str, Any], *, function: str) -> MoodleError:
    """The exception for one Moodle error body (web service ``{exception, errorcode, message}``
    or pluginfile/upload ``{error, errorcode}``)."""
    errorcode = str(body.get("errorcode") or "")
    exception = str(body.get("exception") or "")
    message = str(body.get("message") or body.get("error") or errorcode or "Moodle error")
    debuginfo = str(body.get("debuginfo") or "")
    error_type = ERRORCODE_TYPES.get(errorcode, MoodleError)
    if error_type is MoodleError and exception.endswith("required_capability_exception"):
        error_type = AccessDenied
    return error_type(
        message, errorcode=errorcode, exception=exception, function=function, debuginfo=debuginfo
    )


def is_retryable(exc: BaseException) -> bool:
    """True only when trying again later may succeed (Moodle unreachable or answering garbage)."""
    return isinstance(exc, MoodleError) and exc.retryable

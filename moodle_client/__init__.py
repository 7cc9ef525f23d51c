"""Passage's boundary with Moodle: a typed client for its REST web services.

Plain Python (no Django). ``MoodleClient`` is the entry point; answers are the frozen
dataclasses of :mod:`moodle_client.types`, errors the types of :mod:`moodle_client.errors`.
"""

from moodle_client.client import MoodleClient
from moodle_client.errors import (
    AccessDenied,
    AlreadyRestored,
    CohortNotFound,
    CourseNotEmpty,
    FunctionUnavailable,
    InvalidParameter,
    InvalidToken,
    KeyConflict,
    MoodleError,
    MoodleUnavailable,
    NoBackupFile,
    NotFound,
    OperationTimeout,
    ShortnameTaken,
    UnexpectedResponse,
    is_retryable,
)
from moodle_client.operations import wait_for_operation
from moodle_client.retry import READ_ONLY_FUNCTIONS, RetryPolicy, is_read_only

__all__ = [
    "READ_ONLY_FUNCTIONS",
    "AccessDenied",
    "AlreadyRestored",
    "CohortNotFound",
    "CourseNotEmpty",
    "FunctionUnavailable",
    "InvalidParameter",
    "InvalidToken",
    "KeyConflict",
    "MoodleClient",
    "MoodleError",
    "MoodleUnavailable",
    "NoBackupFile",
    "NotFound",
    "OperationTimeout",
    "RetryPolicy",
    "ShortnameTaken",
    "UnexpectedResponse",
    "is_read_only",
    "is_retryable",
    "wait_for_operation",
]

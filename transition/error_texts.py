"""What an error means for the person who sees it: a sentence in their language, keyed by error
code (Moodle's, the client's and the engine's), and what happens next.

The technical text (Moodle's message, an exception's) is for administrators: the dashboard and
the request page show it to them only. Teachers read these sentences, on the page and by e-mail.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

UNREACHABLE = "unreachable"
ACCESS = "access"
NOT_FOUND = "not_found"
REFUSED = "refused"
NO_BACKUP = "no_backup"
MISMATCH = "mismatch"
UNEXPECTED = "unexpected"

# Each error code a job or a Moodle call can end with, by what it means for a teacher.
_FAMILY: dict[str, str] = {
    # The network, Moodle's answers, the engine's own interruptions: transient.
    "connectionerror": UNREACHABLE,
    "timeout": UNREACHABLE,
    "requesterror": UNREACHABLE,
    "notjson": UNREACHABLE,
    "truncated": UNREACHABLE,
    "unexpectedresponse": UNREACHABLE,
    "operationtimeout": UNREACHABLE,
    "timelimit": UNREACHABLE,
    "workerlost": UNREACHABLE,
    "connectionrefused": UNREACHABLE,
    "dnserror": UNREACHABLE,
    "tlserror": UNREACHABLE,
    "platformdown": UNREACHABLE,
    "servicenotavailable": UNREACHABLE,
    "MoodleUnavailable": UNREACHABLE,
    # Passage's account in Moodle lacks a right.
    "invalidtoken": ACCESS,
    "accessexception": ACCESS,
    "nopermissions": ACCESS,
    "required_capability_exception": ACCESS,
    "errorcoursecontextnotvalid": ACCESS,
    "requireloginerror": ACCESS,
    "http401": ACCESS,
    "http403": ACCESS,
    # Something Moodle no longer has.
    "invalidrecord": NOT_FOUND,
    "invalidrecordunknown": NOT_FOUND,
    "invalidcourseid": NOT_FOUND,
    "invalidcoursemodule": NOT_FOUND,
    "filenotfound": NOT_FOUND,
    "notfound": NOT_FOUND,
    "unknowncourseidnumber": NOT_FOUND,
    "http404": NOT_FOUND,
    # Moodle refused what was asked as it was asked.
    "invalidparameter": REFUSED,
    "missingparam": REFUSED,
    "invalidextparam": REFUSED,
    "errorinvalidparam": REFUSED,
    "setting_by_name_not_found": REFUSED,
    "invalidrole": REFUSED,
    "invalidgroup": REFUSED,
    "keyconflict": REFUSED,
    # No backup that may be trusted: nothing destructive ran.
    "backupmissing": NO_BACKUP,
    "backupmismatch": NO_BACKUP,
    "nobackupfile": NO_BACKUP,
    "nosourcebackup": NO_BACKUP,
    # The course after the run is not what the review said.
    "verifymismatch": MISMATCH,
    "resetincomplete": MISMATCH,
}

# Codes whose sentence says more than their family's.
_OWN: dict[str, Promise] = {
    "shortnametaken": _(
        "The short name chosen for the new course is already taken by another course in Moodle."
    ),
    "coursenotempty": _("The course already holds content, so nothing was restored into it."),
    "alreadyrestored": _(
        "A backup was already restored into this course: it was not restored again."
    ),
    "usernotfound": _("The colleague you chose was not found in Moodle."),
    "cohortnotfound": _("A cohort to add was not found in Moodle."),
    "nonewsforum": _("The course has no announcements forum, so the students were not warned."),
}

_WHAT: dict[str, Promise] = {
    UNREACHABLE: _("Moodle could not be reached or did not answer in time."),
    ACCESS: _("Moodle refused Passage the right to do this on the course."),
    NOT_FOUND: _("Moodle no longer finds the course or one of its parts."),
    REFUSED: _("Moodle refused the operation as Passage asked for it."),
    NO_BACKUP: _(
        "No verified backup of the course could be kept, so nothing was changed in the course."
    ),
    MISMATCH: _("After the run, the course does not match the review you confirmed."),
    UNEXPECTED: _("An unexpected error stopped this step."),
}

_RETRYING = _("Passage tries again by itself shortly; you have nothing to do.")
_STOPPED: dict[str, Promise] = {
    UNREACHABLE: _(
        "Passage tried several times. The administrators are told and will start it again; you "
        "have nothing to do."
    ),
    MISMATCH: _(
        "The administrators are told and will compare them; the backup taken before lets them "
        "put the course back if needed."
    ),
}
_STOPPED_DEFAULT = _(
    "The administrators are told and will correct it, then start it again; you have nothing to "
    "do. You will receive an e-mail when it is done."
)


@dataclass(frozen=True)
class ErrorText:
    """An error as a person reads it: what happened, what happens next, and the code.

    The sentences stay lazy: they read in the language active where they are shown (an
    e-mail is drawn in its reader's language, not the sender's)."""

    code: str
    what: str | Promise
    next: str | Promise


def error_family(code: str) -> str:
    if code in _FAMILY:
        return _FAMILY[code]
    if code.startswith("http5"):
        return UNREACHABLE
    return UNEXPECTED


def error_for_people(code: str, *, retrying: bool = False) -> ErrorText:
    """The sentences for error `code`; `retrying` when Passage will try again by itself."""
    family = error_family(code)
    what = _OWN.get(code) or _WHAT[family]
    following = _RETRYING if retrying else _STOPPED.get(family, _STOPPED_DEFAULT)
    return ErrorText(code=code, what=what, next=following)

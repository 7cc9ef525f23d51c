"""local_passage: the companion plugin's functions (``moodle_plugin/local_passage/API.md``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from moodle_client.api.base import ApiBase
from moodle_client.encoding import name_value_list
from moodle_client.errors import NotFound
from moodle_client.transport import Timeout
from moodle_client.types.passage import (
    BackupDeleted,
    CohortSync,
    CohortSyncAdded,
    CohortSyncRemoved,
    ContentFingerprint,
    CourseInventory,
    NewsForum,
    Operation,
    OperationList,
    SiteLimits,
)

ResetOptionValue = str | int | bool | Sequence[str | int]
# Seconds a call that waits for an operation may take beyond its wait, to be answered.
OPERATION_WAIT_MARGIN = 30.0


class PassageApi(ApiBase):
    def get_course_inventory(self, courseid: int) -> CourseInventory:
        """Everything the course holds, counted per kind and split students/others.

        local_passage_get_course_inventory, see API.md § Inventory.
        """
        return self._fetch(
            "local_passage_get_course_inventory", {"courseid": courseid}, CourseInventory.from_json
        )

    def backup_course(
        self,
        courseid: int,
        *,
        key: str,
        users: bool = False,
        anonymize: bool = False,
        runinline: bool = False,
        timeout: Timeout | None = None,
    ) -> Operation:
        """Queue a backup of the course (done at once with ``runinline``).

        The same ``key`` again returns the same operation: a retried job does not back up twice.
        local_passage_backup_course, see API.md § Operations.
        """
        return self._fetch(
            "local_passage_backup_course",
            {
                "courseid": courseid,
                "users": users,
                "anonymize": anonymize,
                "key": key,
                "runinline": runinline,
            },
            Operation.from_json,
            timeout=timeout,
        )

    def reset_course(
        self,
        courseid: int,
        options: Mapping[str, ResetOptionValue],
        key: str,
        *,
        runinline: bool = False,
        timeout: Timeout | None = None,
    ) -> Operation:
        """Queue a reset of the course with the reset form's ``options`` (RESET_OPTIONS.md).

        Booleans go as ``1``/``0``, a multi-select (``unenrol_users=[5, 3]``,
        ``reset_forum_types=["news", "general"]``) comma-separated. An unknown option name
        raises ``InvalidParameter``.
        local_passage_reset_course, see API.md § Operations.
        """
        return self._fetch(
            "local_passage_reset_course",
            {
                "courseid": courseid,
                "options": name_value_list(options),
                "key": key,
                "runinline": runinline,
            },
            Operation.from_json,
            timeout=timeout,
        )

    def restore_course(
        self,
        courseid: int,
        draftitemid: int,
        *,
        key: str,
        mode: str = "delete",
        settings: Mapping[str, bool] | None = None,
        expectempty: bool = True,
        runinline: bool = False,
        fileurl: str = "",
        filesha1: str = "",
        timeout: Timeout | None = None,
    ) -> Operation:
        """Queue a restore of the ``.mbz`` in draft area ``draftitemid`` into course ``courseid``.

        A file above the site's upload limit (:meth:`get_site_limits`) is given instead as
        ``fileurl``, a short-lived URL the plugin fetches when the restore runs, with its
        ``filesha1`` (``draftitemid`` 0): a fetched file of another SHA-1 fails the operation.

        ``mode`` is ``delete`` (replace the course's content) or ``merge``; ``settings`` are the
        restore plan's (``users``, ``groups``, ``keep_roles_and_enrolments``...; API.md lists
        them), a name the plan lacks is ignored by Moodle. Refusals raise before
        any operation exists: ``CourseNotEmpty``, ``AlreadyRestored``, ``NoBackupFile``.
        local_passage_restore_course, see API.md § Operations.
        """
        if mode not in ("delete", "merge"):
            raise ValueError(f"restore mode must be 'delete' or 'merge', not {mode!r}")
        return self._fetch(
            "local_passage_restore_course",
            {
                "courseid": courseid,
                "draftitemid": draftitemid,
                "mode": mode,
                "settings": name_value_list(settings or {}),
                "expectempty": expectempty,
                "key": key,
                "runinline": runinline,
                **({"fileurl": fileurl, "filesha1": filesha1.lower()} if fileurl else {}),
            },
            Operation.from_json,
            timeout=timeout,
        )

    def get_site_limits(self) -> SiteLimits:
        """The largest file ``webservice/upload.php`` accepts, and whether a restore can fetch
        its backup from a URL.

        local_passage_get_site_limits, see API.md § Files.
        """
        return self._fetch("local_passage_get_site_limits", {}, SiteLimits.from_json)

    def delete_backup(self, operationid: int) -> BackupDeleted:
        """Delete the file a finished backup operation left in Moodle, once Passage holds a
        verified copy; a file already gone answers ``deleted=False`` (a retry does no harm).

        local_passage_delete_backup, see API.md § Files.
        """
        return self._fetch(
            "local_passage_delete_backup", {"operationid": operationid}, BackupDeleted.from_json
        )

    def get_operations(self, ids: Sequence[int], *, wait: int = 0) -> OperationList:
        """The current state of operations; an id not found (or not visible) is a warning.

        With ``wait`` (seconds, at most 30), Moodle answers as soon as one of the operations
        that is queued or running changes status or progress, or after ``wait`` seconds: the
        caller sees an operation end when it ends, without looking again and again.

        local_passage_get_operations, see API.md § Operations.
        """
        params: dict[str, Any] = {"ids": list(ids)}
        if wait > 0:
            params["waitseconds"] = wait
        return self._fetch(
            "local_passage_get_operations",
            params,
            OperationList.from_json,
            timeout=(wait + OPERATION_WAIT_MARGIN) if wait > 0 else None,
        )

    def get_operation(self, operationid: int, *, wait: int = 0) -> Operation:
        """The current state of one operation (after waiting for a change, as
        :meth:`get_operations`); :class:`NotFound` if Moodle does not know it."""
        found = self.get_operations([operationid], wait=wait)
        for operation in found.operations:
            if operation.id == operationid:
                return operation
        message = found.warnings[0].message if found.warnings else "operation not found"
        raise NotFound(message, errorcode="notfound", function="local_passage_get_operations")

    def list_cohort_syncs(self, courseid: int) -> tuple[CohortSync, ...]:
        """The cohort-sync enrolment instances of a course (core web services cannot list them).

        local_passage_list_cohort_syncs, see API.md § Cohort sync.
        """

        def parse(answer: Any) -> tuple[CohortSync, ...]:
            return tuple(CohortSync.from_json(item) for item in answer["instances"])

        return self._fetch("local_passage_list_cohort_syncs", {"courseid": courseid}, parse)

    def add_cohort_sync(
        self,
        courseid: int,
        cohortidnumber: str,
        *,
        roleshortname: str = "student",
        groupid: int = 0,
    ) -> CohortSyncAdded:
        """Enrol a cohort in a course; idempotent (``created`` false if it was already there).

        Raises ``CohortNotFound`` for an unknown cohort, ``InvalidParameter`` (errorcode
        ``invalidrole`` / ``invalidgroup``) for a role or group that does not fit the course.
        local_passage_add_cohort_sync, see API.md § Cohort sync.
        """

        def parse(answer: Any) -> CohortSyncAdded:
            return CohortSyncAdded(
                instance=CohortSync.from_json(answer["instance"]), created=bool(answer["created"])
            )

        return self._fetch(
            "local_passage_add_cohort_sync",
            {
                "courseid": courseid,
                "cohortidnumber": cohortidnumber,
                "roleshortname": roleshortname,
                "groupid": groupid,
            },
            parse,
        )

    def remove_cohort_sync(self, courseid: int, instanceid: int) -> CohortSyncRemoved:
        """Remove a cohort-sync instance and its enrolments; an instance already gone answers
        ``removed=False`` (a retry does no harm).

        local_passage_remove_cohort_sync, see API.md § Cohort sync.
        """

        def parse(answer: Any) -> CohortSyncRemoved:
            return CohortSyncRemoved(
                removed=bool(answer["removed"]), unenrolled=int(answer["unenrolled"])
            )

        return self._fetch(
            "local_passage_remove_cohort_sync",
            {"courseid": courseid, "instanceid": instanceid},
            parse,
        )

    def get_content_fingerprint(self, courseid: int) -> ContentFingerprint:
        """One SHA-1 of what the course's content is made of: unchanged, a backup taken when
        it was read still holds the course.

        local_passage_get_content_fingerprint, see API.md § Inventory.
        """
        return self._fetch(
            "local_passage_get_content_fingerprint",
            {"courseid": courseid},
            ContentFingerprint.from_json,
        )

    def ensure_news_forum(self, courseid: int) -> NewsForum:
        """The course's announcements forum, created as opening the course would create it:
        Moodle makes it lazily, so a course created by web services or restored may have none.

        local_passage_ensure_news_forum, see API.md § Announcements forum.
        """
        return self._fetch(
            "local_passage_ensure_news_forum", {"courseid": courseid}, NewsForum.from_json
        )

"""Answers of the companion plugin ``local_passage`` (``moodle_plugin/local_passage/API.md``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from moodle_client.types.common import MoodleWarning, as_bool, warnings_from

OPERATION_FINISHED_STATUSES = frozenset({"success", "failed"})


@dataclass(frozen=True)
class ResetComponentStatus:
    """One line of ``reset_course_userdata()``'s status list; ``error`` empty on success."""

    component: str
    item: str
    error: str

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ResetComponentStatus:
        return cls(
            component=str(data.get("component") or ""),
            item=str(data.get("item") or ""),
            error=str(data.get("error") or ""),
        )


@dataclass(frozen=True)
class OperationResult:
    """What a finished operation produced: a backup file, a reset status, a restored course."""

    filename: str
    filesize: int
    contenthash: str
    fileurl: str
    components: tuple[ResetComponentStatus, ...]
    restoredcourseid: int

    @classmethod
    def from_json(cls, data: Mapping[str, Any] | None) -> OperationResult:
        data = data or {}
        return cls(
            filename=str(data.get("filename") or ""),
            filesize=int(data.get("filesize") or 0),
            contenthash=str(data.get("contenthash") or ""),
            fileurl=str(data.get("fileurl") or ""),
            components=tuple(
                ResetComponentStatus.from_json(item) for item in data.get("components") or ()
            ),
            restoredcourseid=int(data.get("restoredcourseid") or 0),
        )


@dataclass(frozen=True)
class OperationError:
    """Why an operation failed (Moodle's error code and message)."""

    errorcode: str
    message: str


@dataclass(frozen=True)
class Operation:
    """A backup, reset or restore queued in Moodle (``local_passage_*``).

    ``status`` is ``queued``, ``running``, ``success`` or ``failed``; ``error`` is set only
    when it failed.
    """

    id: int
    key: str
    type: str
    courseid: int
    status: str
    progress: float
    timecreated: int
    timestarted: int
    timefinished: int
    result: OperationResult
    error: OperationError | None

    @property
    def finished(self) -> bool:
        return self.status in OPERATION_FINISHED_STATUSES

    @property
    def succeeded(self) -> bool:
        return self.status == "success"

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Operation:
        error = data.get("error") or {}
        errorcode = str(error.get("errorcode") or "")
        return cls(
            id=int(data["id"]),
            key=str(data["key"]),
            type=str(data["type"]),
            courseid=int(data["courseid"]),
            status=str(data["status"]),
            progress=float(data.get("progress") or 0.0),
            timecreated=int(data.get("timecreated") or 0),
            timestarted=int(data.get("timestarted") or 0),
            timefinished=int(data.get("timefinished") or 0),
            result=OperationResult.from_json(data.get("result")),
            error=(
                OperationError(errorcode=errorcode, message=str(error.get("message") or ""))
                if errorcode
                else None
            ),
        )


@dataclass(frozen=True)
class OperationList:
    """``local_passage_get_operations``: the operations found, a warning per id not found."""

    operations: tuple[Operation, ...]
    warnings: tuple[MoodleWarning, ...]

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> OperationList:
        return cls(
            operations=tuple(Operation.from_json(item) for item in data["operations"]),
            warnings=warnings_from(data),
        )


@dataclass(frozen=True)
class DataCount:
    """How many records of one kind exist, split by author (students vs everyone else)."""

    kind: str
    total: int
    students: int
    others: int

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> DataCount:
        return cls(
            kind=str(data["kind"]),
            total=int(data["total"]),
            students=int(data["students"]),
            others=int(data["others"]),
        )


def _counts(data: Any) -> tuple[DataCount, ...]:
    return tuple(DataCount.from_json(item) for item in data or ())


@dataclass(frozen=True)
class InventoryCourse:
    id: int
    shortname: str
    fullname: str
    idnumber: str
    categoryid: int
    categoryname: str
    startdate: int
    enddate: int
    visible: bool
    format: str

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> InventoryCourse:
        return cls(
            id=int(data["id"]),
            shortname=str(data["shortname"]),
            fullname=str(data["fullname"]),
            idnumber=str(data.get("idnumber") or ""),
            categoryid=int(data["categoryid"]),
            categoryname=str(data.get("categoryname") or ""),
            startdate=int(data.get("startdate") or 0),
            enddate=int(data.get("enddate") or 0),
            visible=as_bool(data["visible"]),
            format=str(data.get("format") or ""),
        )


@dataclass(frozen=True)
class InventoryModule:
    """An activity with the user data it holds; ``resettable`` is false for the module types
    Moodle's reset ignores (lti, qbank, subsection)."""

    cmid: int
    modname: str
    instance: int
    name: str
    section: int
    visible: bool
    resettable: bool
    data: tuple[DataCount, ...]

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> InventoryModule:
        return cls(
            cmid=int(data["cmid"]),
            modname=str(data["modname"]),
            instance=int(data["instance"]),
            name=str(data["name"]),
            section=int(data["section"]),
            visible=as_bool(data["visible"]),
            resettable=as_bool(data["resettable"]),
            data=_counts(data.get("data")),
        )

    def count(self, kind: str) -> DataCount | None:
        return next((item for item in self.data if item.kind == kind), None)


@dataclass(frozen=True)
class InventoryEnrolment:
    """An enrolment instance of the course; cohort fields are set for ``method == "cohort"``."""

    id: int
    method: str
    name: str
    status: int
    roleid: int
    roleshortname: str
    cohortid: int
    cohortidnumber: str
    cohortname: str
    groupid: int
    users: int

    @property
    def enabled(self) -> bool:
        return self.status == 0

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> InventoryEnrolment:
        return cls(
            id=int(data["id"]),
            method=str(data["method"]),
            name=str(data.get("name") or ""),
            status=int(data.get("status") or 0),
            roleid=int(data.get("roleid") or 0),
            roleshortname=str(data.get("roleshortname") or ""),
            cohortid=int(data.get("cohortid") or 0),
            cohortidnumber=str(data.get("cohortidnumber") or ""),
            cohortname=str(data.get("cohortname") or ""),
            groupid=int(data.get("groupid") or 0),
            users=int(data.get("users") or 0),
        )


@dataclass(frozen=True)
class InventoryRole:
    roleid: int
    shortname: str
    archetype: str
    users: int

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> InventoryRole:
        return cls(
            roleid=int(data["roleid"]),
            shortname=str(data["shortname"]),
            archetype=str(data.get("archetype") or ""),
            users=int(data.get("users") or 0),
        )


@dataclass(frozen=True)
class InventoryGroup:
    id: int
    name: str
    idnumber: str
    members: int

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> InventoryGroup:
        return cls(
            id=int(data["id"]),
            name=str(data["name"]),
            idnumber=str(data.get("idnumber") or ""),
            members=int(data.get("members") or 0),
        )


@dataclass(frozen=True)
class InventoryGrouping:
    id: int
    name: str
    groups: int

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> InventoryGrouping:
        return cls(id=int(data["id"]), name=str(data["name"]), groups=int(data.get("groups") or 0))


@dataclass(frozen=True)
class InventoryGradebook:
    categories: int
    manualitems: int
    activityitems: int
    grades: int
    studentgrades: int

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> InventoryGradebook:
        return cls(
            categories=int(data.get("categories") or 0),
            manualitems=int(data.get("manualitems") or 0),
            activityitems=int(data.get("activityitems") or 0),
            grades=int(data.get("grades") or 0),
            studentgrades=int(data.get("studentgrades") or 0),
        )


@dataclass(frozen=True)
class RestoreState:
    """Whether Passage already restored a backup into this course."""

    restored: bool
    timerestored: int
    operationid: int

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> RestoreState:
        return cls(
            restored=as_bool(data.get("restored")),
            timerestored=int(data.get("timerestored") or 0),
            operationid=int(data.get("operationid") or 0),
        )


@dataclass(frozen=True)
class CourseInventory:
    """Everything a course holds, counted (``local_passage_get_course_inventory``): what the
    review step shows before a reset or a copy."""

    course: InventoryCourse
    modules: tuple[InventoryModule, ...]
    coursedata: tuple[DataCount, ...]
    enrolments: tuple[InventoryEnrolment, ...]
    roles: tuple[InventoryRole, ...]
    groups: tuple[InventoryGroup, ...]
    groupings: tuple[InventoryGrouping, ...]
    gradebook: InventoryGradebook
    restore: RestoreState
    timegenerated: int

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> CourseInventory:
        return cls(
            course=InventoryCourse.from_json(data["course"]),
            modules=tuple(InventoryModule.from_json(item) for item in data["modules"]),
            coursedata=_counts(data.get("coursedata")),
            enrolments=tuple(InventoryEnrolment.from_json(item) for item in data["enrolments"]),
            roles=tuple(InventoryRole.from_json(item) for item in data.get("roles") or ()),
            groups=tuple(InventoryGroup.from_json(item) for item in data.get("groups") or ()),
            groupings=tuple(
                InventoryGrouping.from_json(item) for item in data.get("groupings") or ()
            ),
            gradebook=InventoryGradebook.from_json(data.get("gradebook") or {}),
            restore=RestoreState.from_json(data.get("restore") or {}),
            timegenerated=int(data.get("timegenerated") or 0),
        )

    def coursedata_count(self, kind: str) -> DataCount | None:
        return next((item for item in self.coursedata if item.kind == kind), None)


@dataclass(frozen=True)
class CohortSync:
    """A cohort-sync enrolment instance of a course (``local_passage_list_cohort_syncs``)."""

    id: int
    courseid: int
    cohortid: int
    cohortidnumber: str
    cohortname: str
    roleid: int
    roleshortname: str
    groupid: int
    status: int
    users: int

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> CohortSync:
        return cls(
            id=int(data["id"]),
            courseid=int(data["courseid"]),
            cohortid=int(data["cohortid"]),
            cohortidnumber=str(data.get("cohortidnumber") or ""),
            cohortname=str(data.get("cohortname") or ""),
            roleid=int(data.get("roleid") or 0),
            roleshortname=str(data.get("roleshortname") or ""),
            groupid=int(data.get("groupid") or 0),
            status=int(data.get("status") or 0),
            users=int(data.get("users") or 0),
        )


@dataclass(frozen=True)
class CohortSyncAdded:
    """``local_passage_add_cohort_sync``: the instance, and whether this call created it."""

    instance: CohortSync
    created: bool


@dataclass(frozen=True)
class CohortSyncRemoved:
    """``local_passage_remove_cohort_sync``: ``removed`` is false if it was already gone."""

    removed: bool
    unenrolled: int


@dataclass(frozen=True)
class NewsForum:
    """``local_passage_ensure_news_forum``: the course's announcements forum; ``created`` when
    this call created it (Moodle creates it lazily)."""

    forumid: int
    cmid: int
    created: bool

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> NewsForum:
        return cls(
            forumid=int(data["forumid"]), cmid=int(data["cmid"]), created=as_bool(data["created"])
        )


@dataclass(frozen=True)
class SiteLimits:
    """``local_passage_get_site_limits``: the largest file ``webservice/upload.php`` accepts
    (PHP's ``upload_max_filesize``/``post_max_size`` and the site's ``maxbytes``), and whether
    a restore can fetch its backup from a URL instead."""

    maxuploadbytes: int
    fetchbyurl: bool

    def accepts_upload(self, size: int) -> bool:
        """True if a file of ``size`` bytes can go through ``webservice/upload.php``."""
        return self.maxuploadbytes <= 0 or size <= self.maxuploadbytes

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> SiteLimits:
        return cls(
            maxuploadbytes=int(data["maxuploadbytes"]), fetchbyurl=bool(data.get("fetchbyurl"))
        )


@dataclass(frozen=True)
class ContentFingerprint:
    """``local_passage_get_content_fingerprint``: equal fingerprints mean the course's content
    did not change in between; ``timemodified`` is the latest change found."""

    courseid: int
    fingerprint: str
    timemodified: int

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ContentFingerprint:
        return cls(
            courseid=int(data["courseid"]),
            fingerprint=str(data["fingerprint"]),
            timemodified=int(data["timemodified"]),
        )


@dataclass(frozen=True)
class BackupDeleted:
    """``local_passage_delete_backup``: ``deleted`` is false when no file was left (a retry)."""

    operationid: int
    deleted: bool
    bytes: int

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> BackupDeleted:
        return cls(
            operationid=int(data["operationid"]),
            deleted=bool(data["deleted"]),
            bytes=int(data.get("bytes") or 0),
        )

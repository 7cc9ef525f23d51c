"""Users, enrolments, role assignments."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from moodle_client.types.common import as_bool


@dataclass(frozen=True)
class UserRole:
    """A role a user holds in a course."""

    roleid: int
    shortname: str
    name: str

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> UserRole:
        return cls(
            roleid=int(data["roleid"]),
            shortname=str(data.get("shortname") or ""),
            name=str(data.get("name") or ""),
        )


@dataclass(frozen=True)
class UserGroup:
    """A group a user belongs to in the course."""

    id: int
    name: str

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> UserGroup:
        return cls(id=int(data["id"]), name=str(data.get("name") or ""))


@dataclass(frozen=True)
class EnrolledUser:
    """A user enrolled in a course (``core_enrol_get_enrolled_users``). Moodle does not say by
    which method: a cohort-synced student looks like a manually enrolled one."""

    id: int
    username: str
    firstname: str
    lastname: str
    fullname: str
    email: str
    idnumber: str
    roles: tuple[UserRole, ...]
    groups: tuple[UserGroup, ...]

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> EnrolledUser:
        return cls(
            id=int(data["id"]),
            username=str(data.get("username") or ""),
            firstname=str(data.get("firstname") or ""),
            lastname=str(data.get("lastname") or ""),
            fullname=str(data.get("fullname") or ""),
            email=str(data.get("email") or ""),
            idnumber=str(data.get("idnumber") or ""),
            roles=tuple(UserRole.from_json(item) for item in data.get("roles") or ()),
            groups=tuple(UserGroup.from_json(item) for item in data.get("groups") or ()),
        )

    def has_role(self, shortname: str) -> bool:
        return any(role.shortname == shortname for role in self.roles)


@dataclass(frozen=True)
class UserCourse:
    """A course a user is enrolled in (``core_enrol_get_users_courses``)."""

    id: int
    shortname: str
    fullname: str
    idnumber: str
    categoryid: int
    visible: bool
    startdate: int
    enddate: int
    enrolledusercount: int | None

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> UserCourse:
        count = data.get("enrolledusercount")
        return cls(
            id=int(data["id"]),
            shortname=str(data["shortname"]),
            fullname=str(data["fullname"]),
            idnumber=str(data.get("idnumber") or ""),
            categoryid=int(data.get("category") or 0),
            visible=as_bool(data.get("visible", 1)),
            startdate=int(data.get("startdate") or 0),
            enddate=int(data.get("enddate") or 0),
            enrolledusercount=None if count is None else int(count),
        )


@dataclass(frozen=True)
class ManualEnrolment:
    """One line of ``enrol_manual_enrol_users`` / ``enrol_manual_unenrol_users``.

    For an unenrolment only ``userid``, ``courseid`` and optionally ``roleid`` are sent.
    """

    userid: int
    courseid: int
    roleid: int | None = None
    timestart: int | None = None
    timeend: int | None = None
    suspend: bool | None = None


@dataclass(frozen=True)
class RoleAssignment:
    """One line of ``core_role_assign_roles`` / ``core_role_unassign_roles``.

    ``contextlevel`` is ``course``, ``coursecat``, ``system``, ``module``... and ``instanceid``
    the id of that course, category, module...
    """

    roleid: int
    userid: int
    instanceid: int
    contextlevel: str = "course"


@dataclass(frozen=True)
class NewUser:
    """The fields of a user to create (``core_user_create_users``)."""

    username: str
    password: str
    firstname: str
    lastname: str
    email: str
    idnumber: str | None = None
    auth: str | None = None


@dataclass(frozen=True)
class UserRef:
    """The id and username Moodle gives back for a user it created."""

    id: int
    username: str

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> UserRef:
        return cls(id=int(data["id"]), username=str(data["username"]))

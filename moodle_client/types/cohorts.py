"""Cohorts, groups and groupings."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from moodle_client.types.common import as_bool, ints


@dataclass(frozen=True)
class Cohort:
    """A site or category cohort (``core_cohort_get_cohorts``, ``core_cohort_search_cohorts``)."""

    id: int
    name: str
    idnumber: str
    description: str
    visible: bool

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Cohort:
        return cls(
            id=int(data["id"]),
            name=str(data["name"]),
            idnumber=str(data.get("idnumber") or ""),
            description=str(data.get("description") or ""),
            visible=as_bool(data.get("visible", True)),
        )


@dataclass(frozen=True)
class CohortMembers:
    """The user ids in one cohort (``core_cohort_get_cohort_members``)."""

    cohortid: int
    userids: tuple[int, ...]

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> CohortMembers:
        return cls(cohortid=int(data["cohortid"]), userids=ints(data.get("userids") or ()))


@dataclass(frozen=True)
class CohortMember:
    """One line of ``core_cohort_add_cohort_members``: the cohort by ``id`` or ``idnumber``,
    the user by ``id`` or ``username`` (Moodle refuses ``idnumber`` for users)."""

    cohort: str
    user: str
    cohorttype: str = "idnumber"
    usertype: str = "username"

    def as_params(self) -> dict[str, Any]:
        return {
            "cohorttype": {"type": self.cohorttype, "value": self.cohort},
            "usertype": {"type": self.usertype, "value": self.user},
        }


@dataclass(frozen=True)
class Group:
    """A group of a course (``core_group_get_course_groups``, ``core_group_create_groups``)."""

    id: int
    courseid: int
    name: str
    idnumber: str
    description: str

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Group:
        return cls(
            id=int(data["id"]),
            courseid=int(data["courseid"]),
            name=str(data["name"]),
            idnumber=str(data.get("idnumber") or ""),
            description=str(data.get("description") or ""),
        )


@dataclass(frozen=True)
class Grouping:
    """A grouping of a course (``core_group_get_course_groupings``)."""

    id: int
    courseid: int
    name: str
    idnumber: str
    description: str

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Grouping:
        return cls(
            id=int(data["id"]),
            courseid=int(data["courseid"]),
            name=str(data["name"]),
            idnumber=str(data.get("idnumber") or ""),
            description=str(data.get("description") or ""),
        )

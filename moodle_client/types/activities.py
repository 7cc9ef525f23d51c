"""Grades, forums and calendar events."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from moodle_client.types.common import MoodleWarning, as_bool, opt_float, opt_int


@dataclass(frozen=True)
class GradeItem:
    """One grade item with one user's grade (``gradereport_user_get_grade_items``).

    ``graderaw`` is ``None`` when the user has no grade; ``itemtype`` is ``course``,
    ``category``, ``mod`` or ``manual``.
    """

    id: int
    itemname: str
    itemtype: str
    itemmodule: str
    iteminstance: int
    itemnumber: int
    idnumber: str
    cmid: int | None
    graderaw: float | None
    gradeformatted: str
    grademin: float | None
    grademax: float | None
    percentageformatted: str
    feedback: str

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> GradeItem:
        return cls(
            id=int(data["id"]),
            itemname=str(data.get("itemname") or ""),
            itemtype=str(data.get("itemtype") or ""),
            itemmodule=str(data.get("itemmodule") or ""),
            iteminstance=int(data.get("iteminstance") or 0),
            itemnumber=int(data.get("itemnumber") or 0),
            idnumber=str(data.get("idnumber") or ""),
            cmid=opt_int(data.get("cmid")),
            graderaw=opt_float(data.get("graderaw")),
            gradeformatted=str(data.get("gradeformatted") or ""),
            grademin=opt_float(data.get("grademin")),
            grademax=opt_float(data.get("grademax")),
            percentageformatted=str(data.get("percentageformatted") or ""),
            feedback=str(data.get("feedback") or ""),
        )


@dataclass(frozen=True)
class UserGrades:
    """All grade items of one user in one course."""

    courseid: int
    userid: int
    userfullname: str
    useridnumber: str
    gradeitems: tuple[GradeItem, ...]

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> UserGrades:
        return cls(
            courseid=int(data["courseid"]),
            userid=int(data["userid"]),
            userfullname=str(data.get("userfullname") or ""),
            useridnumber=str(data.get("useridnumber") or ""),
            gradeitems=tuple(GradeItem.from_json(item) for item in data.get("gradeitems") or ()),
        )


@dataclass(frozen=True)
class Forum:
    """A forum (``mod_forum_get_forums_by_courses``); ``type`` ``news`` is the course's
    announcements forum."""

    id: int
    courseid: int
    type: str
    name: str
    cmid: int

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Forum:
        return cls(
            id=int(data["id"]),
            courseid=int(data["course"]),
            type=str(data["type"]),
            name=str(data.get("name") or ""),
            cmid=int(data.get("cmid") or 0),
        )


@dataclass(frozen=True)
class PostedDiscussion:
    """The discussion ``mod_forum_add_discussion`` created."""

    discussionid: int
    warnings: tuple[MoodleWarning, ...]


@dataclass(frozen=True)
class CalendarEvent:
    """A calendar event (``core_calendar_get_calendar_events``,
    ``core_calendar_create_calendar_events``)."""

    id: int
    name: str
    description: str
    courseid: int
    groupid: int
    userid: int
    eventtype: str
    modulename: str
    instance: int
    timestart: int
    timeduration: int
    visible: bool

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> CalendarEvent:
        return cls(
            id=int(data["id"]),
            name=str(data["name"]),
            description=str(data.get("description") or ""),
            courseid=int(data.get("courseid") or 0),
            groupid=int(data.get("groupid") or 0),
            userid=int(data.get("userid") or 0),
            eventtype=str(data.get("eventtype") or ""),
            modulename=str(data.get("modulename") or ""),
            instance=int(data.get("instance") or 0),
            timestart=int(data["timestart"]),
            timeduration=int(data.get("timeduration") or 0),
            visible=as_bool(data.get("visible", 1)),
        )


@dataclass(frozen=True)
class NewCalendarEvent:
    """An event to create; ``eventtype`` ``course`` needs ``courseid``, ``site`` takes 0."""

    name: str
    timestart: int
    courseid: int = 0
    eventtype: str = "course"
    timeduration: int | None = None
    description: str | None = None
    visible: bool | None = None
    groupid: int | None = None

    def as_params(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "courseid": self.courseid,
            "eventtype": self.eventtype,
            "timestart": self.timestart,
            "timeduration": self.timeduration,
            "description": self.description,
            "format": None if self.description is None else 1,
            "visible": self.visible,
            "groupid": self.groupid,
        }


@dataclass(frozen=True)
class CreatedCalendarEvents:
    """The events ``core_calendar_create_calendar_events`` created, and its warnings."""

    events: tuple[CalendarEvent, ...]
    warnings: tuple[MoodleWarning, ...]

"""Courses, categories and course contents."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from moodle_client.types.common import MoodleWarning, as_bool


@dataclass(frozen=True)
class Course:
    """A course as ``core_course_get_courses_by_field`` and ``core_course_search_courses``
    describe it. Search results leave out dates and format: those read as 0 / ``""``."""

    id: int
    shortname: str
    fullname: str
    displayname: str
    idnumber: str
    categoryid: int
    categoryname: str
    summary: str
    format: str
    startdate: int
    enddate: int
    visible: bool
    timecreated: int
    timemodified: int

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Course:
        return cls(
            id=int(data["id"]),
            shortname=str(data["shortname"]),
            fullname=str(data["fullname"]),
            displayname=str(data.get("displayname") or data["fullname"]),
            idnumber=str(data.get("idnumber") or ""),
            categoryid=int(data.get("categoryid") or 0),
            categoryname=str(data.get("categoryname") or ""),
            summary=str(data.get("summary") or ""),
            format=str(data.get("format") or ""),
            startdate=int(data.get("startdate") or 0),
            enddate=int(data.get("enddate") or 0),
            visible=as_bool(data.get("visible", 1)),
            timecreated=int(data.get("timecreated") or 0),
            timemodified=int(data.get("timemodified") or 0),
        )


@dataclass(frozen=True)
class CourseSearchResult:
    """One page of ``core_course_search_courses``; ``total`` counts every match."""

    total: int
    courses: tuple[Course, ...]
    warnings: tuple[MoodleWarning, ...]


@dataclass(frozen=True)
class CourseRef:
    """The id and short name Moodle gives back for a course it created or copied."""

    id: int
    shortname: str

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> CourseRef:
        return cls(id=int(data["id"]), shortname=str(data["shortname"]))


@dataclass(frozen=True)
class NewCourse:
    """The fields of a course to create (``core_course_create_courses``)."""

    fullname: str
    shortname: str
    categoryid: int
    idnumber: str | None = None
    summary: str | None = None
    format: str | None = None
    numsections: int | None = None
    startdate: int | None = None
    enddate: int | None = None
    visible: bool | None = None

    def as_params(self) -> dict[str, Any]:
        return {
            "fullname": self.fullname,
            "shortname": self.shortname,
            "categoryid": self.categoryid,
            "idnumber": self.idnumber,
            "summary": self.summary,
            "format": self.format,
            "numsections": self.numsections,
            "startdate": self.startdate,
            "enddate": self.enddate,
            "visible": self.visible,
        }


@dataclass(frozen=True)
class Category:
    """A course category (``core_course_get_categories``)."""

    id: int
    name: str
    idnumber: str
    description: str
    parent: int
    sortorder: int
    coursecount: int
    visible: bool
    depth: int
    path: str

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Category:
        return cls(
            id=int(data["id"]),
            name=str(data["name"]),
            idnumber=str(data.get("idnumber") or ""),
            description=str(data.get("description") or ""),
            parent=int(data.get("parent") or 0),
            sortorder=int(data.get("sortorder") or 0),
            coursecount=int(data.get("coursecount") or 0),
            visible=as_bool(data.get("visible", 1)),
            depth=int(data.get("depth") or 0),
            path=str(data.get("path") or ""),
        )


@dataclass(frozen=True)
class CategoryRef:
    """The id and name Moodle gives back for a category it created."""

    id: int
    name: str

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> CategoryRef:
        return cls(id=int(data["id"]), name=str(data["name"]))


@dataclass(frozen=True)
class ModuleFile:
    """A file or URL of a module, as listed in ``contents`` by ``core_course_get_contents``."""

    type: str
    filename: str
    filepath: str
    filesize: int
    fileurl: str
    mimetype: str

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ModuleFile:
        return cls(
            type=str(data.get("type") or ""),
            filename=str(data.get("filename") or ""),
            filepath=str(data.get("filepath") or ""),
            filesize=int(data.get("filesize") or 0),
            fileurl=str(data.get("fileurl") or ""),
            mimetype=str(data.get("mimetype") or ""),
        )


@dataclass(frozen=True)
class CourseModule:
    """An activity or resource on the course page (``id`` is the course-module id)."""

    id: int
    name: str
    modname: str
    instance: int
    visible: bool
    uservisible: bool
    url: str
    contextid: int
    contents: tuple[ModuleFile, ...]

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> CourseModule:
        return cls(
            id=int(data["id"]),
            name=str(data["name"]),
            modname=str(data["modname"]),
            instance=int(data.get("instance") or 0),
            visible=as_bool(data.get("visible", 1)),
            uservisible=as_bool(data.get("uservisible", True)),
            url=str(data.get("url") or ""),
            contextid=int(data.get("contextid") or 0),
            contents=tuple(ModuleFile.from_json(item) for item in data.get("contents") or ()),
        )


@dataclass(frozen=True)
class CourseSection:
    """A section of the course page; ``section`` is its number (0 = the general section)."""

    id: int
    section: int
    name: str
    summary: str
    visible: bool
    uservisible: bool
    modules: tuple[CourseModule, ...]

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> CourseSection:
        return cls(
            id=int(data["id"]),
            section=int(data["section"]),
            name=str(data.get("name") or ""),
            summary=str(data.get("summary") or ""),
            visible=as_bool(data.get("visible", 1)),
            uservisible=as_bool(data.get("uservisible", True)),
            modules=tuple(CourseModule.from_json(item) for item in data.get("modules") or ()),
        )

"""Moodle backup archives (`.mbz`) as the stand-in writes and reads them.

An archive is a gzip'd tar, as Moodle's `tgz_packer` writes it, holding `moodle_backup.xml`
(the backup's description: the course, its sections and activities, the root settings such as
`users` and `anonymize`) and `course.json`, the stand-in's serialisation of the course: its
sections, modules, groups, groupings, gradebook and calendar events, and with `users=1` the
people and the data they left. Restoring reads `course.json` back.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import tarfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from moodle_client.standin.registry import moodle_exception
from moodle_client.standin.site import Course, Site

BACKUP_FORMAT = "passage-standin-course/1"
MOODLE_VERSION = "2025041400"
MOODLE_RELEASE = "5.0 (Build: 20250414)"
# The root settings of a course backup, in the order Moodle's backup plan lists them.
ROOT_SETTINGS = (
    "users",
    "anonymize",
    "role_assignments",
    "activities",
    "blocks",
    "files",
    "filters",
    "comments",
    "badges",
    "calendarevents",
    "userscompletion",
    "logs",
    "grade_histories",
    "groups",
    "competencies",
    "customfield",
    "contentbank",
    "legacyfiles",
)
# Root settings that only mean something when users are included.
USER_SETTINGS = frozenset(
    {"role_assignments", "comments", "badges", "userscompletion", "logs", "grade_histories"}
)


def backup_filename(course: Course, when: int, *, users: bool, anonymize: bool) -> str:
    """backup_plan_dbops::get_default_backup_filename(): the name the backup page gives."""
    stamp = time.strftime("%Y%m%d-%H%M", time.gmtime(when))
    shortname = course.shortname.replace(" ", "_").strip("_").lower()
    info = "-nu" if not users else "-an" if anonymize else ""
    return f"backup-moodle2-course-{course.id}-{shortname}-{stamp}{info}.mbz"


@dataclass(frozen=True)
class Backup:
    """What an archive holds, read back."""

    info: dict[str, str]  # moodle_backup.xml's <information> scalars
    settings: dict[str, str]  # its root settings
    course: dict[str, Any]  # course.json


BULK_MEMBER = "files/bulk.bin"
_BULK_BLOCK = 1024 * 1024


def build_bulk_backup(
    site: Site,
    course: Course,
    *,
    users: bool,
    anonymize: bool,
    filename: str,
    when: int,
    bulk_bytes: int,
    destination: Path,
) -> None:
    """The `.mbz` of a course holding `bulk_bytes` of large files, written to `destination`
    a block at a time (an uncompressed tar: video does not compress)."""
    members = _backup_members(
        site, course, users=users, anonymize=anonymize, filename=filename, when=when
    )
    block = os.urandom(_BULK_BLOCK)
    with tarfile.open(destination, mode="w", format=tarfile.PAX_FORMAT) as archive:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            info.mtime = when
            archive.addfile(info, io.BytesIO(data))
        info = tarfile.TarInfo(BULK_MEMBER)
        info.size = bulk_bytes
        info.mtime = when
        archive.addfile(info, _RepeatedBlock(block, bulk_bytes))


class _RepeatedBlock(io.RawIOBase):
    """`size` bytes made of one random block repeated, read without being held whole."""

    def __init__(self, block: bytes, size: int) -> None:
        self._block, self._left, self._offset = block, size, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        count = min(len(buffer), self._left, len(self._block) - self._offset)
        buffer[:count] = self._block[self._offset : self._offset + count]
        self._offset = (self._offset + count) % len(self._block)
        self._left -= count
        return count


def build_backup(
    site: Site, course: Course, *, users: bool, anonymize: bool, filename: str, when: int
) -> bytes:
    """The `.mbz` of `course`, as a backup with these root settings makes it."""
    members = _backup_members(
        site, course, users=users, anonymize=anonymize, filename=filename, when=when
    )
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as archive:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            info.mtime = when
            archive.addfile(info, io.BytesIO(data))
    return gzip.compress(raw.getvalue(), mtime=when)


def _backup_members(
    site: Site, course: Course, *, users: bool, anonymize: bool, filename: str, when: int
) -> dict[str, bytes]:
    content = serialise_course(site, course, users=users, anonymize=anonymize)
    settings = {name: "1" for name in ROOT_SETTINGS}
    settings["users"] = "1" if users else "0"
    settings["anonymize"] = "1" if anonymize else "0"
    for name in USER_SETTINGS:
        if not users:
            settings[name] = "0"
    xml = _moodle_backup_xml(site, course, content, settings, filename, when)
    return {
        "moodle_backup.xml": xml,
        "course.json": json.dumps(content, ensure_ascii=False, indent=1).encode("utf-8"),
    }


def read_backup(data: bytes | Path) -> Backup:
    """The archive's description and course, from its bytes or its path (a large one); a file
    that is not one fails `invalidbackupfile`."""
    source = {"name": data} if isinstance(data, Path) else {"fileobj": io.BytesIO(data)}
    try:
        with tarfile.open(mode="r:*", **source) as archive:
            xml = _member(archive, "moodle_backup.xml")
            course_json = _member(archive, "course.json")
        root = ElementTree.fromstring(xml)
        course = json.loads(course_json)
    except (tarfile.TarError, OSError, EOFError, ElementTree.ParseError, ValueError, KeyError):
        raise moodle_exception(
            "invalidbackupfile", "The file is not a Moodle backup the stand-in can read."
        ) from None
    information = root.find("information")
    if information is None or course.get("format") != BACKUP_FORMAT:
        raise moodle_exception(
            "invalidbackupfile", "The file is not a Moodle backup the stand-in can read."
        )
    info = {child.tag: (child.text or "") for child in information if len(child) == 0}
    settings = {
        setting.findtext("name", ""): setting.findtext("value", "")
        for setting in information.iterfind("settings/setting")
        if setting.findtext("level") == "root"
    }
    return Backup(info=info, settings=settings, course=course)


def _member(archive: tarfile.TarFile, name: str) -> bytes:
    extracted = archive.extractfile(name)
    if extracted is None:
        raise KeyError(name)
    return extracted.read()


# ----------------------------------------------------------------------- course.json


def serialise_course(site: Site, course: Course, *, users: bool, anonymize: bool) -> dict[str, Any]:
    modules = site.course_modules_of(course.id)
    sections = site.course_sections(course.id)
    section_numbers = {s.id: s.section for s in sections}
    groups = sorted(site.groups.having("courseid", course.id), key=_by_id)
    groupings = sorted(site.groupings.having("courseid", course.id), key=_by_id)
    items = site.grade_items_of(course.id)
    content: dict[str, Any] = {
        "format": BACKUP_FORMAT,
        "course": {
            "id": course.id,
            "shortname": course.shortname,
            "fullname": course.fullname,
            "idnumber": course.idnumber,
            "summary": course.summary,
            "format": course.format,
            "startdate": course.startdate,
            "enddate": course.enddate,
            "numsections": course.numsections,
            "enablecompletion": course.enablecompletion,
        },
        "sections": [
            {
                "id": s.id,
                "number": s.section,
                "name": s.name,
                "summary": s.summary,
                "visible": s.visible,
                "sequence": [cmid for cmid in s.sequence if cmid in site.course_modules],
            }
            for s in sections
        ],
        "modules": [
            {
                "cmid": m.id,
                "modname": m.modname,
                "instance": m.instance,
                "name": m.name,
                "section": section_numbers.get(m.section, 0),
                "visible": m.visible,
                "intro": m.intro,
                "completion": m.completion,
                "groupmode": m.groupmode,
                "idnumber": m.idnumber,
                "settings": m.settings,
            }
            for m in modules
        ],
        "groups": [
            {
                "id": g.id,
                "name": g.name,
                "idnumber": g.idnumber,
                "description": g.description,
                "members": list(g.members) if users else [],
            }
            for g in groups
        ],
        "groupings": [
            {"id": g.id, "name": g.name, "idnumber": g.idnumber, "groups": list(g.groups)}
            for g in groupings
        ],
        "gradebook": {
            "categories": [
                {"id": c.id, "fullname": c.fullname, "parent": c.parent, "depth": c.depth}
                for c in site.grade_categories.having("courseid", course.id)
            ],
            "items": [
                {
                    "id": i.id,
                    "itemtype": i.itemtype,
                    "itemname": i.itemname,
                    "categoryid": i.categoryid,
                    "iteminstance": i.iteminstance,
                    "itemmodule": i.itemmodule,
                    "itemnumber": i.itemnumber,
                    "idnumber": i.idnumber,
                    "grademax": i.grademax,
                    "grademin": i.grademin,
                    "gradetype": i.gradetype,
                    "sortorder": i.sortorder,
                    "cmid": i.cmid,
                }
                for i in items
            ],
        },
        "events": [
            {
                "name": e.name,
                "eventtype": e.eventtype,
                "timestart": e.timestart,
                "timeduration": e.timeduration,
                "modulename": e.modulename,
                "instance": e.instance,
                "description": e.description,
                "groupid": e.groupid,
                "userid": e.userid,
            }
            for e in sorted(site.events.having("courseid", course.id), key=_by_id)
        ],
        "users": [],
        "roles": [],
        "userdata": [],
        "grades": [],
    }
    if users:
        content.update(_user_content(site, course, anonymize=anonymize, items=items))
    return content


def _user_content(
    site: Site, course: Course, *, anonymize: bool, items: list[Any]
) -> dict[str, Any]:
    enrolled = site.users_enrolled(course.id)
    records = site.user_data.having("courseid", course.id)
    grades = [g for item in items for g in site.grades.having("itemid", item.id)]
    people = set(enrolled) | {r.userid for r in records} | {g.userid for g in grades}
    users = []
    for userid in sorted(people):
        user = site.users.get(userid)
        if user is None:
            continue
        if anonymize:
            users.append(
                {
                    "id": user.id,
                    "username": f"anon{user.id}",
                    "firstname": f"anonfirstname{user.id}",
                    "lastname": f"anonlastname{user.id}",
                    "email": f"anon{user.id}@doesntexist.invalid",
                    "idnumber": "",
                }
            )
        else:
            users.append(
                {
                    "id": user.id,
                    "username": user.username,
                    "firstname": user.firstname,
                    "lastname": user.lastname,
                    "email": user.email,
                    "idnumber": user.idnumber,
                }
            )
    # Every course role, whichever enrolment gave it: a restore elsewhere enrols them by hand.
    roles = [
        {"userid": userid, "roleid": roleid}
        for userid, roleid in dict.fromkeys(
            (a.userid, a.roleid)
            for a in sorted(site.role_assignments.having("contextid", course.contextid), key=_by_id)
        )
    ]
    return {
        "users": users,
        "roles": roles,
        "userdata": [
            {
                "id": r.id,
                "kind": r.kind,
                "cmid": r.cmid,
                "userid": r.userid,
                "timecreated": r.timecreated,
                "itemid": r.itemid,
                "groupid": r.groupid,
                "data": r.data,
            }
            for r in sorted(records, key=_by_id)
        ],
        "grades": [
            {"itemid": g.itemid, "userid": g.userid, "finalgrade": g.finalgrade}
            for g in sorted(grades, key=_by_id)
        ],
    }


def _by_id(record: Any) -> int:
    return int(record.id)


# ----------------------------------------------------------------------- moodle_backup.xml


def _moodle_backup_xml(
    site: Site,
    course: Course,
    content: dict[str, Any],
    settings: dict[str, str],
    filename: str,
    when: int,
) -> bytes:
    root = ElementTree.Element("moodle_backup")
    information = ElementTree.SubElement(root, "information")
    scalars = {
        "name": filename,
        "moodle_version": MOODLE_VERSION,
        "moodle_release": MOODLE_RELEASE,
        "backup_version": MOODLE_VERSION,
        "backup_release": "5.0",
        "backup_date": str(when),
        "mnet_remoteusers": "0",
        "include_files": "1",
        "include_file_references_to_external_content": "0",
        "original_wwwroot": site.wwwroot,
        "original_site_identifier_hash": uuid.uuid5(uuid.NAMESPACE_URL, site.wwwroot).hex,
        "original_course_id": str(course.id),
        "original_course_format": course.format,
        "original_course_fullname": course.fullname,
        "original_course_shortname": course.shortname,
        "original_course_startdate": str(course.startdate),
        "original_course_enddate": str(course.enddate),
        "original_course_contextid": str(course.contextid),
        "original_system_contextid": "1",
    }
    for tag, text in scalars.items():
        ElementTree.SubElement(information, tag).text = text
    details = ElementTree.SubElement(information, "details")
    detail = ElementTree.SubElement(details, "detail", backup_id=uuid.uuid4().hex)
    for tag, text in {
        "type": "course",
        "format": "moodle2",
        "interactive": "0",
        "mode": "10",
        "execution": "1",
        "executiontime": "0",
    }.items():
        ElementTree.SubElement(detail, tag).text = text
    contents = ElementTree.SubElement(information, "contents")
    activities = ElementTree.SubElement(contents, "activities")
    section_ids = {s["number"]: s["id"] for s in content["sections"]}
    for module in content["modules"]:
        activity = ElementTree.SubElement(activities, "activity")
        for tag, text in {
            "moduleid": str(module["cmid"]),
            "sectionid": str(section_ids.get(module["section"], 0)),
            "modulename": module["modname"],
            "title": module["name"],
            "directory": f"activities/{module['modname']}_{module['cmid']}",
            "insubsection": "",
        }.items():
            ElementTree.SubElement(activity, tag).text = text
    sections = ElementTree.SubElement(contents, "sections")
    for section in content["sections"]:
        element = ElementTree.SubElement(sections, "section")
        for tag, text in {
            "sectionid": str(section["id"]),
            "title": section["name"] or str(section["number"]),
            "directory": f"sections/section_{section['id']}",
            "parentcmid": "",
            "modname": "",
        }.items():
            ElementTree.SubElement(element, tag).text = text
    course_element = ElementTree.SubElement(contents, "course")
    for tag, text in {
        "courseid": str(course.id),
        "title": course.shortname,
        "directory": "course",
    }.items():
        ElementTree.SubElement(course_element, tag).text = text
    settings_element = ElementTree.SubElement(information, "settings")
    root_settings = {"filename": filename, **settings}
    for name, value in root_settings.items():
        setting = ElementTree.SubElement(settings_element, "setting")
        ElementTree.SubElement(setting, "level").text = "root"
        ElementTree.SubElement(setting, "name").text = name
        ElementTree.SubElement(setting, "value").text = value
    for module in content["modules"]:
        key = f"{module['modname']}_{module['cmid']}"
        for suffix in ("included", "userinfo"):
            setting = ElementTree.SubElement(settings_element, "setting")
            ElementTree.SubElement(setting, "level").text = "activity"
            ElementTree.SubElement(setting, "activity").text = key
            ElementTree.SubElement(setting, "name").text = f"{key}_{suffix}"
            value = "1" if suffix == "included" else settings["users"]
            ElementTree.SubElement(setting, "value").text = value
    ElementTree.indent(root, space="  ")
    body = ElementTree.tostring(root, encoding="unicode")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n").encode("utf-8")

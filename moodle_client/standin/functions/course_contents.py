"""core_course_get_contents: a course's sections and modules."""

from __future__ import annotations

from typing import Any

from moodle_client.standin.functions.common import (
    THEME_REVISION,
    course_or_missing,
    validate_course_context,
)
from moodle_client.standin.registry import (
    Call,
    Int,
    List,
    Str,
    Struct,
    moodle_exception,
    webservice,
)
from moodle_client.standin.site import CourseModule, Site, StoredFile

# modname -> (purpose, plural name)
MODULE_TYPES: dict[str, tuple[str, str]] = {
    "assign": ("assessment", "Assignments"),
    "bigbluebuttonbn": ("communication", "BigBlueButton"),
    "book": ("content", "Books"),
    "choice": ("communication", "Choices"),
    "data": ("collaboration", "Databases"),
    "feedback": ("communication", "Feedback"),
    "folder": ("content", "Folders"),
    "forum": ("collaboration", "Forums"),
    "glossary": ("collaboration", "Glossaries"),
    "h5pactivity": ("interactivecontent", "H5P"),
    "imscp": ("interactivecontent", "IMS content packages"),
    "label": ("content", "Text and media areas"),
    "lesson": ("interactivecontent", "Lessons"),
    "lti": ("other", "External tools"),
    "page": ("content", "Pages"),
    "qbank": ("content", "Question banks"),
    "quiz": ("assessment", "Quizzes"),
    "resource": ("content", "Files"),
    "scorm": ("interactivecontent", "SCORM packages"),
    "subsection": ("content", "Subsections"),
    "url": ("content", "URLs"),
    "wiki": ("collaboration", "Wikis"),
    "workshop": ("assessment", "Workshops"),
}
# Modules whose course page entry shows an activity badge.
WITH_BADGE = frozenset({"forum", "resource"})
# Modules whose contents the web service exports.
WITH_CONTENTS = frozenset({"resource", "page", "folder", "book", "url", "imscp"})


@webservice(
    "core_course_get_contents",
    params={
        "courseid": Int(),
        "options": List(Struct({"name": Str("alpha"), "value": Str()}), default=[]),
    },
    read_only=True,
)
def get_contents(call: Call, params: dict[str, Any]) -> list[dict[str, Any]]:
    """The course's sections, each with its modules (and their files)."""
    site = call.site
    filters = _filters(params["options"])
    course = course_or_missing(site, params["courseid"])
    validate_course_context(call, course)
    can_update = site.has_capability(call.user.id, "moodle/course:update", course.contextid)
    answer = []
    for section in site.course_sections(course.id):
        if "sectionid" in filters and section.id != filters["sectionid"]:
            continue
        if "sectionnumber" in filters and section.section != filters["sectionnumber"]:
            continue
        if not section.visible and not can_update:
            continue
        modules = []
        if not filters.get("excludemodules"):
            for cmid in section.sequence:
                module = site.course_modules.get(cmid)
                if module is None or not _wanted(module, filters):
                    continue
                if not module.visible and not can_update:
                    continue
                modules.append(
                    module_record(site, module, with_contents=not filters.get("excludecontents"))
                )
        answer.append(
            {
                "id": section.id,
                "name": section.name or ("General" if section.section == 0 else "New section"),
                "visible": section.visible,
                "summary": section.summary,
                "summaryformat": section.summaryformat,
                "section": section.section,
                "hiddenbynumsections": 0,
                "uservisible": True,
                "component": section.component,
                "itemid": section.itemid,
                "modules": modules,
            }
        )
    return answer


def _filters(options: list[dict[str, Any]]) -> dict[str, Any]:
    filters: dict[str, Any] = {}
    for option in options:
        name = option["name"].strip()
        value = str(option["value"]).strip()
        if name in filters:
            continue
        if name in ("excludemodules", "excludecontents", "includestealthmodules"):
            filters[name] = value not in ("", "0", "false")
        elif name in ("sectionid", "sectionnumber", "cmid", "modid"):
            if not value.lstrip("-").isdigit():
                raise moodle_exception("errorinvalidparam", f'The param "{name}" is invalid.')
            filters[name] = int(value)
        elif name == "modname":
            if not value.isidentifier():
                raise moodle_exception("errorinvalidparam", f'The param "{name}" is invalid.')
            filters[name] = value
        else:
            raise moodle_exception("errorinvalidparam", f'The param "{name}" is invalid.')
    return filters


def _wanted(module: CourseModule, filters: dict[str, Any]) -> bool:
    if "cmid" in filters and module.id != filters["cmid"]:
        return False
    if "modname" in filters:
        if module.modname != filters["modname"]:
            return False
        if "modid" in filters and module.instance != filters["modid"]:
            return False
    return True


def module_record(site: Site, module: CourseModule, *, with_contents: bool) -> dict[str, Any]:
    purpose, plural = MODULE_TYPES.get(module.modname, ("other", module.modname.capitalize()))
    icon = (
        "core/{rev}/f/text"
        if module.modname == "resource"
        else f"{module.modname}/{{rev}}/monologo"
    ).format(rev=THEME_REVISION)
    record: dict[str, Any] = {
        "id": module.id,
        "url": f"{site.wwwroot}/mod/{module.modname}/view.php?id={module.id}",
        "name": module.name,
        "instance": module.instance,
        "contextid": module.contextid,
        "visible": module.visible,
        "uservisible": True,
        "visibleoncoursepage": 1,
        "modicon": f"{site.wwwroot}/theme/image.php/boost/{icon}?filtericon=1",
        "modname": module.modname,
        "purpose": purpose,
        "branded": False,
        "modplural": plural,
        "availability": None,
        "indent": 0,
        "onclick": "",
        "afterlink": None,
    }
    if module.modname in WITH_BADGE:
        record["activitybadge"] = []
    record.update(
        {
            "customdata": module.settings.get("customdata", '""'),
            "noviewlink": module.modname == "label",
            "completion": module.completion,
            "downloadcontent": 1,
            "dates": [],
            "groupmode": module.groupmode,
        }
    )
    if module.modname == "label":
        del record["url"]
    if module.modname in WITH_CONTENTS:
        files = _module_files(site, module)
        contents = [_file_entry(site, module, f) for f in files] if with_contents else []
        if module.modname == "page" and with_contents:
            contents.insert(
                0,
                {
                    "type": "file",
                    "filename": "index.html",
                    "filepath": "/",
                    "filesize": 0,
                    "fileurl": f"{site.wwwroot}/webservice/pluginfile.php/{module.contextid}"
                    "/mod_page/content/index.html?forcedownload=1",
                    "timecreated": None,
                    "timemodified": module.added,
                    "sortorder": 1,
                    "userid": None,
                    "author": None,
                    "license": None,
                },
            )
        mimetypes: list[str] = []
        for stored in files:
            if stored.mimetype not in mimetypes:
                mimetypes.append(stored.mimetype)
        record["contents"] = contents
        record["contentsinfo"] = {
            "filescount": len(files) + (1 if module.modname == "page" else 0),
            "filessize": sum(f.filesize for f in files),
            "lastmodified": max((f.timemodified for f in files), default=module.added),
            "mimetypes": mimetypes,
            "repositorytype": "",
        }
    return record


def _module_files(site: Site, module: CourseModule) -> list[StoredFile]:
    return sorted(
        (
            f
            for f in site.files.values()
            if f.contextid == module.contextid
            and f.component == f"mod_{module.modname}"
            and f.filearea == "content"
            and not f.is_directory
        ),
        key=lambda f: (-f.sortorder, f.filepath, f.filename),
    )


def _file_entry(site: Site, module: CourseModule, stored: StoredFile) -> dict[str, Any]:
    return {
        "type": "file",
        "filename": stored.filename,
        "filepath": stored.filepath,
        "filesize": stored.filesize,
        "fileurl": f"{site.wwwroot}/webservice/pluginfile.php/{stored.contextid}/"
        f"{stored.component}/{stored.filearea}/{stored.itemid}{stored.filepath}"
        f"{stored.filename}?forcedownload=1",
        "timecreated": stored.timecreated,
        "timemodified": stored.timemodified,
        "sortorder": stored.sortorder,
        "mimetype": stored.mimetype,
        "isexternalfile": False,
        "userid": stored.userid,
        "author": stored.author,
        "license": stored.license,
    }

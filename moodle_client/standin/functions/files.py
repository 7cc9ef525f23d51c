"""core_files: browsing a file area."""

from __future__ import annotations

from typing import Any

from moodle_client.standin.registry import Call, Int, Str, invalid_parameter, webservice
from moodle_client.standin.site import (
    CONTEXT_COURSE,
    CONTEXT_COURSECAT,
    CONTEXT_MODULE,
    CONTEXT_SYSTEM,
    CONTEXT_USER,
    Context,
    Site,
)

AREAS_WITHOUT_ITEMID = frozenset(
    {("backup", "course"), ("backup", "activity"), ("backup", "section"), ("backup", "automated")}
)


def _context_name(site: Site, context: Context) -> str:
    if context.contextlevel == CONTEXT_SYSTEM:
        return "System"
    if context.contextlevel == CONTEXT_COURSECAT:
        category = site.categories.get(context.instanceid)
        return category.name if category else ""
    if context.contextlevel == CONTEXT_COURSE:
        course = site.courses.get(context.instanceid)
        return course.fullname if course else ""
    if context.contextlevel == CONTEXT_MODULE:
        module = site.course_modules.get(context.instanceid)
        return module.name if module else ""
    if context.contextlevel == CONTEXT_USER:
        user = site.users.get(context.instanceid)
        return user.fullname if user else ""
    return ""


@webservice(
    "core_files_get_files",
    params={
        "contextid": Int(),
        "component": Str(),
        "filearea": Str(),
        "itemid": Int(),
        "filepath": Str(),
        "filename": Str(),
        "modified": Int(required=False),
        "contextlevel": Str(default=""),
        "instanceid": Int(default=0),
    },
    read_only=True,
)
def get_files(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    """The files (and folders) in one directory of a file area, with the contexts above it."""
    site = call.site
    context = site.contexts.get(params["contextid"])
    if context is None:
        raise invalid_parameter("Context does not exist")
    course = site.course_of_context(context.id)
    if course is not None and not site.can_access_course(call.user.id, course.id):
        raise invalid_parameter("Context does not exist")
    parents = [
        {
            "contextid": cid,
            "component": None,
            "filearea": None,
            "itemid": None,
            "filepath": None,
            "filename": _context_name(site, site.contexts[cid]),
        }
        for cid in context.path_ids(site)
    ]
    component, filearea = params["component"], params["filearea"]
    filepath = params["filepath"] or "/"
    files = []
    for stored in sorted(site.files.values(), key=lambda f: (f.filepath, f.filename)):
        if (stored.contextid, stored.component, stored.filearea, stored.itemid) != (
            context.id,
            component,
            filearea,
            params["itemid"],
        ):
            continue
        if stored.filepath != filepath or stored.is_directory:
            continue
        if params["filename"] and stored.filename != params["filename"]:
            continue
        item_segment = (
            "" if (component, filearea) in AREAS_WITHOUT_ITEMID else (f"/{stored.itemid}")
        )
        files.append(
            {
                "contextid": stored.contextid,
                "component": stored.component,
                "filearea": stored.filearea,
                "itemid": stored.itemid,
                "filepath": stored.filepath,
                "filename": stored.filename,
                "isdir": False,
                "url": f"{site.wwwroot}/pluginfile.php/{stored.contextid}/{stored.component}/"
                f"{stored.filearea}{item_segment}{stored.filepath}{stored.filename}",
                "timemodified": stored.timemodified,
                "timecreated": stored.timecreated,
                "filesize": stored.filesize,
                "author": stored.author,
                "license": stored.license,
            }
        )
    return {"parents": parents, "files": files}

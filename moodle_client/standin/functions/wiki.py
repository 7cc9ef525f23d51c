"""mod_wiki: a wiki's subwikis and their pages.

A page is a user-data record of kind `pages` of the wiki's module (`data`: title, content).
The stand-in's wikis are collaborative: one subwiki each, numbered like its wiki.
"""

from __future__ import annotations

from typing import Any

from moodle_client.standin.functions.common import validate_course_context
from moodle_client.standin.registry import (
    Call,
    Int,
    Str,
    Struct,
    moodle_exception,
    webservice,
)
from moodle_client.standin.site import CourseModule


def _wiki(call: Call, wikiid: int) -> CourseModule:
    site = call.site
    module = site.module_by_instance("wiki", wikiid)
    if module is None:
        # As a real Moodle 5.0 answers (checked against one).
        raise moodle_exception("incorrectwikiid", "Wiki ID is incorrect.")
    validate_course_context(call, site.courses[module.course])
    return module


@webservice("mod_wiki_get_subwikis", params={"wikiid": Int()}, read_only=True)
def get_subwikis(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    module = _wiki(call, params["wikiid"])
    subwiki = {
        "id": module.instance,
        "wikiid": module.instance,
        "groupid": 0,
        "userid": 0,
        "canedit": True,
    }
    return {"subwikis": [subwiki], "warnings": []}


def _page(module: CourseModule, record: Any, content: bool, first: int) -> dict[str, Any]:
    page: dict[str, Any] = {
        "id": record.id,
        "subwikiid": module.instance,
        "title": str(record.data.get("title", "")),
        "timecreated": record.timecreated,
        "timemodified": record.timecreated,
        "timerendered": record.timecreated,
        "userid": record.userid,
        "pageviews": 0,
        "readonly": 0,
        "caneditpage": True,
        "firstpage": record.id == first,
        "tags": [],
    }
    if content:
        text = str(record.data.get("content", ""))
        page.update({"cachedcontent": text, "contentformat": 1, "contentsize": len(text)})
    return page


@webservice(
    "mod_wiki_get_subwiki_pages",
    params={
        "wikiid": Int(),
        "groupid": Int(default=-1),
        "userid": Int(default=0),
        "options": Struct(
            {
                "sortby": Str("alpha", default="title"),
                "sortdirection": Str("alpha", default="ASC"),
                "includecontent": Int(default=1),
            },
            default={},
        ),
    },
    read_only=True,
)
def get_subwiki_pages(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    site = call.site
    module = _wiki(call, params["wikiid"])
    options = {"sortby": "title", "sortdirection": "ASC", "includecontent": 1, **params["options"]}
    records = sorted(site.user_data_of(cmid=module.id, kind="pages"), key=lambda r: r.id)
    first = records[0].id if records else 0
    key = options["sortby"]
    records.sort(
        key=lambda r: str(r.data.get("title", "")).lower() if key == "title" else r.id,
        reverse=str(options["sortdirection"]).upper() == "DESC",
    )
    include = bool(options["includecontent"])
    return {
        "pages": [_page(module, r, include, first) for r in records],
        "warnings": [],
    }

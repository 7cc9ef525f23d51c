"""mod_glossary: a glossary's entries, browsed by letter.

An entry is a user-data record of kind `entries` of the glossary's module (`data`: concept,
definition, approved — default true).
"""

from __future__ import annotations

from typing import Any

from moodle_client.standin.functions.common import user_picture_url, validate_course_context
from moodle_client.standin.registry import (
    Bool,
    Call,
    Int,
    Str,
    Struct,
    missing_record_by_id,
    webservice,
)
from moodle_client.standin.site import Site, UserDataRecord


def _entry(site: Site, record: UserDataRecord, glossaryid: int, teacher: bool) -> dict[str, Any]:
    author = site.users.get(record.userid)
    return {
        "id": record.id,
        "glossaryid": glossaryid,
        "userid": record.userid,
        "userfullname": author.fullname if author else "",
        "userpictureurl": user_picture_url(site, "f1"),
        "concept": str(record.data.get("concept", "")),
        "definition": str(record.data.get("definition", "")),
        "definitionformat": 1,
        "definitiontrust": False,
        "attachment": False,
        "attachments": [],
        "timecreated": record.timecreated,
        "timemodified": record.timecreated,
        "teacherentry": teacher,
        "sourceglossaryid": 0,
        "usedynalink": False,
        "casesensitive": False,
        "fullmatch": False,
        "approved": bool(record.data.get("approved", True)),
        "tags": [],
    }


@webservice(
    "mod_glossary_get_entries_by_letter",
    params={
        "id": Int(),
        "letter": Str("alpha"),
        "from": Int(default=0),
        "limit": Int(default=20),
        "options": Struct({"includenotapproved": Bool(default=False)}, default={}),
    },
    read_only=True,
)
def get_entries_by_letter(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    """Entries whose concept starts with the letter ("ALL": every one), by concept; entries
    waiting for approval only for those who may approve them, when asked."""
    site = call.site
    module = site.module_by_instance("glossary", params["id"])
    if module is None:
        raise missing_record_by_id("glossary", params["id"])
    validate_course_context(call, site.courses[module.course])
    letter = params["letter"].upper()
    may_approve = params["options"].get("includenotapproved") and site.has_capability(
        call.user.id, "mod/glossary:approve", module.contextid
    )
    records = [
        r
        for r in site.user_data_of(cmid=module.id, kind="entries")
        if (r.data.get("approved", True) or may_approve or r.userid == call.user.id)
        and (letter == "ALL" or str(r.data.get("concept", "")).upper().startswith(letter))
    ]
    records.sort(key=lambda r: (str(r.data.get("concept", "")).lower(), r.id))
    start, limit = params["from"], params["limit"]
    page = records[start : start + limit] if limit else records[start:]
    return {
        "count": len(records),
        "entries": [
            _entry(site, r, module.instance, not site.is_student(r.userid, module.course))
            for r in page
        ],
        "ratinginfo": {
            "contextid": module.contextid,
            "component": "mod_glossary",
            "ratingarea": "entry",
            "canviewall": None,
            "canviewany": None,
            "scales": [],
            "ratings": [],
        },
        "warnings": [],
    }

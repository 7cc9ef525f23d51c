"""mod_data: a database activity's entries.

An entry is a user-data record of kind `entries` of the database's module; its `data` holds
the fields' values by field name (and `approved`, default true).
"""

from __future__ import annotations

from typing import Any

from moodle_client.standin.functions.common import validate_course_context
from moodle_client.standin.registry import (
    Bool,
    Call,
    Int,
    Str,
    invalid_parameter,
    missing_record_by_id,
    webservice,
)


@webservice(
    "mod_data_get_entries",
    params={
        "databaseid": Int(),
        "groupid": Int(default=0),
        "returncontents": Bool(default=False),
        "sort": Int(default=None, allow_null=True),
        "order": Str("alpha", default=None, allow_null=True),
        "page": Int(default=0),
        "perpage": Int(default=0),
    },
    read_only=True,
)
def get_entries(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    """The database's entries, oldest first (perpage 0: all of them)."""
    site = call.site
    order = (params["order"] or "").upper()
    if order and order not in ("ASC", "DESC"):
        raise invalid_parameter(f"Invalid value for sortdirection parameter (value: {order})")
    module = site.module_by_instance("data", params["databaseid"])
    if module is None:
        raise missing_record_by_id("data", params["databaseid"])
    validate_course_context(call, site.courses[module.course])
    records = sorted(
        (
            r
            for r in site.user_data_of(cmid=module.id, kind="entries")
            if not params["groupid"] or r.groupid == params["groupid"]
        ),
        key=lambda r: (r.timecreated, r.id),
        reverse=order == "DESC",
    )
    perpage = params["perpage"]
    shown = (
        records[params["page"] * perpage : (params["page"] + 1) * perpage] if perpage else records
    )
    entries = []
    for record in shown:
        author = site.users.get(record.userid)
        fields = [(k, v) for k, v in record.data.items() if k != "approved"]
        entry: dict[str, Any] = {
            "id": record.id,
            "userid": record.userid,
            "groupid": max(record.groupid, 0),
            "dataid": module.instance,
            "timecreated": record.timecreated,
            "timemodified": record.timecreated,
            "approved": bool(record.data.get("approved", True)),
            "canmanageentry": True,
            "fullname": author.fullname if author else "",
            "tags": [],
        }
        if params["returncontents"]:
            entry["contents"] = [
                {
                    "id": record.id * 100 + number,
                    "fieldid": number,
                    "recordid": record.id,
                    "content": str(value),
                    "content1": None,
                    "content2": None,
                    "content3": None,
                    "content4": None,
                    "files": [],
                }
                for number, (_name, value) in enumerate(fields, start=1)
            ]
        entries.append(entry)
    answer: dict[str, Any] = {
        "entries": entries,
        "totalcount": len(records),
        "totalfilesize": 0,
        "warnings": [],
    }
    if params["returncontents"]:
        answer["listviewcontents"] = "".join(
            f'<div class="defaulttemplate">{" ".join(str(c["content"]) for c in e["contents"])}'
            "</div>"
            for e in entries
        )
    return answer

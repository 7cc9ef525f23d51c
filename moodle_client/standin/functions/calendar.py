"""core_calendar: creating and reading calendar events."""

from __future__ import annotations

from typing import Any

from moodle_client.standin.registry import Call, Int, List, Str, Struct, webservice
from moodle_client.standin.site import SYSTEM_CONTEXT_ID, CalendarEvent, now


def _created_record(event: CalendarEvent) -> dict[str, Any]:
    return {
        "id": event.id,
        "name": event.name,
        "description": event.description,
        "format": event.format,
        "courseid": event.courseid,
        "groupid": event.groupid,
        "userid": event.userid,
        "modulename": event.modulename,
        "instance": event.instance,
        "eventtype": event.eventtype,
        "timestart": event.timestart,
        "timeduration": event.timeduration,
        "visible": event.visible,
        "uuid": event.uuid,
        "sequence": event.sequence,
        "timemodified": event.timemodified,
        "subscriptionid": None,
    }


def _read_record(event: CalendarEvent) -> dict[str, Any]:
    return {
        "id": event.id,
        "name": event.name,
        "description": event.description,
        "format": event.format,
        "courseid": event.courseid,
        "categoryid": event.categoryid or None,
        "groupid": event.groupid or None,
        "userid": event.userid,
        "repeatid": event.repeatid or None,
        "modulename": event.modulename or None,
        "instance": event.instance or None,
        "eventtype": event.eventtype,
        "timestart": event.timestart,
        "timeduration": event.timeduration,
        "visible": event.visible,
        "sequence": event.sequence,
        "timemodified": event.timemodified,
        "subscriptionid": None,
    }


@webservice(
    "core_calendar_create_calendar_events",
    params={
        "events": List(
            Struct(
                {
                    "name": Str("text"),
                    "description": Str(default=""),
                    "format": Int(default=1),
                    "courseid": Int(default=0),
                    "groupid": Int(default=0),
                    "repeats": Int(default=0),
                    "eventtype": Str("text", default="user"),
                    "timestart": Int(required=False),
                    "timeduration": Int(default=0),
                    "visible": Int(default=1),
                    "sequence": Int(default=1),
                }
            )
        )
    },
)
def create_calendar_events(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    """Creates site, course, group or user events."""
    site = call.site
    created = []
    warnings = []
    for index, wanted in enumerate(params["events"]):
        course = site.courses.get(wanted["courseid"])
        if wanted["eventtype"] in ("course", "group") and course is not None:
            allowed = site.has_capability(
                call.user.id, "moodle/calendar:manageentries", course.contextid
            )
        elif wanted["eventtype"] == "user":
            allowed = True
        else:
            allowed = site.has_capability(
                call.user.id, "moodle/calendar:manageentries", SYSTEM_CONTEXT_ID
            )
        if not allowed:
            warnings.append(
                {
                    "item": wanted["name"],
                    "itemid": index,
                    "warningcode": "nopermissions",
                    "message": "you do not have permissions to create this event",
                }
            )
            continue
        event = site.add_event(
            wanted["name"],
            eventtype=wanted["eventtype"],
            timestart=wanted.get("timestart", now()),
            courseid=wanted["courseid"],
            groupid=wanted["groupid"],
            userid=call.user.id,
            description=wanted["description"],
            format=wanted["format"],
            timeduration=wanted["timeduration"],
            visible=wanted["visible"],
            sequence=wanted["sequence"],
        )
        created.append(_created_record(event))
    return {"events": created, "warnings": warnings}


@webservice(
    "core_calendar_get_calendar_events",
    params={
        "events": Struct(
            {
                "eventids": List(Int(), default=[]),
                "courseids": List(Int(), default=[]),
                "groupids": List(Int(), default=[]),
                "categoryids": List(Int(), default=[]),
            },
            default={"eventids": [], "courseids": [], "groupids": [], "categoryids": []},
        ),
        "options": Struct(
            {
                "userevents": Int(default=1),
                "siteevents": Int(default=1),
                "timestart": Int(default=0),
                "timeend": Int(default=0),
                "ignorehidden": Int(default=1),
            },
            default={
                "userevents": 1,
                "siteevents": 1,
                "timestart": 0,
                "timeend": 0,
                "ignorehidden": 1,
            },
        ),
    },
    read_only=True,
)
def get_calendar_events(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    """Events of the given courses (or the user's courses), site and own events, in a time
    window. Site events come only when no course is named."""
    site = call.site
    wanted, options = params["events"], params["options"]
    courseids = set(wanted["courseids"]) or {
        c for c in site.courses if site.is_enrolled(c, call.user.id)
    }
    start, end = options["timestart"], options["timeend"]
    found = []
    for event in sorted(site.events.values(), key=lambda e: (e.timestart, e.id)):
        if event.timestart + event.timeduration < start or (end and event.timestart > end):
            continue
        if options["ignorehidden"] and not event.visible:
            continue
        if event.id in wanted["eventids"]:
            found.append(event)
        elif event.eventtype == "site":
            if options["siteevents"] and not wanted["courseids"]:
                found.append(event)
        elif event.eventtype == "user":
            if options["userevents"] and event.userid == call.user.id:
                found.append(event)
        elif event.eventtype == "group":
            if event.groupid in wanted["groupids"] or event.courseid in courseids:
                found.append(event)
        elif event.courseid in courseids:
            found.append(event)
    return {"events": [_read_record(e) for e in found], "warnings": []}

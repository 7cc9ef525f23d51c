"""Course inventories built by hand, in the companion plugin's answer format (API.md)."""

from typing import Any

from moodle_client.types.passage import CourseInventory


def counts(**kinds: tuple[int, int]) -> list[dict[str, Any]]:
    """kind=(students, others) → the plugin's data list."""
    return [
        {"kind": kind, "total": s + o, "students": s, "others": o} for kind, (s, o) in kinds.items()
    ]


def module(cmid: int, modname: str, name: str, *, resettable: bool = True, **kinds):
    return {
        "cmid": cmid,
        "modname": modname,
        "instance": cmid + 100,
        "name": name,
        "section": 1,
        "visible": True,
        "resettable": resettable,
        "data": counts(**kinds),
    }


def chemistry_course(**overrides: Any) -> CourseInventory:
    """A year of Chemistry: students by cohort L1CHIM231 and by hand, every kind of data."""
    data: dict[str, Any] = {
        "course": {
            "id": 42,
            "shortname": "CHIM231",
            "fullname": "Chimie générale",
            "idnumber": "L1CHIM231-CHIM",
            "categoryid": 3,
            "categoryname": "Sciences",
            "startdate": 1756677600,
            "enddate": 1782856800,
            "visible": True,
            "format": "topics",
        },
        "modules": [
            module(1, "forum", "Annonces", discussions=(0, 5), posts=(19, 2), ratings=(0, 0)),
            module(2, "glossary", "Glossaire", entries=(34, 0), ratings=(3, 1), comments=(2, 0)),
            module(3, "assign", "Devoir 1", submissions=(58, 0), grades=(58, 0), overrides=(2, 0)),
            module(4, "quiz", "Test 1", attempts=(120, 3), grades=(60, 1), overrides=(0, 0)),
            module(5, "h5pactivity", "Molécules", attempts=(40, 0)),
            module(6, "data", "Fiches", entries=(12, 1), ratings=(0, 0), comments=(0, 0)),
            module(7, "wiki", "Wiki du cours", pages=(6, 2), comments=(0, 0)),
            module(8, "bigbluebuttonbn", "Classe virtuelle", recordings=(0, 4), logs=(0, 9)),
            module(9, "lti", "Outil externe", resettable=False, completions=(3, 0)),
            module(10, "page", "Programme", completions=(50, 0)),
            module(11, "choice", "Choix du binôme", responses=(60, 0)),
            module(12, "feedback", "Retours", responses=(30, 0)),
        ],
        "coursedata": counts(
            events=(0, 8),
            notes=(2, 0),
            comments=(1, 0),
            coursecompletions=(40, 0),
            blogassociations=(0, 0),
            competencyratings=(0, 0),
        ),
        "enrolments": [
            {
                "id": 70,
                "method": "manual",
                "name": "Manual enrolments",
                "status": 0,
                "roleid": 5,
                "roleshortname": "student",
                "cohortid": 0,
                "cohortidnumber": "",
                "cohortname": "",
                "groupid": 0,
                "users": 8,
            },
            {
                "id": 71,
                "method": "cohort",
                "name": "Cohort sync (LICENCE 1 CHIMIE)",
                "status": 0,
                "roleid": 5,
                "roleshortname": "student",
                "cohortid": 9,
                "cohortidnumber": "L1CHIM231",
                "cohortname": "LICENCE 1 CHIMIE",
                "groupid": 0,
                "users": 64,
            },
        ],
        "roles": [
            {"roleid": 3, "shortname": "editingteacher", "archetype": "editingteacher", "users": 2},
            {"roleid": 5, "shortname": "student", "archetype": "student", "users": 70},
        ],
        "groups": [
            {"id": 1, "name": "TP A", "idnumber": "", "members": 35},
            {"id": 2, "name": "TP B", "idnumber": "", "members": 35},
        ],
        "groupings": [{"id": 1, "name": "TP", "groups": 2}],
        "gradebook": {
            "categories": 2,
            "manualitems": 1,
            "activityitems": 3,
            "grades": 250,
            "studentgrades": 248,
        },
        "restore": {"restored": False, "timerestored": 0, "operationid": 0},
        "timegenerated": 1782900000,
    }
    data.update(overrides)
    return CourseInventory.from_json(data)

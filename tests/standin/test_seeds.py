"""The seeds: fast, deterministic, and shaped as the demo and the tests need them."""

from __future__ import annotations

import time

from moodle_client.standin.inventory import course_inventory
from moodle_client.standin.seeds import build_site
from moodle_client.standin.seeds.demo import STEPS, cohort_idnumber
from moodle_client.standin.server import StandinServer
from moodle_client.standin.site import Site
from tests.standin.passage_helpers import Moodle


def taught_by(site: Site, username: str) -> list[str]:
    user = site.user_by_username(username)
    assert user is not None
    return [
        c.shortname
        for c in site.courses.values()
        if any(r.shortname == "editingteacher" for r in site.course_roles(c.id, user.id))
    ]


def test_seeds_build_fast() -> None:
    for name, limit in (("small", 0.05), ("demo", 1.0), ("demo-previous", 1.0)):
        started = time.perf_counter()
        build_site(name)
        assert time.perf_counter() - started < limit, name


def test_seeds_are_deterministic() -> None:
    for name in ("small", "demo"):
        first, second = build_site(name), build_site(name)
        assert [course_inventory(first, c)["modules"] for c in first.courses.values()] == [
            course_inventory(second, c)["modules"] for c in second.courses.values()
        ]
        assert [u.username for u in first.users.values()] == [
            u.username for u in second.users.values()
        ]


def test_small_seed_has_the_cases_the_tests_rely_on() -> None:
    site = build_site("small")
    assert set(site.tokens) == {"admin", "teacher"}
    assert taught_by(site, "teacher") == [
        "CHIM231-2025",
        "CHIM232-2025",
        "CHIM241-2026",
        "TUTO-CHIM",
    ]
    categories = {c.name for c in site.categories.values()}
    assert {"Chimie", "Espaces complémentaires"} <= categories
    loaded = next(c for c in site.courses.values() if c.shortname == "CHIM231-2025")
    modnames = {m["modname"] for m in course_inventory(site, loaded)["modules"]}
    assert {"assign", "quiz", "forum", "glossary", "wiki", "data", "choice", "feedback"} <= modnames
    assert {"h5pactivity", "lesson", "scorm", "workshop", "bigbluebuttonbn"} <= modnames


def test_demo_is_a_university_of_about_forty_courses() -> None:
    site = build_site("demo")
    courses = [c for c in site.courses.values() if c.format != "site"]
    assert 38 <= len(courses) <= 45
    assert 250 <= sum(1 for u in site.users.values() if u.idnumber.startswith("25")) <= 350
    names = {c.name for c in site.categories.values()}
    assert {"Chimie", "Physique", "Médecine", "Lettres modernes", "Droit privé"} <= names
    assert {"Espaces complémentaires", "Archives"} <= names
    assert any(c.shortname == "CHIM231-2025" and c.idnumber == "CHIM231-2025" for c in courses)


def test_demo_teacher_teaches_courses_of_every_shape() -> None:
    site = build_site("demo")
    taught = taught_by(site, "teacher")
    assert len(taught) >= 5
    by_shortname = {c.shortname: c for c in site.courses.values()}
    inventories = {s: course_inventory(site, by_shortname[s]) for s in taught}
    loaded = inventories["CHIM231-2025"]
    assert {e["cohortidnumber"] for e in loaded["enrolments"]} >= {"L1CHIM231", "L1CHIM231-ALE"}
    assert sum(d["students"] for m in loaded["modules"] for d in m["data"]) > 100
    assert [m["modname"] for m in inventories["CHIM235-2025"]["modules"]] == ["forum"]
    assert {r["shortname"] for r in inventories["CHIM233-2025"]["roles"]} >= {"manager"}
    co_taught = {r["shortname"]: r["users"] for r in inventories["CHIM232-2025"]["roles"]}
    assert co_taught["editingteacher"] == 2
    special = by_shortname["CHIM236-2025"]
    assert special.startdate < by_shortname["CHIM231-2025"].startdate


def test_every_cohort_of_the_year_has_its_successor() -> None:
    site = build_site("demo")
    idnumbers = {c.idnumber for c in site.cohorts.values()}
    for step in STEPS:
        assert cohort_idnumber(step, 2025) in idnumbers
        assert cohort_idnumber(step, 2026) in idnumbers
    assert {"L1CHIM231", "L1CHIM241", "L1CHIM231-ALE", "L1CHIM241-ALE"} <= idnumbers


def test_previous_platform_holds_last_years_course_of_each_teacher_course() -> None:
    current, previous = build_site("demo"), build_site("demo-previous")
    this_year = {s.removesuffix("-2025") for s in taught_by(current, "teacher") if "-2025" in s}
    last_year = {s.removesuffix("-2024") for s in taught_by(previous, "teacher") if "-2024" in s}
    assert this_year <= last_year
    assert set(previous.tokens) >= {"admin"}


def test_last_years_course_restores_into_this_years_empty_course() -> None:
    with (
        StandinServer.start(seed="demo-previous") as old,
        StandinServer.start(seed="demo") as new,
    ):
        old_moodle, new_moodle = Moodle(old), Moodle(new)
        backup = old_moodle.ok(
            "local_passage_backup_course",
            courseid=old_moodle.course("CHIM235-2024"),
            key="chim235",
            runinline=1,
        )
        content = old_moodle.http.get(
            backup["result"]["fileurl"], params={"token": "admin"}, timeout=10
        ).content
        uploaded = new_moodle.http.post(
            f"{new.url}/webservice/upload.php",
            params={"token": "teacher"},
            files={"file_1": (backup["result"]["filename"], content)},
            timeout=10,
        ).json()
        target = new_moodle.course("CHIM235-2025")
        restored = new_moodle.ok(
            "local_passage_restore_course",
            "teacher",
            courseid=target,
            draftitemid=uploaded[0]["itemid"],
            settings=[{"name": "users", "value": "0"}],
            key="restore-chim235",
            runinline=1,
        )
        assert restored["status"] == "success"
        source = old_moodle.inventory(old_moodle.course("CHIM235-2024"))
        inventory = new_moodle.inventory(target)
        assert [m["name"] for m in inventory["modules"]] == [m["name"] for m in source["modules"]]
        assert inventory["restore"]["restored"] is True

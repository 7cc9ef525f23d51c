"""The review of the stand-in's demo courses: its rows add up to what the stand-in holds."""

from collections import Counter

import pytest

from moodle_client import MoodleClient
from moodle_client.standin import StandinServer
from transition.models import PolicyRule
from transition.request_spec import Announcement, CohortChange, RequestSpec
from transition.review.engine import ReviewFacts, review_course
from transition.review.policy_locks import option_rules, policy_options
from transition.review.results import Fate, Section
from transition.services.policies import CAEN_RULES

CAEN = [
    PolicyRule(data_kind=kind, action=action, locked=locked, reason=reason)
    for kind, action, locked, reason in CAEN_RULES
]


@pytest.fixture(scope="module")
def demo() -> StandinServer:
    server = StandinServer.start(seed="demo")
    yield server
    server.stop()


def course_id(server: StandinServer, shortname: str) -> int:
    return next(c.id for c in server.site.courses.values() if c.shortname == shortname)


def caen_review(server: StandinServer, shortname: str, *, remove_cohorts: bool = False):
    client = MoodleClient(server.url, "admin")
    inventory = client.get_course_inventory(course_id(server, shortname))
    forums = client.get_forums([inventory.course.id])
    governed = option_rules(rules=CAEN, inventory=inventory)
    changes = tuple(
        CohortChange(action="remove", cohort_idnumber=e.cohortidnumber, enrol_instance_id=e.id)
        for e in inventory.enrolments
        if e.method == "cohort" and remove_cohorts
    )
    spec = RequestSpec(
        scenario="reuse_reset",
        course_moodle_id=inventory.course.id,
        reset_options=policy_options(governed=governed, inventory=inventory),
        cohort_changes=changes,
        grade_export=True,
    )
    facts = ReviewFacts(forum_types={f.id: f.type for f in forums})
    return review_course(inventory=inventory, spec=spec, governed=governed, facts=facts)


def site_counts(server: StandinServer, shortname: str) -> Counter:
    """(modname, kind) → records, straight from the stand-in's tables."""
    site = server.site
    cid = course_id(server, shortname)
    modules = {m.id: m for m in site.course_modules.values() if m.course == cid}
    counts: Counter = Counter()
    for record in site.user_data.values():
        if record.courseid == cid and record.cmid in modules:
            counts[modules[record.cmid].modname, record.kind] += 1
    return counts


@pytest.mark.parametrize("shortname", ["CHIM231-2025", "CHIM232-2025", "CHIM233-2025"])
def test_activity_rows_add_up_to_the_stand_in_records(demo, shortname):
    review = caen_review(demo, shortname)
    from_rows: Counter = Counter()
    for row in review.rows_in(Section.ACTIVITY):
        if row.kind not in ("activity", "settings"):
            from_rows[row.modname, row.kind] += row.total
    assert from_rows == site_counts(demo, shortname)


def test_forum_posts_are_all_deleted_under_the_caen_policy(demo):
    review = caen_review(demo, "CHIM231-2025")
    posts = [r for r in review.rows if r.modname == "forum" and r.kind == "posts"]
    assert posts and all(r.fate == Fate.DELETED and r.affected == r.total for r in posts)
    assert sum(r.total for r in posts) == site_counts(demo, "CHIM231-2025")["forum", "posts"]
    assert any(r.others for r in posts)  # teachers' posts go too


def test_glossary_entries_by_students_stay(demo):
    review = caen_review(demo, "CHIM231-2025")
    entries = [r for r in review.rows if r.modname == "glossary" and r.kind == "entries"]
    assert entries and all(r.fate == Fate.KEPT for r in entries)
    assert sum(r.students for r in entries) > 0


def test_gradebook_row_counts_every_grade(demo):
    site = demo.site
    cid = course_id(demo, "CHIM231-2025")
    items = {i.id for i in site.grade_items.values() if i.courseid == cid}
    graded = [g for g in site.grades.values() if g.itemid in items and g.finalgrade is not None]
    review = caen_review(demo, "CHIM231-2025")
    (grades,) = [r for r in review.rows_in(Section.GRADEBOOK) if r.kind == "grades"]
    assert grades.total == len(graded) and grades.fate == Fate.DELETED


def test_cohort_students_are_counted_and_unenrolled_only_when_removed(demo):
    site = demo.site
    cid = course_id(demo, "CHIM231-2025")
    syncs = [i for i in site.enrol_instances.values() if i.courseid == cid and i.enrol == "cohort"]
    assert len(syncs) == 2  # Caen and Alençon
    members = {
        site.cohorts[i.customint1].idnumber: sum(
            1 for e in site.user_enrolments.values() if e.enrolid == i.id
        )
        for i in syncs
    }
    kept = caen_review(demo, "CHIM231-2025")
    rows = {r.subject: r for r in kept.rows if r.kind == "cohort_students"}
    assert {k: r.total for k, r in rows.items()} == members
    assert all(r.fate == Fate.KEPT for r in rows.values())
    assert [w.code for w in kept.warnings].count("cohort_stays") == 2
    removed = caen_review(demo, "CHIM231-2025", remove_cohorts=True)
    unenrolled = [r for r in removed.rows if r.kind == "cohort_students"]
    assert all(r.fate == Fate.UNENROLLED for r in unenrolled)
    assert sum(r.affected for r in unenrolled) == sum(members.values())


def test_unresettable_activities_are_named(demo):
    shortname = next(
        c.shortname
        for c in demo.site.courses.values()
        if any(
            m.course == c.id and m.modname in ("lti", "qbank")
            for m in demo.site.course_modules.values()
        )
    )
    review = caen_review(demo, shortname)
    assert "not_resettable" in [w.code for w in review.warnings]


def announced_review(server: StandinServer, shortname: str, reset_options: dict[str, str]):
    client = MoodleClient(server.url, "admin")
    inventory = client.get_course_inventory(course_id(server, shortname))
    forums = client.get_forums([inventory.course.id])
    spec = RequestSpec(
        scenario="reuse_reset",
        course_moodle_id=inventory.course.id,
        reset_options=reset_options,
        announcement=Announcement(
            days_before=7, subject="Fin de semestre", message="Vos travaux seront supprimés."
        ),
    )
    facts = ReviewFacts(forum_types={f.id: f.type for f in forums})
    return review_course(inventory=inventory, spec=spec, governed={}, facts=facts)


def test_the_announcement_the_request_posts_is_counted_among_the_posts_the_reset_deletes(demo):
    review = announced_review(demo, "CHIM231-2025", {"reset_forum_all": "1"})

    announcement = [r for r in review.rows if r.note == "announcement"]
    assert [(r.kind, r.total, r.fate, r.affected) for r in announcement] == [
        ("discussions", 1, Fate.DELETED, 1),
        ("posts", 1, Fate.DELETED, 1),
    ]
    posts = sum(r.affected for r in review.rows if r.modname == "forum" and r.kind == "posts")
    assert posts == site_counts(demo, "CHIM231-2025")["forum", "posts"] + 1


def test_the_announcement_stays_when_the_reset_keeps_the_announcements_forum(demo):
    review = announced_review(demo, "CHIM231-2025", {"reset_forum_types": "general"})

    announcement = [r for r in review.rows if r.note == "announcement"]
    assert [(r.kind, r.fate) for r in announcement] == [
        ("discussions", Fate.KEPT),
        ("posts", Fate.KEPT),
    ]

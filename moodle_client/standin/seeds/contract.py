"""The `contract` seed: the Moodle 5.0 site the contract recordings were taken on
(/work/shared/moodle-contract), with the ids the recordings show, so that every recorded
request replayed against it finds the same records.

It is the site as the recordings leave it: courses that a recording creates already exist
(the contract tests free their names first when they replay the creation). Tokens: `admin`
(the site administrator), `student-etu1` (Alice Martin, a student, allowed to use the REST
protocol but holding no management capability) and `siteinfoonly-service` (the admin on a
service holding only core_webservice_get_site_info). Any other token is invalid.
"""

from __future__ import annotations

import gzip
from typing import Any

from moodle_client.standin.functions.backup import STATUS_FINISHED_OK, controllers
from moodle_client.standin.functions.cohort import add_cohort, add_cohort_member
from moodle_client.standin.functions.forum import add_discussion
from moodle_client.standin.functions.group import add_group, add_grouping
from moodle_client.standin.rest import REST_USE
from moodle_client.standin.site import (
    ENROL_DISABLED,
    ROLE_EDITINGTEACHER,
    ROLE_MANAGER,
    ROLE_STUDENT,
    ROLE_TEACHER,
    ROLE_USER,
    SITE_COURSE_ID,
    Course,
    EnrolInstance,
    Site,
    User,
)

TIME_SITE = 1795421012
TIME_GENERATED = 1795421115
START_GENERATED = 1795392000
START_2025, END_2025 = 1756684800, 1782864000
START_2024, END_2024 = 1725148800, 1751328000
LOREM = (
    "Test course 1<br />\nLorem ipsum dolor sit amet, consectetuer adipiscing elit. Nulla non "
    "arcu lacinia neque faucibus fringilla. Vivamus porttitor turpis ac leo."
)
GENERATED_NAMES = (
    ("Jan", "Svoboda"),
    ("Hiroto", "Watanabe"),
    ("Luca", "Fischer"),
    ("Isabella", "Wilson"),
    ("Emma", "Moreau"),
    ("Noah", "Schmidt"),
    ("Lucia", "Rossi"),
    ("Mateo", "Garcia"),
    ("Olivia", "Brown"),
    ("Isabella", "Miller"),
)
SMALL_FILE = bytes(16384)
BIG_FILE = bytes(262144)
COURSE3_BACKUP = "backup-moodle2-course-3-testcourse_2-20261123-0821.mbz"


def build(site: Site) -> None:
    site.sitename = "Real Moodle (test peer)"
    site.shortname = "realmoodle"
    site.add_course(
        "realmoodle",
        "Real Moodle (test peer)",
        category=0,
        id=SITE_COURSE_ID,
        context_id=2,
        format="site",
        numsections=1,
        news_forum=False,
        sortorder=1,
        summaryformat=0,
        newsitems=3,
        enablecompletion=0,
        timecreated=TIME_SITE,
    )
    site.add_category("Category 1", id=1, context_id=3, timemodified=TIME_SITE)
    site.add_user("guest", "Guest user", " ", id=1, email="root@localhost")
    admin = site.add_user("admin", "Admin", "User", id=2, context_id=5, siteadmin=True)
    site.add_token("admin", admin.id)
    site.add_token(
        "siteinfoonly-service",
        admin.id,
        functions={"core_webservice_get_site_info"},
        service="Site info only",
    )
    # The recording site let every authenticated user use the REST protocol.
    site.roles[ROLE_USER].capabilities.add(REST_USE)

    xs1 = _xs_course(
        site, 2, "testcourse_1", context_id=11, first_cmid=1, forum_cmid=5, sortorder=10003
    )
    xs2 = _xs_course(
        site, 3, "testcourse_2", context_id=18, first_cmid=6, forum_cmid=10, sortorder=10002
    )
    s_course = _s_course(site)
    # Users come after the generated courses, whose context ids the recordings show.
    generated = [
        site.add_user(
            f"tool_generator_{n:06d}", *GENERATED_NAMES[(n - 1) % 10], id=n + 2, idnumber=str(n)
        )
        for n in range(1, 101)
    ]
    people = {
        "tcurie": site.add_user("tcurie", "Marie", "Curie", id=103, idnumber="T001"),
        "etu1": site.add_user("etu1", "Alice", "Martin", id=104, idnumber="E2025001"),
        "etu2": site.add_user("etu2", "Bruno", "Petit", id=105, idnumber="E2025002"),
        "etu3": site.add_user("etu3", "Chloe", "Durand", id=106, idnumber="E2025003"),
        "etu4": site.add_user("etu4", "David", "Leroy", id=107, idnumber="E2025004"),
    }
    site.add_token("student-etu1", people["etu1"].id)

    for course in (xs1, xs2, s_course):
        _enrol(site, course, admin, ROLE_EDITINGTEACHER)
        _enrol(site, course, generated[0], ROLE_STUDENT)
    for user in generated[1:]:
        _enrol(site, s_course, user, ROLE_STUDENT)
    _enrol(site, s_course, people["tcurie"], ROLE_EDITINGTEACHER)
    _enrol(site, s_course, people["etu1"], ROLE_STUDENT)
    _grades(site, xs1, [generated[0]])
    _grades(site, s_course, [*generated, people["etu1"]])
    site.add_file(
        xs2.contextid,
        "backup",
        "course",
        0,
        "/",
        COURSE3_BACKUP,
        gzip.compress(b"moodle_backup.xml", mtime=0),
        mimetype="application/vnd.moodle.backup",
    )

    site.add_category(
        "Archives", id=2, idnumber="ARCHIVES", description="Old years", timemodified=1795421191
    )
    site.add_category("Chimie", id=3, idnumber="CHIMIE", timemodified=1795421191)
    chim25 = _course(
        site,
        5,
        "CHIM231-2025",
        "Chimie generale 231 (2025-2026)",
        category=3,
        numsections=4,
        idnumber="CHIM231-2025",
        summary="Cours de chimie generale",
        startdate=START_2025,
        enddate=END_2025,
        sortorder=30002,
        hiddensections=0,
        first_section=16,
        news_cmid=75,
    )
    chim24 = _course(
        site,
        6,
        "CHIM231-2024",
        "Chimie generale 231 (2024-2025) [archive]",
        category=2,
        numsections=3,
        idnumber="CHIM231-2024",
        visible=0,
        startdate=START_2024,
        enddate=END_2024,
        sortorder=20001,
    )
    phys = _course(
        site,
        7,
        "PHYS101-2025",
        "Physique 101 (2025-2026)",
        category=3,
        numsections=0,
        idnumber="PHYS101-2025",
        sortorder=30001,
    )

    cohort_a = add_cohort(
        site, "L1 Chimie 231", idnumber="L1CHIM231", id=1, description="Etudiants L1 chimie"
    )
    cohort_b = add_cohort(
        site, "L1 Chimie 232", idnumber="L1CHIM232", id=2, contextid=site.categories[3].contextid
    )
    _enrol(site, chim25, people["tcurie"], ROLE_EDITINGTEACHER)
    _enrol(site, chim25, people["etu1"], ROLE_STUDENT)
    _enrol(site, chim25, people["etu2"], ROLE_STUDENT)
    _enrol(site, chim25, people["etu3"], ROLE_STUDENT, timestart=START_2025, timeend=END_2025)
    site.assign_role(ROLE_TEACHER, people["etu2"].id, chim25.contextid)
    cohort_instance = site.add_enrol_instance(
        chim25.id, "cohort", customint1=cohort_a.id, sortorder=3
    )
    for user in (people["etu4"], people["etu1"], people["etu2"]):
        add_cohort_member(site, cohort_a, user.id)
    add_cohort_member(site, cohort_b, people["etu1"].id)
    assert cohort_instance.id
    site.assign_role(ROLE_MANAGER, people["etu4"].id, chim25.contextid)
    group_a = add_group(
        site,
        chim25.id,
        "Groupe A",
        id=1,
        description="TD A",
        idnumber="CHIM231-A",
        members=[people["etu1"].id],
    )
    group_b = add_group(
        site,
        chim25.id,
        "Groupe B",
        id=2,
        description="TD B",
        idnumber="CHIM231-B",
        members=[people["etu2"].id],
    )
    add_grouping(
        site,
        chim25.id,
        "TD",
        id=1,
        description="Groupes de TD",
        idnumber="CHIM231-TD",
        groups=[group_a.id, group_b.id],
    )
    site.add_event(
        "Examen partiel CHIM231",
        eventtype="course",
        timestart=1761987600,
        id=1,
        courseid=chim25.id,
        userid=admin.id,
        description="Amphi A",
        timeduration=7200,
    )
    site.add_event("Rentree L1", eventtype="site", timestart=1756717200, id=2, userid=admin.id)
    for user in (people["tcurie"],):
        _enrol(site, chim24, user, ROLE_EDITINGTEACHER)
    for user in (people["etu1"], people["etu2"]):
        _enrol(site, chim24, user, ROLE_STUDENT)
    _xs_content(site, chim25, first_cmid=718)

    self_instance = site.add_enrol_instance(phys.id, "self", id=18, sortorder=2)
    assert self_instance.status == 0
    _xs_content(site, phys, first_cmid=728, first_section=137)
    site.add_enrol_instance(phys.id, "meta", customint1=chim24.id, roleid=0)

    # Courses the recordings made by duplicating, importing and copying.
    dup = _course(site, 8, "testcourse_3_dup", "Test course: S (duplicate)", category=2)
    for courseid in (9, 10, 12, 13):
        _course(site, courseid, f"deleteme_{courseid}", f"Course to delete {courseid}", category=1)
    dupusers = _course(
        site,
        11,
        "testcourse_3_dupusers",
        "Test course: S (duplicate with users)",
        category=1,
        visible=0,
    )
    _course(site, 18, "testcourse_3_import", "Import target", category=1)
    _course(site, 20, "testcourse_3_content0", "Test course: S (content only 0)", category=2)
    restored = _course(site, 23, "testcourse_1_copy", "Test course: XS (copy)", category=1)
    for course in (dup, dupusers):
        _xs_content(site, course, first_cmid=None)
    for course in site.courses.values():
        if course.id >= phys.id:
            _enrol(site, course, people["tcurie"], ROLE_EDITINGTEACHER)
    _enrol(site, dupusers, generated[0], ROLE_STUDENT)

    controllers(site).update(
        {
            "9bde137946aa778ed9f4ab8f7cb4a59a": {
                "operation": "backup",
                "status": STATUS_FINISHED_OK,
                "progress": 1,
                "courseid": xs1.id,
                "contextid": xs1.contextid,
            },
            "9cd38c007442db5f4030300f7605f3bd": {
                "operation": "backup",
                "status": STATUS_FINISHED_OK,
                "progress": 1,
                "courseid": xs1.id,
                "contextid": xs1.contextid,
            },
            "9e0b4193eec098cf2afc9a9d96c3eb21": {
                "operation": "restore",
                "status": STATUS_FINISHED_OK,
                "progress": 1,
                "courseid": restored.id,
                "contextid": restored.contextid,
            },
        }
    )
    site.set_next_id("course", 24)


def _course(
    site: Site,
    courseid: int,
    shortname: str,
    fullname: str,
    *,
    category: int,
    numsections: int = 1,
    first_section: int | None = None,
    news_cmid: int | None = None,
    **fields: Any,
) -> Course:
    course = site.add_course(
        shortname,
        fullname,
        category=category,
        id=courseid,
        numsections=0,
        news_forum=False,
        timecreated=1795421191,
        timemodified=1795421191,
        **fields,
    )
    course.numsections = numsections
    for section in site.course_sections(course.id):
        del site.sections[section.id]
    for number in range(numsections + 1):
        site.add_section(
            course.id, number, id=None if first_section is None else first_section + number
        )
    if news_cmid is not None:
        site.add_module(
            course.id,
            "forum",
            "Announcements",
            id=news_cmid,
            settings={"type": "news"},
            intro="General news and announcements",
        )
    site.add_enrol_instance(course.id, "manual", sortorder=0)
    site.add_enrol_instance(course.id, "guest", status=ENROL_DISABLED, roleid=0, sortorder=1)
    return course


def _xs_course(
    site: Site,
    courseid: int,
    shortname: str,
    *,
    context_id: int,
    first_cmid: int,
    forum_cmid: int,
    sortorder: int,
) -> Course:
    course = site.add_course(
        shortname,
        "Test course: XS",
        category=1,
        id=courseid,
        context_id=context_id,
        numsections=1,
        news_forum=False,
        summary=LOREM,
        startdate=START_GENERATED,
        newsitems=0,
        enablecompletion=0,
        hiddensections=1,
        sortorder=sortorder,
        timecreated=TIME_GENERATED,
        timemodified=TIME_GENERATED,
    )
    site.add_enrol_instance(course.id, "manual", sortorder=0)
    _xs_content(site, course, first_cmid=first_cmid, forum_cmid=forum_cmid)
    return course


def _xs_content(
    site: Site,
    course: Course,
    *,
    first_cmid: int | None,
    forum_cmid: int | None = None,
    first_section: int | None = None,
) -> None:
    """The XS generated course's activities: an assignment, a page and a big file in section
    1, small files and a forum with one discussion in section 0."""

    def cmid(offset: int) -> int | None:
        return None if first_cmid is None else first_cmid + offset

    if first_section is not None:
        for section in site.course_sections(course.id):
            del site.sections[section.id]
        site.add_section(course.id, 0, id=first_section)
        site.add_section(course.id, 1, id=first_section + 1)
    elif site.section_by_number(course.id, 1) is None:
        site.add_section(course.id, 1)
    assign = site.add_module(course.id, "assign", "Assignment 1", section=1, id=cmid(0))
    site.add_grade_item(course.id, "mod", module=assign)
    page = site.add_module(course.id, "page", "Page 1", section=1, id=cmid(1))
    small = site.add_module(course.id, "resource", "Small files", section=0, id=cmid(2))
    _files(site, small.contextid, 3)
    big = site.add_module(course.id, "resource", "Big file 0", section=1, id=cmid(3))
    site.add_file(big.contextid, "mod_resource", "content", 0, "/", "bigfile0.dat", BIG_FILE)
    forum = site.add_module(
        course.id,
        "forum",
        "Forum",
        section=0,
        id=forum_cmid if forum_cmid is not None else cmid(4),
        intro="Test forum 1",
        settings={"type": "general"},
    )
    add_discussion(
        site,
        forum,
        2,
        "Discussion 1",
        "<p>Message for discussion 1</p>",
        timecreated=TIME_GENERATED,
    )
    assert page


def _s_course(site: Site) -> Course:
    """testcourse_3: ten sections of assignments and pages, files, a forum."""
    course = site.add_course(
        "testcourse_3",
        "Test course: S",
        category=1,
        id=4,
        context_id=24,
        numsections=0,
        news_forum=False,
        summary=LOREM,
        startdate=START_GENERATED,
        newsitems=0,
        enablecompletion=0,
        hiddensections=1,
        sortorder=10001,
        timecreated=TIME_GENERATED,
        timemodified=TIME_GENERATED,
    )
    course.numsections = 10
    for section in site.course_sections(course.id):
        del site.sections[section.id]
    for number in range(11):
        site.add_section(course.id, number, id=5 + number, name="" if number else "General")
    site.add_enrol_instance(course.id, "manual", sortorder=0)
    for n in range(10):
        module = site.add_module(
            course.id,
            "assign",
            f"Assignment {n + 1}",
            section=(n * 3) % 10 + 1,
            id=11 + n,
            context_id=25 + n,
            instance=3 + n,
        )
        site.add_grade_item(course.id, "mod", module=module)
    for n in range(50):
        site.add_module(
            course.id,
            "page",
            f"Page {n + 1}",
            section=(n * 7) % 10 + 1,
            id=21 + n,
            context_id=35 + n,
            instance=3 + n,
        )
    small = site.add_module(
        course.id, "resource", "Small files", section=0, id=71, context_id=85, instance=5
    )
    site.add_file(
        small.contextid,
        "mod_resource",
        "content",
        0,
        "/",
        "resource1.txt",
        b"Test resource resource1.txt file",
        mimetype="text/plain",
        sortorder=1,
    )
    _files(site, small.contextid, 64)
    for n in range(2):
        big = site.add_module(
            course.id,
            "resource",
            f"Big file {n}",
            section=4 + 5 * n,
            id=72 + n,
            context_id=86 + n,
            instance=6 + n,
        )
        site.add_file(big.contextid, "mod_resource", "content", 0, "/", f"bigfile{n}.dat", BIG_FILE)
    forum = site.add_module(
        course.id,
        "forum",
        "Forum",
        section=0,
        id=74,
        context_id=187,
        instance=3,
        intro="Test forum 1",
        settings={"type": "general"},
    )
    for n in range(10):
        author = 3 + (n * 7) % 100
        add_discussion(
            site,
            forum,
            author,
            f"Discussion {n + 1}",
            f"<p>Message for discussion {n + 1}</p>",
            timecreated=TIME_GENERATED,
        )
    return course


def _files(site: Site, contextid: int, count: int) -> None:
    for n in range(count):
        site.add_file(contextid, "mod_resource", "content", 0, "/", f"smallfile{n}.dat", SMALL_FILE)


def _manual(site: Site, course: Course) -> EnrolInstance:
    return site.enrol_instances_of(course.id, "manual")[0]


def _enrol(
    site: Site, course: Course, user: User, roleid: int, *, timestart: int = 0, timeend: int = 0
) -> None:
    site.enrol_user(
        _manual(site, course), user.id, roleid=roleid, timestart=timestart, timeend=timeend
    )


def _grades(site: Site, course: Course, students: list[User]) -> None:
    for item in site.grade_items_of(course.id):
        if item.itemtype != "mod":
            continue
        for index, student in enumerate(students):
            site.set_grade(
                item.id, student.id, float(40 + (index * 13 + item.id) % 60), usermodified=2
            )

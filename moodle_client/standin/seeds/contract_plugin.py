"""The `contract-plugin` seed: the Moodle 5.0 site the companion plugin's recordings were taken
on (tests/contract/local_passage), before the first of them, with the ids they show.

- course 6, PSG-REC-SRC1 (context 51): an XS generated course with user data (forum posts,
  choice answers, glossary entries, submissions, notes, events, a completion);
- course 7, PSG-REC-EMPTY1: the empty restore target; course 8, PSG-REC-COHORT1: empty;
- cohorts PSG-COH-A (id 1, 3 members) and PSG-COH-B (id 2, 2 members);
- tokens `admin` and `wsteacher` (an editing teacher of course 6 who lacks
  local/passage:use and is not enrolled in course 8).

The next operation id is 7, the next enrolment instance id 23 and the next draft area
789622092, as on the recording site.
"""

from __future__ import annotations

from moodle_client.standin.functions.cohort import add_cohort, add_cohort_member
from moodle_client.standin.functions.forum import add_discussion
from moodle_client.standin.functions.group import add_group, add_grouping
from moodle_client.standin.rest import REST_USE
from moodle_client.standin.site import (
    COMPLETION_KIND,
    CONTEXT_SYSTEM,
    ENROL_DISABLED,
    ROLE_EDITINGTEACHER,
    ROLE_MANAGER,
    ROLE_STUDENT,
    SITE_COURSE_ID,
    SYSTEM_CONTEXT_ID,
    Course,
    Role,
    Site,
    User,
)

PASSAGE_USE = "local/passage:use"
WEBSERVICE_ROLE_ID = 9
GENERATED_START = 1795392000


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
    )
    site.add_category("Category 1", id=1, context_id=3)
    site.add_user("guest", "Guest user", " ", id=1, email="root@localhost")
    admin = site.add_user("admin", "Admin", "User", id=2, context_id=5, siteadmin=True)
    site.add_token("admin", admin.id)
    site.roles[ROLE_MANAGER].capabilities.add(PASSAGE_USE)
    site.roles[WEBSERVICE_ROLE_ID] = Role(
        WEBSERVICE_ROLE_ID,
        "wsuser",
        "",
        name="Web service user",
        sortorder=9,
        contextlevels=frozenset({CONTEXT_SYSTEM}),
        capabilities={REST_USE},
    )

    teacher = site.add_user("wsteacher", "Walter", "Teacher", id=3)
    site.assign_role(WEBSERVICE_ROLE_ID, teacher.id, SYSTEM_CONTEXT_ID)
    site.add_token("wsteacher", teacher.id)
    co_teacher = site.add_user("rec1teacher", "Rita", "Teacher", id=4)
    students = [
        site.add_user(f"rec1student{n}", "Student", f"Number {n}", id=4 + n, idnumber=f"REC1-{n}")
        for n in range(1, 5)
    ]
    former = site.add_user("rec1former", "Former", "Student", id=9)
    cohort_users = [
        site.add_user(f"rec1cohort{n}", "Cohort", f"Member {n}", id=9 + n) for n in range(1, 4)
    ]

    source = _course(
        site,
        6,
        "PSG-REC-SRC1",
        "Test course: XS",
        context_id=51,
        first_instance=14,
        startdate=GENERATED_START,
    )
    target = _course(
        site, 7, "PSG-REC-EMPTY1", "Passage restore target", context_id=None, first_instance=17
    )
    _course(site, 8, "PSG-REC-COHORT1", "Passage cohort course", context_id=None, first_instance=20)
    assert target.id == 7

    manual = site.enrol_instances[14]
    for user in (admin, teacher, co_teacher):
        site.enrol_user(manual, user.id, roleid=ROLE_EDITINGTEACHER)
    for user in students:
        site.enrol_user(manual, user.id, roleid=ROLE_STUDENT)
    _content(site, source, students, former, co_teacher)
    group_a = add_group(
        site, source.id, "rec1 Group A", id=3, idnumber="rec1-GA", members=[students[0].id]
    )
    add_group(site, source.id, "rec1 Group B", id=4, idnumber="rec1-GB", members=[students[1].id])
    add_grouping(site, source.id, "rec1 Grouping", id=2, groups=[group_a.id])

    cohort_a = add_cohort(site, "Cohort PSG-COH-A", idnumber="PSG-COH-A", id=1)
    cohort_b = add_cohort(site, "Cohort PSG-COH-B", idnumber="PSG-COH-B", id=2)
    for user in cohort_users:
        add_cohort_member(site, cohort_a, user.id)
    for user in cohort_users[:2]:
        add_cohort_member(site, cohort_b, user.id)

    site.set_next_id("enrol", 23)
    site.set_next_id("local_passage_operation", 7)
    site.set_next_id("draftitemid", 789622092)


def _course(
    site: Site,
    courseid: int,
    shortname: str,
    fullname: str,
    *,
    context_id: int | None,
    first_instance: int,
    startdate: int = 0,
) -> Course:
    course = site.add_course(
        shortname,
        fullname,
        category=1,
        id=courseid,
        context_id=context_id,
        numsections=1,
        startdate=startdate,
        news_forum=courseid != 6,
    )
    site.add_enrol_instance(course.id, "manual", id=first_instance, sortorder=0)
    site.add_enrol_instance(
        course.id, "guest", id=first_instance + 1, status=ENROL_DISABLED, roleid=0, sortorder=1
    )
    site.add_enrol_instance(
        course.id, "self", id=first_instance + 2, status=ENROL_DISABLED, sortorder=2
    )
    return course


def _content(site: Site, course: Course, students: list[User], former: User, teacher: User) -> None:
    """The XS generated activities and the user data the recordings counted."""
    assign = site.add_module(course.id, "assign", "Assignment 1", section=1, id=26)
    site.add_grade_item(course.id, "mod", module=assign)
    site.add_module(course.id, "page", "Page 1", section=1, id=27)
    small = site.add_module(course.id, "resource", "Small files", section=0, id=28)
    site.add_file(
        small.contextid,
        "mod_resource",
        "content",
        0,
        "/",
        "resource1.txt",
        b"Test resource resource1.txt file",
        mimetype="text/plain",
    )
    big = site.add_module(course.id, "resource", "Big file 0", section=1, id=29)
    site.add_file(big.contextid, "mod_resource", "content", 0, "/", "bigfile0.dat", bytes(65536))
    forum = site.add_module(
        course.id,
        "forum",
        "Forum",
        section=0,
        id=30,
        intro="Test forum 1",
        settings={"type": "general"},
    )
    discussion = add_discussion(
        site, forum, students[0].id, "Discussion 1", "<p>Message for discussion 1</p>"
    )
    site.add_user_data(
        "posts",
        courseid=course.id,
        cmid=forum.id,
        userid=students[1].id,
        itemid=discussion.id,
        data={"subject": "Re: Discussion 1", "message": "<p>Reply</p>", "parent": discussion.id},
    )
    choice = site.add_module(course.id, "choice", "Choice A", section=0, id=31)
    for student in students[:3]:
        site.add_user_data("responses", courseid=course.id, cmid=choice.id, userid=student.id)
        site.add_user_data(COMPLETION_KIND, courseid=course.id, cmid=choice.id, userid=student.id)
    glossary = site.add_module(
        course.id, "glossary", "Glossary A", section=0, id=32, settings={"mainglossary": True}
    )
    site.add_user_data("entries", courseid=course.id, cmid=glossary.id, userid=students[0].id)
    site.add_user_data("entries", courseid=course.id, cmid=glossary.id, userid=teacher.id)
    discussions = site.add_module(
        course.id, "forum", "Discussions A", section=0, id=33, settings={"type": "general"}
    )
    for author in (students[0], former, teacher):
        add_discussion(site, discussions, author.id, f"Topic by {author.firstname}", "<p>Hello</p>")
    first = next(site.user_data_of(cmid=discussions.id, kind="discussions"))
    site.add_user_data(
        "posts",
        courseid=course.id,
        cmid=discussions.id,
        userid=students[2].id,
        itemid=first.id,
        data={"subject": "Re", "message": "<p>Re</p>", "parent": first.id},
    )
    site.add_user_data(
        "subscriptions", courseid=course.id, cmid=discussions.id, userid=students[0].id
    )
    for student in students[:2]:
        site.add_user_data("submissions", courseid=course.id, cmid=assign.id, userid=student.id)
        site.add_user_data("grades", courseid=course.id, cmid=assign.id, userid=student.id)
        site.add_user_data("notes", courseid=course.id, userid=student.id)
    site.add_user_data("coursecompletions", courseid=course.id, userid=students[0].id)
    for name in ("Course meeting", "Exam"):
        site.add_event(
            name,
            eventtype="course",
            timestart=GENERATED_START + 86400,
            courseid=course.id,
            userid=2,
        )

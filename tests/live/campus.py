"""What the live portal suite needs on the real Moodle, made through web services.

Activities cannot be created through Moodle's web services: each course imports them from a
template course of the site (``MOODLE_LIVE_TEMPLATE_COURSE``, a short name; Moodle's own
generator makes one: ``admin/tool/generator/cli/maketestcourse.php --size=XS``). Everything else
is created here, inside the category the test works in: a teacher, students, last year's and
next year's cohorts, forum posts, and the courses of each scenario.
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass

import pytest

from moodle_client import MoodleClient
from moodle_client.types.users import ManualEnrolment, NewUser

STUDENT_ROLE_ID = 5
EDITING_TEACHER_ROLE_ID = 3
PASSWORD = "Passage-Live-1!"
# Last year's courses: from 1 September 2025 to 30 June 2026.
START_DATE = 1756684800
END_DATE = 1782777600


@dataclass(frozen=True)
class Person:
    id: int
    username: str


@dataclass(frozen=True)
class Cohort:
    id: int
    idnumber: str
    members: tuple[int, ...]


@dataclass(frozen=True)
class Campus:
    """One run's people and cohorts on the live Moodle; `course_*` make its courses."""

    client: MoodleClient
    categoryid: int
    unique: str
    templateid: int
    teacher: Person
    students: tuple[Person, ...]
    old_cohort: Cohort  # last year's students, synced into the courses
    new_cohort: Cohort  # next year's students

    def course_empty(
        self, shortname: str, *, categoryid: int | None = None, news_forum: bool = True
    ) -> int:
        """An empty course the teacher teaches. Moodle creates a course's announcements forum
        with the course when the course shows news items; without them (as generated or
        restored courses) there is none until someone views the course."""
        created = self.client.call(
            "core_course_create_courses",
            courses=[
                {
                    "fullname": f"Passage live {shortname}",
                    "shortname": shortname,
                    "categoryid": categoryid or self.categoryid,
                    "newsitems": 5 if news_forum else 0,
                    "startdate": START_DATE,
                    "enddate": END_DATE,
                }
            ],
        )
        courseid = int(created[0]["id"])
        self.client.enrol_users(
            [ManualEnrolment(self.teacher.id, courseid, EDITING_TEACHER_ROLE_ID)]
        )
        return courseid

    def course_taught(
        self,
        shortname: str,
        *,
        categoryid: int | None = None,
        posts: int = 2,
        news_forum: bool = True,
    ) -> int:
        """A course with the template's activities, the teacher, last year's cohort synced
        in, and `posts` discussions in its first forum that is not an announcements forum."""
        courseid = self.course_empty(shortname, categoryid=categoryid, news_forum=news_forum)
        self.client.import_course(self.templateid, courseid, timeout=600)
        self.client.add_cohort_sync(courseid, self.old_cohort.idnumber)
        forum = next(f for f in self.client.get_forums([courseid]) if f.type != "news")
        for number in range(posts):
            self.client.add_discussion(forum.id, f"Question {number}", "<p>Une question</p>")
        return courseid


def template_course_id(client: MoodleClient) -> int:
    shortname = os.environ.get("MOODLE_LIVE_TEMPLATE_COURSE", "").strip()
    if not shortname:
        pytest.skip("the live portal suite needs MOODLE_LIVE_TEMPLATE_COURSE (see README)")
    course = client.find_course_by_shortname(shortname)
    if course is None:
        pytest.skip(f"MOODLE_LIVE_TEMPLATE_COURSE {shortname} is not a course of this Moodle")
    return course.id


def campus_build(client: MoodleClient, *, categoryid: int, unique: str) -> Campus:
    templateid = template_course_id(client)
    people = client.create_users(
        [
            NewUser(
                username=f"pl-{unique}-{name}",
                password=PASSWORD,
                firstname=name.capitalize(),
                lastname=f"Live {unique}",
                email=f"pl-{unique}-{name}@example.com",
            )
            for name in ("teacher", *(f"student{n}" for n in range(1, 7)))
        ]
    )
    teacher, *students = (Person(user.id, user.username) for user in people)
    old = _cohort(client, f"L1LIVE{unique}1", [s.id for s in students[:4]])
    new = _cohort(client, f"L1LIVE{unique}2", [s.id for s in students[3:]])
    return Campus(
        client=client,
        categoryid=categoryid,
        unique=unique,
        templateid=templateid,
        teacher=teacher,
        students=tuple(students),
        old_cohort=old,
        new_cohort=new,
    )


def campus_remove(campus: Campus) -> None:
    campus.client.call(
        "core_cohort_delete_cohorts", cohortids=[campus.old_cohort.id, campus.new_cohort.id]
    )


def _cohort(client: MoodleClient, idnumber: str, members: list[int]) -> Cohort:
    created = client.call(
        "core_cohort_create_cohorts",
        cohorts=[
            {
                "categorytype": {"type": "system", "value": ""},
                "name": idnumber,
                "idnumber": idnumber,
            }
        ],
    )
    cohortid = created[0]["id"]
    client.call(
        "core_cohort_add_cohort_members",
        members=[
            {
                "cohorttype": {"type": "id", "value": str(cohortid)},
                "usertype": {"type": "id", "value": str(userid)},
            }
            for userid in members
        ],
    )
    return Cohort(id=cohortid, idnumber=idnumber, members=tuple(members))


# What Moodle holds, read through core web services (not the plugin's inventory the review
# is built from).


def students_of(client: MoodleClient, courseid: int) -> set[int]:
    return {
        user.id
        for user in client.get_enrolled_users(courseid)
        if any(role.shortname == "student" for role in user.roles)
    }


def teachers_of(client: MoodleClient, courseid: int) -> set[str]:
    return {
        user.username
        for user in client.get_enrolled_users(courseid)
        if any(role.shortname == "editingteacher" for role in user.roles)
    }


def discussions_of(client: MoodleClient, courseid: int, *, news: bool = False) -> list[dict]:
    found = []
    for forum in client.get_forums([courseid]):
        if (forum.type == "news") == news:
            answer = client.call("mod_forum_get_forum_discussions", forumid=forum.id)
            found.extend(answer.get("discussions", []))
    return found


def modules_of(client: MoodleClient, courseid: int) -> Counter[tuple[str, str]]:
    sections = client.get_course_contents(courseid, exclude_contents=True)
    return Counter(
        (module.modname, module.name)
        for section in sections
        for module in section.modules
        if module.modname != "forum" or module.name != "Announcements"
    )

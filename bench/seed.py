"""The benchmark's stand-in site: `PASSAGE_BENCH_COURSES` identical courses (same activities,
same data, same students), so one review fits them all and every course costs Moodle the same.

The courses are light (a forum with the students' posts, an assignment with submissions,
teaching material): the benchmark measures the portal, not the stand-in. The stand-in finds a
course's rows through its tables' indexes, so a course costs it the same at any campaign size.
"""

from __future__ import annotations

import os
import random

from moodle_client.standin.seeds.builders import People, site_basics, teaching_material
from moodle_client.standin.site import ROLE_EDITINGTEACHER, ROLE_STUDENT, Site

SEED = 2026


def build(site: Site) -> None:
    count = int(os.environ.get("PASSAGE_BENCH_COURSES", "10"))
    people = People(random.Random(SEED))
    site_basics(site, sitename="Ecampus (benchmark)", shortname="bench")
    category = site.add_category("Campagne", idnumber="BENCH")
    teacher = people.person(site, "enseignant")
    students = [people.person(site, f"etu{n:02d}") for n in range(1, 5)]
    for number in range(count):
        course = site.add_course(
            f"BENCH{number:05d}",
            f"Cours de test {number}",
            category=category.id,
            idnumber=f"BENCH{number:05d}",
            numsections=2,
            startdate=1_756_684_800,
        )
        manual = site.add_enrol_instance(course.id, "manual")
        for user, role in [(teacher, ROLE_EDITINGTEACHER)] + [(s, ROLE_STUDENT) for s in students]:
            site.add_user_enrolment(manual.id, user.id)
            site.assign_role(role, user.id, course.contextid)
        teaching_material(site, course, random.Random(SEED), sections=2)
        forum = site.add_module(course.id, "forum", "Questions", section=1)
        homework = site.add_module(course.id, "assign", "Devoir 1", section=2)
        for student in students:
            site.add_user_data("posts", courseid=course.id, userid=student.id, cmid=forum.id)
            site.add_user_data(
                "submissions", courseid=course.id, userid=student.id, cmid=homework.id
            )

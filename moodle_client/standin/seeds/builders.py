"""What the seeds share: a fresh Moodle's first records, people, enrolments, and a course loaded
with every kind of activity and the data students and teachers left in it.

Everything is drawn from the `random.Random` the seed passes, so a seed builds the same site
every time.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from moodle_client.standin.passage.cohort_sync import cohort_sync_add
from moodle_client.standin.reset import ROLE_OVERRIDES_KEY
from moodle_client.standin.site import (
    CONTEXT_SYSTEM,
    ROLE_EDITINGTEACHER,
    ROLE_MANAGER,
    ROLE_STUDENT,
    SITE_COURSE_ID,
    SYSTEM_CONTEXT_ID,
    Cohort,
    Course,
    CourseModule,
    EnrolInstance,
    Grade,
    Group,
    Grouping,
    Role,
    Site,
    User,
)

DAY = 86400
WEEK = 7 * DAY
# The role a site gives the people allowed to use the web services (Moodle's documentation
# has administrators create one: the authenticated user role does not hold webservice/rest:use).
WEBSERVICE_ROLE_ID = 9
REST_USE = "webservice/rest:use"
PASSAGE_USE = "local/passage:use"

FIRST_NAMES = (
    "Camille",
    "Léa",
    "Manon",
    "Chloé",
    "Inès",
    "Jade",
    "Louise",
    "Emma",
    "Zoé",
    "Lina",
    "Hugo",
    "Lucas",
    "Louis",
    "Nathan",
    "Théo",
    "Arthur",
    "Jules",
    "Mathis",
    "Enzo",
    "Noah",
    "Sarah",
    "Clara",
    "Alice",
    "Anaïs",
    "Maëlys",
    "Yanis",
    "Rayan",
    "Quentin",
    "Maxime",
    "Paul",
    "Romane",
    "Océane",
    "Pauline",
    "Juliette",
    "Mathilde",
    "Baptiste",
    "Antoine",
    "Clément",
    "Thomas",
    "Victor",
    "Elsa",
    "Margaux",
    "Lucie",
    "Amandine",
    "Benoît",
    "Kévin",
    "Adèle",
)
LAST_NAMES = (
    "Martin",
    "Bernard",
    "Thomas",
    "Petit",
    "Robert",
    "Richard",
    "Durand",
    "Dubois",
    "Moreau",
    "Laurent",
    "Simon",
    "Michel",
    "Lefebvre",
    "Leroy",
    "Roux",
    "David",
    "Bertrand",
    "Morel",
    "Fournier",
    "Girard",
    "Bonnet",
    "Dupont",
    "Lambert",
    "Fontaine",
    "Rousseau",
    "Vincent",
    "Muller",
    "Lefèvre",
    "Faure",
    "André",
    "Mercier",
    "Blanc",
    "Guérin",
    "Boyer",
    "Garnier",
    "Chevalier",
    "François",
    "Legrand",
    "Gauthier",
    "Garcia",
    "Perrin",
    "Robin",
    "Clément",
    "Morin",
    "Nicolas",
    "Henry",
    "Roussel",
    "Mathieu",
    "Gautier",
    "Masson",
    "Marchand",
    "Duval",
    "Lemoine",
    "Lecomte",
    "Hébert",
    "Marie",
    "Lebrun",
    "Lefort",
    "Jacquet",
    "Caron",
)


def site_basics(site: Site, *, sitename: str, shortname: str) -> User:
    """What a fresh install holds: the site course, "Category 1", the guest and the admin
    (with the `admin` token), and a role for web-service users. Returns the admin."""
    site.sitename = sitename
    site.shortname = shortname
    site.add_course(
        shortname,
        sitename,
        category=0,
        id=SITE_COURSE_ID,
        format="site",
        numsections=0,
        news_forum=False,
    )
    site.add_category("Category 1", id=1)
    site.add_user("guest", "Guest user", " ", id=1, email="root@localhost", auth="manual")
    admin = site.add_user("admin", "Admin", "User", id=2, siteadmin=True, lang="fr")
    site.add_token("admin", admin.id)
    site.roles[WEBSERVICE_ROLE_ID] = Role(
        WEBSERVICE_ROLE_ID,
        "wsuser",
        "",
        name="Web service user",
        sortorder=9,
        contextlevels=frozenset({CONTEXT_SYSTEM}),
        capabilities={REST_USE},
    )
    site.next_id("role", WEBSERVICE_ROLE_ID)
    # The plugin gives local/passage:use to managers; this site also lets editing teachers
    # use Passage on their own courses.
    for roleid in (ROLE_MANAGER, ROLE_EDITINGTEACHER):
        site.roles[roleid].capabilities.add(PASSAGE_USE)
    return admin


def allow_webservices(site: Site, user: User, token: str) -> None:
    """Gives `user` the web-service role and a token."""
    site.assign_role(WEBSERVICE_ROLE_ID, user.id, SYSTEM_CONTEXT_ID)
    site.add_token(token, user.id)


@dataclass
class People:
    """Draws distinct French names and usernames."""

    rng: random.Random
    used: set[tuple[str, str]] = field(default_factory=set)

    def person(self, site: Site, username: str | None = None, **fields: Any) -> User:
        while True:
            first = self.rng.choice(FIRST_NAMES)
            last = self.rng.choice(LAST_NAMES)
            if (first, last) not in self.used:
                self.used.add((first, last))
                break
        if username is None:
            username = _ascii(f"{first[0]}{last}").lower()
            base, number = username, 1
            while site.user_by_username(username) is not None:
                number += 1
                username = f"{base}{number}"
        email = f"{_ascii(first).lower()}.{_ascii(last).lower()}@unicaen.example"
        return site.add_user(username, first, last, email=email, **fields)


def new_grade(site: Site, itemid: int, userid: int, value: float, *, usermodified: int = 0) -> None:
    """A grade nobody has yet (Site.set_grade looks for an existing one first, which a seed
    writing thousands of grades cannot afford)."""
    grade = Grade(
        id=site.next_id("grade_grades"),
        itemid=itemid,
        userid=userid,
        finalgrade=value,
        rawgrade=value,
        usermodified=usermodified,
    )
    site.grades[grade.id] = grade


def _ascii(text: str) -> str:
    table = str.maketrans("éèêëàâäîïôöùûüçÉÈ", "eeeeaaaiioouuucEE")
    return text.translate(table).replace(" ", "").replace("'", "")


def manual_instance(site: Site, course: Course) -> EnrolInstance:
    found = site.enrol_instances_of(course.id, "manual")
    if found:
        return found[0]
    return site.add_enrol_instance(course.id, "manual", roleid=ROLE_STUDENT)


def enrol(site: Site, course: Course, user: User, roleid: int = ROLE_STUDENT) -> None:
    """A manual enrolment with a role, as enrol_manual_enrol_users makes it."""
    site.enrol_user(manual_instance(site, course), user.id, roleid=roleid)


def add_cohort(site: Site, idnumber: str, name: str, members: Sequence[User]) -> Cohort:
    cohort = Cohort(
        id=site.next_id("cohort"),
        contextid=SYSTEM_CONTEXT_ID,
        name=name,
        idnumber=idnumber,
        members=[m.id for m in members],
    )
    site.cohorts[cohort.id] = cohort
    return cohort


def add_group(site: Site, course: Course, name: str, members: Sequence[User] = ()) -> Group:
    group = Group(
        id=site.next_id("groups"),
        courseid=course.id,
        name=name,
        idnumber=f"{course.shortname}-{name}".replace(" ", ""),
        members=[m.id for m in members],
    )
    site.groups[group.id] = group
    return group


def add_grouping(site: Site, course: Course, name: str, groups: Sequence[Group]) -> Grouping:
    grouping = Grouping(
        id=site.next_id("groupings"), courseid=course.id, name=name, groups=[g.id for g in groups]
    )
    site.groupings[grouping.id] = grouping
    return grouping


def sync_cohort(site: Site, course: Course, cohort: Cohort, group: Group | None = None) -> None:
    cohort_sync_add(
        site,
        course,
        cohortidnumber=cohort.idnumber,
        roleshortname="student",
        groupid=group.id if group else 0,
    )


def teaching_material(site: Site, course: Course, rng: random.Random, *, sections: int) -> None:
    """Resources of a plain course: a page, a file and a link per section."""
    for number in range(1, sections + 1):
        site.section_by_number(course.id, number) or site.add_section(course.id, number)
        site.add_module(course.id, "page", f"Cours {number} : notes", section=number)
        site.add_module(course.id, "resource", f"Diapositives séance {number}", section=number)
        if rng.random() < 0.5:
            site.add_module(course.id, "url", f"Lecture complémentaire {number}", section=number)
    course.numsections = max(course.numsections, sections)


@dataclass
class LoadedCourse:
    """The modules of a course `load_course` filled, by module name."""

    modules: dict[str, CourseModule]


def load_course(
    site: Site,
    course: Course,
    rng: random.Random,
    *,
    teachers: Sequence[User],
    students: Sequence[User],
    former_students: Sequence[User] = (),
) -> LoadedCourse:
    """Every activity type, with the data students (present and former) and teachers left:
    forum posts by both, glossary entries by both, submissions and grades, attempts, wiki
    pages, database entries, responses, completion, events, notes, comments, a manual grade
    item with grades."""
    teacher = teachers[0]
    authors = [*students, *former_students]
    start = course.startdate or 1_756_684_800  # 1 Sept 2025
    for number in range(1, 5):
        if site.section_by_number(course.id, number) is None:
            site.add_section(course.id, number)
    course.numsections = max(course.numsections, 4)
    names = ("Introduction", "Cours et exercices", "Évaluations", "Travail collaboratif")
    for number, name in enumerate(names, start=1):
        section = site.section_by_number(course.id, number)
        assert section is not None
        section.name = name
    add = site.add_module
    modules: dict[str, CourseModule] = {}
    news = site.news_forum(course.id)
    if news is not None:
        modules["news"] = news
    modules["label"] = add(course.id, "label", "Bienvenue", section=1)
    modules["page"] = add(course.id, "page", "Programme du cours", section=1)
    modules["resource"] = add(course.id, "resource", "Polycopié", section=1)
    modules["folder"] = add(course.id, "folder", "Annales", section=1)
    modules["url"] = add(course.id, "url", "Tableau périodique interactif", section=1)
    modules["book"] = add(course.id, "book", "Manuel de travaux pratiques", section=2)
    modules["forum"] = add(
        course.id, "forum", "Forum d'entraide", section=2, settings={"type": "general"}
    )
    modules["assign"] = add(
        course.id,
        "assign",
        "Compte rendu de TP",
        section=3,
        completion=1,
        settings={"duedate": start + 6 * WEEK, "allowsubmissionsfromdate": start},
    )
    modules["quiz"] = add(
        course.id,
        "quiz",
        "Test de positionnement",
        section=3,
        completion=1,
        settings={"timeopen": start + WEEK, "timeclose": start + 2 * WEEK},
    )
    modules["lesson"] = add(
        course.id, "lesson", "Leçon : stœchiométrie", section=3, settings={"deadline": 0}
    )
    modules["h5pactivity"] = add(course.id, "h5pactivity", "Exercice interactif", section=3)
    modules["scorm"] = add(course.id, "scorm", "Module SCORM sécurité", section=3)
    modules["glossary"] = add(
        course.id, "glossary", "Glossaire de chimie", section=4, settings={"mainglossary": 1}
    )
    modules["glossary2"] = add(
        course.id, "glossary", "Glossaire des étudiants", section=4, settings={"mainglossary": 0}
    )
    modules["data"] = add(course.id, "data", "Base de molécules", section=4)
    modules["wiki"] = add(course.id, "wiki", "Wiki du cours", section=4)
    modules["choice"] = add(course.id, "choice", "Choix du créneau de TP", section=4)
    modules["feedback"] = add(course.id, "feedback", "Retour sur le cours", section=4)
    modules["workshop"] = add(
        course.id, "workshop", "Évaluation par les pairs", section=4, settings={"phase": 30}
    )
    modules["bigbluebuttonbn"] = add(course.id, "bigbluebuttonbn", "Classe virtuelle", section=4)

    data = site.add_user_data

    def write(kind: str, module: CourseModule, user: User, **fields: Any) -> int:
        offset = rng.randrange(0, 20 * WEEK)
        record = data(
            kind,
            courseid=course.id,
            cmid=module.id,
            userid=user.id,
            timecreated=start + offset,
            **fields,
        )
        return record.id

    # Forums: the teacher's announcement and discussions opened by students and teachers.
    if news is not None:
        discussion = write("discussions", news, teacher, data={"subject": "Bienvenue"})
        write(
            "posts",
            news,
            teacher,
            itemid=discussion,
            data={"subject": "Bienvenue", "message": "Bonne rentrée à tous.", "parent": 0},
        )
    forum = modules["forum"]
    for author in [teacher, *rng.sample(list(authors), min(3, len(authors)))]:
        discussion = write("discussions", forum, author, data={"subject": "Question"})
        first = write(
            "posts",
            forum,
            author,
            itemid=discussion,
            data={"subject": "Question", "message": "…", "parent": 0},
        )
        for replier in rng.sample([teacher, *authors], min(2, len(authors) + 1)):
            reply = write(
                "posts",
                forum,
                replier,
                itemid=discussion,
                data={"subject": "Re: Question", "message": "…", "parent": first},
            )
            if replier.id != teacher.id:
                write("ratings", forum, teacher, itemid=reply)
    for subscriber in [teacher, *students[:3]]:
        write("subscriptions", forum, subscriber)
    # Assignment: every student submits, the teacher grades; one user and one group override.
    assign_item = site.add_grade_item(course.id, "mod", module=modules["assign"], grademax=20.0)
    quiz_item = site.add_grade_item(course.id, "mod", module=modules["quiz"], grademax=10.0)
    lesson_item = site.add_grade_item(course.id, "mod", module=modules["lesson"])
    h5p_item = site.add_grade_item(course.id, "mod", module=modules["h5pactivity"])
    scorm_item = site.add_grade_item(course.id, "mod", module=modules["scorm"])
    manual_item = site.add_grade_item(
        course.id, "manual", itemname="Participation orale", grademax=20.0
    )
    for student in authors:
        write("submissions", modules["assign"], student)
        grade = round(rng.uniform(6, 19), 1)
        write("grades", modules["assign"], student, data={"grade": grade})
        new_grade(site, assign_item.id, student.id, grade, usermodified=teacher.id)
        score = round(rng.uniform(3, 10), 1)
        write("attempts", modules["quiz"], student, data={"sumgrades": score})
        write("grades", modules["quiz"], student, data={"grade": score})
        new_grade(site, quiz_item.id, student.id, score)
        write("attempts", modules["lesson"], student)
        write("grades", modules["lesson"], student)
        new_grade(site, lesson_item.id, student.id, round(rng.uniform(40, 100)))
        write("attempts", modules["h5pactivity"], student)
        new_grade(site, h5p_item.id, student.id, round(rng.uniform(40, 100)))
        write("attempts", modules["scorm"], student)
        new_grade(site, scorm_item.id, student.id, round(rng.uniform(40, 100)))
        new_grade(
            site, manual_item.id, student.id, round(rng.uniform(8, 18), 1), usermodified=teacher.id
        )
        write("responses", modules["choice"], student)
        write("responses", modules["feedback"], student)
        write("submissions", modules["workshop"], student)
        write("completions", modules["assign"], student)
        write("completions", modules["quiz"], student)
    # The teacher tries the quiz too, and has a grade in the gradebook.
    write("attempts", modules["quiz"], teacher, data={"sumgrades": 10.0})
    new_grade(site, quiz_item.id, teacher.id, 10.0)
    write("overrides", modules["assign"], teacher, data={"userid": authors[0].id})
    write("overrides", modules["quiz"], teacher, data={"userid": authors[0].id})
    write("overrides", modules["lesson"], teacher, data={"userid": authors[0].id})
    groups = site.groups.having("courseid", course.id)
    if groups:
        write("overrides", modules["assign"], teacher, groupid=groups[0].id)
        write("overrides", modules["quiz"], teacher, groupid=groups[0].id)
        write("overrides", modules["lesson"], teacher, groupid=groups[0].id)
    # Glossaries: the teacher's definitions and the students' (Caen keeps the students').
    for glossary in (modules["glossary"], modules["glossary2"]):
        for author in [teacher, *authors[:4], *former_students]:
            entry = write("entries", glossary, author, data={"concept": "Mole"})
            write("comments", glossary, teacher, itemid=entry)
            if author.id != teacher.id:
                write("ratings", glossary, teacher, itemid=entry)
    # Database entries, wiki pages, workshop assessments.
    for author in [teacher, *authors[:5], *former_students]:
        entry = write("entries", modules["data"], author, data={"molecule": "H2O"})
        write("ratings", modules["data"], teacher, itemid=entry)
        write("comments", modules["data"], rng.choice(authors), itemid=entry)
        write("pages", modules["wiki"], author, data={"title": f"Page de {author.firstname}"})
    write("comments", modules["wiki"], authors[0])
    for assessor in authors[:4]:
        write("assessments", modules["workshop"], assessor)
    write("recordings", modules["bigbluebuttonbn"], teacher)
    write("logs", modules["bigbluebuttonbn"], teacher)
    for student in students[:3]:
        write("logs", modules["bigbluebuttonbn"], student)
    # Course-level data: notes, page comments, course completion, blog links, competencies.
    for student in authors[:3]:
        # A note belongs to the person it is about (post.userid); its writer is recorded.
        site.add_user_data(
            "notes", courseid=course.id, userid=student.id, data={"usermodified": teacher.id}
        )
        site.add_user_data("coursecompletions", courseid=course.id, userid=student.id)
        site.add_user_data("competencyratings", courseid=course.id, userid=student.id)
    site.add_user_data("comments", courseid=course.id, userid=authors[0].id)
    site.add_user_data("comments", courseid=course.id, userid=teacher.id)
    site.add_user_data("blogassociations", courseid=course.id, userid=authors[1].id)
    # Calendar: a course event, the assignment's due date, a BigBlueButton session.
    site.add_event(
        "Partiel",
        eventtype="course",
        timestart=start + 10 * WEEK,
        courseid=course.id,
        userid=teacher.id,
    )
    site.add_event(
        "Compte rendu de TP à rendre",
        eventtype="due",
        timestart=start + 6 * WEEK,
        courseid=course.id,
        modulename="assign",
        instance=modules["assign"].instance,
    )
    site.add_event(
        "Classe virtuelle",
        eventtype="meeting_start",
        timestart=start + 3 * WEEK,
        courseid=course.id,
        modulename="bigbluebuttonbn",
        instance=modules["bigbluebuttonbn"].instance,
    )
    # A permission override in the course, as reset_roles_overrides deletes them.
    overrides = site.extra.setdefault(ROLE_OVERRIDES_KEY, {})
    overrides[course.contextid] = {ROLE_STUDENT: {"mod/forum:viewrating": "allow"}}
    # A teacher given a role in one activity only: a local role assignment.
    site.assign_role(ROLE_EDITINGTEACHER, teachers[-1].id, modules["wiki"].contextid)
    return LoadedCourse(modules=modules)

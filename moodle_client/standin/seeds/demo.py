"""The `demo` seed: a French university's Moodle at the end of the 2025-2026 year.

About forty courses across faculties and departments (Chimie, Physique, Médecine, Lettres,
Droit...), shortnames and idnumbers such as `CHIM231-2025`, fifteen teachers, about three
hundred students, Apogée cohorts per step and campus (`L1CHIM231` = step L1CHIM, version 231;
`L1CHIM231-ALE` for the Alençon campus) with next year's versions already created
(`L1CHIM241`), groups, and data in every kind of activity. The "Espaces complémentaires"
category (left alone by the yearly reset) and an archive category of "ex_" courses too.

The user `teacher` (Claire Dubois, token `teacher`) is editing teacher of: CHIM231 (loaded,
Caen and Alençon cohorts synced, one group per campus), CHIM232 (co-taught, manual
enrolments), CHIM233 (where she is also manager), CHIM235 (new this year and empty: restore
last year's from `demo-previous`), CHIM236 (a special calendar, closing after 1 September),
a tutoring space in "Espaces complémentaires", and an archived "ex_" course.

`build_year` also builds `demo-previous`, the same university one year earlier.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from moodle_client.standin.seeds.builders import (
    DAY,
    WEEK,
    People,
    add_cohort,
    add_group,
    add_grouping,
    allow_webservices,
    enrol,
    load_course,
    new_grade,
    site_basics,
    sync_cohort,
    teaching_material,
)
from moodle_client.standin.site import (
    ROLE_EDITINGTEACHER,
    ROLE_MANAGER,
    Category,
    Cohort,
    Course,
    Site,
    User,
)

SEED = 1432  # the University of Caen's founding year

# (faculty, its idnumber, [(department, its idnumber, [(code, fullname, Apogée step)])])
CATALOGUE: tuple[
    tuple[str, str, tuple[tuple[str, str, tuple[tuple[str, str, str], ...]], ...]], ...
] = (
    (
        "UFR des Sciences",
        "SCI",
        (
            (
                "Chimie",
                "CHIM",
                (
                    ("CHIM231", "Chimie générale", "L1CHIM"),
                    ("CHIM232", "Thermodynamique chimique", "L1CHIM"),
                    ("CHIM233", "Chimie organique 1", "L2CHIM"),
                    ("CHIM234", "Spectroscopie", "L2CHIM"),
                    ("CHIM235", "Chimie analytique", "L3CHIM"),
                    ("CHIM236", "Électrochimie", "L3CHIM"),
                ),
            ),
            (
                "Physique",
                "PHYS",
                (
                    ("PHYS211", "Mécanique du point", "L1PHYS"),
                    ("PHYS212", "Électromagnétisme", "L1PHYS"),
                    ("PHYS221", "Optique ondulatoire", "L2PHYS"),
                    ("PHYS231", "Physique quantique", "L3PHYS"),
                ),
            ),
            (
                "Mathématiques",
                "MATH",
                (
                    ("MATH111", "Analyse 1", "L1MATH"),
                    ("MATH112", "Algèbre linéaire", "L1MATH"),
                    ("MATH121", "Probabilités", "L2MATH"),
                ),
            ),
            (
                "Biologie",
                "BIOL",
                (
                    ("BIOL101", "Biologie cellulaire", "L1BIOL"),
                    ("BIOL102", "Génétique", "L1BIOL"),
                    ("BIOL201", "Physiologie végétale", "L2BIOL"),
                ),
            ),
        ),
    ),
    (
        "UFR Santé",
        "SAN",
        (
            (
                "Médecine",
                "MED",
                (
                    ("MED101", "Anatomie générale", "PASS1"),
                    ("MED102", "Biochimie médicale", "PASS1"),
                    ("MED201", "Sémiologie", "DFGSM2"),
                    ("MED202", "Pharmacologie", "DFGSM2"),
                ),
            ),
            (
                "Pharmacie",
                "PHAR",
                (
                    ("PHAR201", "Pharmacie galénique", "DFGSP2"),
                    ("PHAR202", "Toxicologie", "DFGSP2"),
                ),
            ),
        ),
    ),
    (
        "UFR Humanités et Sciences sociales",
        "HSS",
        (
            (
                "Lettres modernes",
                "LETT",
                (
                    ("LETT101", "Littérature française du XIXe siècle", "L1LETM"),
                    ("LETT102", "Grammaire et stylistique", "L1LETM"),
                    ("LETT201", "Littérature comparée", "L2LETM"),
                ),
            ),
            (
                "Histoire",
                "HIST",
                (
                    ("HIST101", "Histoire médiévale", "L1HIST"),
                    ("HIST102", "Histoire contemporaine", "L1HIST"),
                    ("HIST201", "Historiographie", "L2HIST"),
                ),
            ),
            (
                "Langues étrangères appliquées",
                "LEA",
                (
                    ("ANGL101", "Anglais de spécialité", "L1LEA"),
                    ("ESPA101", "Espagnol : civilisation", "L1LEA"),
                ),
            ),
        ),
    ),
    (
        "UFR Droit et Sciences politiques",
        "DSP",
        (
            (
                "Droit privé",
                "DPRI",
                (
                    ("DROI101", "Introduction au droit", "L1DROI"),
                    ("DROI102", "Droit civil : les personnes", "L1DROI"),
                    ("DROI201", "Droit des obligations", "L2DROI"),
                ),
            ),
            (
                "Droit public",
                "DPUB",
                (
                    ("DROI111", "Droit constitutionnel", "L1DROI"),
                    ("DROI211", "Droit administratif", "L2DROI"),
                    ("DROI212", "Finances publiques", "L2DROI"),
                ),
            ),
        ),
    ),
)

# Apogée steps: their label, and the campuses other than Caen that also teach them.
STEPS = {
    "L1CHIM": ("LICENCE 1 CHIMIE", ("ALE",)),
    "L2CHIM": ("LICENCE 2 CHIMIE", ()),
    "L3CHIM": ("LICENCE 3 CHIMIE", ()),
    "L1PHYS": ("LICENCE 1 PHYSIQUE", ("CHE",)),
    "L2PHYS": ("LICENCE 2 PHYSIQUE", ()),
    "L3PHYS": ("LICENCE 3 PHYSIQUE", ()),
    "L1MATH": ("LICENCE 1 MATHÉMATIQUES", ()),
    "L2MATH": ("LICENCE 2 MATHÉMATIQUES", ()),
    "L1BIOL": ("LICENCE 1 SCIENCES DE LA VIE", ("SLO",)),
    "L2BIOL": ("LICENCE 2 SCIENCES DE LA VIE", ()),
    "PASS1": ("PARCOURS ACCÈS SANTÉ SPÉCIFIQUE", ()),
    "DFGSM2": ("DFGSM 2 MÉDECINE", ()),
    "DFGSP2": ("DFGSP 2 PHARMACIE", ()),
    "L1LETM": ("LICENCE 1 LETTRES MODERNES", ()),
    "L2LETM": ("LICENCE 2 LETTRES MODERNES", ()),
    "L1HIST": ("LICENCE 1 HISTOIRE", ()),
    "L2HIST": ("LICENCE 2 HISTOIRE", ()),
    "L1LEA": ("LICENCE 1 LEA ANGLAIS-ESPAGNOL", ()),
    "L1DROI": ("LICENCE 1 DROIT", ("ALE",)),
    "L2DROI": ("LICENCE 2 DROIT", ()),
}
# The next year's step of each step, for next year's cohorts.
NEXT_STEP = {
    "L1CHIM": "L2CHIM",
    "L2CHIM": "L3CHIM",
    "L1PHYS": "L2PHYS",
    "L2PHYS": "L3PHYS",
    "L1MATH": "L2MATH",
    "L1BIOL": "L2BIOL",
    "PASS1": "DFGSM2",
    "L1LETM": "L2LETM",
    "L1HIST": "L2HIST",
    "L1DROI": "L2DROI",
}
CAMPUSES = {"CAE": "Caen", "ALE": "Alençon", "CHE": "Cherbourg", "SLO": "Saint-Lô"}
STUDENTS_PER_STEP = 13
NEW_STUDENTS_PER_FIRST_YEAR = 6
TEACHER_COURSES = ("CHIM231", "CHIM232", "CHIM233", "CHIM235", "CHIM236")
# Courses whose activities hold a full year of data of every kind.
LOADED_COURSES = frozenset({"CHIM231", "PHYS211", "MED101", "LETT101", "DROI101", "BIOL101"})


def version(year: int) -> str:
    """The Apogée version of the steps of the year starting in `year` (2025 -> 231)."""
    return f"{year - 2002}1"


def cohort_idnumber(step: str, year: int, campus: str = "CAE") -> str:
    base = f"{step}{version(year)}"
    return base if campus == "CAE" else f"{base}-{campus}"


def cohort_name(step: str, campus: str = "CAE") -> str:
    label = STEPS[step][0]
    return label if campus == "CAE" else f"{label} ({CAMPUSES[campus].upper()})"


@dataclass
class Year:
    """What a year's build shares between its steps."""

    site: Site
    rng: random.Random
    year: int
    start: int
    end: int
    teacher: User
    colleagues: list[User]
    students_by_cohort: dict[tuple[str, str], list[User]]
    cohorts: dict[tuple[str, str], Cohort]


def build(site: Site) -> None:
    build_year(site, 2025)


def build_year(site: Site, year: int) -> None:
    """The platform of the academic year starting in September of `year`."""
    rng = random.Random(SEED)
    people = People(rng)
    site_basics(site, sitename=f"Ecampus {year}-{year + 1} (démo)", shortname=f"ecampus{year}")
    teacher = site.add_user(
        "teacher",
        "Claire",
        "Dubois",
        email="claire.dubois@unicaen.example",
        lang="fr",
        idnumber="E0042",
    )
    allow_webservices(site, teacher, "teacher")
    colleagues = [people.person(site, idnumber=f"E{100 + n:04d}", lang="fr") for n in range(14)]
    start = _september_first(year)
    state = Year(
        site=site,
        rng=rng,
        year=year,
        start=start,
        end=start + 43 * WEEK,
        teacher=teacher,
        colleagues=colleagues,
        students_by_cohort={},
        cohorts={},
    )
    _students_and_cohorts(state, people)
    categories = _categories(site)
    for _, _, departments in CATALOGUE:
        for department, _, courses in departments:
            for code, fullname, step in courses:
                _course(state, categories[department], code, fullname, step)
    _complementary_and_archives(state, categories)


def _september_first(year: int) -> int:
    # 1 September 00:00 Europe/Paris (UTC+2 in summer), as the course form would store it.
    days = (year - 1970) * 365 + (year - 1969) // 4 + 243
    return days * DAY - 2 * 3600


def _categories(site: Site) -> dict[str, Category]:
    found: dict[str, Category] = {}
    for faculty, faculty_idnumber, departments in CATALOGUE:
        parent = site.add_category(faculty, idnumber=faculty_idnumber)
        for department, idnumber, _ in departments:
            found[department] = site.add_category(
                department, parent=parent.id, idnumber=f"{faculty_idnumber}-{idnumber}"
            )
    found["complementary"] = site.add_category("Espaces complémentaires", idnumber="COMP")
    found["archive"] = site.add_category("Archives", idnumber="ARCH", visible=0)
    return found


def _students_and_cohorts(state: Year, people: People) -> None:
    """Each step's students, split by campus, in this year's cohorts; next year's cohorts
    hold those who move up (most), those who repeat, and newcomers in first year."""
    site, rng, year = state.site, state.rng, state.year
    number = 0

    def student() -> User:
        nonlocal number
        number += 1
        return people.person(site, idnumber=f"{year % 100}{number:06d}", lang="fr")

    by_step: dict[str, list[User]] = {}
    for step, (_, campuses) in STEPS.items():
        members = [student() for _ in range(STUDENTS_PER_STEP + 3 * len(campuses))]
        by_step[step] = members
        split = STUDENTS_PER_STEP
        groups = {"CAE": members[:split]}
        for index, campus in enumerate(campuses):
            groups[campus] = members[split + 3 * index : split + 3 * (index + 1)]
        for campus, campus_members in groups.items():
            key = (step, campus)
            state.students_by_cohort[key] = campus_members
            state.cohorts[key] = add_cohort(
                site, cohort_idnumber(step, year, campus), cohort_name(step, campus), campus_members
            )
    # Next year's cohorts (version + 10): movers from the step below, repeaters, newcomers.
    for step, (_, campuses) in STEPS.items():
        below = [s for s, above in NEXT_STEP.items() if above == step]
        movers = [u for s in below for u in by_step[s] if rng.random() < 0.7]
        repeaters = [u for u in by_step[step] if rng.random() < 0.15]
        newcomers = [student() for _ in range(NEW_STUDENTS_PER_FIRST_YEAR)] if not below else []
        members = movers + repeaters + newcomers
        for campus in ("CAE", *campuses):
            share = members if campus == "CAE" else members[-2:]
            add_cohort(
                site, cohort_idnumber(step, year + 1, campus), cohort_name(step, campus), share
            )


def _course(state: Year, category: Category, code: str, fullname: str, step: str) -> Course:
    site, rng, year = state.site, state.rng, state.year
    shortname = f"{code}-{year}"
    special = code == "CHIM236"
    course = site.add_course(
        shortname,
        fullname,
        category=category.id,
        idnumber=shortname,
        numsections=4,
        # CHIM236 opens in late August and closes after 1 September: a special calendar.
        startdate=state.start - (10 * DAY if special else 0),
        enddate=state.end + (9 * WEEK if special else 0),
        summary=f"{fullname} ({STEPS[step][0].lower()}).",
    )
    teachers = _teachers_of(state, code)
    for teacher in teachers:
        enrol(site, course, teacher, ROLE_EDITINGTEACHER)
    if code == "CHIM233":
        site.assign_role(ROLE_MANAGER, state.teacher.id, course.contextid)
    if code == "CHIM235" and year == 2025:
        return course  # new this year: empty, waiting for last year's course to be restored
    students = _enrol_students(state, course, code, step)
    if code in LOADED_COURSES:
        # Two students of other steps followed the course part of the year, then changed
        # course: their data stays, they hold no role here any more.
        enrolled = {u.id for u in students}
        elsewhere = [
            u
            for members in state.students_by_cohort.values()
            for u in members
            if u.id not in enrolled
        ]
        load_course(
            site,
            course,
            rng,
            teachers=teachers,
            students=students,
            former_students=rng.sample(elsewhere, 2),
        )
    else:
        teaching_material(site, course, rng, sections=rng.randint(2, 4))
        _some_activity(state, course, teachers[0], students)
    return course


def _teachers_of(state: Year, code: str) -> list[User]:
    """`teacher` for her courses (CHIM232 co-taught), a colleague by department otherwise."""
    if code in TEACHER_COURSES:
        if code == "CHIM232":
            return [state.teacher, state.colleagues[0]]
        return [state.teacher]
    index = sum(ord(c) for c in code) % len(state.colleagues)
    teachers = [state.colleagues[index]]
    if state.rng.random() < 0.25:
        teachers.append(state.colleagues[(index + 5) % len(state.colleagues)])
    return teachers


def _enrol_students(state: Year, course: Course, code: str, step: str) -> list[User]:
    """Most courses synchronise their step's cohorts (one group per campus); some still
    enrol their students by hand, as they did before cohorts existed."""
    site = state.site
    campuses = ("CAE", *STEPS[step][1])
    students: list[User] = []
    by_hand = code in ("CHIM232", "HIST102", "ESPA101", "PHAR202")
    groups = []
    for campus in campuses:
        members = state.students_by_cohort[(step, campus)]
        students.extend(members)
        group = add_group(site, course, CAMPUSES[campus]) if len(campuses) > 1 else None
        if group is not None:
            groups.append(group)
        if by_hand:
            for member in members:
                enrol(site, course, member)
            if group is not None:
                group.members.extend(m.id for m in members)
        else:
            sync_cohort(site, course, state.cohorts[(step, campus)], group)
    if len(groups) > 1:
        add_grouping(site, course, "Campus", groups)
    if not groups:
        half = len(students) // 2
        add_group(site, course, "TD 1", students[:half])
        add_group(site, course, "TD 2", students[half:])
    return students


def _some_activity(state: Year, course: Course, teacher: User, students: list[User]) -> None:
    """A forum with a few posts, an assignment with submissions and grades, a quiz."""
    site, rng = state.site, state.rng
    forum = site.add_module(
        course.id, "forum", "Questions sur le cours", section=1, settings={"type": "general"}
    )
    assign = site.add_module(
        course.id,
        "assign",
        "Devoir maison",
        section=2,
        settings={"duedate": state.start + 8 * WEEK},
    )
    quiz = site.add_module(
        course.id,
        "quiz",
        "QCM d'entraînement",
        section=2,
        settings={"timeopen": state.start + 3 * WEEK, "timeclose": state.start + 4 * WEEK},
    )
    item = site.add_grade_item(course.id, "mod", module=assign, grademax=20.0)
    when = state.start + 5 * WEEK
    for author in [teacher, *rng.sample(students, min(3, len(students)))]:
        discussion = site.add_user_data(
            "discussions", courseid=course.id, cmid=forum.id, userid=author.id, timecreated=when
        )
        site.add_user_data(
            "posts",
            courseid=course.id,
            cmid=forum.id,
            userid=author.id,
            itemid=discussion.id,
            timecreated=when,
            data={"subject": "Question", "message": "…", "parent": 0},
        )
    for student in students:
        if rng.random() < 0.8:
            site.add_user_data(
                "submissions",
                courseid=course.id,
                cmid=assign.id,
                userid=student.id,
                timecreated=when,
            )
            grade = round(rng.uniform(4, 19), 1)
            site.add_user_data(
                "grades",
                courseid=course.id,
                cmid=assign.id,
                userid=student.id,
                timecreated=when,
                data={"grade": grade},
            )
            new_grade(site, item.id, student.id, grade, usermodified=teacher.id)
        if rng.random() < 0.6:
            site.add_user_data(
                "attempts", courseid=course.id, cmid=quiz.id, userid=student.id, timecreated=when
            )
    site.add_event(
        "Examen terminal",
        eventtype="course",
        timestart=state.end - 4 * WEEK,
        courseid=course.id,
        userid=teacher.id,
    )


def _complementary_and_archives(state: Year, categories: dict[str, Category]) -> None:
    site, rng, year = state.site, state.rng, state.year
    tutoring = site.add_course(
        "TUTO-CHIM",
        "Tutorat de chimie",
        category=categories["complementary"].id,
        numsections=2,
        startdate=_september_first(2021),
    )
    enrol(site, tutoring, state.teacher, ROLE_EDITINGTEACHER)
    site.add_module(tutoring.id, "lti", "Plateforme d'exercices", section=1)
    site.add_module(tutoring.id, "qbank", "Banque de questions", section=1)
    site.add_module(tutoring.id, "page", "Organisation du tutorat", section=1)
    for student in state.students_by_cohort[("L1CHIM", "CAE")][:5]:
        enrol(site, tutoring, student)
    for shortname, fullname, colleague in (
        ("MTU-SCI", "Méthodologie du travail universitaire", 3),
        ("PIX-PREP", "Préparation à la certification Pix", 7),
    ):
        course = site.add_course(
            shortname,
            fullname,
            category=categories["complementary"].id,
            numsections=3,
            startdate=_september_first(2022),
        )
        enrol(site, course, state.colleagues[colleague], ROLE_EDITINGTEACHER)
        teaching_material(site, course, rng, sections=3)
    for code, fullname, teacher in (
        ("CHIM210", "Chimie minérale", state.teacher),
        ("PHYS230", "Physique statistique", state.colleagues[2]),
    ):
        archived = site.add_course(
            f"ex_{code}-{year - 1}",
            f"ex_{fullname}",
            category=categories["archive"].id,
            idnumber=f"ex_{code}-{year - 1}",
            numsections=2,
            visible=0,
            startdate=_september_first(year - 1),
            enddate=_september_first(year) - 8 * WEEK,
        )
        enrol(site, archived, teacher, ROLE_EDITINGTEACHER)
        teaching_material(site, archived, rng, sections=2)

"""The `small` seed: a few courses in two categories, one of them loaded with every kind of
activity and data, built in a few milliseconds (every test starts a fresh server with it).

- "Sciences > Chimie": CHIM231-2025 (loaded: manual students, a cohort sync of L1CHIM231 whose
  members are in group "TD 1", a former student's data, a non-editing co-teacher),
  CHIM232-2025 (where `teacher` is also manager, the case the review warns about),
  CHIM241-2026 (empty but for its news forum: a restore target),
  BIO101-2025 (taught by someone else, `teacher` only a non-editing teacher: Passage refuses
  them there), PHYS101-2025 (where `teacher` is not enrolled at all).
- "Espaces complémentaires": TUTO-CHIM (an external tool and a question bank, which a reset
  does not support).

Tokens: `admin` (the site administrator) and `teacher` (Claire Dubois, editing teacher).
"""

from __future__ import annotations

import random

from moodle_client.standin.seeds.builders import (
    People,
    add_cohort,
    add_group,
    add_grouping,
    allow_webservices,
    enrol,
    load_course,
    site_basics,
    sync_cohort,
    teaching_material,
)
from moodle_client.standin.site import (
    ROLE_EDITINGTEACHER,
    ROLE_MANAGER,
    ROLE_TEACHER,
    Site,
)

SEED = 231
START_2025 = 1_756_684_800  # 1 September 2025
END_2025 = 1_782_864_000  # 1 July 2026
START_2026 = 1_788_220_800  # 1 September 2026


def build(site: Site) -> None:
    rng = random.Random(SEED)
    people = People(rng)
    site_basics(site, sitename="Ecampus (stand-in)", shortname="ecampus")
    sciences = site.add_category("Sciences", idnumber="SCI")
    chimie = site.add_category("Chimie", parent=sciences.id, idnumber="SCI-CHIM")
    complementary = site.add_category("Espaces complémentaires", idnumber="COMP")

    teacher = site.add_user(
        "teacher", "Claire", "Dubois", email="claire.dubois@unicaen.example", lang="fr"
    )
    allow_webservices(site, teacher, "teacher")
    coteacher = people.person(site, "mlefebvre")
    other_teacher = people.person(site, "sgirard")
    students = [people.person(site, f"etu{n:02d}", idnumber=f"2200{n:04d}") for n in range(1, 13)]
    former = people.person(site, "etu13", idnumber="21000013")
    successors = [
        people.person(site, f"etu{n:02d}", idnumber=f"2300{n:04d}") for n in range(14, 18)
    ]

    cohort = add_cohort(site, "L1CHIM231", "LICENCE 1 CHIMIE", students[4:10])
    add_cohort(site, "L1CHIM241", "LICENCE 1 CHIMIE", [*students[10:], *successors])
    add_cohort(site, "L1CHIM231-ALE", "LICENCE 1 CHIMIE (ALENÇON)", students[8:12])

    loaded = site.add_course(
        "CHIM231-2025",
        "Chimie générale",
        category=chimie.id,
        idnumber="CHIM231-2025",
        numsections=4,
        startdate=START_2025,
        enddate=END_2025,
        summary="Atomistique, liaisons, thermochimie.",
    )
    enrol(site, loaded, teacher, ROLE_EDITINGTEACHER)
    enrol(site, loaded, coteacher, ROLE_TEACHER)
    for student in students[:4]:
        enrol(site, loaded, student)
    # One cohort member was also enrolled by hand early in the year.
    enrol(site, loaded, students[4])
    td1 = add_group(site, loaded, "TD 1")
    td2 = add_group(site, loaded, "TD 2", students[:2])
    add_grouping(site, loaded, "Travaux dirigés", [td1, td2])
    sync_cohort(site, loaded, cohort, td1)
    load_course(
        site,
        loaded,
        rng,
        teachers=[teacher, coteacher],
        students=students[:10],
        former_students=[former],
    )

    thermo = site.add_course(
        "CHIM232-2025",
        "Thermodynamique chimique",
        category=chimie.id,
        idnumber="CHIM232-2025",
        numsections=3,
        startdate=START_2025,
        enddate=END_2025,
    )
    enrol(site, thermo, teacher, ROLE_EDITINGTEACHER)
    site.assign_role(ROLE_MANAGER, teacher.id, thermo.contextid)
    for student in students[:6]:
        enrol(site, thermo, student)
    teaching_material(site, thermo, rng, sections=3)

    site.add_course(
        "CHIM241-2026",
        "Chimie générale",
        category=chimie.id,
        idnumber="CHIM241-2026",
        numsections=4,
        startdate=START_2026,
        enddate=START_2026 + (END_2025 - START_2025),
    )
    target = site.courses[max(site.courses)]
    enrol(site, target, teacher, ROLE_EDITINGTEACHER)

    biology = site.add_course(
        "BIO101-2025",
        "Biologie cellulaire",
        category=sciences.id,
        idnumber="BIO101-2025",
        numsections=2,
        startdate=START_2025,
        enddate=END_2025,
    )
    enrol(site, biology, other_teacher, ROLE_EDITINGTEACHER)
    # `teacher` only assists here, without editing rights: Passage must refuse them.
    enrol(site, biology, teacher, ROLE_TEACHER)
    for student in students[6:]:
        enrol(site, biology, student)
    teaching_material(site, biology, rng, sections=2)

    physics = site.add_course(
        "PHYS101-2025",
        "Physique générale",
        category=sciences.id,
        idnumber="PHYS101-2025",
        startdate=START_2025,
        enddate=END_2025,
    )
    enrol(site, physics, other_teacher, ROLE_EDITINGTEACHER)
    teaching_material(site, physics, rng, sections=1)

    tutoring = site.add_course(
        "TUTO-CHIM",
        "Tutorat de chimie",
        category=complementary.id,
        numsections=2,
        startdate=START_2025,
    )
    enrol(site, tutoring, teacher, ROLE_EDITINGTEACHER)
    site.add_module(tutoring.id, "lti", "Plateforme d'exercices", section=1)
    site.add_module(tutoring.id, "qbank", "Banque de questions", section=1)
    site.add_module(tutoring.id, "page", "Organisation du tutorat", section=1)
    for student in students[:3]:
        enrol(site, tutoring, student)

"""Cohort-sync enrolment instances (enrol_cohort), which no core web service manages.

Adding an instance enrols every member of the cohort with its role (assignments owned by
`enrol_cohort` and the instance) and puts them in its group; removing it unenrols the people
who came through it, and only through it: someone also enrolled by hand stays enrolled.
"""

from __future__ import annotations

from typing import Any

from moodle_client.standin.registry import moodle_exception
from moodle_client.standin.reset import forget_forum_preferences
from moodle_client.standin.site import (
    CONTEXT_COURSE,
    Cohort,
    Course,
    EnrolInstance,
    Site,
)


def cohort_sync_as_dict(site: Site, instance: EnrolInstance) -> dict[str, Any]:
    cohort = site.cohorts.get(instance.customint1)
    role = site.roles.get(instance.roleid)
    return {
        "id": instance.id,
        "courseid": instance.courseid,
        "cohortid": instance.customint1,
        "cohortidnumber": cohort.idnumber if cohort else "",
        "cohortname": cohort.name if cohort else "",
        "roleid": instance.roleid,
        "roleshortname": role.shortname if role else "",
        "groupid": instance.customint2,
        "status": instance.status,
        "users": len(site.user_enrolments.having("enrolid", instance.id)),
    }


def cohort_syncs_of(site: Site, course: Course) -> list[EnrolInstance]:
    return site.enrol_instances_of(course.id, "cohort")


def cohort_sync_add(
    site: Site, course: Course, *, cohortidnumber: str, roleshortname: str, groupid: int
) -> tuple[EnrolInstance, bool]:
    """The course's instance for the cohort (created when missing), synchronised."""
    cohort = _cohort_by_idnumber(site, course, cohortidnumber)
    role = site.role_by_shortname(roleshortname)
    if role is None or CONTEXT_COURSE not in role.contextlevels:
        raise moodle_exception(
            "invalidrole",
            f'The role "{roleshortname}" does not exist or cannot be assigned in this course.',
        )
    group = site.groups.get(groupid) if groupid else None
    if groupid and (group is None or group.courseid != course.id):
        raise moodle_exception("invalidgroup", f"Group {groupid} does not belong to this course.")
    for instance in cohort_syncs_of(site, course):
        if instance.customint1 == cohort.id:
            cohort_sync_run(site, instance)
            return instance, False
    instance = site.add_enrol_instance(
        course.id, "cohort", roleid=role.id, customint1=cohort.id, customint2=groupid
    )
    cohort_sync_run(site, instance)
    return instance, True


def cohort_sync_run(site: Site, instance: EnrolInstance) -> None:
    """enrol_cohort_sync() for one instance: every member enrolled, with role and group."""
    cohort = site.cohorts.get(instance.customint1)
    if cohort is None:
        return
    group = site.groups.get(instance.customint2) if instance.customint2 else None
    for userid in cohort.members:
        if userid not in site.users:
            continue
        site.enrol_user(instance, userid)
        if group is not None and userid not in group.members:
            group.members.append(userid)


def cohort_sync_remove(site: Site, course: Course, instanceid: int) -> tuple[bool, int]:
    """Deletes the instance and the enrolments it made; (removed, users unenrolled)."""
    instance = site.enrol_instances.get(instanceid)
    if instance is None or instance.courseid != course.id or instance.enrol != "cohort":
        return False, 0
    group = site.groups.get(instance.customint2) if instance.customint2 else None
    members = sorted(e.userid for e in site.user_enrolments.having("enrolid", instance.id))
    for userid in members:
        site.unenrol_user(instance, userid)
        # The group membership the instance made goes with it.
        if group is not None and userid in group.members:
            group.members.remove(userid)
        forget_forum_preferences(site, course.id, userid)
    del site.enrol_instances[instance.id]
    return True, len(members)


def _cohort_by_idnumber(site: Site, course: Course, idnumber: str) -> Cohort:
    """A cohort the course may use: one of the system, or of a category above the course."""
    above = set(site.contexts[course.contextid].path_ids(site))
    for cohort in site.cohorts.values():
        if idnumber and cohort.idnumber == idnumber and cohort.contextid in above:
            return cohort
    raise moodle_exception(
        "cohortnotfound", f'No cohort with ID number "{idnumber}" can be synced into this course.'
    )

"""The in-memory model of a Moodle site that the stand-in serves.

Plain dataclasses kept in dicts by id, as Moodle keeps rows in tables by id; most are `Table`s,
indexed by the fields that find a course's rows (its sections, enrolments, role assignments,
user data...), so that a course's work does not grow with the site. Web-service
functions read and change a `Site`; seeds build one. Everything here is data and the small
lookups that many functions share; the rules of each web-service function live beside it in
`functions/`.

User data (what a course reset deletes or keeps) is one typed table, `Site.user_data`, of
`UserDataRecord`s: each record names its kind (see `MODULE_DATA_KINDS` and `COURSE_DATA_KINDS`),
its course, its course module (0 for course-level data) and its author, so that counting a
course's data per kind and per author, or deleting one kind, is a filter over one table.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable, Iterator
from typing import Any

from moodle_client.standin.records import (
    COMPLETION_KIND,
    CONTEXT_BLOCK,
    CONTEXT_COURSE,
    CONTEXT_COURSECAT,
    CONTEXT_LEVEL_NAMES,
    CONTEXT_MODULE,
    CONTEXT_SYSTEM,
    CONTEXT_USER,
    COURSE_DATA_KINDS,
    ENROL_DISABLED,
    ENROL_ENABLED,
    ENROL_USER_ACTIVE,
    ENROL_USER_SUSPENDED,
    MODULE_DATA_KINDS,
    NOT_RESETTABLE_MODULES,
    ROLE_COURSECREATOR,
    ROLE_EDITINGTEACHER,
    ROLE_GUEST,
    ROLE_MANAGER,
    ROLE_STUDENT,
    ROLE_TEACHER,
    ROLE_USER,
    SITE_COURSE_ID,
    SYSTEM_CONTEXT_ID,
    CalendarEvent,
    Category,
    Cohort,
    Context,
    Course,
    CourseModule,
    EnrolInstance,
    Grade,
    GradeCategory,
    GradeItem,
    Group,
    Grouping,
    Role,
    RoleAssignment,
    Section,
    StoredFile,
    Token,
    User,
    UserDataRecord,
    UserEnrolment,
    now,
    standard_roles,
)
from moodle_client.standin.tables import Table

__all__ = [
    "COMPLETION_KIND",
    "CONTEXT_BLOCK",
    "CONTEXT_COURSE",
    "CONTEXT_COURSECAT",
    "CONTEXT_LEVEL_NAMES",
    "CONTEXT_MODULE",
    "CONTEXT_SYSTEM",
    "CONTEXT_USER",
    "COURSE_DATA_KINDS",
    "ENROL_DISABLED",
    "ENROL_ENABLED",
    "ENROL_USER_ACTIVE",
    "ENROL_USER_SUSPENDED",
    "MODULE_DATA_KINDS",
    "NOT_RESETTABLE_MODULES",
    "ROLE_COURSECREATOR",
    "ROLE_EDITINGTEACHER",
    "ROLE_GUEST",
    "ROLE_MANAGER",
    "ROLE_STUDENT",
    "ROLE_TEACHER",
    "ROLE_USER",
    "SITE_COURSE_ID",
    "SYSTEM_CONTEXT_ID",
    "CalendarEvent",
    "Category",
    "Cohort",
    "Context",
    "Course",
    "CourseModule",
    "EnrolInstance",
    "Grade",
    "GradeCategory",
    "GradeItem",
    "Group",
    "Grouping",
    "Role",
    "RoleAssignment",
    "Section",
    "Site",
    "StoredFile",
    "Token",
    "User",
    "UserDataRecord",
    "UserEnrolment",
    "now",
    "standard_roles",
]


class Site:
    """A Moodle site: its tables, id sequences and the lookups functions share.

    `lock` serialises web-service calls: the server holds it while a function runs.
    """

    def __init__(self, *, sitename: str = "Passage stand-in Moodle", shortname: str = "standin"):
        self.sitename = sitename
        self.shortname = shortname
        self.wwwroot = "http://127.0.0.1"
        self.lock = threading.RLock()
        # The largest file webservice/upload.php accepts (PHP's upload_max_filesize and
        # post_max_size, the site's maxbytes), as get_max_upload_file_size() gives it.
        self.max_upload_bytes = 100 * 1024 * 1024
        # Course id -> bytes of large course files (video, SCORM) its backups carry: written to
        # disk, never held in memory (the storage benchmark's multi-gigabyte course).
        self.bulk_bytes: dict[int, int] = {}
        self._sequences: dict[str, int] = {}
        # Tables indexed by the fields the per-course lookups below go through.
        self.contexts: Table[Context] = Table(by=("parentid", "instanceid"))
        self.categories: dict[int, Category] = {}
        self.courses: dict[int, Course] = {}
        self.sections: Table[Section] = Table(by=("course",))
        self.course_modules: Table[CourseModule] = Table(by=("course",))
        self.users: dict[int, User] = {}
        self.roles: dict[int, Role] = {}
        self.enrol_instances: Table[EnrolInstance] = Table(by=("courseid",))
        self.user_enrolments: Table[UserEnrolment] = Table(by=("enrolid",))
        self.role_assignments: Table[RoleAssignment] = Table(by=("contextid",))
        self.cohorts: dict[int, Cohort] = {}
        self.groups: Table[Group] = Table(by=("courseid",))
        self.groupings: Table[Grouping] = Table(by=("courseid",))
        self.user_data: Table[UserDataRecord] = Table(by=("courseid", "cmid"))
        self.events: Table[CalendarEvent] = Table(by=("courseid",))
        self.grade_categories: Table[GradeCategory] = Table(by=("courseid",))
        self.grade_items: Table[GradeItem] = Table(by=("courseid", "cmid"))
        self.grades: Table[Grade] = Table(by=("itemid",))
        self.files: Table[StoredFile] = Table(by=("contextid",))
        self.tokens: dict[str, Token] = {}
        # Free-form state other parts of the stand-in keep (the companion plugin's operations,
        # asynchronous backup controllers, ...), by name.
        self.extra: dict[str, Any] = {}
        self._add_system()

    # Pickling (state files) leaves the lock out.
    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        del state["lock"]
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self.lock = threading.RLock()
        # A state file saved before the tables were indexed holds plain dicts; a new site's
        # tables say how each is indexed.
        for name, table in vars(Site()).items():
            if isinstance(table, Table) and not isinstance(state[name], Table):
                setattr(self, name, Table(table.by, state[name].items()))

    # ---------------------------------------------------------------- ids

    def next_id(self, table: str, wanted: int | None = None) -> int:
        """The next id of `table`; `wanted` claims a given id (seeds reproducing a site)."""
        current = self._sequences.get(table, 0)
        if wanted is not None:
            self._sequences[table] = max(current, wanted)
            return wanted
        self._sequences[table] = current + 1
        return current + 1

    def set_next_id(self, table: str, next_value: int) -> None:
        """Make the next id of `table` be `next_value` (never moves a sequence backwards)."""
        self._sequences[table] = max(self._sequences.get(table, 0), next_value - 1)

    # ---------------------------------------------------------------- contexts

    def _add_system(self) -> None:
        self.add_context(CONTEXT_SYSTEM, 0, parentid=0, id=SYSTEM_CONTEXT_ID)
        for role in standard_roles():
            self.roles[role.id] = role
            self.next_id("role", role.id)

    def add_context(
        self, contextlevel: int, instanceid: int, *, parentid: int, id: int | None = None
    ) -> Context:
        context = Context(
            id=self.next_id("context", id),
            contextlevel=contextlevel,
            instanceid=instanceid,
            parentid=parentid,
        )
        self.contexts[context.id] = context
        return context

    def context_of(self, contextlevel: int, instanceid: int) -> Context | None:
        if contextlevel == CONTEXT_SYSTEM:
            return self.contexts[SYSTEM_CONTEXT_ID]
        for context in self.contexts.having("instanceid", instanceid):
            if context.contextlevel == contextlevel:
                return context
        return None

    def move_context(self, contextid: int, parentid: int) -> None:
        """Hangs a context, and the contexts below it, under another parent."""
        context = self.contexts[contextid]
        context.parentid = parentid
        self.contexts[contextid] = context  # stored again: filed under its new parent

    def course_of_context(self, contextid: int) -> Course | None:
        """The course a course or module context belongs to."""
        context = self.contexts.get(contextid)
        while context is not None:
            if context.contextlevel == CONTEXT_COURSE:
                return self.courses.get(context.instanceid)
            context = self.contexts.get(context.parentid)
        return None

    def child_context_ids(self, contextid: int) -> list[int]:
        """Every context below `contextid` (not itself)."""
        children: list[int] = []
        frontier = [contextid]
        while frontier:
            for child in self.contexts.having("parentid", frontier.pop()):
                children.append(child.id)
                frontier.append(child.id)
        return children

    # ---------------------------------------------------------------- records

    def add_category(
        self,
        name: str,
        *,
        parent: int = 0,
        id: int | None = None,
        context_id: int | None = None,
        **fields: Any,
    ) -> Category:
        category_id = self.next_id("course_categories", id)
        parent_context = self.categories[parent].contextid if parent else SYSTEM_CONTEXT_ID
        context = self.add_context(
            CONTEXT_COURSECAT, category_id, parentid=parent_context, id=context_id
        )
        fields.setdefault("sortorder", category_id * 10000)
        category = Category(
            id=category_id, name=name, contextid=context.id, parent=parent, **fields
        )
        self.categories[category.id] = category
        return category

    def category_depth_path(self, category_id: int) -> tuple[int, str]:
        ids: list[int] = []
        current = category_id
        while current:
            ids.append(current)
            current = self.categories[current].parent
        ids.reverse()
        return len(ids), "".join(f"/{i}" for i in ids)

    def add_course(
        self,
        shortname: str,
        fullname: str,
        *,
        category: int,
        id: int | None = None,
        context_id: int | None = None,
        numsections: int | None = None,
        news_forum: bool = True,
        **fields: Any,
    ) -> Course:
        """A course with its sections 0..numsections and, like Moodle, its news forum."""
        course_id = self.next_id("course", id)
        parent_context = self.categories[category].contextid if category else SYSTEM_CONTEXT_ID
        context = self.add_context(
            CONTEXT_COURSE, course_id, parentid=parent_context, id=context_id
        )
        sections = 1 if numsections is None else numsections
        course = Course(
            id=course_id,
            shortname=shortname,
            fullname=fullname,
            category=category,
            contextid=context.id,
            numsections=sections,
            **fields,
        )
        self.courses[course.id] = course
        for number in range(sections + 1):
            self.add_section(course.id, number)
        if news_forum:
            self.course_news_forum(course.id)
        return course

    def add_section(
        self, courseid: int, number: int, *, id: int | None = None, **fields: Any
    ) -> Section:
        fields.setdefault("name", "General" if number == 0 else "")
        section = Section(
            id=self.next_id("course_sections", id), course=courseid, section=number, **fields
        )
        self.sections[section.id] = section
        return section

    def course_sections(self, courseid: int) -> list[Section]:
        return sorted(self.sections.having("course", courseid), key=lambda s: s.section)

    def section_by_number(self, courseid: int, number: int) -> Section | None:
        for section in self.sections.having("course", courseid):
            if section.section == number:
                return section
        return None

    def add_module(
        self,
        courseid: int,
        modname: str,
        name: str,
        *,
        section: int = 0,
        id: int | None = None,
        instance: int | None = None,
        context_id: int | None = None,
        **fields: Any,
    ) -> CourseModule:
        """A course module placed at the end of section number `section`."""
        target = self.section_by_number(courseid, section)
        if target is None:
            target = self.add_section(courseid, section)
        cmid = self.next_id("course_modules", id)
        context = self.add_context(
            CONTEXT_MODULE, cmid, parentid=self.courses[courseid].contextid, id=context_id
        )
        module = CourseModule(
            id=cmid,
            course=courseid,
            modname=modname,
            instance=self.next_id(modname, instance),
            name=name,
            section=target.id,
            contextid=context.id,
            **fields,
        )
        self.course_modules[cmid] = module
        target.sequence.append(cmid)
        return module

    def course_modules_of(self, courseid: int) -> list[CourseModule]:
        """The course's modules in page order (section by section)."""
        modules: list[CourseModule] = []
        for section in self.course_sections(courseid):
            modules.extend(
                self.course_modules[cmid]
                for cmid in section.sequence
                if cmid in self.course_modules
            )
        return modules

    def module_by_instance(self, modname: str, instance: int) -> CourseModule | None:
        for module in self.course_modules.values():
            if module.modname == modname and module.instance == instance:
                return module
        return None

    def course_news_forum(self, courseid: int) -> tuple[CourseModule, bool]:
        """The course's announcements forum, created at the end of section 0 when it has none,
        and whether it was created (forum_get_course_forum($courseid, 'news')). Moodle calls it
        lazily: when a course is created or updated with news items to show, or its news block
        is first shown; a course restored or generated may have none."""
        existing = self.news_forum(courseid)
        if existing is not None:
            return existing, False
        created = self.add_module(
            courseid,
            "forum",
            "Announcements",
            settings={"type": "news"},
            intro="General news and announcements",
        )
        return created, True

    def news_forum(self, courseid: int) -> CourseModule | None:
        for module in self.course_modules_of(courseid):
            if module.modname == "forum" and module.settings.get("type") == "news":
                return module
        return None

    def delete_module(self, cmid: int) -> None:
        """Removes a course module with its user data, grade items, events, files and
        context (course_delete_module)."""
        module = self.course_modules.pop(cmid)
        section = self.sections.get(module.section)
        if section is not None and cmid in section.sequence:
            section.sequence.remove(cmid)
        self.delete_user_data(self.user_data.having("cmid", cmid))
        for item in self.grade_items.having("cmid", cmid):
            self.delete_grade_item(item.id)
        for event_id in [
            e.id
            for e in self.events.values()
            if e.modulename == module.modname and e.instance == module.instance
        ]:
            del self.events[event_id]
        for context_id in [module.contextid, *self.child_context_ids(module.contextid)]:
            self.delete_files(contextid=context_id)
            self.contexts.pop(context_id, None)

    def add_user(
        self,
        username: str,
        firstname: str,
        lastname: str,
        *,
        id: int | None = None,
        email: str | None = None,
        context_id: int | None = None,
        **fields: Any,
    ) -> User:
        user_id = self.next_id("user", id)
        context = self.add_context(CONTEXT_USER, user_id, parentid=SYSTEM_CONTEXT_ID, id=context_id)
        user = User(
            id=user_id,
            username=username,
            firstname=firstname,
            lastname=lastname,
            email=email if email is not None else f"{username}@example.com",
            contextid=context.id,
            **fields,
        )
        self.users[user.id] = user
        return user

    def user_by_username(self, username: str) -> User | None:
        for user in self.users.values():
            if user.username == username and not user.deleted:
                return user
        return None

    def role_by_shortname(self, shortname: str) -> Role | None:
        for role in self.roles.values():
            if role.shortname == shortname:
                return role
        return None

    def add_enrol_instance(
        self, courseid: int, enrol: str, *, id: int | None = None, **fields: Any
    ) -> EnrolInstance:
        instance = EnrolInstance(
            id=self.next_id("enrol", id), courseid=courseid, enrol=enrol, **fields
        )
        self.enrol_instances[instance.id] = instance
        return instance

    def enrol_instances_of(self, courseid: int, enrol: str | None = None) -> list[EnrolInstance]:
        return sorted(
            (
                i
                for i in self.enrol_instances.having("courseid", courseid)
                if enrol is None or i.enrol == enrol
            ),
            key=lambda i: (i.sortorder, i.id),
        )

    def add_user_enrolment(self, enrolid: int, userid: int, **fields: Any) -> UserEnrolment:
        """Enrols `userid` through instance `enrolid` (an existing enrolment is updated)."""
        for existing in self.user_enrolments.having("enrolid", enrolid):
            if existing.userid == userid:
                for name, value in fields.items():
                    setattr(existing, name, value)
                return existing
        enrolment = UserEnrolment(
            id=self.next_id("user_enrolments"), enrolid=enrolid, userid=userid, **fields
        )
        self.user_enrolments[enrolment.id] = enrolment
        return enrolment

    def assign_role(
        self, roleid: int, userid: int, contextid: int, *, component: str = "", itemid: int = 0
    ) -> RoleAssignment:
        wanted = (roleid, userid, component, itemid)
        for existing in self.role_assignments.having("contextid", contextid):
            if (existing.roleid, existing.userid, existing.component, existing.itemid) == wanted:
                return existing
        assignment = RoleAssignment(
            id=self.next_id("role_assignments"),
            roleid=roleid,
            contextid=contextid,
            userid=userid,
            component=component,
            itemid=itemid,
        )
        self.role_assignments[assignment.id] = assignment
        return assignment

    def unassign_roles(
        self,
        *,
        userid: int,
        contextid: int,
        roleid: int | None = None,
        component: str | None = None,
        itemid: int | None = None,
    ) -> int:
        """Removes matching role assignments; returns how many."""
        doomed = [
            a.id
            for a in self.role_assignments.having("contextid", contextid)
            if a.userid == userid
            and (roleid is None or a.roleid == roleid)
            and (component is None or a.component == component)
            and (itemid is None or a.itemid == itemid)
        ]
        for assignment_id in doomed:
            del self.role_assignments[assignment_id]
        return len(doomed)

    def enrol_user(
        self,
        instance: EnrolInstance,
        userid: int,
        *,
        roleid: int | None = None,
        status: int = ENROL_USER_ACTIVE,
        timestart: int = 0,
        timeend: int = 0,
    ) -> UserEnrolment:
        """Enrols through `instance` and assigns the role in the course context, as the enrol
        plugins do (cohort and meta assignments carry their component and instance id)."""
        enrolment = self.add_user_enrolment(
            instance.id, userid, status=status, timestart=timestart, timeend=timeend
        )
        role = instance.roleid if roleid is None else roleid
        if role:
            component = (
                "" if instance.enrol in ("manual", "self", "guest") else (f"enrol_{instance.enrol}")
            )
            self.assign_role(
                role,
                userid,
                self.courses[instance.courseid].contextid,
                component=component,
                itemid=instance.id if component else 0,
            )
        return enrolment

    def unenrol_user(self, instance: EnrolInstance, userid: int) -> bool:
        """Removes the user enrolment; when it was the user's last enrolment in the course, also
        their course roles and group memberships (as enrol_plugin::unenrol_user does)."""
        doomed = [
            e.id for e in self.user_enrolments.having("enrolid", instance.id) if e.userid == userid
        ]
        if not doomed:
            return False
        for enrolment_id in doomed:
            del self.user_enrolments[enrolment_id]
        course = self.courses[instance.courseid]
        if instance.enrol not in ("manual", "self", "guest"):
            self.unassign_roles(
                userid=userid,
                contextid=course.contextid,
                component=f"enrol_{instance.enrol}",
                itemid=instance.id,
            )
        if not self.enrolments_of_user(course.id, userid):
            for contextid in [course.contextid, *self.child_context_ids(course.contextid)]:
                self.unassign_roles(userid=userid, contextid=contextid)
            for group in self.groups.having("courseid", course.id):
                if userid in group.members:
                    group.members.remove(userid)
        return True

    def enrolments_of_user(self, courseid: int, userid: int) -> list[UserEnrolment]:
        return [
            e
            for i in self.enrol_instances.having("courseid", courseid)
            for e in self.user_enrolments.having("enrolid", i.id)
            if e.userid == userid
        ]

    def users_enrolled(self, courseid: int, *, only_active: bool = False) -> dict[int, list[str]]:
        """User id -> the enrolment methods through which the user is enrolled in the course."""
        enrolled: dict[int, list[str]] = {}
        instances = {i.id: i for i in self.enrol_instances.having("courseid", courseid)}
        of_course = [e for i in instances for e in self.user_enrolments.having("enrolid", i)]
        for enrolment in sorted(of_course, key=lambda e: e.id):
            instance = instances[enrolment.enrolid]
            if only_active and not self.enrolment_is_active(instance, enrolment):
                continue
            enrolled.setdefault(enrolment.userid, []).append(instance.enrol)
        return enrolled

    @staticmethod
    def enrolment_is_active(instance: EnrolInstance, enrolment: UserEnrolment) -> bool:
        current = now()
        return (
            instance.status == ENROL_ENABLED
            and enrolment.status == ENROL_USER_ACTIVE
            and (enrolment.timestart == 0 or enrolment.timestart <= current)
            and (enrolment.timeend == 0 or enrolment.timeend > current)
        )

    def is_enrolled(self, courseid: int, userid: int) -> bool:
        return userid in self.users_enrolled(courseid)

    def roles_in_context(self, userid: int, contextid: int) -> list[Role]:
        """The roles `userid` holds directly in `contextid`, by role sort order, no duplicates."""
        role_ids = {
            a.roleid
            for a in self.role_assignments.having("contextid", contextid)
            if a.userid == userid
        }
        return sorted((self.roles[r] for r in role_ids), key=lambda r: (r.sortorder, r.id))

    def course_roles(self, courseid: int, userid: int) -> list[Role]:
        return self.roles_in_context(userid, self.courses[courseid].contextid)

    def is_student(self, userid: int, courseid: int) -> bool:
        """True when the user holds a student-archetype role in the course, or no role there at
        all (a former student): the inventory counts such data as students' data."""
        roles = self.course_roles(courseid, userid)
        return not roles or any(r.archetype == "student" for r in roles)

    def has_capability(self, userid: int, capability: str, contextid: int) -> bool:
        """Site admins may do anything; others need a role granting the capability in the
        context or one of its parents. Every user holds the authenticated-user role at system
        level."""
        user = self.users.get(userid)
        if user is None:
            return False
        if user.siteadmin:
            return True
        if capability in self.roles[ROLE_USER].capabilities:
            return True
        context = self.contexts.get(contextid)
        path = context.path_ids(self) if context else [SYSTEM_CONTEXT_ID]
        return any(
            assignment.userid == userid and capability in self.roles[assignment.roleid].capabilities
            for contextid in path
            for assignment in self.role_assignments.having("contextid", contextid)
        )

    def can_access_course(self, userid: int, courseid: int) -> bool:
        """What require_login_in_context asks of a web-service call in a course context."""
        user = self.users.get(userid)
        if user is None:
            return False
        if user.siteadmin or courseid == SITE_COURSE_ID:
            return True
        course = self.courses[courseid]
        if self.has_capability(userid, "moodle/course:view", course.contextid):
            return True
        enrolments = self.users_enrolled(courseid, only_active=True)
        return userid in enrolments and (
            bool(course.visible)
            or self.has_capability(userid, "moodle/course:viewhiddencourses", course.contextid)
        )

    # ---------------------------------------------------------------- user data

    def add_user_data(
        self,
        kind: str,
        *,
        courseid: int,
        userid: int,
        cmid: int = 0,
        id: int | None = None,
        **fields: Any,
    ) -> UserDataRecord:
        record = UserDataRecord(
            id=self.next_id("user_data", id),
            kind=kind,
            courseid=courseid,
            cmid=cmid,
            userid=userid,
            **fields,
        )
        self.user_data[record.id] = record
        return record

    def user_data_of(
        self, *, courseid: int | None = None, cmid: int | None = None, kind: str | None = None
    ) -> Iterator[UserDataRecord]:
        if cmid is not None:
            records: Iterable[UserDataRecord] = self.user_data.having("cmid", cmid)
        elif courseid is not None:
            records = self.user_data.having("courseid", courseid)
        else:
            records = self.user_data.values()
        for record in records:
            if courseid is not None and record.courseid != courseid:
                continue
            if cmid is not None and record.cmid != cmid:
                continue
            if kind is not None and record.kind != kind:
                continue
            yield record

    def delete_user_data(self, records: Iterable[UserDataRecord]) -> int:
        doomed = [r.id for r in records]
        for record_id in doomed:
            self.user_data.pop(record_id, None)
        return len(doomed)

    def add_event(
        self, name: str, *, eventtype: str, timestart: int, id: int | None = None, **fields: Any
    ) -> CalendarEvent:
        event = CalendarEvent(
            id=self.next_id("event", id),
            name=name,
            eventtype=eventtype,
            timestart=timestart,
            **fields,
        )
        self.events[event.id] = event
        return event

    # ---------------------------------------------------------------- gradebook

    def course_grade_category(self, courseid: int) -> GradeCategory:
        """The course's top grade category and its course total item, created on first use."""
        for category in self.grade_categories.having("courseid", courseid):
            if category.parent == 0:
                return category
        category = GradeCategory(
            id=self.next_id("grade_categories"), courseid=courseid, fullname="?"
        )
        self.grade_categories[category.id] = category
        item = GradeItem(
            id=self.next_id("grade_items"),
            courseid=courseid,
            itemtype="course",
            iteminstance=category.id,
            categoryid=None,
        )
        self.grade_items[item.id] = item
        return category

    def add_grade_item(
        self,
        courseid: int,
        itemtype: str,
        *,
        itemname: str | None = None,
        module: CourseModule | None = None,
        id: int | None = None,
        **fields: Any,
    ) -> GradeItem:
        top = self.course_grade_category(courseid)
        fields.setdefault("categoryid", top.id)
        if module is not None:
            fields.update(itemmodule=module.modname, iteminstance=module.instance, cmid=module.id)
            fields.setdefault("itemnumber", 0)
            itemname = itemname if itemname is not None else module.name
        item = GradeItem(
            id=self.next_id("grade_items", id),
            courseid=courseid,
            itemtype=itemtype,
            itemname=itemname,
            **fields,
        )
        self.grade_items[item.id] = item
        return item

    def grade_items_of(self, courseid: int) -> list[GradeItem]:
        return sorted(
            self.grade_items.having("courseid", courseid),
            key=lambda i: (i.itemtype == "course", i.sortorder, i.id),
        )

    def set_grade(
        self,
        itemid: int,
        userid: int,
        value: float | None,
        *,
        feedback: str | None = None,
        usermodified: int = 0,
    ) -> Grade:
        for grade in self.grades.having("itemid", itemid):
            if grade.userid == userid:
                grade.finalgrade = grade.rawgrade = value
                if feedback is not None:
                    grade.feedback = feedback
                grade.usermodified = usermodified
                grade.timemodified = now()
                return grade
        grade = Grade(
            id=self.next_id("grade_grades"),
            itemid=itemid,
            userid=userid,
            finalgrade=value,
            rawgrade=value,
            feedback=feedback,
            usermodified=usermodified,
        )
        self.grades[grade.id] = grade
        return grade

    def delete_grade_item(self, itemid: int) -> None:
        self.grade_items.pop(itemid, None)
        for grade in self.grades.having("itemid", itemid):
            del self.grades[grade.id]

    # ---------------------------------------------------------------- files

    def add_file(
        self,
        contextid: int,
        component: str,
        filearea: str,
        itemid: int,
        filepath: str,
        filename: str,
        content: bytes,
        **fields: Any,
    ) -> StoredFile:
        """Stores a file, replacing one at the same place."""
        existing = self.find_file(contextid, component, filearea, itemid, filepath, filename)
        if existing is not None:
            del self.files[existing.id]
        stored = StoredFile(
            id=self.next_id("files"),
            contextid=contextid,
            component=component,
            filearea=filearea,
            itemid=itemid,
            filepath=filepath,
            filename=filename,
            content=content,
            **fields,
        )
        self.files[stored.id] = stored
        return stored

    def find_file(
        self,
        contextid: int,
        component: str,
        filearea: str,
        itemid: int,
        filepath: str,
        filename: str,
    ) -> StoredFile | None:
        for stored in self.files.having("contextid", contextid):
            if (
                stored.contextid,
                stored.component,
                stored.filearea,
                stored.itemid,
                stored.filepath,
                stored.filename,
            ) == (contextid, component, filearea, itemid, filepath, filename):
                return stored
        return None

    def files_in_area(
        self, contextid: int, component: str, filearea: str, itemid: int | None = None
    ) -> list[StoredFile]:
        return sorted(
            (
                f
                for f in self.files.having("contextid", contextid)
                if f.component == component
                and f.filearea == filearea
                and (itemid is None or f.itemid == itemid)
                and not f.is_directory
            ),
            key=lambda f: (f.itemid, f.filepath, f.filename),
        )

    def delete_files(
        self,
        *,
        contextid: int,
        component: str | None = None,
        filearea: str | None = None,
        itemid: int | None = None,
    ) -> int:
        doomed = [
            f.id
            for f in self.files.having("contextid", contextid)
            if (component is None or f.component == component)
            and (filearea is None or f.filearea == filearea)
            and (itemid is None or f.itemid == itemid)
        ]
        for file_id in doomed:
            if self.files[file_id].disk_path:
                os.unlink(self.files[file_id].disk_path)
            del self.files[file_id]
        return len(doomed)

    def user_draft_files(self, userid: int, draftitemid: int) -> list[StoredFile]:
        """The files a user uploaded to one draft area (webservice/upload.php)."""
        return self.files_in_area(self.users[userid].contextid, "user", "draft", draftitemid)

    # ---------------------------------------------------------------- tokens

    def add_token(
        self,
        token: str,
        userid: int,
        *,
        functions: Iterable[str] | None = None,
        service: str = "Passage",
    ) -> Token:
        record = Token(
            token=token,
            userid=userid,
            functions=None if functions is None else frozenset(functions),
            service=service,
        )
        self.tokens[token] = record
        return record

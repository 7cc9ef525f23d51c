"""The records of a Moodle site, as plain dataclasses, and the constants Moodle numbers them
with (context levels, role ids, enrolment statuses, user-data kinds).

`site.Site` keeps them in dicts by id; `site` re-exports every name here, so code imports them
from either module.
"""

from __future__ import annotations

import hashlib
import os
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from moodle_client.standin.site import Site

# Context levels, as Moodle numbers them (lib/accesslib.php).
CONTEXT_SYSTEM = 10
CONTEXT_USER = 30
CONTEXT_COURSECAT = 40
CONTEXT_COURSE = 50
CONTEXT_MODULE = 70
CONTEXT_BLOCK = 80

CONTEXT_LEVEL_NAMES = {
    "system": CONTEXT_SYSTEM,
    "user": CONTEXT_USER,
    "coursecat": CONTEXT_COURSECAT,
    "course": CONTEXT_COURSE,
    "module": CONTEXT_MODULE,
    "block": CONTEXT_BLOCK,
}

SYSTEM_CONTEXT_ID = 1
SITE_COURSE_ID = 1

# The standard roles of a fresh Moodle install, with their ids.
ROLE_MANAGER = 1
ROLE_COURSECREATOR = 2
ROLE_EDITINGTEACHER = 3
ROLE_TEACHER = 4
ROLE_STUDENT = 5
ROLE_GUEST = 6
ROLE_USER = 7

ENROL_ENABLED = 0
ENROL_DISABLED = 1
ENROL_USER_ACTIVE = 0
ENROL_USER_SUSPENDED = 1

# Kinds of user data per module type, in the order the inventory lists them. Every module
# also has activity completion records, kind "completions".
MODULE_DATA_KINDS: dict[str, tuple[str, ...]] = {
    "forum": ("discussions", "posts", "ratings", "subscriptions"),
    "assign": ("submissions", "grades", "overrides"),
    "quiz": ("attempts", "grades", "overrides"),
    "lesson": ("attempts", "grades", "overrides"),
    "h5pactivity": ("attempts",),
    "scorm": ("attempts",),
    "glossary": ("entries", "ratings", "comments"),
    "data": ("entries", "ratings", "comments"),
    "wiki": ("pages", "comments"),
    "choice": ("responses",),
    "feedback": ("responses",),
    "workshop": ("submissions", "assessments"),
    "bigbluebuttonbn": ("recordings", "logs"),
}
COMPLETION_KIND = "completions"
# Course-level user data kinds (records with cmid 0). Calendar events are kept in
# `Site.events` because the calendar functions need their fields.
COURSE_DATA_KINDS = (
    "notes",
    "comments",
    "coursecompletions",
    "blogassociations",
    "competencyratings",
    "logs",
)
# Modules whose reset Moodle 5.0 does not support.
NOT_RESETTABLE_MODULES = frozenset({"lti", "qbank", "subsection"})


def now() -> int:
    return int(time.time())


@dataclass
class Context:
    id: int
    contextlevel: int
    instanceid: int
    parentid: int  # 0 for the system context

    def path_ids(self, site: Site) -> list[int]:
        """Ids from the system context down to this one."""
        ids = [self.id]
        parent = self.parentid
        while parent:
            ids.append(parent)
            parent = site.contexts[parent].parentid
        return list(reversed(ids))


@dataclass
class Category:
    id: int
    name: str
    contextid: int
    idnumber: str | None = None
    description: str = ""
    descriptionformat: int = 1
    parent: int = 0
    sortorder: int = 0
    visible: int = 1
    visibleold: int = 1
    timemodified: int = field(default_factory=now)
    theme: str = ""


@dataclass
class Course:
    id: int
    shortname: str
    fullname: str
    category: int
    contextid: int
    idnumber: str = ""
    summary: str = ""
    summaryformat: int = 1
    format: str = "topics"
    startdate: int = 0
    enddate: int = 0
    visible: int = 1
    timecreated: int = field(default_factory=now)
    timemodified: int = field(default_factory=now)
    sortorder: int = 0
    showgrades: int = 1
    newsitems: int = 5
    numsections: int = 1
    maxbytes: int = 0
    showreports: int = 0
    hiddensections: int = 0
    groupmode: int = 0
    groupmodeforce: int = 0
    defaultgroupingid: int = 0
    enablecompletion: int = 1
    completionnotify: int = 0
    lang: str = ""
    forcetheme: str = ""
    coursedisplay: int = 0
    showactivitydates: bool = False
    showcompletionconditions: bool = True


@dataclass
class Section:
    id: int
    course: int
    section: int  # the section number, 0 = "General"
    name: str = ""
    summary: str = ""
    summaryformat: int = 1
    visible: int = 1
    sequence: list[int] = field(default_factory=list)  # course module ids, in page order
    component: str | None = None
    itemid: int | None = None


@dataclass
class CourseModule:
    id: int  # the cmid
    course: int
    modname: str
    instance: int
    name: str
    section: int  # the section id (not its number)
    contextid: int
    visible: int = 1
    intro: str = ""
    introformat: int = 1
    added: int = field(default_factory=now)
    completion: int = 0
    groupmode: int = 0
    idnumber: str = ""
    # Module-type settings: forum "type" (news, general, ...), glossary "mainglossary" (bool),
    # workshop "phase", feedback ids and the like.
    settings: dict[str, Any] = field(default_factory=dict)


@dataclass
class User:
    id: int
    username: str
    firstname: str
    lastname: str
    email: str
    contextid: int
    idnumber: str = ""
    lang: str = "en"
    auth: str = "manual"
    department: str = ""
    institution: str = ""
    password: str = ""
    suspended: bool = False
    deleted: bool = False
    siteadmin: bool = False
    firstaccess: int = 0
    lastaccess: int = 0
    timecreated: int = field(default_factory=now)

    @property
    def fullname(self) -> str:
        return f"{self.firstname} {self.lastname}"


@dataclass
class Role:
    id: int
    shortname: str
    archetype: str
    name: str = ""
    sortorder: int = 0
    # Context levels at which the role may be assigned (role_context_levels).
    contextlevels: frozenset[int] = frozenset()
    capabilities: set[str] = field(default_factory=set)


@dataclass
class EnrolInstance:
    id: int
    courseid: int
    enrol: str  # the method: manual, self, guest, cohort, meta
    status: int = ENROL_ENABLED
    roleid: int = ROLE_STUDENT
    name: str = ""
    sortorder: int = 0
    customint1: int = 0  # cohort: the cohort id; meta: the linked course id
    customint2: int = 0  # cohort / meta: the group id (0 = none)
    enrolstartdate: int = 0
    enrolenddate: int = 0
    timecreated: int = field(default_factory=now)
    timemodified: int = field(default_factory=now)


@dataclass
class UserEnrolment:
    id: int
    enrolid: int
    userid: int
    status: int = ENROL_USER_ACTIVE
    timestart: int = 0
    timeend: int = 0
    timecreated: int = field(default_factory=now)


@dataclass
class RoleAssignment:
    id: int
    roleid: int
    contextid: int
    userid: int
    component: str = ""  # "enrol_cohort" etc. for assignments an enrolment plugin manages
    itemid: int = 0  # the enrolment instance id when component is set
    timemodified: int = field(default_factory=now)


@dataclass
class Cohort:
    id: int
    contextid: int
    name: str
    idnumber: str = ""
    description: str = ""
    descriptionformat: int = 1
    visible: bool = True
    component: str = ""
    theme: str = ""
    timecreated: int = field(default_factory=now)
    timemodified: int = field(default_factory=now)
    members: list[int] = field(default_factory=list)  # user ids, in the order added


@dataclass
class Group:
    id: int
    courseid: int
    name: str
    idnumber: str = ""
    description: str = ""
    descriptionformat: int = 1
    enrolmentkey: str | None = None
    visibility: int = 0
    participation: bool = True
    timecreated: int = field(default_factory=now)
    members: list[int] = field(default_factory=list)


@dataclass
class Grouping:
    id: int
    courseid: int
    name: str
    idnumber: str = ""
    description: str = ""
    descriptionformat: int = 1
    timecreated: int = field(default_factory=now)
    groups: list[int] = field(default_factory=list)


@dataclass
class UserDataRecord:
    """One piece of data a person left in a course: a forum post, a quiz attempt, a note...

    `kind` is one of `MODULE_DATA_KINDS[modname]`, `COMPLETION_KIND`, or `COURSE_DATA_KINDS`
    (then `cmid` is 0). `itemid` links to a parent record where Moodle has one (a post's
    discussion). `data` holds what a function needs to show (a post's subject and message).
    """

    id: int
    kind: str
    courseid: int
    cmid: int
    userid: int  # the author
    timecreated: int = field(default_factory=now)
    itemid: int = 0
    groupid: int = 0
    data: dict[str, Any] = field(default_factory=dict)


@dataclass
class CalendarEvent:
    id: int
    name: str
    eventtype: str  # site, category, course, group, user, or a module's (due, open, close, ...)
    timestart: int
    courseid: int = 0
    categoryid: int = 0
    groupid: int = 0
    userid: int = 0
    modulename: str = ""
    instance: int = 0
    description: str = ""
    format: int = 1
    timeduration: int = 0
    visible: int = 1
    repeatid: int = 0
    sequence: int = 1
    uuid: str = ""
    component: str | None = None
    timemodified: int = field(default_factory=now)


@dataclass
class GradeCategory:
    id: int
    courseid: int
    fullname: str  # "?" for a course's top category, as Moodle stores it
    parent: int = 0
    depth: int = 1


@dataclass
class GradeItem:
    id: int
    courseid: int
    itemtype: str  # course, category, mod, manual
    itemname: str | None = None
    categoryid: int | None = None
    iteminstance: int | None = None  # the module instance for mod items, the category for
    itemmodule: str | None = None
    itemnumber: int | None = None
    idnumber: str = ""
    grademax: float = 100.0
    grademin: float = 0.0
    gradetype: int = 1
    sortorder: int = 0
    cmid: int = 0  # the course module of a mod item

    @property
    def is_manual(self) -> bool:
        return self.itemtype == "manual"


@dataclass
class Grade:
    id: int
    itemid: int
    userid: int
    finalgrade: float | None = None
    rawgrade: float | None = None
    feedback: str | None = None
    feedbackformat: int = 0
    usermodified: int = 0
    timecreated: int = field(default_factory=now)
    timemodified: int = field(default_factory=now)


@dataclass
class StoredFile:
    id: int
    contextid: int
    component: str
    filearea: str
    itemid: int
    filepath: str
    filename: str
    content: bytes
    mimetype: str = "application/octet-stream"
    userid: int | None = None
    author: str | None = None
    license: str | None = None
    sortorder: int = 0
    timecreated: int = field(default_factory=now)
    timemodified: int = field(default_factory=now)
    contenthash: str = ""
    # A large file (a multi-gigabyte backup) kept on disk instead of in `content`.
    disk_path: str = ""

    def __post_init__(self) -> None:
        if not self.contenthash:
            if self.disk_path:
                digest = hashlib.sha1()
                with open(self.disk_path, "rb") as stream:
                    while chunk := stream.read(1024 * 1024):
                        digest.update(chunk)
                self.contenthash = digest.hexdigest()
            else:
                self.contenthash = hashlib.sha1(self.content).hexdigest()

    @property
    def filesize(self) -> int:
        return os.path.getsize(self.disk_path) if self.disk_path else len(self.content)

    @property
    def is_directory(self) -> bool:
        return self.filename == "."


@dataclass
class Token:
    token: str
    userid: int
    # Function names of the token's external service; None = a service holding every function.
    functions: frozenset[str] | None = None
    service: str = "Passage"


def standard_roles() -> list[Role]:
    """The roles of a fresh Moodle 5.0 install, where each may be assigned, and which of the
    capabilities the stand-in checks each one's archetype allows (lib/db/access.php)."""
    teacher_caps = {
        "moodle/course:viewhiddencourses",
        "moodle/course:viewparticipants",
        "moodle/grade:viewall",
        "moodle/calendar:manageentries",
        "mod/forum:startdiscussion",
    }
    editingteacher_caps = teacher_caps | {
        "moodle/course:update",
        "moodle/course:manageactivities",
        "moodle/course:reset",
        "moodle/course:enrolreview",
        "moodle/course:enrolconfig",
        "moodle/course:managegroups",
        "moodle/backup:backupcourse",
        "moodle/restore:restorecourse",
        "moodle/role:assign",
        "enrol/manual:enrol",
        "enrol/manual:unenrol",
        "enrol/cohort:config",
        "moodle/grade:edit",
        "moodle/site:accessallgroups",
        "moodle/cohort:view",
    }
    course_or_below = frozenset({CONTEXT_COURSE, CONTEXT_MODULE})
    return [
        Role(
            ROLE_MANAGER,
            "manager",
            "manager",
            sortorder=1,
            contextlevels=frozenset({CONTEXT_SYSTEM, CONTEXT_COURSECAT, CONTEXT_COURSE}),
            capabilities=editingteacher_caps
            | {
                "moodle/course:view",
                "moodle/backup:userinfo",
                "moodle/restore:userinfo",
                "moodle/course:create",
                "moodle/category:manage",
                "moodle/cohort:manage",
                "moodle/cohort:view",
                "moodle/course:delete",
                "moodle/user:create",
                "moodle/backup:anonymise",
            },
        ),
        Role(
            ROLE_COURSECREATOR,
            "coursecreator",
            "coursecreator",
            sortorder=2,
            contextlevels=frozenset({CONTEXT_SYSTEM, CONTEXT_COURSECAT}),
            capabilities={"moodle/course:create"},
        ),
        Role(
            ROLE_EDITINGTEACHER,
            "editingteacher",
            "editingteacher",
            sortorder=3,
            contextlevels=course_or_below,
            capabilities=set(editingteacher_caps),
        ),
        Role(
            ROLE_TEACHER,
            "teacher",
            "teacher",
            sortorder=4,
            contextlevels=course_or_below,
            capabilities=set(teacher_caps),
        ),
        Role(
            ROLE_STUDENT,
            "student",
            "student",
            sortorder=5,
            contextlevels=course_or_below,
            capabilities={"moodle/course:viewparticipants", "mod/forum:startdiscussion"},
        ),
        Role(ROLE_GUEST, "guest", "guest", sortorder=6),
        Role(ROLE_USER, "user", "user", sortorder=7),
    ]

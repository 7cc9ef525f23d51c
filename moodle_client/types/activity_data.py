"""What students and teachers left in activities, read back for a kept copy: forum
discussions and posts, assignment submissions and grades, quiz attempts."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from moodle_client.types.common import opt_float, opt_int


@dataclass(frozen=True)
class ForumDiscussion:
    """A discussion of a forum with its first post (``mod_forum_get_forum_discussions``).

    ``id`` is the first post's id and ``discussion`` the discussion's, as Moodle sends them.
    """

    id: int
    discussion: int
    name: str
    userid: int
    userfullname: str
    created: int
    modified: int
    numreplies: int
    pinned: bool

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ForumDiscussion:
        return cls(
            id=int(data["id"]),
            discussion=int(data["discussion"]),
            name=str(data.get("name") or ""),
            userid=int(data.get("userid") or 0),
            userfullname=str(data.get("userfullname") or ""),
            created=int(data.get("created") or 0),
            modified=int(data.get("modified") or 0),
            numreplies=int(data.get("numreplies") or 0),
            pinned=bool(data.get("pinned")),
        )


@dataclass(frozen=True)
class ForumPost:
    """One post of a discussion (``mod_forum_get_discussion_posts``); ``message`` is HTML.

    ``authorid`` is ``None`` and ``authorfullname`` Moodle's placeholder when the forum hides
    its authors from the token's user.
    """

    id: int
    discussionid: int
    parentid: int | None
    subject: str
    message: str
    messageformat: int
    authorid: int | None
    authorfullname: str
    timecreated: int
    timemodified: int
    isdeleted: bool
    isprivatereply: bool

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ForumPost:
        author = data.get("author") or {}
        return cls(
            id=int(data["id"]),
            discussionid=int(data["discussionid"]),
            parentid=opt_int(data.get("parentid")),
            subject=str(data.get("subject") or ""),
            message=str(data.get("message") or ""),
            messageformat=int(data.get("messageformat") or 0),
            authorid=opt_int(author.get("id")),
            authorfullname=str(author.get("fullname") or ""),
            timecreated=int(data.get("timecreated") or 0),
            timemodified=int(data.get("timemodified") or 0),
            isdeleted=bool(data.get("isdeleted")),
            isprivatereply=bool(data.get("isprivatereply")),
        )


@dataclass(frozen=True)
class AssignSubmission:
    """A user's (or group's) submission to an assignment (``mod_assign_get_submissions``)."""

    id: int
    userid: int
    groupid: int
    attemptnumber: int
    status: str
    gradingstatus: str
    timecreated: int
    timemodified: int

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> AssignSubmission:
        return cls(
            id=int(data["id"]),
            userid=int(data.get("userid") or 0),
            groupid=int(data.get("groupid") or 0),
            attemptnumber=int(data.get("attemptnumber") or 0),
            status=str(data.get("status") or ""),
            gradingstatus=str(data.get("gradingstatus") or ""),
            timecreated=int(data.get("timecreated") or 0),
            timemodified=int(data.get("timemodified") or 0),
        )


@dataclass(frozen=True)
class AssignGrade:
    """A user's grade in an assignment (``mod_assign_get_grades``); ``grade`` is ``None``
    when the grade was removed (Moodle sends ``-1.00000``)."""

    id: int
    userid: int
    attemptnumber: int
    grade: float | None
    grader: int
    timemodified: int

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> AssignGrade:
        grade = opt_float(data.get("grade"))
        return cls(
            id=int(data["id"]),
            userid=int(data["userid"]),
            attemptnumber=int(data.get("attemptnumber") or 0),
            grade=None if grade is None or grade < 0 else grade,
            grader=int(data.get("grader") or 0),
            timemodified=int(data.get("timemodified") or 0),
        )


@dataclass(frozen=True)
class AssignmentSubmissions:
    """The submissions of one assignment."""

    assignmentid: int
    submissions: tuple[AssignSubmission, ...]

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> AssignmentSubmissions:
        return cls(
            assignmentid=int(data["assignmentid"]),
            submissions=tuple(AssignSubmission.from_json(s) for s in data.get("submissions") or ()),
        )


@dataclass(frozen=True)
class AssignmentGrades:
    """The grades of one assignment."""

    assignmentid: int
    grades: tuple[AssignGrade, ...]

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> AssignmentGrades:
        return cls(
            assignmentid=int(data["assignmentid"]),
            grades=tuple(AssignGrade.from_json(g) for g in data.get("grades") or ()),
        )


@dataclass(frozen=True)
class QuizAttempt:
    """One attempt of a user at a quiz (``local_passage_get_quiz_attempts``); ``sumgrades`` is
    ``None`` until the attempt is graded."""

    id: int
    quiz: int
    userid: int
    userfullname: str
    attempt: int
    state: str
    timestart: int
    timefinish: int
    sumgrades: float | None
    preview: bool

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> QuizAttempt:
        return cls(
            id=int(data["id"]),
            quiz=int(data["quiz"]),
            userid=int(data["userid"]),
            userfullname=str(data.get("userfullname") or ""),
            attempt=int(data.get("attempt") or 0),
            state=str(data.get("state") or ""),
            timestart=int(data.get("timestart") or 0),
            timefinish=int(data.get("timefinish") or 0),
            sumgrades=opt_float(data.get("sumgrades")),
            preview=bool(data.get("preview")),
        )


@dataclass(frozen=True)
class GlossaryEntry:
    """An entry of a glossary (``mod_glossary_get_entries_by_letter``); ``definition`` is
    HTML."""

    id: int
    glossaryid: int
    userid: int
    userfullname: str
    concept: str
    definition: str
    timecreated: int
    timemodified: int
    approved: bool

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> GlossaryEntry:
        return cls(
            id=int(data["id"]),
            glossaryid=int(data["glossaryid"]),
            userid=int(data.get("userid") or 0),
            userfullname=str(data.get("userfullname") or ""),
            concept=str(data.get("concept") or ""),
            definition=str(data.get("definition") or ""),
            timecreated=int(data.get("timecreated") or 0),
            timemodified=int(data.get("timemodified") or 0),
            approved=bool(data.get("approved")),
        )


@dataclass(frozen=True)
class GlossaryPage:
    """One page of a glossary's entries and how many match in all."""

    count: int
    entries: tuple[GlossaryEntry, ...]

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> GlossaryPage:
        return cls(
            count=int(data["count"]),
            entries=tuple(GlossaryEntry.from_json(item) for item in data["entries"]),
        )


@dataclass(frozen=True)
class DatabaseEntry:
    """An entry of a database activity (``mod_data_get_entries``) with the values of its
    fields, in field order."""

    id: int
    userid: int
    fullname: str
    groupid: int
    timecreated: int
    timemodified: int
    approved: bool
    values: tuple[str, ...]

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> DatabaseEntry:
        contents = sorted(data.get("contents") or (), key=lambda c: int(c.get("fieldid") or 0))
        return cls(
            id=int(data["id"]),
            userid=int(data.get("userid") or 0),
            fullname=str(data.get("fullname") or ""),
            groupid=int(data.get("groupid") or 0),
            timecreated=int(data.get("timecreated") or 0),
            timemodified=int(data.get("timemodified") or 0),
            approved=bool(data.get("approved")),
            values=tuple(str(c.get("content") or "") for c in contents),
        )


@dataclass(frozen=True)
class DatabasePage:
    """One page of a database's entries and how many there are in all."""

    totalcount: int
    entries: tuple[DatabaseEntry, ...]

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> DatabasePage:
        return cls(
            totalcount=int(data["totalcount"]),
            entries=tuple(DatabaseEntry.from_json(item) for item in data["entries"]),
        )


@dataclass(frozen=True)
class Subwiki:
    """A wiki's subwiki (``mod_wiki_get_subwikis``): one for a collaborative wiki, one per
    group or per user otherwise."""

    id: int
    wikiid: int
    groupid: int
    userid: int

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Subwiki:
        return cls(
            id=int(data["id"]),
            wikiid=int(data["wikiid"]),
            groupid=int(data.get("groupid") or 0),
            userid=int(data.get("userid") or 0),
        )


@dataclass(frozen=True)
class WikiPage:
    """A page of a subwiki (``mod_wiki_get_subwiki_pages``); ``cachedcontent`` is HTML.
    ``userid`` is who last changed it."""

    id: int
    subwikiid: int
    title: str
    userid: int
    timecreated: int
    timemodified: int
    cachedcontent: str

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> WikiPage:
        return cls(
            id=int(data["id"]),
            subwikiid=int(data["subwikiid"]),
            title=str(data.get("title") or ""),
            userid=int(data.get("userid") or 0),
            timecreated=int(data.get("timecreated") or 0),
            timemodified=int(data.get("timemodified") or 0),
            cachedcontent=str(data.get("cachedcontent") or ""),
        )

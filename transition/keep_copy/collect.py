"""Reading what a kept copy holds from Moodle's web services (never inside a transaction)."""

from __future__ import annotations

from dataclasses import dataclass

from moodle_client import MoodleClient
from moodle_client.types.activities import UserGrades
from moodle_client.types.activity_data import (
    AssignGrade,
    AssignSubmission,
    DatabaseEntry,
    ForumDiscussion,
    ForumPost,
    GlossaryEntry,
    QuizAttempt,
    WikiPage,
)
from moodle_client.types.passage import CourseInventory, InventoryModule


@dataclass(frozen=True)
class KeptDiscussion:
    discussion: ForumDiscussion
    posts: tuple[ForumPost, ...]


@dataclass(frozen=True)
class KeptForum:
    module: InventoryModule
    discussions: tuple[KeptDiscussion, ...]


@dataclass(frozen=True)
class KeptAssignment:
    module: InventoryModule
    submissions: tuple[AssignSubmission, ...]
    grades: tuple[AssignGrade, ...]


@dataclass(frozen=True)
class KeptQuiz:
    module: InventoryModule
    attempts: tuple[QuizAttempt, ...]


@dataclass(frozen=True)
class KeptGlossary:
    module: InventoryModule
    entries: tuple[GlossaryEntry, ...]


@dataclass(frozen=True)
class KeptDatabase:
    module: InventoryModule
    entries: tuple[DatabaseEntry, ...]


@dataclass(frozen=True)
class KeptWiki:
    module: InventoryModule
    pages: tuple[WikiPage, ...]


@dataclass(frozen=True)
class KeptContent:
    """Everything read for one course's kept copy; `names` maps user ids to full names."""

    inventory: CourseInventory
    forums: tuple[KeptForum, ...]
    assignments: tuple[KeptAssignment, ...]
    quizzes: tuple[KeptQuiz, ...]
    glossaries: tuple[KeptGlossary, ...]
    databases: tuple[KeptDatabase, ...]
    wikis: tuple[KeptWiki, ...]
    gradebook: tuple[UserGrades, ...]
    names: dict[int, str]

    def counts(self) -> dict[str, int]:
        return {
            "forum_discussions": sum(len(f.discussions) for f in self.forums),
            "forum_posts": sum(len(d.posts) for f in self.forums for d in f.discussions),
            "assign_submissions": sum(len(a.submissions) for a in self.assignments),
            "assign_grades": sum(len(a.grades) for a in self.assignments),
            "quiz_attempts": sum(len(q.attempts) for q in self.quizzes),
            "glossary_entries": sum(len(g.entries) for g in self.glossaries),
            "data_entries": sum(len(d.entries) for d in self.databases),
            "wiki_pages": sum(len(w.pages) for w in self.wikis),
        }


def _modules(inventory: CourseInventory, modname: str) -> list[InventoryModule]:
    return [module for module in inventory.modules if module.modname == modname]


def kept_forums(*, client: MoodleClient, inventory: CourseInventory) -> tuple[KeptForum, ...]:
    """Every discussion of every forum of the course, each with all its posts."""
    forums = []
    for module in _modules(inventory, "forum"):
        discussions = tuple(
            KeptDiscussion(discussion=d, posts=client.get_discussion_posts(d.discussion))
            for d in client.get_forum_discussions(module.instance)
        )
        forums.append(KeptForum(module=module, discussions=discussions))
    return tuple(forums)


def kept_content_read(*, client: MoodleClient, inventory: CourseInventory) -> KeptContent:
    courseid = inventory.course.id
    forums = kept_forums(client=client, inventory=inventory)
    assigns = _modules(inventory, "assign")
    ids = [module.instance for module in assigns]
    # Moodle makes a "new" submission when a student only opens the assignment: nothing to
    # keep, and the inventory does not count it.
    submissions = (
        {
            a.assignmentid: tuple(s for s in a.submissions if s.status != "new")
            for a in client.get_assign_submissions(ids)
        }
        if ids
        else {}
    )
    grades = {a.assignmentid: a.grades for a in client.get_assign_grades(ids)} if ids else {}
    assignments = tuple(
        KeptAssignment(
            module=module,
            submissions=submissions.get(module.instance, ()),
            grades=grades.get(module.instance, ()),
        )
        for module in assigns
    )
    quizzes = tuple(
        KeptQuiz(module=module, attempts=client.get_quiz_attempts(module.instance))
        for module in _modules(inventory, "quiz")
    )
    glossaries = tuple(
        KeptGlossary(module=module, entries=client.get_glossary_entries(module.instance))
        for module in _modules(inventory, "glossary")
    )
    databases = tuple(
        KeptDatabase(module=module, entries=client.get_database_entries(module.instance))
        for module in _modules(inventory, "data")
    )
    wikis = tuple(
        KeptWiki(module=module, pages=client.get_wiki_pages(module.instance))
        for module in _modules(inventory, "wiki")
    )
    gradebook = client.get_grade_items(courseid)
    names = {user.userid: user.userfullname for user in gradebook}
    for glossary in glossaries:
        for entry in glossary.entries:
            names.setdefault(entry.userid, entry.userfullname)
    for database in databases:
        for record in database.entries:
            names.setdefault(record.userid, record.fullname)
    for quiz in quizzes:
        for attempt in quiz.attempts:
            names.setdefault(attempt.userid, attempt.userfullname)
    for forum in forums:
        for kept in forum.discussions:
            for post in kept.posts:
                if post.authorid is not None:
                    names.setdefault(post.authorid, post.authorfullname)
    return KeptContent(
        inventory=inventory,
        forums=forums,
        assignments=assignments,
        quizzes=quizzes,
        glossaries=glossaries,
        databases=databases,
        wikis=wikis,
        gradebook=gradebook,
        names=names,
    )

"""The kept copy's CSV files: one row per post, submission, grade, attempt, entry or page.

Headers are written in the language active when they are built (the requester's); a BOM lets
spreadsheet programs read the UTF-8.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from collections.abc import Iterable

from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from moodle_client.types.activity_data import ForumPost
from transition.keep_copy.collect import KeptContent


def when(timestamp: int) -> str:
    """A Moodle time as "YYYY-MM-DD HH:MM" (UTC), or "" for none."""
    if not timestamp:
        return ""
    moment = datetime.datetime.fromtimestamp(timestamp, tz=datetime.UTC)
    return moment.strftime("%Y-%m-%d %H:%M")


def plain(html: str) -> str:
    return re.sub(r"\s+", " ", strip_tags(html)).strip()


def thread_order(posts: Iterable[ForumPost]) -> list[ForumPost]:
    """The discussion's first post, then the replies by date."""
    return sorted(posts, key=lambda post: (post.parentid is not None, post.timecreated, post.id))


def _csv(header: Iterable[str], rows: Iterable[Iterable[object]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return "\ufeff" + buffer.getvalue()


def forums_csv(content: KeptContent) -> str:
    rows = []
    for forum in content.forums:
        for kept in forum.discussions:
            posts = thread_order(kept.posts)
            name = kept.discussion.name or (posts[0].subject if posts else "")
            for post in posts:
                rows.append((
                    forum.module.name, name, post.id, post.parentid or "", post.authorfullname,
                    when(post.timecreated), post.subject, plain(post.message),
                ))  # fmt: skip
    return _csv(
        (_("Forum"), _("Discussion"), _("Post id"), _("Reply to"), _("Author"),
         _("Created (UTC)"), _("Subject"), _("Message")),
        rows,
    )  # fmt: skip


def _assign_feedback(content: KeptContent) -> dict[tuple[int, int], str]:
    """(assignment instance, user id) -> the feedback the gradebook holds for it."""
    return {
        (item.iteminstance, user.userid): item.feedback
        for user in content.gradebook
        for item in user.gradeitems
        if item.itemmodule == "assign" and item.feedback
    }


def assignments_csv(content: KeptContent) -> str:
    feedback = _assign_feedback(content)
    rows: list[tuple[object, ...]] = []
    for assignment in content.assignments:
        instance = assignment.module.instance
        for submission in assignment.submissions:
            rows.append((
                assignment.module.name, _("submission"),
                content.names.get(submission.userid, ""), submission.userid,
                submission.attemptnumber + 1, submission.status, when(submission.timemodified),
                "", "",
            ))  # fmt: skip
        for grade in assignment.grades:
            rows.append((
                assignment.module.name, _("grade"), content.names.get(grade.userid, ""),
                grade.userid, grade.attemptnumber + 1, "", when(grade.timemodified),
                "" if grade.grade is None else grade.grade,
                plain(feedback.get((instance, grade.userid), "")),
            ))  # fmt: skip
    return _csv(
        (_("Assignment"), _("Record"), _("User"), _("User id"), _("Attempt"), _("Status"),
         _("Date (UTC)"), _("Grade"), _("Feedback")),
        rows,
    )  # fmt: skip


def quizzes_csv(content: KeptContent) -> str:
    return _csv(
        (_("Quiz"), _("User"), _("User id"), _("Attempt"), _("State"), _("Started (UTC)"),
         _("Finished (UTC)"), _("Marks")),
        (
            (quiz.module.name, a.userfullname or content.names.get(a.userid, ""), a.userid,
             a.attempt, a.state, when(a.timestart), when(a.timefinish),
             "" if a.sumgrades is None else a.sumgrades)
            for quiz in content.quizzes
            for a in quiz.attempts
        ),
    )  # fmt: skip


def glossaries_csv(content: KeptContent) -> str:
    return _csv(
        (_("Glossary"), _("Concept"), _("Definition"), _("Author"), _("Created (UTC)"),
         _("Approved")),
        (
            (glossary.module.name, entry.concept, plain(entry.definition), entry.userfullname,
             when(entry.timecreated), _("yes") if entry.approved else _("no"))
            for glossary in content.glossaries
            for entry in glossary.entries
        ),
    )  # fmt: skip


def databases_csv(content: KeptContent) -> str:
    return _csv(
        (_("Database"), _("Entry id"), _("Author"), _("Created (UTC)"), _("Approved"),
         _("Values")),
        (
            (database.module.name, entry.id, entry.fullname, when(entry.timecreated),
             _("yes") if entry.approved else _("no"), " | ".join(entry.values))
            for database in content.databases
            for entry in database.entries
        ),
    )  # fmt: skip


def wikis_csv(content: KeptContent) -> str:
    return _csv(
        (_("Wiki"), _("Page"), _("Last edited by"), _("Created (UTC)"), _("Modified (UTC)"),
         _("Content")),
        (
            (wiki.module.name, page.title, content.names.get(page.userid, ""),
             when(page.timecreated), when(page.timemodified), plain(page.cachedcontent))
            for wiki in content.wikis
            for page in wiki.pages
        ),
    )  # fmt: skip

"""Writing a kept copy: one zip per course, readable without Passage or Moodle.

`index.html` lists what the copy holds; `forums/` has one HTML page per forum (every
discussion with its posts, authors and dates) and `forums.csv` the same posts as rows;
`assignments.csv`, `quizzes.csv`, `gradebook.xlsx`; `README.txt` says what personal data the
copy holds; `manifest.json` its counts. No student file is copied.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import re
import zipfile
from collections.abc import Iterable
from html import escape

from django.utils.html import strip_tags
from django.utils.text import slugify

from moodle_client.types.activity_data import ForumPost
from transition.grade_workbook import gradebook_workbook
from transition.keep_copy.collect import KeptContent, KeptForum

# The pages show Moodle's post HTML as Moodle cleaned it; this keeps any script out anyway.
PAGE_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
STYLE = (
    "body{font-family:sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}"
    "article{border:1px solid #ccc;border-radius:.4rem;padding:.5rem 1rem;margin:.5rem 0}"
    "article.reply{margin-left:2rem}.meta{color:#555;font-size:.9rem}"
    "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2rem .5rem}"
)
README = """Copy of what the reset of {shortname} deletes
Built by Passage on {built} (UTC), before the course was reset.

What it holds (personal data):
- forums/: every discussion of every forum, each post with its author's name, its date and
  its text; forums.csv: the same posts, one per row;
- assignments.csv: each submission (who, when, status) and each grade, by user;
- quizzes.csv: each attempt (who, when, state, marks);
- gradebook.xlsx: every user's grades and feedback.
Files students handed in are not copied.

Who may have it: the course's teachers and the platform's administrators, for the course's
needs only (a student's appeal, next year's teaching). Passage stores it with the course's
backups of the same campaign and keeps it exactly as long as them. Do not pass it on.

Counts: {counts}
"""


def _when(timestamp: int) -> str:
    if not timestamp:
        return ""
    moment = datetime.datetime.fromtimestamp(timestamp, tz=datetime.UTC)
    return moment.strftime("%Y-%m-%d %H:%M")


def _page(title: str, body: str) -> str:
    return (
        '<!doctype html>\n<html><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{PAGE_POLICY}">'
        f"<title>{escape(title)}</title><style>{STYLE}</style></head>"
        f"<body>{body}</body></html>\n"
    )


def forum_file_name(forum: KeptForum) -> str:
    return f"forums/{forum.module.cmid}-{slugify(forum.module.name) or 'forum'}.html"


def thread_order(posts: Iterable[ForumPost]) -> list[ForumPost]:
    """The discussion's first post, then the replies by date."""
    return sorted(posts, key=lambda post: (post.parentid is not None, post.timecreated, post.id))


def forum_page(forum: KeptForum, *, shortname: str) -> str:
    parts = [f"<h1>{escape(forum.module.name)}</h1><p class='meta'>{escape(shortname)}</p>"]
    if not forum.discussions:
        parts.append("<p>No discussion.</p>")
    for kept in forum.discussions:
        discussion = kept.discussion
        parts.append(
            f"<section data-discussion='{discussion.discussion}'><h2>{escape(discussion.name)}</h2>"
        )
        for post in kept.posts:
            reply = " class='reply'" if post.parentid else ""
            parts.append(
                f"<article{reply} data-post='{post.id}'>"
                f"<h3>{escape(post.subject)}</h3>"
                f"<p class='meta'>{escape(post.authorfullname)} — {_when(post.timecreated)}</p>"
                f"<div>{post.message}</div></article>"
            )
        parts.append("</section>")
    return _page(forum.module.name, "".join(parts))


def _csv(header: Iterable[str], rows: Iterable[Iterable[object]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return "\ufeff" + buffer.getvalue()


def _plain(html: str) -> str:
    return re.sub(r"\s+", " ", strip_tags(html)).strip()


def forums_csv(content: KeptContent) -> str:
    return _csv(
        ("Forum", "Discussion", "Post id", "Reply to", "Author", "Created (UTC)", "Subject",
         "Message"),
        (
            (forum.module.name, kept.discussion.name or kept.posts[0].subject, post.id,
             post.parentid or "",
             post.authorfullname, _when(post.timecreated), post.subject, _plain(post.message))
            for forum in content.forums
            for kept in forum.discussions
            for post in thread_order(kept.posts)
        ),
    )  # fmt: skip


def assignments_csv(content: KeptContent) -> str:
    rows: list[tuple[object, ...]] = []
    for assignment in content.assignments:
        for submission in assignment.submissions:
            rows.append((
                assignment.module.name, "submission", content.names.get(submission.userid, ""),
                submission.userid, submission.attemptnumber + 1, submission.status,
                _when(submission.timemodified), "",
            ))  # fmt: skip
        for grade in assignment.grades:
            rows.append((
                assignment.module.name, "grade", content.names.get(grade.userid, ""),
                grade.userid, grade.attemptnumber + 1, "", _when(grade.timemodified),
                "" if grade.grade is None else grade.grade,
            ))  # fmt: skip
    return _csv(
        ("Assignment", "Record", "User", "User id", "Attempt", "Status", "Date (UTC)", "Grade"),
        rows,
    )


def quizzes_csv(content: KeptContent) -> str:
    return _csv(
        ("Quiz", "User", "User id", "Attempt", "State", "Started (UTC)", "Finished (UTC)",
         "Marks"),
        (
            (quiz.module.name, content.names.get(a.userid, ""), a.userid, a.attempt, a.state,
             _when(a.timestart), _when(a.timefinish), "" if a.sumgrades is None else a.sumgrades)
            for quiz in content.quizzes
            for a in quiz.attempts
        ),
    )  # fmt: skip


COUNT_LABELS = {
    "forum_discussions": "forum discussions",
    "forum_posts": "forum posts",
    "assign_submissions": "assignment submissions",
    "assign_grades": "assignment grades",
    "quiz_attempts": "quiz attempts",
}


def index_page(content: KeptContent, counts: dict[str, int], *, built: str) -> str:
    course = content.inventory.course
    items = "".join(
        f"<tr><th scope='row'>{escape(COUNT_LABELS[key])}</th>"
        f"<td data-count='{key}'>{value}</td></tr>"
        for key, value in counts.items()
    )
    forums = "".join(
        f"<li><a href='{forum_file_name(forum)}'>{escape(forum.module.name)}</a> "
        f"(posts: {sum(len(d.posts) for d in forum.discussions)})</li>"
        for forum in content.forums
    )
    body = (
        f"<h1>{escape(course.shortname)} — {escape(course.fullname)}</h1>"
        f"<p class='meta'>Copy built on {escape(built)} (UTC), before the reset.</p>"
        f"<table>{items}</table><h2>Forums</h2><ul>{forums or '<li>None</li>'}</ul>"
        "<h2>Files</h2><ul><li><a href='forums.csv'>forums.csv</a></li>"
        "<li><a href='assignments.csv'>assignments.csv</a></li>"
        "<li><a href='quizzes.csv'>quizzes.csv</a></li>"
        "<li><a href='gradebook.xlsx'>gradebook.xlsx</a></li>"
        "<li><a href='README.txt'>README.txt</a> (who may keep this copy, and how long)</li></ul>"
    )
    return _page(f"{course.shortname}: kept copy", body)


def archive_build(content: KeptContent, *, built_at: datetime.datetime) -> bytes:
    """The zip of one course's kept copy."""
    counts = content.counts()
    built = built_at.astimezone(datetime.UTC).strftime("%Y-%m-%d %H:%M")
    shortname = content.inventory.course.shortname
    gradebook, rows = gradebook_workbook(content.gradebook)
    manifest = {
        "course": {"id": content.inventory.course.id, "shortname": shortname},
        "built": built_at.astimezone(datetime.UTC).isoformat(),
        "counts": counts,
        "gradebook": {"users": len(content.gradebook), "rows": rows},
        "forums": {forum_file_name(f): f.module.name for f in content.forums},
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("index.html", index_page(content, counts, built=built))
        for forum in content.forums:
            archive.writestr(forum_file_name(forum), forum_page(forum, shortname=shortname))
        archive.writestr("forums.csv", forums_csv(content))
        archive.writestr("assignments.csv", assignments_csv(content))
        archive.writestr("quizzes.csv", quizzes_csv(content))
        archive.writestr("gradebook.xlsx", gradebook)
        readme = README.format(
            shortname=shortname,
            built=built,
            counts=", ".join(f"{COUNT_LABELS[k]} {v}" for k, v in counts.items()),
        )
        archive.writestr("README.txt", readme)
        archive.writestr("manifest.json", json.dumps(manifest, indent=2, ensure_ascii=False))
    return buffer.getvalue()

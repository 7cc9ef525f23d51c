"""Writing a kept copy: one zip per course, readable without Passage or Moodle.

`index.html` lists what the copy holds; `forums/` has one HTML page per forum (every
discussion with its posts, authors and dates); CSV files hold the same posts, the assignments'
submissions and grades with feedback, the quiz attempts, the glossary and database entries and
the wiki pages; `gradebook.xlsx` every user's grades; `README.txt` says what personal data the
copy holds and for how long; `manifest.json` its counts. No student file is copied. The text is
in the language active when it is built (the requester's).
"""

from __future__ import annotations

import datetime
import io
import json
import zipfile
from html import escape

from django.template.loader import render_to_string
from django.utils.text import slugify
from django.utils.translation import gettext as _

from transition.grade_workbook import gradebook_workbook
from transition.keep_copy import tables
from transition.keep_copy.collect import KeptContent, KeptForum
from transition.keep_copy.counts import kept_lines

# The pages show Moodle's post HTML as Moodle cleaned it; this keeps any script out anyway.
PAGE_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
STYLE = (
    "body{font-family:sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}"
    "article{border:1px solid #ccc;border-radius:.4rem;padding:.5rem 1rem;margin:.5rem 0}"
    "article.reply{margin-left:2rem}.meta{color:#555;font-size:.9rem}"
    "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2rem .5rem}"
)
CSV_FILES = (
    ("forums.csv", tables.forums_csv),
    ("assignments.csv", tables.assignments_csv),
    ("quizzes.csv", tables.quizzes_csv),
    ("glossaries.csv", tables.glossaries_csv),
    ("databases.csv", tables.databases_csv),
    ("wikis.csv", tables.wikis_csv),
)


def _page(title: str, body: str) -> str:
    return (
        '<!doctype html>\n<html><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{PAGE_POLICY}">'
        f"<title>{escape(title)}</title><style>{STYLE}</style></head>"
        f"<body>{body}</body></html>\n"
    )


def forum_file_name(forum: KeptForum) -> str:
    return f"forums/{forum.module.cmid}-{slugify(forum.module.name) or 'forum'}.html"


def forum_page(forum: KeptForum, *, shortname: str) -> str:
    parts = [f"<h1>{escape(forum.module.name)}</h1><p class='meta'>{escape(shortname)}</p>"]
    if not forum.discussions:
        parts.append("<p>" + escape(_("No discussion.")) + "</p>")
    for kept in forum.discussions:
        posts = tables.thread_order(kept.posts)
        name = kept.discussion.name or (posts[0].subject if posts else "")
        parts.append(
            f"<section data-discussion='{kept.discussion.discussion}'><h2>{escape(name)}</h2>"
        )
        for post in posts:
            reply = " class='reply'" if post.parentid else ""
            parts.append(
                f"<article{reply} data-post='{post.id}'><h3>{escape(post.subject)}</h3>"
                f"<p class='meta'>{escape(post.authorfullname)} — "
                f"{tables.when(post.timecreated)} UTC</p><div>{post.message}</div></article>"
            )
        parts.append("</section>")
    return _page(forum.module.name, "".join(parts))


def index_page(content: KeptContent, counts: dict[str, int], *, built: str) -> str:
    course = content.inventory.course
    items = "".join(
        f"<tr><th scope='row'>{escape(label)}</th><td data-count='{key}'>{count}</td></tr>"
        for key, label, count in kept_lines(counts)
    )
    forums = "".join(
        f"<li><a href='{forum_file_name(forum)}'>{escape(forum.module.name)}</a> "
        f"({sum(len(d.posts) for d in forum.discussions)})</li>"
        for forum in content.forums
    )
    files = "".join(f"<li><a href='{name}'>{name}</a></li>" for name, _write in CSV_FILES)
    built_line = _("Copy built on %(date)s (UTC), before the reset.") % {"date": built}
    readme_note = _("who may keep this copy, and how long")
    forums_title, files_title = _("Forums"), _("Files")
    body = (
        f"<h1>{escape(course.shortname)} — {escape(course.fullname)}</h1>"
        f"<p class='meta'>{escape(built_line)}</p>"
        f"<table>{items}</table><h2>{escape(forums_title)}</h2>"
        f"<ul>{forums or '<li>—</li>'}</ul><h2>{escape(files_title)}</h2><ul>{files}"
        "<li><a href='gradebook.xlsx'>gradebook.xlsx</a></li>"
        f"<li><a href='README.txt'>README.txt</a> ({escape(readme_note)})</li></ul>"
    )
    return _page(_("%(course)s: kept copy") % {"course": course.shortname}, body)


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
    readme = render_to_string(
        "transition/keep_copy/README.txt",
        {"shortname": shortname, "built": built, "lines": kept_lines(counts)},
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("index.html", index_page(content, counts, built=built))
        for forum in content.forums:
            archive.writestr(forum_file_name(forum), forum_page(forum, shortname=shortname))
        for name, write in CSV_FILES:
            archive.writestr(name, write(content))
        archive.writestr("gradebook.xlsx", gradebook)
        archive.writestr("README.txt", readme)
        archive.writestr("manifest.json", json.dumps(manifest, indent=2, ensure_ascii=False))
    return buffer.getvalue()

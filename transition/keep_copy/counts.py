"""What a kept copy holds, counted the way the course inventory counts it.

The review shows these counts before the teacher confirms; the archive job counts what it
read and keeps the archive only when both agree.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.translation import gettext_lazy as _

from moodle_client.types.passage import CourseInventory

# (activity type, inventory data kind) -> the kept copy's count.
KEPT_KINDS: dict[tuple[str, str], str] = {
    ("forum", "discussions"): "forum_discussions",
    ("forum", "posts"): "forum_posts",
    ("assign", "submissions"): "assign_submissions",
    ("assign", "grades"): "assign_grades",
    ("quiz", "attempts"): "quiz_attempts",
    ("glossary", "entries"): "glossary_entries",
    ("data", "entries"): "data_entries",
    ("wiki", "pages"): "wiki_pages",
}
COUNT_KEYS = tuple(KEPT_KINDS.values())
COUNT_LABELS = {
    "forum_discussions": _("forum discussions"),
    "forum_posts": _("forum posts, with their authors and dates"),
    "assign_submissions": _("assignment submissions (without the files)"),
    "assign_grades": _("assignment grades"),
    "quiz_attempts": _("quiz attempts"),
    "glossary_entries": _("glossary entries"),
    "data_entries": _("database entries"),
    "wiki_pages": _("wiki pages"),
}


def kept_lines(counts: Mapping[str, int]) -> list[tuple[str, str, int]]:
    """(key, label, count) of each kind, in a fixed order, for the pages."""
    return [(key, str(COUNT_LABELS[key]), int(counts.get(key, 0))) for key in COUNT_KEYS]


def kept_counts(inventory: CourseInventory, *, announced: bool = False) -> dict[str, int]:
    """How many records of each kind the copy of this course will hold; `announced`: the
    request posts its announcement to the students first, one more discussion and post."""
    counts = dict.fromkeys(COUNT_KEYS, 0)
    for module in inventory.modules:
        for item in module.data:
            key = KEPT_KINDS.get((module.modname, item.kind))
            if key:
                counts[key] += item.total
    if announced:
        counts["forum_discussions"] += 1
        counts["forum_posts"] += 1
    return counts


def counts_differ(*, expected: dict[str, int], found: dict[str, int]) -> dict[str, tuple[int, int]]:
    """The kinds whose counts differ: kind -> (expected, found)."""
    return {
        key: (expected.get(key, 0), found.get(key, 0))
        for key in COUNT_KEYS
        if expected.get(key, 0) != found.get(key, 0)
    }

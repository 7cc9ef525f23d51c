"""Tell the course's students, in its announcements forum, what is going to happen.

Moodle creates a course's announcements forum lazily (when the course is first opened, or
saved with news items to show): a course created by web services, generated or restored may
have none. The plugin creates it the way Moodle does before the post.
"""

from __future__ import annotations

from typing import Any

from transition.engine.steps.context import StepContext


def run(ctx: StepContext) -> dict[str, Any]:
    assert ctx.spec is not None and ctx.spec.announcement is not None
    assert ctx.job.course is not None
    if ctx.job.result.get("discussion_id"):
        return dict(ctx.job.result)
    announcement = ctx.spec.announcement
    client = ctx.client
    forum = client.ensure_news_forum(ctx.job.course.moodle_id)
    # A post whose answer was lost is there already: look before posting again.
    answer = client.call("mod_forum_get_forum_discussions", forumid=forum.forumid)
    for discussion in answer.get("discussions", []):
        if (
            discussion.get("name") == announcement.subject
            or discussion.get("subject") == announcement.subject
        ):
            return {"discussion_id": int(discussion["discussion"]), "found": True}
    posted = client.add_discussion(forum.forumid, announcement.subject, announcement.message)
    return {"discussion_id": posted.discussionid, "news_forum_created": forum.created}

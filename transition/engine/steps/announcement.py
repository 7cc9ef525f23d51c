"""Tell the course's students, in its announcements forum, what is going to happen."""

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
    courseid = ctx.job.course.moodle_id
    # A post whose answer was lost is there already: look before posting again.
    forum = next((forum for forum in client.get_forums([courseid]) if forum.type == "news"), None)
    if forum is not None:
        answer = client.call("mod_forum_get_forum_discussions", forumid=forum.id)
        for discussion in answer.get("discussions", []):
            if (
                discussion.get("name") == announcement.subject
                or discussion.get("subject") == announcement.subject
            ):
                return {"discussion_id": int(discussion["discussion"]), "found": True}
    posted = client.post_announcement(courseid, announcement.subject, announcement.message)
    return {"discussion_id": posted.discussionid}

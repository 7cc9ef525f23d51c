"""Moodle users a step enrols or unenrols, found by the username the request names."""

from __future__ import annotations

from moodle_client import MoodleClient
from transition.engine.errors import StepFailed
from transition.engine.steps.context import StepContext
from transition.models import Person

EDITING_TEACHER_ROLE_ID = 3


def moodle_user_id(ctx: StepContext, client: MoodleClient, username: str) -> int:
    """The Moodle id of a user Passage knows (synced from Moodle), or one of the course."""
    person = Person.objects.filter(instance=ctx.job.instance, moodle_username=username).first()
    if person is not None:
        return person.moodle_userid
    assert ctx.job.course is not None
    for user in client.get_enrolled_users(ctx.job.course.moodle_id):
        if user.username == username:
            return user.id
    raise StepFailed(
        f"Passage does not know the Moodle user {username}; run a sync of the platform.",
        errorcode="usernotfound",
    )

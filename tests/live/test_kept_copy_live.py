"""The forum part of a kept copy against a real Moodle (see conftest.py for how to enable it):
every post of a course, as the plugin's inventory counts them, with its author and date.

Read-only: it looks for courses that already hold forum posts.
"""

from __future__ import annotations

import pytest

from moodle_client import MoodleClient
from moodle_client.types.passage import CourseInventory
from transition.keep_copy.archive import forum_page
from transition.keep_copy.collect import kept_forums
from transition.keep_copy.counts import kept_counts

pytestmark = [pytest.mark.live, pytest.mark.keep_copy]


def courses_with_posts(client: MoodleClient, *, limit: int = 3) -> list[CourseInventory]:
    found = []
    for course in client.call("core_course_get_courses"):
        if course["format"] == "site":
            continue
        inventory = client.get_course_inventory(int(course["id"]))
        if kept_counts(inventory)["forum_posts"]:
            found.append(inventory)
        if len(found) == limit:
            break
    return found


def test_the_copy_lists_every_post_of_a_course_that_has_some(live_client: MoodleClient) -> None:
    inventories = courses_with_posts(live_client)
    if not inventories:
        pytest.skip("no course of this Moodle holds forum posts")
    for inventory in inventories:
        counts = kept_counts(inventory)

        forums = kept_forums(client=live_client, inventory=inventory)

        discussions = [kept for forum in forums for kept in forum.discussions]
        posts = [post for kept in discussions for post in kept.posts]
        shortname = inventory.course.shortname
        assert len(discussions) == counts["forum_discussions"], shortname
        assert len(posts) == counts["forum_posts"], shortname
        assert len({post.id for post in posts}) == len(posts)
        for kept in discussions:
            assert kept.posts, f"discussion {kept.discussion.discussion} of {shortname}"
            assert {post.discussionid for post in kept.posts} == {kept.discussion.discussion}
            assert sum(post.parentid is None for post in kept.posts) == 1
            assert len(kept.posts) == kept.discussion.numreplies + 1
        for post in posts:
            assert post.authorid and post.authorfullname, post
            assert post.timecreated > 0, post
        pages = "".join(forum_page(forum, shortname=shortname) for forum in forums)
        for post in posts:
            assert f"data-post='{post.id}'" in pages

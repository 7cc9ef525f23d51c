"""The check after the run compares Moodle's counts with the review: rows about the same count
(the announcements forum's posts and the announcement the request adds to them) together."""

from __future__ import annotations

from tests.review.inventories import chemistry_course, module
from transition.engine.steps.verify import review_differences
from transition.request_spec import Announcement, RequestSpec
from transition.review.engine import ReviewFacts, review_course

NEWS_FORUM_INSTANCE = 101  # module 1, "Annonces", in chemistry_course()


def announced_review(reset_options: dict[str, str]) -> dict:
    inventory = chemistry_course()
    spec = RequestSpec(
        scenario="reuse_reset",
        course_moodle_id=inventory.course.id,
        reset_options=reset_options,
        announcement=Announcement(days_before=7, subject="Fin de semestre", message="Bientôt."),
    )
    facts = ReviewFacts(forum_types={NEWS_FORUM_INSTANCE: "news"})
    return review_course(inventory=inventory, spec=spec, governed={}, facts=facts).to_json()


def test_a_kept_announcement_is_expected_beside_the_forums_own_posts() -> None:
    review = announced_review({"reset_forum_types": "general"})
    after = chemistry_course(
        modules=[module(1, "forum", "Annonces", discussions=(0, 6), posts=(19, 3), ratings=(0, 0))]
    )

    differences = review_differences(review, after, unenrols=False)

    # The 21 posts reviewed and the announcement: 22, all there.
    assert [d for d in differences if d["subject"] == "Annonces"] == []


def test_a_deleted_announcement_still_there_is_a_difference() -> None:
    review = announced_review({"reset_forum_all": "1"})
    after = chemistry_course(
        modules=[module(1, "forum", "Annonces", discussions=(0, 1), posts=(0, 1), ratings=(0, 0))]
    )

    differences = review_differences(review, after, unenrols=False)

    assert {(d["subject"], d["kind"], d["expected"], d["found"]) for d in differences} >= {
        ("Annonces", "discussions", 0, 1),
        ("Annonces", "posts", 0, 1),
    }

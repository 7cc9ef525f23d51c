"""Which calls the client may repeat on its own, and how long it waits between attempts.

Only reads are retried: a write whose answer was lost may have been applied, so repeating it is
the caller's decision (Passage's jobs make writes idempotent with operation keys).
"""

from __future__ import annotations

import random
from dataclasses import dataclass

READ_ONLY_FUNCTIONS: frozenset[str] = frozenset(
    {
        "core_webservice_get_site_info",
        "core_course_get_courses",
        "core_course_get_courses_by_field",
        "core_course_search_courses",
        "core_course_get_categories",
        "core_course_get_contents",
        "core_enrol_get_enrolled_users",
        "core_enrol_get_users_courses",
        "core_enrol_get_course_enrolment_methods",
        "core_cohort_search_cohorts",
        "core_cohort_get_cohorts",
        "core_cohort_get_cohort_members",
        "core_group_get_course_groups",
        "core_group_get_course_groupings",
        "core_files_get_files",
        "core_calendar_get_calendar_events",
        "gradereport_user_get_grade_items",
        "mod_forum_get_forums_by_courses",
        "mod_forum_get_forum_discussions",
        "local_passage_get_course_inventory",
        "local_passage_get_content_fingerprint",
        "local_passage_get_operations",
        "local_passage_list_cohort_syncs",
        "local_passage_get_site_limits",
        # Idempotent: deleting a backup file already gone answers deleted=0.
        "local_passage_delete_backup",
    }
)
"""Functions that change nothing in Moodle. Listed by name on purpose: a function missing here
is treated as a write and never repeated by the client."""


def is_read_only(wsfunction: str) -> bool:
    """True if the client may send ``wsfunction`` again after a transient failure."""
    return wsfunction in READ_ONLY_FUNCTIONS


_RNG = random.Random()


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff with jitter for reads.

    ``max_attempts`` counts the first request (1 = never retry). The wait before retry ``n``
    (1-based) is ``min(max_delay, base_delay * 2 ** (n - 1))``, scaled by a random factor in
    [0.5, 1] so that many workers hitting a restarted Moodle do not retry in step.
    """

    max_attempts: int = 3
    base_delay: float = 0.5
    max_delay: float = 8.0

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        if self.base_delay < 0 or self.max_delay < 0:
            raise ValueError("delays cannot be negative")

    def delay(self, retry_number: int, rng: random.Random | None = None) -> float:
        """Seconds to wait before retry ``retry_number`` (1 for the first retry)."""
        ceiling = min(self.max_delay, self.base_delay * 2.0 ** (retry_number - 1))
        jitter = (rng or _RNG).uniform(0.5, 1.0)
        return ceiling * jitter

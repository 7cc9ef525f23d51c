"""core_cohort and core_group: cohorts, groups and groupings."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from moodle_client.api.base import ApiBase, expect_null, listing
from moodle_client.types.cohorts import Cohort, CohortMember, CohortMembers, Group, Grouping
from moodle_client.types.common import MoodleWarning, warnings_from


class CohortsApi(ApiBase):
    def search_cohorts(self, query: str, *, limit: int = 25) -> tuple[Cohort, ...]:
        """Cohorts whose name or id number contains ``query``, in every context.

        https://docs.moodle.org/dev/Web_service_API_functions#core_cohort_search_cohorts
        """

        def parse(answer: Any) -> tuple[Cohort, ...]:
            return tuple(Cohort.from_json(item) for item in answer["cohorts"])

        return self._fetch(
            "core_cohort_search_cohorts",
            {
                "query": query,
                "context": {"contextlevel": "system", "instanceid": 0},
                "includes": "all",
                "limitfrom": 0,
                "limitnum": limit,
            },
            parse,
        )

    def get_cohorts(self, cohortids: Sequence[int] = ()) -> tuple[Cohort, ...]:
        """The cohorts ``cohortids``, or every cohort when none is given.

        https://docs.moodle.org/dev/Web_service_API_functions#core_cohort_get_cohorts
        """
        return self._fetch(
            "core_cohort_get_cohorts", {"cohortids": list(cohortids)}, listing(Cohort.from_json)
        )

    def get_cohort_members(self, cohortids: Sequence[int]) -> tuple[CohortMembers, ...]:
        """The user ids of each cohort.

        https://docs.moodle.org/dev/Web_service_API_functions#core_cohort_get_cohort_members
        """
        return self._fetch(
            "core_cohort_get_cohort_members",
            {"cohortids": list(cohortids)},
            listing(CohortMembers.from_json),
        )

    def add_cohort_members(self, members: Sequence[CohortMember]) -> tuple[MoodleWarning, ...]:
        """Add users to cohorts; each line that fails (unknown cohort or user) is a warning,
        the others are added.

        https://docs.moodle.org/dev/Web_service_API_functions#core_cohort_add_cohort_members
        """
        return self._fetch(
            "core_cohort_add_cohort_members",
            {"members": [member.as_params() for member in members]},
            warnings_from,
        )


class GroupsApi(ApiBase):
    def get_course_groups(self, courseid: int) -> tuple[Group, ...]:
        """The groups of a course.

        https://docs.moodle.org/dev/Web_service_API_functions#core_group_get_course_groups
        """
        return self._fetch(
            "core_group_get_course_groups", {"courseid": courseid}, listing(Group.from_json)
        )

    def create_group(
        self, courseid: int, name: str, *, idnumber: str | None = None, description: str = ""
    ) -> Group:
        """Create a group in a course.

        https://docs.moodle.org/dev/Web_service_API_functions#core_group_create_groups
        """
        group = {
            "courseid": courseid,
            "name": name,
            "description": description,
            # Sent even when empty, as for groupings: Moodle's answer must carry an idnumber.
            "idnumber": idnumber or "",
        }
        return self._fetch(
            "core_group_create_groups", {"groups": [group]}, listing(Group.from_json)
        )[0]

    def add_group_members(self, groupid: int, userids: Sequence[int]) -> None:
        """Put enrolled users in a group.

        https://docs.moodle.org/dev/Web_service_API_functions#core_group_add_group_members
        """
        members = [{"groupid": groupid, "userid": userid} for userid in userids]
        self._fetch("core_group_add_group_members", {"members": members}, expect_null)

    def get_course_groupings(self, courseid: int) -> tuple[Grouping, ...]:
        """The groupings of a course.

        https://docs.moodle.org/dev/Web_service_API_functions#core_group_get_course_groupings
        """
        return self._fetch(
            "core_group_get_course_groupings", {"courseid": courseid}, listing(Grouping.from_json)
        )

    def create_grouping(
        self, courseid: int, name: str, *, idnumber: str | None = None, description: str = ""
    ) -> Grouping:
        """Create a grouping in a course.

        https://docs.moodle.org/dev/Web_service_API_functions#core_group_create_groupings
        """
        grouping = {
            "courseid": courseid,
            "name": name,
            "description": description,
            # Always sent: without it Moodle 5.0 creates the grouping, then answers
            # invalidresponse because its answer lacks the idnumber.
            "idnumber": idnumber or "",
        }
        return self._fetch(
            "core_group_create_groupings", {"groupings": [grouping]}, listing(Grouping.from_json)
        )[0]

    def assign_grouping(self, groupingid: int, groupids: Sequence[int]) -> None:
        """Put groups in a grouping.

        https://docs.moodle.org/dev/Web_service_API_functions#core_group_assign_grouping
        """
        assignments = [{"groupingid": groupingid, "groupid": groupid} for groupid in groupids]
        self._fetch("core_group_assign_grouping", {"assignments": assignments}, expect_null)

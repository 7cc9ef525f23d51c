"""core_enrol, enrol_manual, core_role, core_user: who is in a course and with which role."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict

from moodle_client.api.base import ApiBase, expect_null, listing
from moodle_client.encoding import name_value_list
from moodle_client.types.users import (
    EnrolledUser,
    ManualEnrolment,
    NewUser,
    RoleAssignment,
    UserCourse,
    UserRef,
)


class EnrolmentsApi(ApiBase):
    def get_enrolled_users(
        self,
        courseid: int,
        *,
        groupid: int | None = None,
        onlyactive: bool = False,
        userfields: Sequence[str] | None = None,
    ) -> tuple[EnrolledUser, ...]:
        """The users enrolled in a course, with their roles and groups.

        ``userfields`` limits the fields Moodle returns (faster on big courses); the
        dataclass fields Moodle leaves out read as empty.
        https://docs.moodle.org/dev/Web_service_API_functions#core_enrol_get_enrolled_users
        """
        options = name_value_list(
            {
                "groupid": groupid,
                "onlyactive": onlyactive or None,
                "userfields": ",".join(userfields) if userfields else None,
            }
        )
        return self._fetch(
            "core_enrol_get_enrolled_users",
            {"courseid": courseid, "options": options},
            listing(EnrolledUser.from_json),
        )

    def get_user_courses(self, userid: int) -> tuple[UserCourse, ...]:
        """The courses a user is enrolled in (an unknown user has none).

        https://docs.moodle.org/dev/Web_service_API_functions#core_enrol_get_users_courses
        """
        return self._fetch(
            "core_enrol_get_users_courses", {"userid": userid}, listing(UserCourse.from_json)
        )

    def enrol_users(self, enrolments: Sequence[ManualEnrolment]) -> None:
        """Enrol users through each course's manual enrolment instance, all or none.

        A course without a manual instance, or a missing course, raises ``InvalidParameter``.
        https://docs.moodle.org/dev/Web_service_API_functions#enrol_manual_enrol_users
        """
        self._fetch(
            "enrol_manual_enrol_users",
            {"enrolments": [asdict(enrolment) for enrolment in enrolments]},
            expect_null,
        )

    def unenrol_users(self, enrolments: Sequence[ManualEnrolment]) -> None:
        """Remove manual enrolments (only those: a user also enrolled through a cohort stays).

        https://docs.moodle.org/dev/Web_service_API_functions#enrol_manual_unenrol_users
        """
        lines = [
            {"userid": item.userid, "courseid": item.courseid, "roleid": item.roleid}
            for item in enrolments
        ]
        self._fetch("enrol_manual_unenrol_users", {"enrolments": lines}, expect_null)

    def assign_roles(self, assignments: Sequence[RoleAssignment]) -> None:
        """Give roles in contexts (course, category...).

        https://docs.moodle.org/dev/Web_service_API_functions#core_role_assign_roles
        """
        self._fetch(
            "core_role_assign_roles",
            {"assignments": [asdict(item) for item in assignments]},
            expect_null,
        )

    def unassign_roles(self, assignments: Sequence[RoleAssignment]) -> None:
        """Take roles back; a role the user does not hold is not an error.

        https://docs.moodle.org/dev/Web_service_API_functions#core_role_unassign_roles
        """
        self._fetch(
            "core_role_unassign_roles",
            {"unassignments": [asdict(item) for item in assignments]},
            expect_null,
        )

    def create_users(self, users: Sequence[NewUser]) -> tuple[UserRef, ...]:
        """Create user accounts, all or none.

        https://docs.moodle.org/dev/Web_service_API_functions#core_user_create_users
        """
        return self._fetch(
            "core_user_create_users",
            {"users": [asdict(user) for user in users]},
            listing(UserRef.from_json),
        )

"""Moodle's own tables, read in SQL: what the live portal suite compares the review with.

The web-service checks read what Moodle chooses to show through its API; these read the rows
themselves (tables prefixed ``mdl_``) when ``MOODLE_LIVE_DATABASE`` is a libpq connection
string to the live Moodle's PostgreSQL database. Without it the tests say so in their skip
reason once their web-service checks have passed.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import psycopg
import pytest

SKIP_REASON = (
    "MOODLE_LIVE_DATABASE is not set: the review and Moodle's state after were compared "
    "through web services only, not with Moodle's database"
)
COURSE_CONTEXT = 50


@dataclass(frozen=True)
class CourseRow:
    shortname: str
    fullname: str
    category: int
    visible: bool
    startdate: int
    enddate: int


class MoodleDatabase:
    """Read-only queries on one Moodle database; every count is of one course's rows."""

    def __init__(self, connection: psycopg.Connection[Any]) -> None:
        self.connection = connection

    def _rows(self, sql: str, *params: Any) -> list[tuple[Any, ...]]:
        # Autocommit: each query sees what Moodle committed up to now.
        with self.connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def _count(self, sql: str, *params: Any) -> int:
        return int(self._rows(sql, *params)[0][0])

    def course(self, courseid: int) -> CourseRow:
        (row,) = self._rows(
            "SELECT shortname, fullname, category, visible, startdate, enddate"
            " FROM mdl_course WHERE id = %s",
            courseid,
        )
        return CourseRow(row[0], row[1], int(row[2]), bool(row[3]), int(row[4]), int(row[5]))

    def forum_posts(self, courseid: int) -> int:
        """Posts in the course's forums, its announcements forum included."""
        return self._count(
            "SELECT COUNT(p.id) FROM mdl_forum_posts p"
            " JOIN mdl_forum_discussions d ON d.id = p.discussion"
            " JOIN mdl_forum f ON f.id = d.forum"
            " WHERE f.course = %s",
            courseid,
        )

    def assign_submissions(self, courseid: int) -> int:
        """Submissions a student started (Moodle's placeholder rows in status "new" aside)."""
        return self._count(
            "SELECT COUNT(s.id) FROM mdl_assign_submission s"
            " JOIN mdl_assign a ON a.id = s.assignment"
            " WHERE a.course = %s AND s.status <> 'new'",
            courseid,
        )

    def assign_grades(self, courseid: int) -> int:
        return self._count(
            "SELECT COUNT(g.id) FROM mdl_assign_grades g"
            " JOIN mdl_assign a ON a.id = g.assignment WHERE a.course = %s",
            courseid,
        )

    def gradebook_grades(self, courseid: int) -> int:
        """Grades with a value in the course's gradebook."""
        return self._count(
            "SELECT COUNT(g.id) FROM mdl_grade_grades g"
            " JOIN mdl_grade_items i ON i.id = g.itemid"
            " WHERE i.courseid = %s AND g.finalgrade IS NOT NULL",
            courseid,
        )

    def modules(self, courseid: int) -> dict[str, int]:
        """How many activities of each type the course holds, its announcements forum aside."""
        return {
            modname: int(count)
            for modname, count in self._rows(
                "SELECT m.name, COUNT(cm.id) FROM mdl_course_modules cm"
                " JOIN mdl_modules m ON m.id = cm.module"
                " LEFT JOIN mdl_forum f ON m.name = 'forum' AND f.id = cm.instance"
                " WHERE cm.course = %s AND cm.deletioninprogress = 0"
                " AND (f.id IS NULL OR f.type <> 'news')"
                " GROUP BY m.name",
                courseid,
            )
        }

    def enrolled_by_method(self, courseid: int) -> dict[str, set[int]]:
        """Who is enrolled through which instance: a cohort sync by the cohort's idnumber, any
        other method by its name ("manual", ...)."""
        found: dict[str, set[int]] = {}
        for name, userid in self._rows(
            "SELECT CASE WHEN e.enrol = 'cohort' THEN c.idnumber ELSE e.enrol END, ue.userid"
            " FROM mdl_user_enrolments ue"
            " JOIN mdl_enrol e ON e.id = ue.enrolid"
            " LEFT JOIN mdl_cohort c ON e.enrol = 'cohort' AND c.id = e.customint1"
            " WHERE e.courseid = %s",
            courseid,
        ):
            found.setdefault(name, set()).add(int(userid))
        return found

    def role_holders(self, courseid: int, role: str) -> set[str]:
        """Usernames holding the role in the course's own context."""
        return {
            username
            for (username,) in self._rows(
                "SELECT DISTINCT u.username FROM mdl_role_assignments ra"
                " JOIN mdl_context ctx ON ctx.id = ra.contextid"
                " JOIN mdl_role r ON r.id = ra.roleid"
                " JOIN mdl_user u ON u.id = ra.userid"
                " WHERE ctx.contextlevel = %s AND ctx.instanceid = %s AND r.shortname = %s",
                COURSE_CONTEXT,
                courseid,
                role,
            )
        }

    def students(self, courseid: int) -> set[int]:
        """Users enrolled in the course who hold the student role in its context."""
        return {
            int(userid)
            for (userid,) in self._rows(
                "SELECT DISTINCT ue.userid FROM mdl_user_enrolments ue"
                " JOIN mdl_enrol e ON e.id = ue.enrolid"
                " JOIN mdl_context ctx ON ctx.contextlevel = %s AND ctx.instanceid = e.courseid"
                " JOIN mdl_role_assignments ra ON ra.contextid = ctx.id AND ra.userid = ue.userid"
                " JOIN mdl_role r ON r.id = ra.roleid"
                " WHERE e.courseid = %s AND r.shortname = 'student'",
                COURSE_CONTEXT,
                courseid,
            )
        }

    def cohort_members(self, idnumber: str) -> int:
        return self._count(
            "SELECT COUNT(m.id) FROM mdl_cohort_members m"
            " JOIN mdl_cohort c ON c.id = m.cohortid WHERE c.idnumber = %s",
            idnumber,
        )

    def cohort_syncs(self, courseid: int) -> set[str]:
        """The idnumbers of the cohorts synced into the course by an enabled instance."""
        return {
            idnumber
            for (idnumber,) in self._rows(
                "SELECT c.idnumber FROM mdl_enrol e JOIN mdl_cohort c ON c.id = e.customint1"
                " WHERE e.courseid = %s AND e.enrol = 'cohort' AND e.status = 0",
                courseid,
            )
        }

    def backup_operations(self, courseid: int) -> list[int]:
        """The plugin's backup operations on the course, oldest first."""
        return [
            int(operationid)
            for (operationid,) in self._rows(
                "SELECT id FROM mdl_local_passage_operation"
                " WHERE courseid = %s AND type = 'backup' ORDER BY id",
                courseid,
            )
        ]

    def operation_contenthash(self, operationid: int) -> str:
        """The content hash of the file a backup operation wrote, from its result."""
        (result,) = self._rows(
            "SELECT result FROM mdl_local_passage_operation WHERE id = %s", operationid
        )[0]
        return str(json.loads(result or "{}").get("contenthash", "")).lower()


def moodle_database_open() -> Iterator[MoodleDatabase | None]:
    """Moodle's database when ``MOODLE_LIVE_DATABASE`` names it, else None."""
    conninfo = os.environ.get("MOODLE_LIVE_DATABASE", "").strip()
    if not conninfo:
        yield None
        return
    with psycopg.connect(conninfo, autocommit=True) as connection:
        yield MoodleDatabase(connection)


def skip_without(database: MoodleDatabase | None) -> MoodleDatabase:
    """The database, or the test ends skipped with the reason: call it where the SQL checks
    start, after the web-service checks ran."""
    if database is None:
        pytest.skip(SKIP_REASON)
    return database

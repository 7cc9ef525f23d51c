"""gradereport_user, mod_forum, core_calendar: grades, announcements and calendar events."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from moodle_client.api.base import ApiBase, listing
from moodle_client.encoding import name_value_list
from moodle_client.errors import NotFound
from moodle_client.types.activities import (
    CalendarEvent,
    CreatedCalendarEvents,
    Forum,
    NewCalendarEvent,
    PostedDiscussion,
    UserGrades,
)
from moodle_client.types.common import warnings_from


class GradesApi(ApiBase):
    def get_grade_items(
        self, courseid: int, *, userid: int | None = None, groupid: int | None = None
    ) -> tuple[UserGrades, ...]:
        """Every grade item of the course with each user's grade (one user with ``userid``).

        ``core_grades_get_grades`` no longer exists in Moodle 5.0; this is its replacement.
        https://docs.moodle.org/dev/Web_service_API_functions#gradereport_user_get_grade_items
        """

        def parse(answer: Any) -> tuple[UserGrades, ...]:
            return tuple(UserGrades.from_json(item) for item in answer["usergrades"])

        return self._fetch(
            "gradereport_user_get_grade_items",
            {"courseid": courseid, "userid": userid, "groupid": groupid},
            parse,
        )


class ForumsApi(ApiBase):
    def get_forums(self, courseids: Sequence[int]) -> tuple[Forum, ...]:
        """The forums of the given courses.

        https://docs.moodle.org/dev/Web_service_API_functions#mod_forum_get_forums_by_courses
        """
        return self._fetch(
            "mod_forum_get_forums_by_courses",
            {"courseids": list(courseids)},
            listing(Forum.from_json),
        )

    def add_discussion(
        self,
        forumid: int,
        subject: str,
        message: str,
        *,
        groupid: int = 0,
        subscribe: bool | None = None,
        pinned: bool | None = None,
    ) -> PostedDiscussion:
        """Start a discussion in a forum (``message`` is HTML).

        https://docs.moodle.org/dev/Web_service_API_functions#mod_forum_add_discussion
        """
        options = name_value_list({"discussionsubscribe": subscribe, "discussionpinned": pinned})

        def parse(answer: Any) -> PostedDiscussion:
            return PostedDiscussion(
                discussionid=int(answer["discussionid"]), warnings=warnings_from(answer)
            )

        return self._fetch(
            "mod_forum_add_discussion",
            {
                "forumid": forumid,
                "subject": subject,
                "message": message,
                "groupid": groupid,
                "options": options,
            },
            parse,
        )

    def post_announcement(self, courseid: int, subject: str, message: str) -> PostedDiscussion:
        """Post in the course's announcements forum (the forum of type ``news``).

        :class:`NotFound` (errorcode ``nonewsforum``) if the course has none: Moodle creates it
        only when someone first opens it.
        """
        forum = next((forum for forum in self.get_forums([courseid]) if forum.type == "news"), None)
        if forum is None:
            raise NotFound(
                f"course {courseid} has no announcements forum",
                errorcode="nonewsforum",
                function="mod_forum_get_forums_by_courses",
            )
        return self.add_discussion(forum.id, subject, message)


class CalendarApi(ApiBase):
    def get_calendar_events(
        self,
        courseids: Sequence[int],
        *,
        timestart: int | None = None,
        timeend: int | None = None,
        include_site_events: bool = False,
    ) -> tuple[CalendarEvent, ...]:
        """The events of the given courses (no user events; site events on request).

        https://docs.moodle.org/dev/Web_service_API_functions#core_calendar_get_calendar_events
        """

        def parse(answer: Any) -> tuple[CalendarEvent, ...]:
            return tuple(CalendarEvent.from_json(item) for item in answer["events"])

        return self._fetch(
            "core_calendar_get_calendar_events",
            {
                "events": {"courseids": list(courseids)},
                "options": {
                    "userevents": False,
                    "siteevents": include_site_events,
                    "timestart": timestart,
                    "timeend": timeend,
                },
            },
            parse,
        )

    def create_calendar_events(self, events: Sequence[NewCalendarEvent]) -> CreatedCalendarEvents:
        """Create calendar events; events Moodle refuses come back as warnings.

        https://docs.moodle.org/dev/Web_service_API_functions#core_calendar_create_calendar_events
        """

        def parse(answer: Any) -> CreatedCalendarEvents:
            return CreatedCalendarEvents(
                events=tuple(CalendarEvent.from_json(item) for item in answer["events"]),
                warnings=warnings_from(answer),
            )

        return self._fetch(
            "core_calendar_create_calendar_events",
            {"events": [event.as_params() for event in events]},
            parse,
        )

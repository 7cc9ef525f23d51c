"""mod_forum, mod_assign, mod_glossary, mod_data, mod_wiki and the plugin's quiz attempts: what
people left in activities, read for a kept copy."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from moodle_client.api.base import ApiBase
from moodle_client.types.activity_data import (
    AssignmentGrades,
    AssignmentSubmissions,
    DatabaseEntry,
    DatabasePage,
    ForumDiscussion,
    ForumPost,
    GlossaryEntry,
    GlossaryPage,
    QuizAttempt,
    Subwiki,
    WikiPage,
)

# Entries read per call from the functions that page their answers.
PAGE_SIZE = 100


class ActivityDataApi(ApiBase):
    def get_forum_discussions(self, forumid: int) -> tuple[ForumDiscussion, ...]:
        """Every discussion of a forum (pinned first, then newest first).

        https://docs.moodle.org/dev/Web_service_API_functions#mod_forum_get_forum_discussions
        """

        def parse(answer: Any) -> tuple[ForumDiscussion, ...]:
            return tuple(ForumDiscussion.from_json(item) for item in answer["discussions"])

        return self._fetch("mod_forum_get_forum_discussions", {"forumid": forumid}, parse)

    def get_discussion_posts(self, discussionid: int) -> tuple[ForumPost, ...]:
        """Every post of a discussion, oldest first, private replies included when the
        token's user may read them.

        https://docs.moodle.org/dev/Web_service_API_functions#mod_forum_get_discussion_posts
        """

        def parse(answer: Any) -> tuple[ForumPost, ...]:
            return tuple(ForumPost.from_json(item) for item in answer["posts"])

        return self._fetch(
            "mod_forum_get_discussion_posts",
            {"discussionid": discussionid, "sortby": "created", "sortdirection": "ASC"},
            parse,
        )

    def get_assign_submissions(
        self, assignmentids: Sequence[int]
    ) -> tuple[AssignmentSubmissions, ...]:
        """The submissions of the given assignments, every attempt.

        https://docs.moodle.org/dev/Web_service_API_functions#mod_assign_get_submissions
        """

        def parse(answer: Any) -> tuple[AssignmentSubmissions, ...]:
            return tuple(AssignmentSubmissions.from_json(item) for item in answer["assignments"])

        return self._fetch(
            "mod_assign_get_submissions", {"assignmentids": list(assignmentids)}, parse
        )

    def get_assign_grades(self, assignmentids: Sequence[int]) -> tuple[AssignmentGrades, ...]:
        """The grades of the given assignments; an assignment without grades is left out (Moodle
        warns ``No grades found`` for it).

        https://docs.moodle.org/dev/Web_service_API_functions#mod_assign_get_grades
        """

        def parse(answer: Any) -> tuple[AssignmentGrades, ...]:
            return tuple(AssignmentGrades.from_json(item) for item in answer["assignments"])

        return self._fetch("mod_assign_get_grades", {"assignmentids": list(assignmentids)}, parse)

    def get_quiz_attempts(self, quizid: int) -> tuple[QuizAttempt, ...]:
        """Every attempt at a quiz, previews and former participants' included (core's
        ``mod_quiz_get_user_attempts`` answers one user at a time, and only for users one can
        name).

        local_passage_get_quiz_attempts, see API.md § Kept copy.
        """

        def parse(answer: Any) -> tuple[QuizAttempt, ...]:
            return tuple(QuizAttempt.from_json(item) for item in answer["attempts"])

        return self._fetch("local_passage_get_quiz_attempts", {"quizid": quizid}, parse)

    def get_glossary_entries(self, glossaryid: int) -> tuple[GlossaryEntry, ...]:
        """Every entry of a glossary, those waiting for approval included, read page by page.

        https://docs.moodle.org/dev/Web_service_API_functions#mod_glossary_get_entries_by_letter
        """
        entries: list[GlossaryEntry] = []
        while True:
            page = self._fetch(
                "mod_glossary_get_entries_by_letter",
                {
                    "id": glossaryid,
                    "letter": "ALL",
                    "from": len(entries),
                    "limit": PAGE_SIZE,
                    "options": {"includenotapproved": True},
                },
                GlossaryPage.from_json,
            )
            entries.extend(page.entries)
            if not page.entries or len(entries) >= page.count:
                return tuple(entries)

    def get_database_entries(self, databaseid: int) -> tuple[DatabaseEntry, ...]:
        """Every entry of a database activity with its fields' values, page by page.

        https://docs.moodle.org/dev/Web_service_API_functions#mod_data_get_entries
        """
        entries: list[DatabaseEntry] = []
        while True:
            page = self._fetch(
                "mod_data_get_entries",
                {
                    "databaseid": databaseid,
                    "returncontents": True,
                    "page": len(entries) // PAGE_SIZE,
                    "perpage": PAGE_SIZE,
                },
                DatabasePage.from_json,
            )
            entries.extend(page.entries)
            if len(page.entries) < PAGE_SIZE or len(entries) >= page.totalcount:
                return tuple(entries)

    def get_wiki_pages(self, wikiid: int) -> tuple[WikiPage, ...]:
        """Every page of every subwiki of a wiki, with its content.

        https://docs.moodle.org/dev/Web_service_API_functions#mod_wiki_get_subwikis and
        #mod_wiki_get_subwiki_pages
        """
        subwikis = self._fetch(
            "mod_wiki_get_subwikis",
            {"wikiid": wikiid},
            lambda answer: tuple(Subwiki.from_json(item) for item in answer["subwikis"]),
        )
        pages: list[WikiPage] = []
        for subwiki in subwikis:
            pages.extend(
                self._fetch(
                    "mod_wiki_get_subwiki_pages",
                    {
                        "wikiid": wikiid,
                        "groupid": subwiki.groupid,
                        "userid": subwiki.userid,
                        "options": {"includecontent": True},
                    },
                    lambda answer: tuple(WikiPage.from_json(item) for item in answer["pages"]),
                )
            )
        return tuple(pages)

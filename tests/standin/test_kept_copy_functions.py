"""The functions a kept copy reads, answered as Moodle 5.0 answers them (mod_forum's post
exporter, mod_assign's external API) and as the companion plugin's quiz attempts do."""

from __future__ import annotations

import pytest

from moodle_client import MoodleClient
from moodle_client.errors import MoodleError
from tests.conftest import StartStandin
from tests.standin.test_core_functions import Moodle

pytestmark = pytest.mark.keep_copy

# The keys of a post in a real Moodle 5.0's answer (its exporter declares a "label" it does
# not send, and sends "messageinlinefiles" even when not asked for inline attachments).
POST_KEYS = {
    "id", "subject", "replysubject", "message", "messageformat", "author", "discussionid",
    "hasparent", "parentid", "timecreated", "timemodified", "unread", "isdeleted",
    "isprivatereply", "haswordcount", "wordcount", "charcount", "capabilities", "urls",
    "attachments", "messageinlinefiles", "tags", "html",
}  # fmt: skip
AUTHOR_KEYS = {"id", "fullname", "isdeleted", "groups", "urls"}


@pytest.fixture
def small(start_standin: StartStandin) -> Moodle:
    return Moodle(start_standin("small"))


def course_id(moodle: Moodle, shortname: str) -> int:
    found = moodle("core_course_get_courses_by_field", field="shortname", value=shortname)
    return int(found["courses"][0]["id"])


def forum_of(moodle: Moodle, courseid: int, name: str) -> dict:
    return next(
        f for f in moodle("mod_forum_get_forums_by_courses", courseids=[courseid])
        if f["name"] == name
    )  # fmt: skip


def test_discussion_posts_answer_as_the_post_exporter_newest_first_by_default(small) -> None:
    courseid = course_id(small, "CHIM231-2025")
    forum = forum_of(small, courseid, "Forum d'entraide")
    discussions = small("mod_forum_get_forum_discussions", forumid=forum["id"])["discussions"]
    discussion = discussions[0]

    answer = small("mod_forum_get_discussion_posts", discussionid=discussion["discussion"])

    assert set(answer) == {"posts", "forumid", "courseid", "ratinginfo", "warnings"}
    assert answer["forumid"] == forum["id"] and answer["courseid"] == courseid
    posts = answer["posts"]
    assert len(posts) == discussion["numreplies"] + 1
    assert all(set(post) == POST_KEYS for post in posts)
    assert all(set(post["author"]) == AUTHOR_KEYS for post in posts)
    created = [post["timecreated"] for post in posts]
    assert created == sorted(created, reverse=True)
    first = next(post for post in posts if not post["hasparent"])
    assert first["id"] == discussion["id"] and first["parentid"] is None
    assert first["urls"]["split"] is None and first["capabilities"]["split"] is False
    assert all(post["replysubject"] == post["subject"] for post in posts)
    author = first["author"]["fullname"]
    assert first["html"]["authorsubheading"].startswith(f'by <a href="{small.server.url}/user/')
    assert f">{author}</a> - <time datetime=" in first["html"]["authorsubheading"]
    assert all(p["parentid"] == first["id"] for p in posts if p["hasparent"])
    ascending = small(
        "mod_forum_get_discussion_posts",
        discussionid=discussion["discussion"],
        sortby="created",
        sortdirection="asc",
    )["posts"]
    assert [p["timecreated"] for p in ascending] == sorted(created)


def test_discussion_posts_refuse_a_bad_sort_and_an_unknown_discussion(small) -> None:
    courseid = course_id(small, "CHIM231-2025")
    forum = forum_of(small, courseid, "Forum d'entraide")
    discussion = small("mod_forum_get_forum_discussions", forumid=forum["id"])["discussions"][0]
    bad = small(
        "mod_forum_get_discussion_posts", discussionid=discussion["discussion"], sortby="author"
    )
    assert bad["errorcode"] == "invalidparameter"
    # Moodle 5.0 fails in PHP on an unknown discussion: no error code.
    missing = small("mod_forum_get_discussion_posts", discussionid=999999)
    assert missing == {
        "exception": "Error",
        "message": "Call to a member function get_forum_id() on null",
    }
    with pytest.raises(MoodleError, match="get_forum_id"):
        MoodleClient(small.server.url, "admin").get_discussion_posts(999999)


def test_assignment_submissions_and_grades_with_no_grades_found_as_a_warning(small) -> None:
    courseid = course_id(small, "CHIM231-2025")
    contents = small("core_course_get_contents", courseid=courseid)
    assign = next(m for s in contents for m in s["modules"] if m["modname"] == "assign")

    submissions = small("mod_assign_get_submissions", assignmentids=[assign["instance"]])
    grades = small("mod_assign_get_grades", assignmentids=[assign["instance"], 999999])

    [listed] = submissions["assignments"]
    assert submissions["warnings"] == []
    assert listed["assignmentid"] == assign["instance"]
    assert listed["submissions"] and all(s["status"] == "submitted" for s in listed["submissions"])
    [graded] = grades["assignments"]
    assert {g["userid"] for g in graded["grades"]} == {s["userid"] for s in listed["submissions"]}
    assert all(g["grade"].count(".") == 1 and len(g["grade"].split(".")[1]) == 5
               for g in graded["grades"])  # fmt: skip
    assert grades["warnings"] == [
        {"item": "assignment", "itemid": 999999, "warningcode": "3",
         "message": "No grades found"}
    ]  # fmt: skip


def test_quiz_attempts_include_those_of_students_no_longer_enrolled(small) -> None:
    site = small.server.site
    courseid = course_id(small, "CHIM231-2025")
    contents = small("core_course_get_contents", courseid=courseid)
    quiz = next(m for s in contents for m in s["modules"] if m["modname"] == "quiz")
    enrolled = {u["id"] for u in small("core_enrol_get_enrolled_users", courseid=courseid)}

    attempts = small("local_passage_get_quiz_attempts", quizid=quiz["instance"])["attempts"]

    stored = [r for r in site.user_data_of(cmid=quiz["id"], kind="attempts")]
    assert len(attempts) == len(stored)
    assert {a["userid"] for a in attempts} - enrolled  # a former student's attempt
    assert all(a["userfullname"] == site.users[a["userid"]].fullname for a in attempts)
    assert all(a["attempt"] == 1 and a["state"] == "finished" for a in attempts)


def test_quiz_attempts_of_an_unknown_quiz_are_a_missing_record(small) -> None:
    missing = small("local_passage_get_quiz_attempts", quizid=999999)
    assert missing["exception"] == "dml_missing_record_exception"
    assert missing["errorcode"] == "invalidrecordunknown"


def test_an_assignment_without_submissions_is_listed_with_a_warning(small) -> None:
    courseid = course_id(small, "CHIM231-2025")
    unused = small.server.site.add_module(courseid, "assign", "Devoir sans rendu", section=1)

    answer = small("mod_assign_get_submissions", assignmentids=[unused.instance, 999999])

    # As a real Moodle 5.0 answers: the unknown id is left out without a word.
    assert answer == {
        "assignments": [{"assignmentid": unused.instance, "submissions": []}],
        "warnings": [
            {"item": "module", "itemid": unused.instance, "warningcode": "3",
             "message": "No submissions found"}
        ],
    }  # fmt: skip


def module_of(moodle: Moodle, courseid: int, modname: str) -> dict:
    contents = moodle("core_course_get_contents", courseid=courseid)
    return next(m for s in contents for m in s["modules"] if m["modname"] == modname)


# mod_glossary_external::get_entry_return_structure() (Moodle 5.0), without the optional
# definitioninlinefiles (sent only when the entry has inline files).
GLOSSARY_ENTRY_KEYS = {
    "id", "glossaryid", "userid", "userfullname", "userpictureurl", "concept", "definition",
    "definitionformat", "definitiontrust", "attachment", "attachments", "timecreated",
    "timemodified", "teacherentry", "sourceglossaryid", "usedynalink", "casesensitive",
    "fullmatch", "approved", "tags",
}  # fmt: skip


def test_glossary_entries_by_letter_are_paged_and_counted(small) -> None:
    site = small.server.site
    courseid = course_id(small, "CHIM231-2025")
    glossary = module_of(small, courseid, "glossary")
    stored = list(site.user_data_of(cmid=glossary["id"], kind="entries"))

    first = small(
        "mod_glossary_get_entries_by_letter",
        id=glossary["instance"],
        letter="ALL",
        limit=2,
        options={"includenotapproved": 1},
    )
    rest = small(
        "mod_glossary_get_entries_by_letter",
        id=glossary["instance"],
        letter="ALL",
        **{"from": 2},
        limit=100,
    )

    assert first["count"] == len(stored) and len(first["entries"]) == 2
    assert all(set(entry) == GLOSSARY_ENTRY_KEYS for entry in first["entries"])
    ids = [e["id"] for e in first["entries"] + rest["entries"]]
    assert sorted(ids) == sorted(r.id for r in stored)
    assert set(first) == {"count", "entries", "ratinginfo", "warnings"}
    none = small("mod_glossary_get_entries_by_letter", id=glossary["instance"], letter="Z")
    assert none["count"] == 0 and none["entries"] == []


def test_database_entries_with_their_contents(small) -> None:
    site = small.server.site
    courseid = course_id(small, "CHIM231-2025")
    database = module_of(small, courseid, "data")
    stored = list(site.user_data_of(cmid=database["id"], kind="entries"))

    answer = small("mod_data_get_entries", databaseid=database["instance"], returncontents=1)
    bare = small("mod_data_get_entries", databaseid=database["instance"], page=0, perpage=2)

    assert answer["totalcount"] == len(stored) == len(answer["entries"])
    assert all(entry["contents"][0]["content"] == "H2O" for entry in answer["entries"])
    assert "listviewcontents" in answer and "listviewcontents" not in bare
    assert len(bare["entries"]) == 2 and "contents" not in bare["entries"][0]
    refused = small("mod_data_get_entries", databaseid=database["instance"], order="UP")
    assert refused["errorcode"] == "invalidparameter"


def test_wiki_subwikis_and_their_pages(small) -> None:
    site = small.server.site
    courseid = course_id(small, "CHIM231-2025")
    wiki = module_of(small, courseid, "wiki")
    stored = list(site.user_data_of(cmid=wiki["id"], kind="pages"))

    [subwiki] = small("mod_wiki_get_subwikis", wikiid=wiki["instance"])["subwikis"]
    pages = small(
        "mod_wiki_get_subwiki_pages",
        wikiid=wiki["instance"],
        groupid=subwiki["groupid"],
        userid=subwiki["userid"],
    )["pages"]

    assert subwiki["wikiid"] == wiki["instance"]
    assert sorted(p["id"] for p in pages) == sorted(r.id for r in stored)
    titles = [p["title"] for p in pages]
    assert titles == sorted(titles, key=str.lower)
    assert all("cachedcontent" in p for p in pages)
    assert sum(p["firstpage"] for p in pages) == 1


@pytest.mark.parametrize(
    ("function", "params", "errorcode"),
    [
        ("mod_glossary_get_entries_by_letter", {"id": 999999, "letter": "ALL"},
         "invalidrecordunknown"),
        ("mod_data_get_entries", {"databaseid": 999999}, "invalidrecordunknown"),
        ("mod_wiki_get_subwikis", {"wikiid": 999999}, "incorrectwikiid"),
        ("mod_wiki_get_subwiki_pages", {"wikiid": 999999}, "incorrectwikiid"),
    ],
)  # fmt: skip
def test_an_unknown_activity_is_refused_as_a_real_moodle_refuses_it(
    small, function, params, errorcode
) -> None:
    answer = small(function, **params)
    assert answer["errorcode"] == errorcode
    if errorcode == "incorrectwikiid":
        assert answer == {
            "exception": "core\\exception\\moodle_exception",
            "errorcode": "incorrectwikiid",
            "message": "Wiki ID is incorrect.",
        }

"""mod_forum: forums of courses, their discussions, starting a discussion.

A discussion is a user-data record of kind `discussions` (`data`: name, pinned); each post one
of kind `posts` whose `itemid` is its discussion (`data`: subject, message, parent).
"""

from __future__ import annotations

import datetime
from typing import Any

from moodle_client.standin.functions.common import user_picture_url, validate_course_context
from moodle_client.standin.registry import (
    Bool,
    Call,
    Int,
    List,
    MoodleError,
    Str,
    Struct,
    invalid_parameter,
    missing_record_by_id,
    moodle_exception,
    webservice,
)
from moodle_client.standin.site import CourseModule, Site, UserDataRecord, now

DISCUSSION_OPTIONS = (
    "discussionsubscribe",
    "discussionpinned",
    "inlineattachmentsid",
    "attachmentsid",
)
# mod_forum's discussion list sort orders (-1 = the default).
SORT_ORDERS = frozenset({-1, *range(1, 13)})


def forum_record(site: Site, module: CourseModule) -> dict[str, Any]:
    discussions = [r for r in site.user_data_of(cmid=module.id, kind="discussions")]
    return {
        "id": module.instance,
        "course": module.course,
        "type": module.settings.get("type", "general"),
        "name": module.name,
        "intro": module.intro,
        "introformat": module.introformat,
        "introfiles": [],
        "lang": "",
        "duedate": 0,
        "cutoffdate": 0,
        "assessed": 0,
        "assesstimestart": 0,
        "assesstimefinish": 0,
        "scale": 0,
        "grade_forum": 0,
        "grade_forum_notify": 0,
        "maxbytes": 0,
        "maxattachments": 1,
        "forcesubscribe": 1 if module.settings.get("type") == "news" else 0,
        "trackingtype": 1,
        "rsstype": 0,
        "rssarticles": 0,
        "timemodified": module.added,
        "warnafter": 0,
        "blockafter": 0,
        "blockperiod": 0,
        "completiondiscussions": 0,
        "completionreplies": 0,
        "completionposts": 0,
        "cmid": module.id,
        "numdiscussions": len(discussions),
        "cancreatediscussions": True,
        "lockdiscussionafter": 0,
        "istracked": False,
    }


@webservice(
    "mod_forum_get_forums_by_courses",
    params={"courseids": List(Int(), default=[])},
    read_only=True,
)
def get_forums_by_courses(call: Call, params: dict[str, Any]) -> list[dict[str, Any]]:
    """Forums of the given courses, or of every course the user is enrolled in."""
    site = call.site
    courseids = params["courseids"] or [
        c for c in sorted(site.courses) if site.is_enrolled(c, call.user.id)
    ]
    answer = []
    for courseid in courseids:
        if courseid not in site.courses or not site.can_access_course(call.user.id, courseid):
            continue
        for module in sorted(site.course_modules_of(courseid), key=lambda m: -m.instance):
            if module.modname == "forum":
                answer.append(forum_record(site, module))
    return answer


def _forum(site: Site, forumid: int) -> CourseModule:
    module = site.module_by_instance("forum", forumid)
    if module is None:
        raise missing_record_by_id("forum", forumid)
    return module


def add_discussion(
    site: Site,
    module: CourseModule,
    userid: int,
    subject: str,
    message: str,
    *,
    groupid: int = -1,
    pinned: bool = False,
    timecreated: int | None = None,
) -> UserDataRecord:
    """Starts a discussion with its first post."""
    created = now() if timecreated is None else timecreated
    discussion = site.add_user_data(
        "discussions",
        courseid=module.course,
        cmid=module.id,
        userid=userid,
        timecreated=created,
        groupid=groupid,
        data={"name": subject, "pinned": pinned},
    )
    site.add_user_data(
        "posts",
        courseid=module.course,
        cmid=module.id,
        userid=userid,
        timecreated=created,
        itemid=discussion.id,
        data={"subject": subject, "message": message, "parent": 0},
    )
    return discussion


@webservice(
    "mod_forum_add_discussion",
    params={
        "forumid": Int(),
        "subject": Str(),
        "message": Str(),
        "groupid": Int(default=0),
        "options": List(Struct({"name": Str("alphanumext"), "value": Str()}), default=[]),
    },
)
def add_discussion_ws(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    """Starts a discussion in a forum."""
    site = call.site
    pinned = False
    for option in params["options"]:
        name = option["name"].strip()
        if name not in DISCUSSION_OPTIONS:
            raise moodle_exception("errorinvalidparam", f'The param "{name}" is invalid.')
        if name == "discussionpinned":
            pinned = option["value"].strip() not in ("", "0")
    module = _forum(site, params["forumid"])
    validate_course_context(call, site.courses[module.course])
    call.require_capability("mod/forum:startdiscussion", module.contextid)
    discussion = add_discussion(
        site,
        module,
        call.user.id,
        params["subject"],
        params["message"],
        groupid=params["groupid"] or -1,
        pinned=pinned,
    )
    return {"discussionid": discussion.id, "warnings": []}


@webservice(
    "mod_forum_get_forum_discussions",
    params={
        "forumid": Int(),
        "sortorder": Int(default=-1),
        "page": Int(default=-1),
        "perpage": Int(default=0),
        "groupid": Int(default=0),
    },
    read_only=True,
)
def get_forum_discussions(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    """A forum's discussions, newest first, each with its first post."""
    site = call.site
    if params["sortorder"] not in SORT_ORDERS:
        raise invalid_parameter(
            f"Invalid value for sortorder parameter (value: {params['sortorder']})"
        )
    module = _forum(site, params["forumid"])
    validate_course_context(call, site.courses[module.course])
    discussions = sorted(
        site.user_data_of(cmid=module.id, kind="discussions"),
        key=lambda d: (not d.data.get("pinned"), -d.timecreated, -d.id),
    )
    if params["page"] >= 0 and params["perpage"] > 0:
        start = params["page"] * params["perpage"]
        discussions = discussions[start : start + params["perpage"]]
    posts = list(site.user_data_of(cmid=module.id, kind="posts"))
    answer = []
    for discussion in discussions:
        thread = sorted((p for p in posts if p.itemid == discussion.id), key=lambda p: p.id)
        first = thread[0] if thread else None
        last = thread[-1] if thread else None
        author = site.users.get(discussion.userid)
        modifier = site.users.get(last.userid if last else discussion.userid)
        answer.append(
            {
                "id": first.id if first else discussion.id,
                "name": discussion.data.get("name", ""),
                "groupid": discussion.groupid or -1,
                "timemodified": last.timecreated if last else discussion.timecreated,
                "usermodified": modifier.id if modifier else 0,
                "timestart": 0,
                "timeend": 0,
                "discussion": discussion.id,
                "parent": 0,
                "userid": discussion.userid,
                "created": discussion.timecreated,
                "modified": last.timecreated if last else discussion.timecreated,
                "mailed": 0,
                "subject": first.data.get("subject", "") if first else "",
                "message": first.data.get("message", "") if first else "",
                "messageformat": 1,
                "messagetrust": 0,
                "attachment": False,
                "totalscore": 0,
                "mailnow": 0,
                "userfullname": author.fullname if author else "",
                "usermodifiedfullname": modifier.fullname if modifier else "",
                "userpictureurl": user_picture_url(site, "f2"),
                "usermodifiedpictureurl": user_picture_url(site, "f2"),
                "numreplies": max(len(thread) - 1, 0),
                "numunread": 0,
                "pinned": bool(discussion.data.get("pinned")),
                "locked": False,
                "starred": False,
                "canreply": True,
                "canlock": True,
                "canfavourite": True,
            }
        )
    return {"discussions": answer, "warnings": []}


def _post_record(
    site: Site, module: CourseModule, discussion: UserDataRecord, post: UserDataRecord
) -> dict[str, Any]:
    """One post as mod_forum's post exporter writes it for a user who may do everything."""
    author = site.users.get(post.userid)
    subject = str(post.data.get("subject", ""))
    parent = int(post.data.get("parent") or 0)
    discuss = f"{site.wwwroot}/mod/forum/discuss.php?d={discussion.id}"
    profile = f"{site.wwwroot}/user/view.php?id={post.userid}&course={module.course}"
    moment = datetime.datetime.fromtimestamp(post.timecreated, tz=datetime.UTC)
    subheading = (
        f'by <a href="{profile}">{author.fullname if author else ""}</a> - '
        f'<time datetime="{moment.isoformat()}">'
        f"{moment.strftime('%A, %-d %B %Y, %-I:%M %p')}</time>"
    )
    return {
        "id": post.id,
        "subject": subject,
        "replysubject": subject,
        "message": str(post.data.get("message", "")),
        "messageformat": 1,
        "author": {
            "id": post.userid,
            "fullname": author.fullname if author else "",
            "isdeleted": False,
            "groups": [],
            "urls": {
                "profile": profile,
                "profileimage": user_picture_url(site, "f1"),
            },
        },
        "discussionid": discussion.id,
        "hasparent": bool(parent),
        "parentid": parent or None,
        "timecreated": post.timecreated,
        "timemodified": post.timecreated,
        "unread": None,
        "isdeleted": False,
        "isprivatereply": False,
        "haswordcount": False,
        "wordcount": None,
        "charcount": None,
        "capabilities": {
            "view": True,
            "edit": True,
            "delete": True,
            "split": bool(parent),
            "reply": True,
            "selfenrol": False,
            "export": False,
            "controlreadstatus": False,
            "canreplyprivately": True,
        },
        "urls": {
            "view": f"{discuss}#p{post.id}",
            "viewisolated": f"{discuss}&parent={post.id}",
            "viewparent": f"{discuss}#p{parent}" if parent else None,
            "edit": f"{site.wwwroot}/mod/forum/post.php?edit={post.id}",
            "delete": f"{site.wwwroot}/mod/forum/post.php?delete={post.id}",
            "split": f"{site.wwwroot}/mod/forum/post.php?prune={post.id}" if parent else None,
            "reply": f"{site.wwwroot}/mod/forum/post.php?reply={post.id}#mformforum",
            "export": None,
            "markasread": None,
            "markasunread": None,
            "discuss": discuss,
        },
        "attachments": [],
        "messageinlinefiles": [],
        "tags": [],
        "html": {"rating": None, "taglist": None, "authorsubheading": subheading},
    }


POST_SORTS = ("id", "created", "modified")


class PhpError(MoodleError):
    """A PHP error inside a function, as the REST server prints it: no error code."""

    def __init__(self, message: str) -> None:
        super().__init__("Error", "", message)

    def as_dict(self, *, debug: bool) -> dict[str, str]:
        return {"exception": self.exception, "message": self.message}


@webservice(
    "mod_forum_get_discussion_posts",
    params={
        "discussionid": Int(),
        "sortby": Str("alpha", default="created"),
        "sortdirection": Str("alpha", default="DESC"),
        "includeinlineattachments": Bool(default=False),
    },
    read_only=True,
)
def get_discussion_posts(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    """The posts of a discussion, sorted as asked (created DESC by default)."""
    site = call.site
    discussion = site.user_data.get(params["discussionid"])
    if discussion is None or discussion.kind != "discussions":
        # Moodle 5.0 does not check the discussion exists: PHP fails on it.
        raise PhpError("Call to a member function get_forum_id() on null")
    module = site.course_modules[discussion.cmid]
    validate_course_context(call, site.courses[module.course])
    sortby = params["sortby"]
    if sortby.lower() not in POST_SORTS:
        raise invalid_parameter(
            f"Invalid value for sortby parameter (value: {sortby}),"
            f"allowed values are: {', '.join(POST_SORTS)}"
        )
    direction = params["sortdirection"].upper()
    if direction not in ("ASC", "DESC"):
        raise invalid_parameter(
            f"Invalid value for sortdirection parameter (value: {direction}),"
            "allowed values are: ASC,DESC"
        )
    posts = [
        p for p in site.user_data_of(cmid=module.id, kind="posts") if p.itemid == discussion.id
    ]
    key = (lambda p: p.id) if sortby.lower() == "id" else (lambda p: (p.timecreated, p.id))
    posts.sort(key=key, reverse=direction == "DESC")
    return {
        "posts": [_post_record(site, module, discussion, post) for post in posts],
        "forumid": module.instance,
        "courseid": module.course,
        "ratinginfo": {
            "contextid": module.contextid,
            "component": "mod_forum",
            "ratingarea": "post",
            "canviewall": None,
            "canviewany": None,
            "scales": [],
            "ratings": [],
        },
        "warnings": [],
    }

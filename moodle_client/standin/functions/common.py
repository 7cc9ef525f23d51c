"""Helpers the core functions share: record lookups that fail as Moodle does, URLs, and the
course-context check of `external_api::validate_context`."""

from __future__ import annotations

from moodle_client.standin.registry import Call, MoodleError, missing_record_by_id, moodle_exception
from moodle_client.standin.site import Course, Site

THEME_REVISION = "1795421050"


def course_or_missing(site: Site, courseid: int) -> Course:
    """The course, or `dml_missing_record_exception` as `get_record(..., MUST_EXIST)`."""
    course = site.courses.get(courseid)
    if course is None:
        raise missing_record_by_id("course", courseid)
    return course


def invalid_course_id() -> MoodleError:
    return moodle_exception("invalidcourseid", "You are trying to use an invalid course ID")


def validate_course_context(call: Call, course: Course) -> None:
    """What `external_api::validate_context()` checks for a course context."""
    if not call.site.can_access_course(call.user.id, course.id):
        raise moodle_exception(
            "errorcoursecontextnotvalid",
            f"You cannot execute functions in the course context (course id:{course.id}). "
            "The context error message was: Course or activity not accessible.",
        )


def user_picture_url(site: Site, size: str = "f1") -> str:
    return f"{site.wwwroot}/theme/image.php/boost/core/{THEME_REVISION}/u/{size}"


def course_image_url(site: Site, course: Course) -> str:
    return f"{site.wwwroot}/pluginfile.php/{course.contextid}/course/generated/course.svg"

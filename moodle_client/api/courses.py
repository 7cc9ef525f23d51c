"""core_course: find, create, update, copy, import and delete courses; categories; contents."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from moodle_client.api.base import ApiBase, expect_null, listing, raise_for_warning
from moodle_client.encoding import name_value_list
from moodle_client.errors import NotFound
from moodle_client.transport import Timeout
from moodle_client.types.common import MoodleWarning, warnings_from
from moodle_client.types.courses import (
    Category,
    CategoryRef,
    Course,
    CourseRef,
    CourseSearchResult,
    CourseSection,
    NewCourse,
)


def _courses(answer: Any) -> tuple[Course, ...]:
    return tuple(Course.from_json(item) for item in answer["courses"])


class CoursesApi(ApiBase):
    # Reading courses

    def _courses_by_field(self, field: str, value: str | int) -> tuple[Course, ...]:
        # Called without a field, Moodle lists every course including the site course (id 1);
        # every caller here names one.
        return self._fetch(
            "core_course_get_courses_by_field", {"field": field, "value": value}, _courses
        )

    def get_course(self, courseid: int) -> Course:
        """The course ``courseid``; :class:`NotFound` if it does not exist.

        Moodle answers an empty list for a missing course, not an error.
        https://docs.moodle.org/dev/Web_service_API_functions#core_course_get_courses_by_field
        """
        courses = self._courses_by_field("id", courseid)
        if not courses:
            raise NotFound(
                f"no course with id {courseid}",
                errorcode="invalidcourseid",
                function="core_course_get_courses_by_field",
            )
        return courses[0]

    def get_courses(self, courseids: Iterable[int]) -> tuple[Course, ...]:
        """The courses among ``courseids`` that exist, in Moodle's order.

        https://docs.moodle.org/dev/Web_service_API_functions#core_course_get_courses_by_field
        """
        ids = ",".join(str(int(courseid)) for courseid in courseids)
        return self._courses_by_field("ids", ids) if ids else ()

    def find_course_by_shortname(self, shortname: str) -> Course | None:
        """The course with this short name (unique in Moodle), or ``None``.

        https://docs.moodle.org/dev/Web_service_API_functions#core_course_get_courses_by_field
        """
        courses = self._courses_by_field("shortname", shortname)
        return courses[0] if courses else None

    def find_course_by_idnumber(self, idnumber: str) -> Course | None:
        """The course with this id number (unique in Moodle), or ``None``.

        https://docs.moodle.org/dev/Web_service_API_functions#core_course_get_courses_by_field
        """
        courses = self._courses_by_field("idnumber", idnumber)
        return courses[0] if courses else None

    def get_courses_in_category(self, categoryid: int) -> tuple[Course, ...]:
        """The courses directly in category ``categoryid`` (not its sub-categories).

        https://docs.moodle.org/dev/Web_service_API_functions#core_course_get_courses_by_field
        """
        return self._courses_by_field("category", categoryid)

    def search_courses(self, text: str, *, page: int = 0, perpage: int = 20) -> CourseSearchResult:
        """Courses whose names or summary match ``text``, one page at a time.

        https://docs.moodle.org/dev/Web_service_API_functions#core_course_search_courses
        """

        def parse(answer: Any) -> CourseSearchResult:
            return CourseSearchResult(
                total=int(answer["total"]), courses=_courses(answer), warnings=warnings_from(answer)
            )

        return self._fetch(
            "core_course_search_courses",
            {"criterianame": "search", "criteriavalue": text, "page": page, "perpage": perpage},
            parse,
        )

    def get_course_contents(
        self,
        courseid: int,
        *,
        exclude_contents: bool = False,
        section_number: int | None = None,
        modname: str | None = None,
    ) -> tuple[CourseSection, ...]:
        """The sections of the course page with their modules.

        ``exclude_contents`` leaves out the file lists (much faster on big courses).
        https://docs.moodle.org/dev/Web_service_API_functions#core_course_get_contents
        """
        options = name_value_list(
            {
                "excludecontents": exclude_contents or None,
                "sectionnumber": section_number,
                "modname": modname,
            }
        )
        return self._fetch(
            "core_course_get_contents",
            {"courseid": courseid, "options": options},
            listing(CourseSection.from_json),
        )

    # Changing courses

    def create_courses(self, courses: Sequence[NewCourse]) -> tuple[CourseRef, ...]:
        """Create courses in one call. Moodle creates all or none: a taken short name raises
        :class:`~moodle_client.errors.ShortnameTaken` for the whole call.

        https://docs.moodle.org/dev/Web_service_API_functions#core_course_create_courses
        """
        return self._fetch(
            "core_course_create_courses",
            {"courses": [course.as_params() for course in courses]},
            listing(CourseRef.from_json),
        )

    def create_course(self, course: NewCourse) -> CourseRef:
        """Create one course. See :meth:`create_courses`."""
        return self.create_courses([course])[0]

    def update_course(
        self,
        courseid: int,
        *,
        fullname: str | None = None,
        shortname: str | None = None,
        idnumber: str | None = None,
        categoryid: int | None = None,
        visible: bool | None = None,
        startdate: int | None = None,
        enddate: int | None = None,
    ) -> None:
        """Change the given fields of one course (``None`` leaves a field as it is).

        Moodle reports a refused change as a warning, not an error; this method raises it as
        the matching exception, so a refused update never passes silently:
        :class:`~moodle_client.errors.ShortnameTaken` for a short name in use,
        :class:`~moodle_client.errors.NotFound` for a missing course, a plain ``MoodleError``
        with Moodle's warning code otherwise.
        https://docs.moodle.org/dev/Web_service_API_functions#core_course_update_courses
        """
        wsfunction = "core_course_update_courses"
        course = {
            "id": courseid,
            "fullname": fullname,
            "shortname": shortname,
            "idnumber": idnumber,
            "categoryid": categoryid,
            "visible": visible,
            "startdate": startdate,
            "enddate": enddate,
        }
        warnings = self._fetch(wsfunction, {"courses": [course]}, warnings_from)
        raise_for_warning(wsfunction, warnings)

    def rename_course(self, courseid: int, *, fullname: str, shortname: str | None = None) -> None:
        """Give a course a new full name (and short name). See :meth:`update_course`."""
        self.update_course(courseid, fullname=fullname, shortname=shortname)

    def move_course(self, courseid: int, *, categoryid: int) -> None:
        """Move a course to another category. See :meth:`update_course`."""
        self.update_course(courseid, categoryid=categoryid)

    def set_course_visibility(self, courseid: int, *, visible: bool) -> None:
        """Show or hide a course to students. See :meth:`update_course`."""
        self.update_course(courseid, visible=visible)

    def set_course_dates(self, courseid: int, *, startdate: int, enddate: int) -> None:
        """Set the start and end dates (timestamps, 0 = no end). See :meth:`update_course`."""
        self.update_course(courseid, startdate=startdate, enddate=enddate)

    def duplicate_course(
        self,
        courseid: int,
        *,
        fullname: str,
        shortname: str,
        categoryid: int,
        visible: bool = True,
        users: bool = False,
        options: Mapping[str, bool] | None = None,
        timeout: Timeout | None = None,
    ) -> CourseRef:
        """Copy a course into a new one, synchronously (slow: use a generous ``timeout``).

        ``users`` is always sent: without it Moodle applies the site's backup defaults and copies
        enrolments and student data despite its documentation. ``options`` adds other backup
        settings (``activities``, ``blocks``, ``filters``...); ``enrolments`` is not accepted.
        https://docs.moodle.org/dev/Web_service_API_functions#core_course_duplicate_course
        """
        return self._fetch(
            "core_course_duplicate_course",
            {
                "courseid": courseid,
                "fullname": fullname,
                "shortname": shortname,
                "categoryid": categoryid,
                "visible": visible,
                "options": name_value_list({"users": users, **(options or {})}),
            },
            CourseRef.from_json,
            timeout=timeout,
        )

    def import_course(
        self,
        importfrom: int,
        importto: int,
        *,
        deletecontent: bool = False,
        options: Mapping[str, bool] | None = None,
        timeout: Timeout | None = None,
    ) -> None:
        """Import the activities of ``importfrom`` into ``importto`` (no user data).

        With ``deletecontent`` the target's own activities and sections are deleted first;
        without it they stay and the imported ones are added. Moodle accepts
        ``importfrom == importto`` and then duplicates every activity: refused here.
        https://docs.moodle.org/dev/Web_service_API_functions#core_course_import_course
        """
        if importfrom == importto:
            raise ValueError("a course cannot be imported into itself")
        self._fetch(
            "core_course_import_course",
            {
                "importfrom": importfrom,
                "importto": importto,
                "deletecontent": deletecontent,
                "options": name_value_list(options or {}),
            },
            expect_null,
            timeout=timeout,
        )

    def delete_courses(
        self, courseids: Sequence[int], *, timeout: Timeout | None = None
    ) -> tuple[MoodleWarning, ...]:
        """Delete courses; a course that could not be deleted (unknown id...) comes back as a
        warning, the others are gone. Slow (Moodle backs each course up into the recycle bin
        first): use a generous ``timeout``.

        https://docs.moodle.org/dev/Web_service_API_functions#core_course_delete_courses
        """
        return self._fetch(
            "core_course_delete_courses",
            {"courseids": list(courseids)},
            warnings_from,
            timeout=timeout,
        )

    # Categories

    def get_categories(
        self,
        *,
        idnumber: str | None = None,
        name: str | None = None,
        parent: int | None = None,
        include_subcategories: bool = False,
    ) -> tuple[Category, ...]:
        """Categories matching every given criterion (all categories if none is given).

        https://docs.moodle.org/dev/Web_service_API_functions#core_course_get_categories
        """
        criteria = [
            {"key": key, "value": value}
            for key, value in (("idnumber", idnumber), ("name", name), ("parent", parent))
            if value is not None
        ]
        return self._fetch(
            "core_course_get_categories",
            {"criteria": criteria, "addsubcategories": include_subcategories},
            listing(Category.from_json),
        )

    def create_category(
        self,
        name: str,
        *,
        parent: int = 0,
        idnumber: str | None = None,
        description: str | None = None,
    ) -> CategoryRef:
        """Create a course category (``parent`` 0 = top level).

        https://docs.moodle.org/dev/Web_service_API_functions#core_course_create_categories
        """
        category = {
            "name": name,
            "parent": parent,
            "idnumber": idnumber,
            "description": description,
        }
        created = self._fetch(
            "core_course_create_categories",
            {"categories": [category]},
            listing(CategoryRef.from_json),
        )
        return created[0]

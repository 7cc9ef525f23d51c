"""Steps that hold one small form per selected course, each under its own prefix."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from django import forms
from django.forms.utils import ErrorList

from transition.models import Course


class PerCourseForms:
    """A wizard step made of one `form_class` per course, validated together.

    It answers what django-formtools asks of a form (`data`, `files`, `prefix`, `is_valid`,
    `cleaned_data`); `cleaned_data` is keyed by the course's pk as a string.
    """

    form_class: type[forms.Form]
    # formtools looks for file fields in every step's form class; these steps have none.
    base_fields: dict[str, forms.Field] = {}

    def __init__(
        self,
        data: Mapping[str, Any] | None = None,
        files: Mapping[str, Any] | None = None,
        prefix: str | None = None,
        initial: Mapping[str, Any] | None = None,
        *,
        courses: list[Course],
        **kwargs: Any,
    ) -> None:
        self.data = data if data is not None else {}
        self.files = files if files is not None else {}
        self.prefix = prefix or "step"
        self.is_bound = data is not None
        self.forms: list[tuple[Course, forms.Form]] = [
            (
                course,
                self.make_form(
                    course,
                    data=data,
                    files=files,
                    prefix=f"{self.prefix}-{course.pk}",
                    initial=(initial or {}).get(str(course.pk)),
                    **kwargs,
                ),
            )
            for course in courses
        ]

    def make_form(self, course: Course, **kwargs: Any) -> forms.Form:
        return self.form_class(course=course, **kwargs)

    def __iter__(self) -> Iterator[tuple[Course, forms.Form]]:
        return iter(self.forms)

    def is_valid(self) -> bool:
        results = [form.is_valid() for _, form in self.forms]  # every form, for every error
        return all(results)

    @property
    def cleaned_data(self) -> dict[str, dict[str, Any]]:
        return {str(course.pk): form.cleaned_data for course, form in self.forms}

    @property
    def errors(self) -> dict[str, Any]:
        return {str(course.pk): form.errors for course, form in self.forms if form.errors}

    def non_field_errors(self) -> ErrorList:
        return ErrorList()

    @property
    def media(self) -> forms.Media:
        return forms.Media()

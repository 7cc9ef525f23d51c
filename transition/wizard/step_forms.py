"""Steps 1, 4 and 5: the course selection, the review's gate, the confirmation."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.dates import date_format
from transition.models import Campaign, Course
from transition.review.results import CourseReview
from transition.teaching import open_request_of, person_name


class CourseChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Course) -> str:  # type: ignore[override]
        return f"{obj.shortname} — {obj.fullname}"


class CourseSelectionForm(forms.Form):
    courses = CourseChoiceField(
        label=_("Courses to prepare"),
        queryset=Course.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one course.")},
    )

    def __init__(self, *args: Any, courses: QuerySet[Course], user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["courses"].queryset = courses  # type: ignore[attr-defined]

    def clean_courses(self) -> list[Course]:
        courses = list(self.cleaned_data["courses"])
        for course in courses:
            held = open_request_of(course=course)
            if held is not None:
                raise forms.ValidationError(
                    _("%(course)s already has a request in progress (%(status)s), held by "
                      "%(holder)s.")
                    % {
                        "course": course.shortname,
                        "status": held.get_status_display(),
                        "holder": person_name(held.requested_by),
                    }
                )  # fmt: skip
        return courses


class ReviewForm(forms.Form):
    """Nothing to fill: it refuses to go on while a course's review is blocked."""

    def __init__(self, *args: Any, reviews: list[CourseReview], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.reviews = reviews

    def clean(self) -> dict[str, Any]:
        blocked = [review.shortname for review in self.reviews if review.blocked]
        if blocked:
            raise forms.ValidationError(
                _("These courses cannot go ahead as chosen: %(courses)s. Read their warnings, "
                  "then go back and change their scenario.")
                % {"courses": ", ".join(blocked)}
            )  # fmt: skip
        return super().clean() or {}


class ConfirmForm(forms.Form):
    acknowledge = forms.BooleanField(
        label=_(
            "I have read the review. I understand that what it marks deleted or unenrolled "
            "cannot be undone in the course (only restored from the backup)."
        ),
        error_messages={"required": _("Tick the box to confirm you read the review.")},
    )
    when = forms.ChoiceField(
        label=_("When"),
        widget=forms.RadioSelect,
        initial="run_date",
        required=False,
    )

    def __init__(
        self, *args: Any, campaign: Campaign, courses: int = 1, deletes: bool = True, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.courses = courses
        if not deletes:
            self.fields["acknowledge"].label = _(
                "I have read the review and confirm what it says will happen."
            )
        run_date = date_format(timezone.localtime(campaign.run_date), "DATE_FORMAT")
        choices = [("run_date", _("On the campaign's run date (%(date)s)") % {"date": run_date})]
        if campaign.allow_asap:
            choices.append(("asap", _("As soon as possible")))
        self.fields["when"].choices = choices

    @property
    def asap(self) -> bool:
        return self.cleaned_data.get("when") == "asap"

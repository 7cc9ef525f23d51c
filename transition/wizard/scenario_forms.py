"""Step 2: what happens to each course, explained in one sentence per scenario."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from moodle_client import MoodleClient
from moodle_client.errors import MoodleError
from transition.error_texts import error_for_people
from transition.models import Campaign, Course, Person, TransitionRequest
from transition.request_spec import SPECIAL_CALENDAR_KINDS
from transition.teaching import campaign_first_year, restore_sources_for, shortname_for_year
from transition.wizard.course_forms import PerCourseForms

Scenario = TransitionRequest.Scenario
SCENARIO_CHOICES = [
    (
        Scenario.REUSE_RESET.value,
        format_lazy(
            "{} — {}",
            Scenario.REUSE_RESET.label,
            _("back this course up, then reset it for the new cohort."),
        ),
    ),
    (
        Scenario.FRESH_COPY.value,
        format_lazy(
            "{} — {}",
            Scenario.FRESH_COPY.label,
            _(
                "copy this course without user data into a new course named after the new "
                "year, then archive this one."
            ),
        ),
    ),
    (
        Scenario.RESTORE_PREVIOUS.value,
        format_lazy(
            "{} — {}",
            Scenario.RESTORE_PREVIOUS.label,
            _(
                "bring the backup of your course on the previous platform into this course "
                "(only if it is empty)."
            ),
        ),
    ),
    (
        Scenario.HAND_OVER.value,
        format_lazy(
            "{} — {}",
            Scenario.HAND_OVER.label,
            _("give them the teacher role, optionally remove your own."),
        ),
    ),
    (Scenario.NO_CHANGE.value, Scenario.NO_CHANGE.label),
]
SPECIAL_CALENDAR_CHOICES = [
    ("", _("No: the usual academic year")),
    ("early_opening", _("Opens before the start of the academic year")),
    ("late_closing", _("Closes after the start of the academic year")),
    ("shifted", _("Shifted calendar (opens during the year)")),
]
assert {value for value, _label in SPECIAL_CALENDAR_CHOICES if value} == set(SPECIAL_CALENDAR_KINDS)
RESTORE_MODE_CHOICES = [
    ("delete", _("Delete the content of this course, then restore")),
    ("merge", _("Merge the backup into this course (existing resources are duplicated)")),
]
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CourseScenarioForm(forms.Form):
    scenario = forms.ChoiceField(
        label=_("Scenario"), choices=SCENARIO_CHOICES, widget=forms.RadioSelect
    )
    # fresh_copy
    new_shortname = forms.CharField(label=_("Short name of the new course"), required=False)
    archive_prefix = forms.BooleanField(
        label=_("Prefix the old course's name"), required=False, initial=True
    )
    archive_move = forms.BooleanField(
        label=_("Move the old course to the archive category"), required=False, initial=True
    )
    archive_hide = forms.BooleanField(
        label=_("Hide the old course from students"), required=False, initial=True
    )
    # restore_previous
    restore_source = forms.TypedChoiceField(
        label=_("Course to restore from the previous platform"), required=False, coerce=int
    )
    restore_mode = forms.ChoiceField(
        label=_("How to restore"), choices=RESTORE_MODE_CHOICES, initial="delete", required=False
    )
    # hand_over
    successor_username = forms.CharField(
        label=_("Your colleague's username"), required=False, max_length=150
    )
    remove_own_role = forms.BooleanField(label=_("Remove my own teacher role"), required=False)
    # special calendar
    special_calendar = forms.ChoiceField(
        label=_("Special calendar"), choices=SPECIAL_CALENDAR_CHOICES, required=False
    )
    special_opens = forms.DateField(label=_("Opens on"), required=False, widget=DATE_INPUT)
    special_closes = forms.DateField(label=_("Closes on"), required=False, widget=DATE_INPUT)
    special_reason = forms.CharField(
        label=_("Why"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(
        self,
        *args: Any,
        course: Course,
        campaign: Campaign,
        user: Any,
        client: MoodleClient,
        taken_elsewhere: frozenset[str] = frozenset(),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.course = course
        self.campaign = campaign
        self.user = user
        self.client = client
        year = campaign_first_year(campaign)
        suggested = shortname_for_year(course.shortname, year)
        if suggested == course.shortname:
            # Already named for the campaign's year: the copy takes the year after.
            suggested = shortname_for_year(course.shortname, year + 1)
        self.fields["new_shortname"].initial = suggested
        self.fields["archive_prefix"].label = _("Prefix the old course's name with “%(p)s”") % {
            "p": campaign.archive_prefix
        }
        if campaign.archive_category is None:
            del self.fields["archive_move"]
        if course.calendar_type != Course.CalendarType.STANDARD:
            # Known to engineers already (seed 001's special calendars): start from it.
            self.fields["special_calendar"].initial = course.calendar_type
        self.sources = restore_sources_for(user=user, course=course)
        self.fields["restore_source"].choices = [("", _("Choose a course"))] + [
            (source.pk, f"{source.shortname} — {source.fullname}") for source in self.sources
        ]
        if self.sources:
            self.fields["restore_source"].initial = self.sources[0].pk

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        scenario = data.get("scenario")
        if scenario == "fresh_copy":
            self._clean_fresh_copy(data)
        elif scenario == "restore_previous":
            if not data.get("restore_source"):
                self.add_error("restore_source", _("Choose the course to restore."))
            data["restore_mode"] = data.get("restore_mode") or "delete"
        elif scenario == "hand_over":
            self._clean_hand_over(data)
        if data.get("special_calendar"):
            if not data.get("special_reason"):
                self.add_error("special_reason", _("Say why the calendar is special."))
            if not data.get("special_opens") and not data.get("special_closes"):
                self.add_error("special_opens", _("Give the opening or the closing date."))
            opens, closes = data.get("special_opens"), data.get("special_closes")
            if opens and closes and closes <= opens:
                self.add_error("special_closes", _("The course must close after it opens."))
        return data

    def _clean_fresh_copy(self, data: dict[str, Any]) -> None:
        shortname = (data.get("new_shortname") or "").strip()
        if not shortname:
            self.add_error("new_shortname", _("Give the new course a short name."))
            return
        data["new_shortname"] = shortname
        if shortname == self.course.shortname:
            self.add_error("new_shortname", _("The new course needs another short name."))
            return
        try:
            taken = self.client.find_course_by_shortname(shortname)
        except MoodleError as error:
            raise ValidationError(
                _("Moodle could not check the short name (%(error)s). Try again in a moment."),
                params={"error": error_for_people(error.errorcode or "connectionerror").what},
            ) from error
        if taken is not None:
            self.add_error(
                "new_shortname",
                _("The short name %(name)s is already taken in Moodle (%(course)s).")
                % {"name": shortname, "course": taken.fullname},
            )

    def _clean_hand_over(self, data: dict[str, Any]) -> None:
        username = (data.get("successor_username") or "").strip()
        data["successor_username"] = username
        if not username:
            self.add_error("successor_username", _("Give your colleague's username."))
            return
        known = Person.objects.filter(instance=self.course.instance, moodle_username=username)
        if not known.exists():
            self.add_error(
                "successor_username",
                _("Nobody called %(name)s is known on this platform.") % {"name": username},
            )
        elif known.filter(user=self.user).exists():
            self.add_error("successor_username", _("Hand the course over to someone else."))

    def source_course(self) -> Course | None:
        pk = self.cleaned_data.get("restore_source")
        return next((s for s in self.sources if s.pk == pk), None)


class ScenarioStepForm(PerCourseForms):
    form_class = CourseScenarioForm

    def is_valid(self) -> bool:
        valid = super().is_valid()
        shortnames: dict[str, Course] = {}
        for course, form in self.forms:
            if not form.is_valid() or form.cleaned_data.get("scenario") != "fresh_copy":
                continue
            name = form.cleaned_data["new_shortname"]
            if name in shortnames:
                form.add_error(
                    "new_shortname",
                    _("%(other)s already uses this new short name.")
                    % {"other": shortnames[name].shortname},
                )
                valid = False
            shortnames[name] = course
        return valid

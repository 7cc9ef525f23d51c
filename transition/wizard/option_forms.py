"""Step 3: reset options grouped as Moodle groups them, cohorts, dates, grades, announcement.

Options the policy locks are shown disabled with the policy's reason, and enforced here: a
disabled field keeps the policy's value whatever is posted, and a post that tries to change
one is refused.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from moodle_client.types.passage import CourseInventory
from transition.course_dates import day_timestamp, start_in_year
from transition.models import Campaign, Cohort, Course
from transition.request_spec import Announcement, CohortChange
from transition.reset_options import GROUP_LABELS, OptionType, ResetOption, option_named
from transition.review.policy_locks import (
    OptionRule,
    course_options,
    locked_values,
    moodle_default_options,
    policy_options,
)
from transition.wizard.course_forms import PerCourseForms
from transition.wizard.review_summary import role_name, type_name
from transition.wizard.scenario_forms import DATE_INPUT

MODULE_GROUP_LABELS = {
    "assign": _("Assignments"),
    "bigbluebuttonbn": _("BigBlueButton"),
    "book": _("Books"),
    "choice": _("Choices"),
    "data": _("Databases"),
    "feedback": _("Feedback"),
    "forum": _("Forums"),
    "glossary": _("Glossaries"),
    "h5pactivity": _("H5P"),
    "lesson": _("Lessons"),
    "quiz": _("Quizzes"),
    "scorm": _("SCORM packages"),
    "wiki": _("Wikis"),
    "workshop": _("Workshops"),
}
RESETS = "reuse_reset"
TAKES_COHORTS = frozenset({"reuse_reset", "fresh_copy", "restore_previous"})
DEFAULT_ANNOUNCEMENT = _(
    "This course will be reset for next year: your submissions, posts and grades will be "
    "deleted. Download what you want to keep before the reset."
)


def group_label(group: str) -> str:
    return str(GROUP_LABELS.get(group) or MODULE_GROUP_LABELS.get(group) or group)


def _as_list(data: Mapping[str, Any], key: str) -> list[str]:
    if hasattr(data, "getlist"):
        return [str(v) for v in data.getlist(key)]
    value = data.get(key)
    if value is None:
        return []
    return [str(v) for v in value] if isinstance(value, list | tuple) else [str(value)]


class CourseOptionsForm(forms.Form):
    def __init__(
        self,
        *args: Any,
        course: Course,
        campaign: Campaign,
        scenario: str,
        inventory: CourseInventory,
        governed: Mapping[str, OptionRule],
        successors: Mapping[str, str],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.course = course
        self.campaign = campaign
        self.scenario = scenario
        self.inventory = inventory
        self.governed = governed
        self.locked = locked_values(governed) if scenario == RESETS else {}
        self.reset_fields: list[tuple[str, list[str]]] = []
        if scenario == RESETS:
            self._add_reset_fields()
        if scenario in TAKES_COHORTS:
            self._add_date_and_cohort_fields(successors)
        if scenario == RESETS:
            self.fields["grade_export"] = forms.BooleanField(
                label=_("Export the gradebook to a spreadsheet before the reset"),
                required=False,
                initial=True,
            )
            self.fields["keep_copy"] = forms.BooleanField(
                label=_("Keep a copy of what the reset deletes"),
                help_text=_(
                    "Forum discussions, assignment submissions and grades, quiz attempts and "
                    "the gradebook, in one archive you can download from the request's page."
                ),
                required=False,
                initial=False,
            )
            self.fields["announce"] = forms.BooleanField(
                label=_("Warn the students in the news forum before the reset"),
                required=False,
                initial=True,
            )
            self.fields["announce_days"] = forms.IntegerField(
                label=_("Days before the reset"), min_value=1, max_value=90, initial=14
            )
            self.fields["announce_message"] = forms.CharField(
                label=_("Announcement"),
                widget=forms.Textarea(attrs={"rows": 3}),
                initial=DEFAULT_ANNOUNCEMENT,
                required=False,
            )

    # Reset options ------------------------------------------------------------------------

    def _option_field(self, option: ResetOption) -> forms.Field:
        if option.type == OptionType.ROLES:
            return forms.MultipleChoiceField(
                label=option.label,
                required=False,
                widget=forms.CheckboxSelectMultiple,
                choices=[(str(r.roleid), role_name(r.shortname)) for r in self.inventory.roles],
            )
        if option.type == OptionType.CHOICES:
            return forms.MultipleChoiceField(
                label=option.label,
                required=False,
                widget=forms.CheckboxSelectMultiple,
                choices=[(choice, type_name(choice)) for choice in option.choices],
            )
        return forms.BooleanField(label=option.label, required=False)

    def _add_reset_fields(self) -> None:
        selection = policy_options(governed=self.governed, inventory=self.inventory)
        groups: dict[str, list[str]] = {}
        for option in course_options(self.inventory):
            if option.type == OptionType.DATE:
                continue  # the new start date has its own field
            field = self._option_field(option)
            field.initial, _missing = self.applicable(
                field, self._field_value(option, selection.get(option.name, ""))
            )
            if option.name in self.locked:
                field.disabled = True
                field.initial, missing = self.applicable(
                    field, self._field_value(option, self.locked[option.name])
                )
                field.help_text = _("Locked by the institution's policy — %(reason)s") % {
                    "reason": self.governed[option.name].reason
                }
                if missing:
                    # A role the course does not have: nothing to apply here, nothing to block.
                    field.help_text = _(
                        "%(locked)s Not applicable here: nobody in this course holds that role."
                    ) % {"locked": field.help_text}
            self.fields[option.name] = field
            groups.setdefault(option.group, []).append(option.name)
        self.reset_fields = list(groups.items())

    def applicable(
        self, field: forms.Field, value: bool | list[str]
    ) -> tuple[bool | list[str], list[str]]:
        """The value less what this course cannot take (a role nobody holds in it), and what
        was left out."""
        if not isinstance(field, forms.MultipleChoiceField) or not isinstance(value, list):
            return value, []
        offered = {str(choice) for choice, _label in field.choices}
        kept = [part for part in value if part in offered]
        return kept, [part for part in value if part not in offered]

    @staticmethod
    def _field_value(option: ResetOption, value: str) -> bool | list[str]:
        if option.type in (OptionType.ROLES, OptionType.CHOICES):
            return [part for part in value.split(",") if part]
        return bool(value) and value != "0"

    def option_groups(self) -> list[tuple[str, list[tuple[forms.BoundField, str]]]]:
        """(Moodle's group label, [(bound field, the option that overrides it)]), in the order
        of Moodle's reset page; the overriding option's field name is "" when there is none."""
        groups = []
        for group, names in self.reset_fields:
            fields = []
            for name in names:
                wider = option_named(name).disabled_by
                fields.append((self[name], self.add_prefix(wider) if wider else ""))
            groups.append((group_label(group), fields))
        return groups

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for name, value in self.locked.items():
            if name not in self.fields or not self.is_bound:
                continue
            posted = _as_list(self.data, self.add_prefix(name))
            if not posted:
                continue  # a disabled checkbox is not posted: the policy's value stands
            field = self.fields[name]
            if isinstance(field, forms.MultipleChoiceField):
                forged = sorted(posted) != sorted(part for part in value.split(",") if part)
            else:
                forged = not value
            if forged:
                self.add_error(
                    None,
                    _("“%(option)s” is locked by the policy and cannot be changed.")
                    % {"option": field.label},
                )
        if data.get("announce") and not (data.get("announce_message") or "").strip():
            self.add_error("announce_message", _("Write the announcement."))
        return data

    # Dates and cohorts ----------------------------------------------------------------------

    def _add_date_and_cohort_fields(self, successors: Mapping[str, str]) -> None:
        suggested = start_in_year(
            startdate=self.inventory.course.startdate, year_start=self.campaign.cutoff_date
        )
        self.fields["new_start_date"] = forms.DateField(
            label=_("New start date (shifts every date of the course)"),
            required=False,
            initial=suggested,
            widget=DATE_INPUT,
        )
        syncs = [e for e in self.inventory.enrolments if e.method == "cohort"]
        self.fields["cohorts_remove"] = forms.MultipleChoiceField(
            label=_("Last year's cohorts to remove (unenrols their students)"),
            required=False,
            widget=forms.CheckboxSelectMultiple,
            choices=[
                (
                    str(e.id),
                    _("%(cohort)s — %(users)s students")
                    % {"cohort": e.cohortidnumber or e.cohortname, "users": e.users},
                )
                for e in syncs
            ],
            initial=[str(e.id) for e in syncs] if self.scenario == RESETS else [],
        )
        suggested_codes = sorted(
            {successors[e.cohortidnumber] for e in syncs if e.cohortidnumber in successors}
        )
        self.fields["cohorts_add"] = forms.CharField(
            label=_("Next year's cohorts to add (Apogée codes, separated by commas)"),
            required=False,
            initial=", ".join(suggested_codes),
            help_text=_("Suggested: the successor of each cohort removed."),
        )

    def clean_cohorts_add(self) -> list[str]:
        codes = [c.strip() for c in (self.cleaned_data.get("cohorts_add") or "").split(",")]
        codes = [c for c in codes if c]
        found: list[str] = []
        for code in codes:
            exact = Cohort.objects.filter(instance=self.course.instance, idnumber__iexact=code)
            if exact.exists():
                found.append(exact.first().idnumber)  # type: ignore[union-attr]
                continue
            close = list(
                Cohort.objects.filter(
                    instance=self.course.instance, idnumber__istartswith=code
                ).values_list("idnumber", flat=True)[:5]
            )
            if len(close) == 1:
                found.append(close[0])
            elif close:
                raise forms.ValidationError(
                    _("%(code)s matches several cohorts: %(list)s.")
                    % {"code": code, "list": ", ".join(close)}
                )
            else:
                raise forms.ValidationError(
                    _("No cohort with the Apogée code %(code)s.") % {"code": code}
                )
        return list(dict.fromkeys(found))

    # What the form means --------------------------------------------------------------------

    def reset_options(self) -> dict[str, str]:
        if self.scenario != RESETS:
            return {}
        values: dict[str, str] = {}
        for _group, names in self.reset_fields:
            for name in names:
                value = self.cleaned_data.get(name)
                if isinstance(value, list):
                    if value:
                        values[name] = ",".join(sorted(value))
                elif value:
                    values[name] = "1"
        start = self.cleaned_data.get("new_start_date")
        if start:
            values["reset_start_date"] = str(day_timestamp(start))
        return values

    def cohort_changes(self) -> tuple[CohortChange, ...]:
        if self.scenario not in TAKES_COHORTS:
            return ()
        syncs = {str(e.id): e for e in self.inventory.enrolments if e.method == "cohort"}
        removed = [
            CohortChange(
                action="remove",
                cohort_idnumber=syncs[i].cohortidnumber,
                enrol_instance_id=syncs[i].id,
                role=syncs[i].roleshortname or "student",
                users=syncs[i].users,
            )
            for i in self.cleaned_data.get("cohorts_remove") or ()
        ]
        added = [
            CohortChange(action="add", cohort_idnumber=code)
            for code in self.cleaned_data.get("cohorts_add") or ()
        ]
        return tuple(removed + added)

    def announcement(self) -> Announcement | None:
        if self.scenario != RESETS or not self.cleaned_data.get("announce"):
            return None
        return Announcement(
            days_before=self.cleaned_data["announce_days"],
            subject=str(_("Your course will be reset")),
            message=self.cleaned_data["announce_message"],
        )


class OptionsStepForm(PerCourseForms):
    form_class = CourseOptionsForm

    def make_form(self, course: Course, **kwargs: Any) -> forms.Form:
        context = kwargs.pop("course_context")[course.pk]
        kwargs.pop("initial", None)
        return CourseOptionsForm(course=course, **context, **kwargs)


def options_preset(*, data: QueryDict, step: OptionsStepForm, preset: str) -> QueryDict:
    """The posted options step with every unlocked reset option set as Moodle's buttons do:
    "default" ticks Moodle's default selection, "clear" unticks everything."""
    changed = data.copy()
    for _course, form in step:
        assert isinstance(form, CourseOptionsForm)
        defaults = moodle_default_options(form.inventory) if preset == "default" else {}
        for _group, names in form.reset_fields:
            for name in names:
                if name in form.locked:
                    continue
                key = form.add_prefix(name)
                changed.pop(key, None)
                value = defaults.get(name)
                if value:
                    field = form.fields[name]
                    if isinstance(field, forms.MultipleChoiceField):
                        kept, _missing = form.applicable(field, value.split(","))
                        changed.setlist(key, kept)
                    else:
                        changed[key] = "on"
    return changed

from django import forms
from django.utils.translation import gettext_lazy as _

from transition.models import Campaign, Category, Course, MoodleInstance, Policy, PolicyRule
from transition.policy_options import rule_actions

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class CampaignForm(forms.ModelForm):
    class Meta:
        model = Campaign
        fields = [
            "academic_year",
            "policy",
            "choices_open",
            "choices_lock",
            "backup_window_start",
            "backup_window_end",
            "run_date",
            "cutoff_date",
            "excluded_categories",
            "archive_category",
            "archive_prefix",
            "allow_asap",
            "first_reminder_days",
            "second_reminder_days",
            "backup_retention_days",
        ]
        widgets = {
            "choices_open": DATETIME,
            "choices_lock": DATETIME,
            "backup_window_start": DATETIME,
            "backup_window_end": DATETIME,
            "run_date": DATETIME,
            "cutoff_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "excluded_categories": forms.SelectMultiple(attrs={"size": 8}),
        }
        # The model's field has no name of its own to translate.
        labels = {"policy": _("Data policy")}

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        current = Category.objects.filter(
            instance__role=MoodleInstance.Role.CURRENT, gone_from_moodle_at__isnull=True
        ).order_by("path", "name")
        self.fields["excluded_categories"].queryset = current  # type: ignore[attr-defined]
        self.fields["archive_category"].queryset = current  # type: ignore[attr-defined]


class PolicyCopyForm(forms.Form):
    source = forms.ModelChoiceField(label=_("Start from"), queryset=Policy.objects.all())
    name = forms.CharField(label=_("Name of the new policy"), max_length=200)

    def clean_name(self) -> str:
        name: str = self.cleaned_data["name"].strip()
        if Policy.objects.filter(name=name).exists():
            raise forms.ValidationError(_("A policy with this name exists already."))
        return name


class PolicyRulesForm(forms.Form):
    """One action and one lock per kind of data."""

    def __init__(self, *args: object, policy: Policy, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        rules = {rule.data_kind: rule for rule in policy.rules.all()}
        labels = dict(PolicyRule.Action.choices)
        self.rows: list[tuple[str, str, str, str]] = []
        for kind, label in PolicyRule.DataKind.choices:
            rule = rules.get(kind)
            self.fields[f"action_{kind}"] = forms.ChoiceField(
                label=label,
                choices=[(action, labels[action]) for action in rule_actions(kind)],
                initial=rule.action if rule else PolicyRule.Action.KEEP,
            )
            self.fields[f"locked_{kind}"] = forms.BooleanField(
                label=_("locked"), required=False, initial=rule.locked if rule else False
            )
            self.rows.append((kind, label, f"action_{kind}", f"locked_{kind}"))

    def rules(self) -> dict[str, tuple[str, bool]]:
        return {
            kind: (self.cleaned_data[action], self.cleaned_data[locked])
            for kind, _label, action, locked in self.rows
        }

    def bound_rows(self) -> list[tuple[str, forms.BoundField, forms.BoundField]]:
        return [(label, self[action], self[locked]) for _kind, label, action, locked in self.rows]


class OperationRunForm(forms.Form):
    """The count the admin saw in the preview: the run refuses if it changed since."""

    expected = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    confirm = forms.BooleanField(label=_("I have read the preview; run it."))


class RestoreForm(forms.Form):
    """Where a stored backup goes back to (a course of this year's platform, or a new one)."""

    target = forms.ModelChoiceField(
        label=_("Restore into"),
        queryset=Course.objects.none(),
        required=False,
        help_text=_("The same course, or another course of this year's platform."),
    )
    new_shortname = forms.CharField(
        label=_("Or into a new course: its short name"), required=False, max_length=255
    )
    new_fullname = forms.CharField(label=_("Its full name"), required=False, max_length=255)
    new_category = forms.ModelChoiceField(
        label=_("Its category"), queryset=Category.objects.none(), required=False
    )
    mode = forms.ChoiceField(
        label=_("Restore mode"),
        choices=[
            ("delete", _("Delete the content of the course, then restore")),
            ("merge", _("Merge into the course (resources that exist are duplicated)")),
        ],
        initial="delete",
    )
    users = forms.TypedChoiceField(
        label=_("What comes back"),
        choices=[
            ("0", _("The content only")),
            ("1", _("The content and its user data (a course reset by mistake)")),
        ],
        coerce=lambda value: value == "1",
        required=False,
        empty_value=False,
        initial="0",
        help_text=_("User data comes back only from a backup that holds it."),
    )
    campaign = forms.ModelChoiceField(label=_("Campaign"), queryset=Campaign.objects.all())

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        current = {
            "instance__role": MoodleInstance.Role.CURRENT,
            "gone_from_moodle_at__isnull": True,
        }
        self.fields["target"].queryset = Course.objects.filter(**current).order_by(  # type: ignore[attr-defined]
            "shortname"
        )
        self.fields["new_category"].queryset = Category.objects.filter(**current).order_by(  # type: ignore[attr-defined]
            "path", "name"
        )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        new = bool(data.get("new_shortname"))
        if bool(data.get("target")) == new:
            raise forms.ValidationError(_("Choose a course, or name a new one — not both."))
        if new and not (data.get("new_fullname") and data.get("new_category")):
            raise forms.ValidationError(_("A new course needs a full name and a category."))
        return data

    @property
    def is_new_course(self) -> bool:
        return bool(self.cleaned_data.get("new_shortname"))


class RestoreConfirmForm(RestoreForm):
    acknowledge = forms.BooleanField(
        label=_(
            "I have read the review: the course is backed up as it is now, then restored "
            "from the chosen backup."
        )
    )

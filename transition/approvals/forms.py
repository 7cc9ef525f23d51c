from django import forms
from django.utils.translation import gettext_lazy as _

from transition.approvals.selectors import ApprovalFilters, faculties
from transition.models import Campaign, Category, TransitionRequest


class ApprovalFilterForm(forms.Form):
    campaign = forms.ModelChoiceField(
        label=_("Campaign"),
        queryset=Campaign.objects.all(),
        required=False,
        empty_label=_("Every campaign"),
    )
    faculty = forms.ModelChoiceField(
        label=_("Faculty"),
        queryset=Category.objects.none(),
        required=False,
        empty_label=_("Every faculty"),
    )
    category = forms.ModelChoiceField(
        label=_("Category"),
        queryset=Category.objects.none(),
        required=False,
        empty_label=_("Every category"),
    )
    submitted_from = forms.DateField(
        label=_("Submitted from"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    submitted_to = forms.DateField(
        label=_("Submitted until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    teacher = forms.CharField(label=_("Teacher"), required=False, max_length=150)

    def __init__(self, *args: object, categories: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["faculty"].queryset = faculties()  # type: ignore[attr-defined]
        self.fields["category"].queryset = categories  # type: ignore[attr-defined]

    def filters(self) -> ApprovalFilters:
        data = self.cleaned_data if self.is_valid() else {}
        return ApprovalFilters(
            campaign=data.get("campaign"),
            faculty=data.get("faculty"),
            category=data.get("category"),
            submitted_from=data.get("submitted_from"),
            submitted_to=data.get("submitted_to"),
            teacher=data.get("teacher") or "",
        )


class ApproveForm(forms.Form):
    run_at = forms.DateTimeField(
        label=_("Run date"),
        required=False,
        help_text=_("Leave empty to keep the date the request already has."),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    comment = forms.CharField(
        label=_("Comment for the teacher"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class CommentForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment for the teacher"), widget=forms.Textarea(attrs={"rows": 3})
    )


class BulkApproveForm(forms.Form):
    faculty = forms.ModelChoiceField(
        label=_("Faculty"), queryset=Category.objects.none(), empty_label=_("Choose a faculty")
    )
    campaign = forms.ModelChoiceField(
        label=_("Campaign"),
        queryset=Campaign.objects.all(),
        required=False,
        empty_label=_("Every campaign"),
    )
    run_at = ApproveForm.base_fields["run_at"]

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["faculty"].queryset = faculties()  # type: ignore[attr-defined]


DECISIONS = {
    "approve": ApproveForm,
    "reject": CommentForm,
    "ask_changes": CommentForm,
}


class RequestFilterForm(forms.Form):
    campaign = forms.ModelChoiceField(
        label=_("Campaign"),
        queryset=Campaign.objects.order_by("-academic_year"),
        required=False,
        empty_label=_("Every campaign"),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("Every status")), *TransitionRequest.Status.choices],
        required=False,
    )
    scenario = forms.ChoiceField(
        label=_("Scenario"),
        choices=[("", _("Every scenario")), *TransitionRequest.Scenario.choices],
        required=False,
    )
    course = forms.CharField(label=_("Course"), required=False, max_length=255)
    teacher = forms.CharField(label=_("Teacher"), required=False, max_length=150)
    special = forms.BooleanField(label=_("Special calendar only"), required=False)

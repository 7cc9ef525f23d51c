"""Every request of a campaign, for engineers and admins: filter by state, scenario, course or
teacher, and open the one to look at."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from transition.models import Campaign, TransitionRequest
from transition.permissions import is_staff_role

PAGE_SIZE = 50


class RequestFilterForm(forms.Form):
    campaign = forms.ModelChoiceField(
        label=_("Campaign"), queryset=Campaign.objects.order_by("-academic_year"), required=False
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


def requests_for_staff(
    *,
    campaign: Campaign | None = None,
    status: str = "",
    scenario: str = "",
    course: str = "",
    teacher: str = "",
    special: bool = False,
) -> QuerySet[TransitionRequest]:
    """Requests newest first, with what each row shows."""
    requests = TransitionRequest.objects.select_related(
        "course", "course__category", "campaign", "requested_by", "decided_by"
    )
    if campaign is not None:
        requests = requests.filter(campaign=campaign)
    if status:
        requests = requests.filter(status=status)
    if scenario:
        requests = requests.filter(scenario=scenario)
    if course:
        requests = requests.filter(
            Q(course__shortname__icontains=course)
            | Q(course__fullname__icontains=course)
            | Q(course__curriculum_code__icontains=course)
        )
    if teacher:
        requests = requests.filter(
            Q(requested_by__username__icontains=teacher)
            | Q(requested_by__first_name__icontains=teacher)
            | Q(requested_by__last_name__icontains=teacher)
            | Q(requested_by__email__icontains=teacher)
        )
    if special:
        requests = requests.filter(
            Q(special_start_date__isnull=False)
            | Q(special_end_date__isnull=False)
            | ~Q(special_reason="")
        )
    return requests.order_by("-created_at", "-pk")


@login_required
@require_GET
def requests_list(request: HttpRequest) -> HttpResponse:
    if not is_staff_role(request.user):
        raise PermissionDenied
    form = RequestFilterForm(request.GET or None)
    criteria = form.cleaned_data if form.is_valid() else {}
    found = requests_for_staff(**{k: v for k, v in criteria.items() if v not in (None, "")})
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "transition/approvals/requests.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )

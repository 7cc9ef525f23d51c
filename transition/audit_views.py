"""The audit log: who did what to which course, when; searchable by course, person and date."""

import datetime

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from transition.audit_labels import action_label, details_lines
from transition.models import AuditEvent, Campaign
from transition.permissions import can_manage_campaigns
from transition.selectors import course_matching_q, person_matching_q

PAGE_SIZE = 50


class AuditSearchForm(forms.Form):
    course = forms.CharField(label=_("Course"), required=False, max_length=255)
    person = forms.CharField(label=_("Person"), required=False, max_length=150)
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    action = forms.CharField(label=_("Action"), required=False, max_length=100)
    campaign = forms.ModelChoiceField(
        label=_("Campaign"), queryset=Campaign.objects.all(), required=False
    )


def audit_events_search(
    *,
    course: str = "",
    person: str = "",
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    action: str = "",
    campaign: Campaign | None = None,
) -> QuerySet[AuditEvent]:
    """Events newest first; `course` matches the short name, full name or curriculum code,
    `person` the username, name or e-mail."""
    events = AuditEvent.objects.select_related("actor", "course", "campaign", "job", "request")
    if course:
        events = events.filter(course_matching_q(course, through="course__"))
    if person:
        events = events.filter(person_matching_q(person, through="actor__"))
    if date_from is not None:
        events = events.filter(created_at__date__gte=date_from)
    if date_to is not None:
        events = events.filter(created_at__date__lte=date_to)
    if action:
        events = events.filter(action__icontains=action)
    if campaign is not None:
        events = events.filter(campaign=campaign)
    return events.order_by("-created_at", "-pk")


@login_required
@require_GET
def audit_index(request: HttpRequest) -> HttpResponse:
    if not can_manage_campaigns(request.user):
        raise PermissionDenied
    form = AuditSearchForm(request.GET or None)
    criteria = form.cleaned_data if form.is_valid() else {}
    events = audit_events_search(**{k: v for k, v in criteria.items() if v not in (None, "")})
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        (event, action_label(event.action), details_lines(event.details or {})) for event in page
    ]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "transition/dashboard/audit.html",
        {"form": form, "page": page, "rows": rows, "query": query.urlencode()},
    )


app_name = "audit"
urlpatterns = [path("", audit_index, name="index")]

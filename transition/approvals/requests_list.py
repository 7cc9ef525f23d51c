"""Every request of a campaign, for engineers and admins: filter by state, scenario, course or
teacher, and open the one to look at."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from transition.approvals.forms import RequestFilterForm
from transition.approvals.selectors import requests_for_staff
from transition.permissions import is_staff_role

PAGE_SIZE = 50


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

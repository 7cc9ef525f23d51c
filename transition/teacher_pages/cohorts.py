"""/cohorts/search/: cohorts by Apogée code, for the wizard's cohort field as people type."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpRequest, JsonResponse

from transition.models import Cohort, MoodleInstance

RESULTS = 15


@login_required
def cohort_search(request: HttpRequest) -> JsonResponse:
    """The current platform's cohorts whose idnumber or Apogée code starts with `q`."""
    query = request.GET.get("q", "").strip()
    if len(query) < 2:
        return JsonResponse({"cohorts": []})
    cohorts = (
        Cohort.objects.filter(instance__role=MoodleInstance.Role.CURRENT)
        .filter(Q(idnumber__istartswith=query) | Q(apogee_code__istartswith=query))
        .exclude(idnumber="")
        .order_by("idnumber")[:RESULTS]
    )
    return JsonResponse(
        {
            "cohorts": [
                {"idnumber": c.idnumber, "label": c.label or c.name, "campus": c.campus}
                for c in cohorts
            ]
        }
    )

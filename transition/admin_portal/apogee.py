"""The Apogée import as an admin page: upload, read what would change, then apply.

The file is read twice, the second time from the session where the preview kept it: what is
applied is the file that was previewed (its SHA-256 travels with the confirmation), and the
preview is computed again at apply time inside the import, so nothing stale is written.
"""

import base64
import hashlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from transition import permissions
from transition.apogee_csv import ApogeeFileRefused
from transition.forms import ApogeeImportForm
from transition.models import MoodleInstance
from transition.services.cohorts import (
    ApogeeImportSummary,
    cohorts_import_apogee,
    cohorts_import_preview,
)

SESSION_KEY = "passage_apogee_upload"


def _require_importer(request: HttpRequest) -> None:
    if not permissions.can_import_curriculum(request.user):
        raise PermissionDenied


def summary_message(summary: ApogeeImportSummary) -> str:
    """The outcome in words, each count with its own plural."""
    parts = [
        ngettext("%(n)d cohort created", "%(n)d cohorts created", summary.created)
        % {"n": summary.created},
        ngettext("%(n)d updated", "%(n)d updated", summary.updated) % {"n": summary.updated},
        ngettext("%(n)d unchanged", "%(n)d unchanged", summary.unchanged)
        % {"n": summary.unchanged},
        ngettext("%(n)d successor suggested", "%(n)d successors suggested", len(summary.successors))
        % {"n": len(summary.successors)},
    ]
    return _("Apogée import: %(parts)s.") % {"parts": ", ".join(parts)}


@login_required
@require_http_methods(["GET", "POST"])
def apogee_import(request: HttpRequest) -> HttpResponse:
    """Upload the export and see, cohort by cohort, what importing it would change."""
    _require_importer(request)
    current = MoodleInstance.objects.filter(role=MoodleInstance.Role.CURRENT).first()
    form = ApogeeImportForm(
        request.POST or None, request.FILES or None, initial={"instance": current}
    )
    errors: list[str] = []
    preview = None
    if request.method == "POST" and form.is_valid():
        instance = form.cleaned_data["instance"]
        data = form.cleaned_data["file"]
        try:
            preview = cohorts_import_preview(instance=instance, data=data)
        except ApogeeFileRefused as refused:
            errors = [str(error) for error in refused.errors]
        else:
            request.session[SESSION_KEY] = {
                "instance": instance.pk,
                "data": base64.b64encode(data).decode("ascii"),
                "sha256": hashlib.sha256(data).hexdigest(),
                "name": getattr(request.FILES.get("file"), "name", ""),
            }
    upload = request.session.get(SESSION_KEY) if preview is not None else None
    return render(
        request,
        "transition/admin_portal/apogee_import.html",
        {"form": form, "errors": errors, "preview": preview, "upload": upload},
    )


@login_required
@require_POST
def apogee_apply(request: HttpRequest) -> HttpResponse:
    """Import the previewed file, all or nothing."""
    _require_importer(request)
    upload = request.session.get(SESSION_KEY)
    if not upload or upload["sha256"] != request.POST.get("sha256"):
        messages.error(request, _("Upload the file again: its preview is no longer at hand."))
        return redirect("admin_portal:apogee_import")
    instance = get_object_or_404(MoodleInstance, pk=upload["instance"])
    try:
        summary = cohorts_import_apogee(
            instance=instance,
            data=base64.b64decode(upload["data"]),
            actor=request.user,  # type: ignore[arg-type]
        )
    except ApogeeFileRefused as refused:
        for error in refused.errors:
            messages.error(request, str(error))
        return redirect("admin_portal:apogee_import")
    del request.session[SESSION_KEY]
    messages.success(request, summary_message(summary))
    return redirect("admin_portal:apogee_import")

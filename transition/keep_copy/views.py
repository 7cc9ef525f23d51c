"""/requests/<id>/kept-copy/: the copy of what the reset deleted, for the course's teachers
and admins."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from transition import permissions
from transition.engine.storage import backup_storage
from transition.models import KeptCopy, TransitionRequest


@login_required
@require_GET
def kept_copy_download(request: HttpRequest, pk: int) -> FileResponse:
    transition = get_object_or_404(TransitionRequest.objects.select_related("course"), pk=pk)
    # Who may have it first, so that nobody else learns whether a copy exists.
    if not permissions.can_download_kept_copy(request.user, transition.course):
        raise PermissionDenied
    kept = get_object_or_404(KeptCopy.objects.select_related("course"), request=transition)
    storage = backup_storage()
    if not storage.exists(kept.storage_name):
        raise Http404(_("The copy is no longer stored."))
    return FileResponse(
        storage.open(kept.storage_name, "rb"),
        as_attachment=True,
        filename=f"{kept.course.shortname}-kept-copy.zip",
        content_type="application/zip",
    )

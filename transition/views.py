import logging

from django.contrib.auth.decorators import login_required
from django.core import signing
from django.db.models import Q
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseServerError,
)
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.views import defaults
from django.views.decorators.http import require_safe

from transition import selectors
from transition.engine.storage import backup_name_from_link_token, backup_storage, backup_stream
from transition.models import Course, TransitionRequest
from transition.permissions import is_staff_role

logger = logging.getLogger(__name__)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The signed-in person's courses, and the campaign in progress."""
    user = request.user
    # A fresh copy's new course shows here as soon as the copy made it, before the next sync
    # finds the teacher in it.
    copies = TransitionRequest.objects.filter(
        requested_by=user, target_course__isnull=False, target_course__gone_from_moodle_at=None
    ).values("target_course")
    taught = selectors.courses_for_teacher(user=user).values("pk")  # type: ignore[arg-type]
    own_courses = (
        Course.objects.filter(Q(pk__in=taught) | Q(pk__in=copies))
        .select_related("instance", "category")
        .order_by("instance__role", "shortname")
    )
    context = {
        "own_courses": own_courses,
        "campaign": selectors.campaign_active(),
        "all_courses_count": (
            selectors.courses_visible_to(user=user).count()  # type: ignore[arg-type]
            if is_staff_role(user)
            else None
        ),
    }
    return render(request, "transition/home.html", context)


@require_safe
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask /favicon.ico of pages that name no icon (a PDF, a JSON answer): the SVG one."""
    return redirect(static("favicon.svg"), permanent=True)


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page in the portal's layout and the person's language; Django's bare page if
    even that cannot be drawn (the database down, for instance)."""
    try:
        return HttpResponseServerError(render(request, "500.html").content)
    except Exception:
        logger.exception("the error page itself failed")
        return defaults.server_error(request, template_name="no-such-template.html")


@require_safe
def backup_fetch(request: HttpRequest, token: str) -> FileResponse:
    """A stored backup, for the Moodle restore that fetches one too large for its upload: no
    session, the signed token is the permission, and it expires (BACKUP_LINK_SECONDS)."""
    try:
        name = backup_name_from_link_token(token)
    except signing.BadSignature as error:
        raise Http404("This backup link is not valid or has expired.") from error
    if not backup_storage().exists(name):
        raise Http404("The backup file is no longer stored.")
    return FileResponse(
        backup_stream(name),
        as_attachment=True,
        filename="passage-restore.mbz",
        content_type="application/vnd.moodle.backup",
    )

import logging

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.views import defaults
from django.views.decorators.http import require_safe

from transition import selectors
from transition.permissions import is_staff_role

logger = logging.getLogger(__name__)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The signed-in person's courses, and the campaign in progress."""
    user = request.user
    own_courses = selectors.courses_for_teacher(user=user)  # type: ignore[arg-type]
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

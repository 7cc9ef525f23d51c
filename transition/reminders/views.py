"""An admin sends the reminder to choose now, from the dashboard."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from transition.models import Campaign
from transition.notifications.tasks import send_reminders_now
from transition.permissions import can_manage_campaigns


@login_required
@require_POST
def reminders_send_now_view(request: HttpRequest, campaign_id: int) -> HttpResponse:
    if not can_manage_campaigns(request.user):
        raise PermissionDenied
    campaign = get_object_or_404(Campaign, pk=campaign_id)
    if campaign.status != Campaign.Status.OPEN:
        messages.error(request, _("Choices are not open: there is nothing to remind."))
    else:
        transaction.on_commit(lambda: send_reminders_now.delay(campaign.pk))
        messages.success(
            request,
            _("The reminder is on its way to every teacher who still has a course to choose for."),
        )
    return redirect(f"{reverse('dashboard:index')}?campaign={campaign.pk}")

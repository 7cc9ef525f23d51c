"""`{% reminders_panel campaign %}`: on the dashboard, the courses still without a choice per
faculty, the campaign's reminder rounds, and the button that sends a reminder now."""

from __future__ import annotations

from typing import Any

from django import template

from transition.models import Campaign
from transition.reminders.selectors import courses_without_choice_by_faculty

register = template.Library()


@register.inclusion_tag("transition/reminders/_dashboard.html", takes_context=True)
def reminders_panel(context: dict[str, Any], campaign: Campaign) -> dict[str, Any]:
    faculties = courses_without_choice_by_faculty(campaign=campaign)
    return {
        "campaign": campaign,
        "faculties": faculties,
        "total": sum(row.courses for row in faculties),
        "can_send": campaign.status == Campaign.Status.OPEN,
        "csrf_token": context.get("csrf_token"),
    }

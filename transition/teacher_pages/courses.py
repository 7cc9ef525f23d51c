"""/courses/: the teacher's courses this campaign, where each stands, and the selection."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from transition.models import Category, Course, MoodleInstance, TransitionRequest
from transition.outcome import moodle_course_url
from transition.selectors import campaign_active, courses_for_teacher
from transition.teaching import (
    NO_CHOICE,
    campaign_courses_for_teacher,
    course_archived_q,
    latest_requests,
)

Status = TransitionRequest.Status
# The statuses a teacher tells apart on this page; approved waits for its run like scheduled,
# changes requested is back with the teacher like a draft.
SHOWN_STATUS = {
    Status.DRAFT: Status.DRAFT,
    Status.CHANGES_REQUESTED: Status.DRAFT,
    Status.PENDING_APPROVAL: Status.PENDING_APPROVAL,
    Status.APPROVED: Status.SCHEDULED,
    Status.SCHEDULED: Status.SCHEDULED,
    Status.RUNNING: Status.RUNNING,
    Status.DONE: Status.DONE,
    Status.FAILED: Status.FAILED,
    Status.CANCELLED: NO_CHOICE,
    Status.REJECTED: NO_CHOICE,
}
STATUS_LABELS = {
    NO_CHOICE: _("No choice yet"),
    Status.DRAFT: _("Draft"),
    Status.PENDING_APPROVAL: _("Waiting for approval"),
    Status.SCHEDULED: _("Scheduled"),
    Status.RUNNING: _("Running"),
    Status.DONE: _("Done"),
    Status.FAILED: _("Failed"),
}


@dataclass(frozen=True)
class CourseLine:
    course: Course
    status: str
    request: TransitionRequest | None

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])

    @property
    def new_course(self) -> Course | None:
        """The fresh copy's new course, as soon as the copy made it."""
        return self.request.target_course if self.request is not None else None

    @property
    def new_course_url(self) -> str:
        return moodle_course_url(self.new_course) if self.new_course is not None else ""

    @property
    def selectable(self) -> bool:
        """A course with an open request cannot start another one."""
        return self.request is None or self.request.status not in TransitionRequest.OPEN_STATUSES


@login_required
def course_list(request: HttpRequest) -> HttpResponse:
    campaign = campaign_active()
    if campaign is None:
        return render(request, "transition/courses/list.html", {"campaign": None})
    courses = campaign_courses_for_teacher(user=request.user, campaign=campaign)  # type: ignore[arg-type]
    # A course archived by this campaign's own fresh copy stays in the list, with its new course.
    archived_here = (
        courses_for_teacher(user=request.user)  # type: ignore[arg-type]
        .filter(requests__campaign=campaign, instance__role=MoodleInstance.Role.CURRENT)
        .filter(course_archived_q(campaign=campaign))
    )
    courses = (courses | archived_here).distinct()
    categories = Category.objects.filter(courses__in=courses).distinct().order_by("name")
    search = request.GET.get("q", "").strip()
    if search:
        courses = courses.filter(
            Q(shortname__icontains=search) | Q(fullname__icontains=search) | Q(idnumber=search)
        )
    category = request.GET.get("category", "")
    if category.isdigit():
        courses = courses.filter(category_id=int(category))
    requests = latest_requests(campaign=campaign, courses=courses)
    lines = []
    for course in courses:
        latest = requests.get(course.pk)
        status = SHOWN_STATUS[latest.status] if latest else NO_CHOICE
        lines.append(CourseLine(course=course, status=status, request=latest))
    wanted = request.GET.get("status", "")
    if wanted in STATUS_LABELS:
        lines = [line for line in lines if line.status == wanted]
    return render(
        request,
        "transition/courses/list.html",
        {
            "campaign": campaign,
            "lines": lines,
            "categories": categories,
            "statuses": [(code, str(label)) for code, label in STATUS_LABELS.items()],
            "filters": {"q": search, "category": category, "status": wanted},
        },
    )

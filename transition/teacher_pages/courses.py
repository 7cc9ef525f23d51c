"""/courses/: the teacher's courses this campaign, where each stands, and the selection."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.db.models import Exists, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.html import conditional_escape, format_html
from django.utils.translation import gettext_lazy as _

from transition.models import Category, Course, MoodleInstance, TransitionRequest
from transition.outcome import moodle_course_url
from transition.selectors import campaign_active, courses_for_teacher
from transition.teaching import (
    NO_CHOICE,
    campaign_courses_for_teacher,
    course_archived_q,
    created_by_campaign,
    creating_requests,
    latest_requests,
)

Status = TransitionRequest.Status
# What /courses/ shows for a course this campaign created: next year's already.
NEW_COURSE = "new_course"
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
    NEW_COURSE: _("New course this year"),
}


@dataclass(frozen=True)
class CourseLine:
    course: Course
    status: str
    request: TransitionRequest | None
    created_by: TransitionRequest | None = None  # the campaign's request that made the course
    archived: bool = False  # archived by this campaign's fresh copy: listed to follow its request

    @property
    def status_label(self) -> str:
        if self.created_by is not None:
            return self.created_from
        return str(STATUS_LABELS[self.status])

    @property
    def created_from(self) -> str:
        """ "New course created by the copy of CHIM232-2025": the source named as it was copied,
        before its archiving renamed it."""
        assert self.created_by is not None
        source = self.created_by.course.shortname.removeprefix(
            self.created_by.campaign.archive_prefix
        )
        if self.created_by.scenario == TransitionRequest.Scenario.FRESH_COPY:
            sentence = _("New course created by the copy of %(course)s")
        else:
            sentence = _("New course created by the restore of %(course)s")
        # The short name holds on one line, even on a phone.
        return format_html(
            conditional_escape(sentence).replace("%(course)s", "{}"),
            format_html('<span class="text-nowrap">{}</span>', source),
        )

    @property
    def new_course(self) -> Course | None:
        """The fresh copy's new course, as soon as the copy made it."""
        return self.request.target_course if self.request is not None else None

    @property
    def new_course_url(self) -> str:
        return moodle_course_url(self.new_course) if self.new_course is not None else ""

    @property
    def selectable(self) -> bool:
        """A course with an open request cannot start another one; a course this campaign
        created, or archived, is not prepared this campaign (the wizard does not offer it)."""
        if self.created_by is not None or self.archived:
            return False
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
    # A course this campaign created (a fresh copy's new course) is listed as its source's, as
    # soon as it exists: before the next sync finds the teacher in it.
    taught = courses_for_teacher(user=request.user).values("pk")  # type: ignore[arg-type]
    created_here = Course.objects.filter(
        Exists(
            created_by_campaign(campaign=campaign).filter(
                Q(requested_by=request.user) | Q(target_course__in=taught)
            )
        ),
        gone_from_moodle_at__isnull=True,
        instance__role=MoodleInstance.Role.CURRENT,
    ).distinct()
    courses = (courses | archived_here | created_here).distinct()
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
    created = creating_requests(campaign=campaign, courses=courses)
    archived = set(archived_here.values_list("pk", flat=True))
    lines = []
    for course in courses:
        latest = requests.get(course.pk)
        status = SHOWN_STATUS[latest.status] if latest else NO_CHOICE
        if course.pk in created:
            status = NEW_COURSE
        lines.append(
            CourseLine(
                course=course,
                status=status,
                request=latest,
                created_by=created.get(course.pk),
                archived=course.pk in archived,
            )
        )
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

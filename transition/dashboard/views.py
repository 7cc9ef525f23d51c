"""The campaign dashboard: live counts, progress chart, failures by cause, course statuses."""

import datetime
from collections.abc import Callable
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, ngettext_lazy
from django.views.decorators.http import require_GET, require_POST

from portal.dates import date_format
from transition import exports
from transition.dashboard import selectors
from transition.engine import services as engine
from transition.engine.breaker import transient_cause
from transition.errors import InvalidTransition, RequestAlreadyOpen
from transition.models import Campaign, Job, TransitionRequest
from transition.notifications.emails import mail_undelivered
from transition.permissions import can_manage_campaigns

FAILURES_ON_INDEX = 20
UNDELIVERED_SHOWN = 10
# What the engine answers when a retry or a cancel cannot happen: the job moved on meanwhile,
# or (a retry) the course has another request in progress (one open request per course).
_ENGINE_REFUSALS = (InvalidTransition, RequestAlreadyOpen)
PAGE_SIZE = 50


def _when(moment: datetime.datetime | None, fmt: str = "SHORT_DATETIME_FORMAT") -> str:
    """A time as people read it: in the portal's time zone and the page's language."""
    if moment is None:
        return "—"
    return date_format(timezone.localtime(moment), fmt)


def _outage_messages(progress: selectors.CampaignProgress) -> list[dict[str, object]]:
    return [
        {
            "id": outage.instance_id,
            "name": outage.name,
            "message": _(
                "Platform %(name)s unreachable since %(since)s (%(cause)s): its work waits, "
                "nothing fails, and it resumes by itself when Moodle answers again (next try "
                "%(next)s)."
            )
            % {
                "name": outage.name,
                "since": _when(outage.since, "H:i"),
                "cause": transient_cause(outage.error.partition(":")[0]) or outage.error[:100],
                "next": _when(outage.next_probe_at, "H:i:s"),
            },
            "cause": outage.error,
        }
        for outage in progress.outages
    ]


def _retrying_rows(jobs: list[Job]) -> list[dict[str, object]]:
    return [
        {
            "id": job.pk,
            "course": job.course.shortname if job.course else "—",
            "kind": job.get_kind_display(),
            "cause": transient_cause(job.last_error_code)
            or f"{job.last_error_code}: {job.last_error_message}"[:300],
            "details": job.last_error_message[:1000],
            "attempt": _("%(done)d of %(max)d attempts made")
            % {"done": job.attempts, "max": job.max_attempts},
            "next_try": _when(job.not_before, "H:i:s"),
        }
        for job in jobs
    ]


def _chart(progress: selectors.CampaignProgress) -> dict[str, object]:
    """The chart's points with their hour as people read it (the portal's time zone)."""
    points = selectors.progress_chart(progress=progress)
    multiday = len({timezone.localtime(hour).date() for hour, _done in points}) > 1
    done = points[-1][1] if points else 0
    return {
        "points": [[_when(hour, "d/m H:i" if multiday else "H:i"), done] for hour, done in points],
        "planned": progress.total_jobs,
        "planned_label": ngettext(
            "%(count)d job planned", "%(count)d jobs planned", progress.total_jobs
        )
        % {"count": progress.total_jobs},
        "done_label": ngettext("%(count)d finished", "%(count)d finished", done) % {"count": done},
    }


def _estimate_label(progress: selectors.CampaignProgress) -> str:
    if progress.estimate_blocked:
        return _("Unknown while a platform does not answer")
    return _when(progress.estimated_finish)


def _require_admin(request: HttpRequest) -> None:
    if not can_manage_campaigns(request.user):
        raise PermissionDenied


def _campaign_or_404(request: HttpRequest) -> Campaign:
    campaign = selectors.campaign_for_dashboard(request.GET.get("campaign"))
    if campaign is None:
        raise Http404(_("No campaign yet."))
    return campaign


def _back(request: HttpRequest, campaign: Campaign) -> HttpResponse:
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = ""
    return redirect(target or f"{reverse('dashboard:index')}?campaign={campaign.pk}")


@login_required
@require_GET
def dashboard_index(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    campaign = selectors.campaign_for_dashboard(request.GET.get("campaign"))
    if campaign is None:
        return render(request, "transition/dashboard/no_campaign.html")
    progress = selectors.campaign_progress(campaign=campaign)
    return render(
        request,
        "transition/dashboard/index.html",
        {
            "campaign": campaign,
            "campaigns": selectors.campaigns_for_dashboard(),
            "progress": progress,
            "outages": _outage_messages(progress),
            "retrying_jobs": _retrying_rows(
                list(selectors.jobs_retrying(campaign=campaign)[: selectors.RETRYING_SHOWN])
            ),
            "estimate_label": _estimate_label(progress),
            "chart": _chart(progress),
            "undelivered": mail_undelivered()[:UNDELIVERED_SHOWN],
            "undelivered_count": mail_undelivered().count(),
            "groups": selectors.jobs_failed_by_cause(campaign=campaign),
            "failures": selectors.jobs_failed(campaign=campaign)[:FAILURES_ON_INDEX],
            "job_statuses": Job.Status.choices,
            "request_statuses": TransitionRequest.Status.choices,
        },
    )


@login_required
@require_GET
def dashboard_status(request: HttpRequest) -> JsonResponse:
    """What the page's script polls to refresh itself without reloading."""
    _require_admin(request)
    campaign = _campaign_or_404(request)
    groups = selectors.jobs_failed_by_cause(campaign=campaign)
    progress = selectors.campaign_progress(campaign=campaign)
    return JsonResponse(
        {
            **progress.to_json(),
            "status_label": campaign.get_status_display(),
            "failure_groups": [{"errorcode": g.errorcode, "count": g.count} for g in groups],
            "outages": _outage_messages(progress),
            "retrying_jobs": _retrying_rows(
                list(selectors.jobs_retrying(campaign=campaign)[: selectors.RETRYING_SHOWN])
            ),
            "estimated_finish_label": _estimate_label(progress),
            "chart": _chart(progress),
            "refreshed_label": _when(timezone.now(), "H:i:s"),
        }
    )


@login_required
@require_GET
def dashboard_failures(request: HttpRequest) -> HttpResponse:
    """Every failure of one cause (`code`), or of every cause without it, with its course,
    message and history, a page at a time."""
    _require_admin(request)
    campaign = _campaign_or_404(request)
    errorcode = request.GET.get("code")
    jobs = selectors.jobs_failed(campaign=campaign, errorcode=errorcode)
    page = Paginator(jobs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = urlencode(
        {"campaign": campaign.pk, **({"code": errorcode} if errorcode is not None else {})}
    )
    return render(
        request,
        "transition/dashboard/failures.html",
        {
            "campaign": campaign,
            "errorcode": errorcode,
            "groups": selectors.jobs_failed_by_cause(campaign=campaign)
            if errorcode is None
            else [],
            "page": page,
            "query": query,
        },
    )


@login_required
@require_GET
def dashboard_courses(request: HttpRequest) -> HttpResponse:
    """The status of every course of the campaign, filterable, a page at a time."""
    _require_admin(request)
    campaign = _campaign_or_404(request)
    state = request.GET.get("state", "")
    search = request.GET.get("q", "").strip()
    page, rows = selectors.course_statuses_page(
        campaign=campaign,
        state=state,
        search=search,
        page_number=request.GET.get("page"),
        per_page=PAGE_SIZE,
    )
    request_labels = dict(TransitionRequest.Status.choices)
    scenario_labels = dict(TransitionRequest.Scenario.choices)
    job_labels = {**dict(Job.Status.choices), **dict(Job.Kind.choices)}
    for course in rows:
        course.request_status_label = request_labels.get(course.request_status, "")  # type: ignore[attr-defined]
        course.request_scenario_label = scenario_labels.get(course.request_scenario, "")  # type: ignore[attr-defined]
        course.job_status_label = job_labels.get(course.job_status, "")  # type: ignore[attr-defined]
        course.job_kind_label = job_labels.get(course.job_kind, "")  # type: ignore[attr-defined]
    query = request.GET.copy()
    query.pop("page", None)
    query["campaign"] = str(campaign.pk)
    return render(
        request,
        "transition/dashboard/courses.html",
        {
            "campaign": campaign,
            "page": page,
            "rows": rows,
            "state": state,
            "search": search,
            "query": query.urlencode(),
            "states": [
                ("", _("All courses")),
                (selectors.CourseState.NO_REQUEST, _("No choice")),
                (selectors.CourseState.PENDING, _("Waiting for approval")),
                (selectors.CourseState.RUNNING, _("Under way")),
                (selectors.CourseState.FAILED, _("Failed")),
                (selectors.CourseState.DONE, _("Done")),
            ],
        },
    )


def _job_action(
    request: HttpRequest, job_id: int, action: Callable[..., Job], done: str
) -> HttpResponse:
    _require_admin(request)
    job = get_object_or_404(Job.objects.select_related("campaign", "course"), pk=job_id)
    try:
        action(job_id=job.pk, actor=request.user)
    except RequestAlreadyOpen as refusal:
        messages.error(request, str(refusal))
    except InvalidTransition:
        messages.error(
            request,
            _(
                "Nothing was done: the job changed meanwhile, or its course has another "
                "request in progress."
            ),
        )
    else:
        messages.success(
            request, done % {"kind": job.get_kind_display(), "course": job.course or "—"}
        )
    if job.campaign is None:
        return redirect("dashboard:index")
    return _back(request, job.campaign)


@login_required
@require_POST
def job_retry(request: HttpRequest, job_id: int) -> HttpResponse:
    return _job_action(request, job_id, engine.job_retry, _("%(kind)s of %(course)s queued again."))


@login_required
@require_POST
def job_cancel(request: HttpRequest, job_id: int) -> HttpResponse:
    return _job_action(request, job_id, engine.job_cancel, _("%(kind)s of %(course)s cancelled."))


def _group_action(
    request: HttpRequest,
    campaign_id: int,
    action: Callable[..., Job],
    done: Promise,
) -> HttpResponse:
    _require_admin(request)
    campaign = get_object_or_404(Campaign, pk=campaign_id)
    errorcode = request.POST.get("code", "")
    changed = skipped = 0
    for job_id in selectors.failed_job_ids(campaign=campaign, errorcode=errorcode):
        try:
            action(job_id=job_id, actor=request.user)
        except _ENGINE_REFUSALS:
            skipped += 1
        else:
            changed += 1
    messages.success(request, done % {"count": changed, "code": errorcode or _("no error code")})
    if skipped:
        messages.warning(
            request,
            ngettext(
                "%(count)d job was left as it is: it changed meanwhile, or its course has "
                "another request in progress.",
                "%(count)d jobs were left as they are: they changed meanwhile, or their course "
                "has another request in progress.",
                skipped,
            )
            % {"count": skipped},
        )
    return _back(request, campaign)


@login_required
@require_POST
def group_retry(request: HttpRequest, campaign_id: int) -> HttpResponse:
    return _group_action(
        request,
        campaign_id,
        engine.job_retry,
        ngettext_lazy(
            "%(count)d failed job (%(code)s) queued again.",
            "%(count)d failed jobs (%(code)s) queued again.",
            "count",
        ),
    )


@login_required
@require_POST
def group_cancel(request: HttpRequest, campaign_id: int) -> HttpResponse:
    return _group_action(
        request,
        campaign_id,
        engine.job_cancel,
        ngettext_lazy(
            "%(count)d failed job (%(code)s) cancelled.",
            "%(count)d failed jobs (%(code)s) cancelled.",
            "count",
        ),
    )


@login_required
@require_POST
def campaign_pause_view(request: HttpRequest, campaign_id: int) -> HttpResponse:
    _require_admin(request)
    campaign = get_object_or_404(Campaign, pk=campaign_id)
    try:
        engine.campaign_pause(campaign=campaign, actor=request.user)  # type: ignore[arg-type]
    except InvalidTransition:
        messages.error(request, _("Only a running campaign can be paused."))
    else:
        messages.success(request, _("Campaign paused: no new Moodle operation starts."))
    return _back(request, campaign)


@login_required
@require_POST
def campaign_resume_view(request: HttpRequest, campaign_id: int) -> HttpResponse:
    _require_admin(request)
    campaign = get_object_or_404(Campaign, pk=campaign_id)
    try:
        engine.campaign_resume(campaign=campaign, actor=request.user)  # type: ignore[arg-type]
    except InvalidTransition:
        messages.error(request, _("Only a paused campaign can be resumed."))
    else:
        messages.success(request, _("Campaign resumed."))
    return _back(request, campaign)


@login_required
@require_GET
def export_csv(request: HttpRequest) -> StreamingHttpResponse:
    _require_admin(request)
    campaign = _campaign_or_404(request)
    response = StreamingHttpResponse(
        exports.export_csv_lines(campaign=campaign), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="passage-{campaign.academic_year}.csv"'
    return response


@login_required
@require_GET
def export_xlsx(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    campaign = _campaign_or_404(request)
    response = HttpResponse(
        exports.export_xlsx(campaign=campaign),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="passage-{campaign.academic_year}.xlsx"'
    )
    return response

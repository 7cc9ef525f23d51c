"""The engineers' approvals queue: see a special request, decide, or approve a faculty at once."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from transition.approvals import selectors, services
from transition.approvals.forms import (
    DECISIONS,
    ApprovalFilterForm,
    ApproveForm,
    BulkApproveForm,
    CommentForm,
)
from transition.errors import TransitionError
from transition.models import TransitionRequest
from transition.permissions import can_decide_requests

PAGE_SIZE = 50


def _require_decider(request: HttpRequest) -> None:
    if not can_decide_requests(request.user):
        raise PermissionDenied


@login_required
def approvals_index(request: HttpRequest) -> HttpResponse:
    _require_decider(request)
    filter_form = ApprovalFilterForm(
        request.GET or None, categories=selectors.categories_with_pending_requests()
    )
    pending = selectors.requests_awaiting_approval(filters=filter_form.filters())
    page = Paginator(pending, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(item, selectors.request_special_kinds(item)) for item in page]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "transition/approvals/index.html",
        {
            "filter_form": filter_form,
            "page": page,
            "rows": rows,
            "query": query.urlencode(),
            "bulk_form": BulkApproveForm(),
        },
    )


@login_required
def approvals_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require_decider(request)
    item = get_object_or_404(
        TransitionRequest.objects.select_related(
            "course",
            "course__category",
            "course__instance",
            "campaign",
            "requested_by",
            "decided_by",
            "target_course",
            "source_course",
        ),
        pk=pk,
    )
    return render(
        request,
        "transition/approvals/detail.html",
        {
            "item": item,
            "kinds": selectors.request_special_kinds(item),
            "review": selectors.request_review(item),
            "plan": selectors.request_approval_plan(item),
            "approve_form": ApproveForm(),
            "reject_form": CommentForm(prefix="reject"),
            "changes_form": CommentForm(prefix="changes"),
        },
    )


@login_required
@require_POST
def approvals_decide(request: HttpRequest, pk: int, decision: str) -> HttpResponse:
    _require_decider(request)
    if decision not in DECISIONS:
        raise PermissionDenied
    item = get_object_or_404(TransitionRequest.objects.select_related("course"), pk=pk)
    prefix = {"approve": None, "reject": "reject", "ask_changes": "changes"}[decision]
    form = DECISIONS[decision](request.POST, prefix=prefix)
    if not form.is_valid():
        messages.error(
            request,
            _("Please correct the form: %(errors)s")
            % {"errors": "; ".join(str(e) for errors in form.errors.values() for e in errors)},
        )
        return redirect("approvals:detail", pk=pk)
    actor = request.user
    data = form.cleaned_data
    course = item.course.shortname
    try:
        if decision == "approve":
            services.request_approve(
                request=item, actor=actor, run_at=data["run_at"], comment=data["comment"]
            )
            done = _("%(course)s: approved.")
        elif decision == "reject":
            services.request_reject(request=item, actor=actor, comment=data["comment"])
            done = _("%(course)s: rejected.")
        else:
            services.request_ask_changes(request=item, actor=actor, comment=data["comment"])
            done = _("%(course)s: sent back to the teacher.")
    except TransitionError as refusal:
        messages.error(request, str(refusal))
        return redirect("approvals:detail", pk=pk)
    messages.success(request, done % {"course": course})
    return redirect("approvals:index")


@login_required
@require_POST
def approvals_bulk_approve(request: HttpRequest) -> HttpResponse:
    _require_decider(request)
    form = BulkApproveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a faculty to approve."))
        return redirect("approvals:index")
    pending = selectors.requests_awaiting_approval(
        filters=selectors.ApprovalFilters(
            faculty=form.cleaned_data["faculty"], campaign=form.cleaned_data["campaign"]
        )
    )
    try:
        result = services.requests_bulk_approve(
            requests=list(pending),
            actor=request.user,  # type: ignore[arg-type]
            run_at=form.cleaned_data["run_at"],
        )
    except TransitionError as refusal:
        messages.error(request, str(refusal))
        return redirect("approvals:index")
    messages.success(
        request,
        ngettext(
            "%(count)d request approved in %(faculty)s.",
            "%(count)d requests approved in %(faculty)s.",
            len(result.approved),
        )
        % {"count": len(result.approved), "faculty": form.cleaned_data["faculty"].name},
    )
    for request_id, why in result.skipped:
        messages.warning(
            request, _("Request %(id)d left as it is: %(why)s") % {"id": request_id, "why": why}
        )
    return redirect("approvals:index")

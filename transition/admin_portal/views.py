"""Admins' pages: Moodle platforms and their connection check, campaigns, policies, operations."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_POST

from transition import selectors
from transition.admin_portal import operations, restore, services
from transition.admin_portal.forms import (
    CampaignForm,
    OperationRunForm,
    PolicyCopyForm,
    PolicyRulesForm,
    RestoreConfirmForm,
    RestoreForm,
)
from transition.errors import InvalidTransition, TransitionError
from transition.forms import MoodleInstanceAdminForm
from transition.models import Backup, Campaign, Course, MoodleInstance, Policy
from transition.permissions import can_manage_campaigns
from transition.policy_options import UnsupportedRule
from transition.services import campaigns as campaign_services
from transition.services.instances import instance_check, instance_save
from transition.services.policies import CAEN_POLICY_NAME
from transition.services.retention import backups_due_for_purge, backups_purge


def _require_admin(request: HttpRequest) -> None:
    if not can_manage_campaigns(request.user):
        raise PermissionDenied


# ---------------------------------------------------------------- index


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """Where every admin page starts: one link each, operations per campaign."""
    _require_admin(request)
    return render(
        request,
        "transition/admin_portal/index.html",
        {"campaigns": Campaign.objects.order_by("-academic_year")},
    )


# ---------------------------------------------------------------- platforms


@login_required
def instances_list(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    return render(
        request,
        "transition/admin_portal/instances.html",
        {"instances": MoodleInstance.objects.order_by("role", "name")},
    )


@login_required
@require_POST
def instance_test(request: HttpRequest, pk: int) -> HttpResponse:
    """Run the check now (one short Moodle call) and show its result function by function."""
    _require_admin(request)
    instance = get_object_or_404(MoodleInstance, pk=pk)
    report = instance_check(instance=instance)
    return render(
        request,
        "transition/admin_portal/instances.html",
        {
            "instances": MoodleInstance.objects.order_by("role", "name"),
            "tested": instance,
            "report": report,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def instance_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Add or change a platform; the token is typed in, stored encrypted, never shown back."""
    _require_admin(request)
    instance = get_object_or_404(MoodleInstance, pk=pk) if pk is not None else None
    form = MoodleInstanceAdminForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = instance_save(
                instance=MoodleInstance.objects.get(pk=instance.pk) if instance else None,
                actor=request.user,  # type: ignore[arg-type]
                name=data["name"],
                url=data["url"],
                role=data["role"],
                concurrency_limit=data["concurrency_limit"],
                token=data.get("token") or "",
                token_env_var=data.get("token_env_var") or "",
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Platform %(name)s saved. Test its connection below.") % {"name": saved.name},
            )
            return redirect("admin_portal:instances")
    return render(
        request,
        "transition/admin_portal/instance_form.html",
        {"form": form, "instance": instance},
    )


# ---------------------------------------------------------------- campaigns

# The buttons that move a campaign along, and the service behind each (pausing and resuming are
# on the dashboard, beside the jobs they stop).
CAMPAIGN_MOVE_BUTTONS: dict[str, tuple[Promise, Callable[..., Campaign]]] = {
    "open": (gettext_lazy("Open for choices"), campaign_services.campaign_open),
    "lock": (gettext_lazy("Lock the choices"), campaign_services.campaign_lock),
    "start": (gettext_lazy("Start the run"), campaign_services.campaign_start),
    "finish": (gettext_lazy("Mark as done"), campaign_services.campaign_finish),
}


@login_required
def campaigns_list(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    campaigns = Campaign.objects.select_related("policy").order_by("-academic_year")
    rows = []
    for campaign in campaigns:
        allowed = campaign_services.campaign_moves_allowed(campaign)
        moves = [
            (name, label)
            for name, (label, _service) in CAMPAIGN_MOVE_BUTTONS.items()
            if name in allowed
        ]
        rows.append((campaign, moves))
    return render(request, "transition/admin_portal/campaigns.html", {"rows": rows})


@login_required
@require_http_methods(["GET", "POST"])
def campaign_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    _require_admin(request)
    campaign = get_object_or_404(Campaign, pk=pk) if pk is not None else None
    initial = {}
    if campaign is None:
        caen = Policy.objects.filter(name=CAEN_POLICY_NAME).first()  # created by migrate
        initial = {"policy": caen, "archive_prefix": "ex_"}
    form = CampaignForm(request.POST or None, instance=campaign, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        excluded = data.pop("excluded_categories")
        try:
            if campaign is None:
                campaign = campaign_services.campaign_create(
                    **data, excluded_categories=excluded, actor=request.user
                )
            else:
                services.campaign_update(
                    campaign=campaign, actor=request.user, excluded_categories=excluded, **data
                )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("Campaign %(year)s saved.") % {"year": campaign.academic_year}
            )
            return redirect("admin_portal:campaigns")
    return render(
        request, "transition/admin_portal/campaign_form.html", {"form": form, "campaign": campaign}
    )


@login_required
@require_POST
def campaign_move(request: HttpRequest, pk: int, move: str) -> HttpResponse:
    _require_admin(request)
    campaign = get_object_or_404(Campaign, pk=pk)
    if move not in CAMPAIGN_MOVE_BUTTONS:
        raise PermissionDenied
    label, service = CAMPAIGN_MOVE_BUTTONS[move]
    try:
        service(campaign=campaign, actor=request.user)
    except InvalidTransition:
        messages.error(
            request,
            _("%(action)s is not possible while the campaign is %(status)s.")
            % {"action": label, "status": campaign.get_status_display()},
        )
    else:
        messages.success(
            request,
            _("Campaign %(year)s: %(status)s.")
            % {"year": campaign.academic_year, "status": campaign.get_status_display()},
        )
    return redirect("admin_portal:campaigns")


# ---------------------------------------------------------------- policies


@login_required
def policies_list(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    form = PolicyCopyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        policy = services.policy_copy(
            source=form.cleaned_data["source"], name=form.cleaned_data["name"], actor=request.user
        )
        return redirect("admin_portal:policy_edit", pk=policy.pk)
    return render(
        request,
        "transition/admin_portal/policies.html",
        {"policies": Policy.objects.prefetch_related("campaigns"), "form": form},
    )


@login_required
@require_http_methods(["GET", "POST"])
def policy_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _require_admin(request)
    policy = get_object_or_404(Policy, pk=pk)
    form = PolicyRulesForm(request.POST or None, policy=policy)
    if request.method == "POST" and form.is_valid():
        try:
            services.policy_update_rules(policy=policy, rules=form.rules(), actor=request.user)
        except (services.PolicyInUse, UnsupportedRule) as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(request, _("Policy saved."))
            return redirect("admin_portal:policy_edit", pk=policy.pk)
    return render(
        request, "transition/admin_portal/policy_form.html", {"policy": policy, "form": form}
    )


# ---------------------------------------------------------------- campaign operations


@dataclass(frozen=True)
class Operation:
    name: str
    title: Promise
    description: Promise
    preview: Callable[..., operations.OperationPreview]
    run: Callable[..., int]


OPERATIONS = {
    op.name: op
    for op in (
        Operation(
            "backup_week",
            gettext_lazy("Backup week"),
            gettext_lazy(
                "Back up every course of the campaign in the backup window, so that any course "
                "can be restored on request later."
            ),
            operations.backup_week_preview,
            operations.backup_week_run,
        ),
        Operation(
            "archive",
            gettext_lazy("Archive the courses that left the curriculum"),
            gettext_lazy(
                "Courses whose code is not in the latest Apogée import: back up, delete the "
                "student traces (content kept), rename with the prefix, move to the archive "
                "category."
            ),
            operations.archive_preview,
            operations.archive_run,
        ),
        Operation(
            "default_transition",
            gettext_lazy("Default transition"),
            gettext_lazy(
                "Every course without a choice from its teachers gets the policy's reset at the "
                "run date, after its backup. Excluded categories are left alone."
            ),
            operations.default_transition_preview,
            operations.default_transition_run,
        ),
    )
}


@login_required
def campaign_operations(request: HttpRequest, pk: int) -> HttpResponse:
    """Each operation with how many courses it touches, before anything runs."""
    _require_admin(request)
    campaign = get_object_or_404(
        Campaign.objects.select_related("policy", "archive_category"), pk=pk
    )
    previews = [(op, op.preview(campaign=campaign)) for op in OPERATIONS.values()]
    return render(
        request,
        "transition/admin_portal/operations.html",
        {
            "campaign": campaign,
            "previews": [
                (op, preview, OperationRunForm(prefix=op.name, initial={"expected": preview.count}))
                for op, preview in previews
            ],
        },
    )


@login_required
@require_POST
def campaign_operation_run(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    _require_admin(request)
    campaign = get_object_or_404(
        Campaign.objects.select_related("policy", "archive_category"), pk=pk
    )
    operation = OPERATIONS.get(name)
    if operation is None:
        raise PermissionDenied
    back = reverse("admin_portal:operations", args=[campaign.pk])
    form = OperationRunForm(request.POST, prefix=operation.name)
    if not form.is_valid():
        messages.error(request, _("Tick the confirmation to run %(op)s.") % {"op": operation.title})
        return redirect(back)
    if operation.preview(campaign=campaign).count != form.cleaned_data["expected"]:
        messages.warning(
            request,
            _("The number of courses changed since the preview; read it again before running."),
        )
        return redirect(back)
    try:
        count = operation.run(campaign=campaign, actor=request.user)
    except TransitionError as refusal:
        messages.error(request, str(refusal))
        return redirect(back)
    messages.success(
        request,
        _("%(op)s: %(count)d courses queued. Follow them on the dashboard.")
        % {"op": operation.title, "count": count},
    )
    return redirect(f"{reverse('dashboard:index')}?campaign={campaign.pk}")


# ---------------------------------------------------------------- restore on request


@login_required
def restore_search(request: HttpRequest) -> HttpResponse:
    """Find the stored backups of a course by its code, as teachers ask for it."""
    _require_admin(request)
    code = request.GET.get("q", "").strip()
    return render(
        request,
        "transition/admin_portal/restore_search.html",
        {"code": code, "backups": restore.backups_matching(code=code) if code else []},
    )


def _choice_as_initial(data: dict[str, Any]) -> dict[str, object]:
    """The choice as hidden fields carry it: objects by their id."""
    return {
        name: (value.pk if hasattr(value, "pk") else _field_value(value))
        for name, value in data.items()
        if value not in (None, "")
    }


def _field_value(value: object) -> object:
    """A yes/no choice as its field posts it ("1"/"0")."""
    if isinstance(value, bool):
        return "1" if value else "0"
    return value


def _restore_initial(backup: Backup) -> dict[str, object]:
    same = Course.objects.filter(
        instance__role=MoodleInstance.Role.CURRENT, shortname=backup.course.shortname
    ).first()
    return {"target": same, "mode": "delete", "campaign": selectors.campaign_active()}


@login_required
def restore_prepare(request: HttpRequest, backup_id: int) -> HttpResponse:
    """Choose the target and mode; with them, read the review from Moodle and ask to confirm."""
    _require_admin(request)
    backup = get_object_or_404(
        Backup.objects.select_related("course", "source_instance", "campaign"),
        pk=backup_id,
        verified_at__isnull=False,
    )
    form = RestoreForm(request.GET or None, initial=_restore_initial(backup))
    review = confirm = None
    if request.GET and form.is_valid():
        data = form.cleaned_data
        try:
            # A new course is empty: nothing it holds is lost, only what comes back is counted.
            if form.is_new_course:
                review = restore.restore_new_course_review(backup=backup, users=data["users"])
            else:
                review = restore.restore_review(
                    backup=backup,
                    actor=request.user,
                    target=data["target"],
                    mode=data["mode"],
                    campaign=data["campaign"],
                    users=data["users"],
                )
        except restore.ReviewBlocked as refusal:
            messages.error(request, str(refusal))
        else:
            confirm = RestoreConfirmForm(initial=_choice_as_initial(data))
    return render(
        request,
        "transition/admin_portal/restore_prepare.html",
        {
            "backup": backup,
            "form": form,
            "review": review,
            "confirm": confirm,
            "new_course": confirm is not None and form.is_new_course,
        },
    )


@login_required
@require_POST
def restore_confirm(request: HttpRequest, backup_id: int) -> HttpResponse:
    _require_admin(request)
    backup = get_object_or_404(
        Backup.objects.select_related("course", "source_instance"),
        pk=backup_id,
        verified_at__isnull=False,
    )
    form = RestoreConfirmForm(request.POST)
    back = reverse("admin_portal:restore_prepare", args=[backup.pk])
    if not form.is_valid():
        messages.error(request, _("Tick the confirmation after reading the review."))
        return redirect(back)
    data = form.cleaned_data
    try:
        target = data["target"]
        if form.is_new_course:
            target = restore.restore_target_create(
                shortname=data["new_shortname"],
                fullname=data["new_fullname"],
                category=data["new_category"],
                actor=request.user,
            )
        choice = {
            "target": target,
            "mode": data["mode"],
            "campaign": data["campaign"],
            "users": data["users"],
        }
        # Read again: the confirmed review is the one of the course as it is now.
        review = restore.restore_review(backup=backup, actor=request.user, **choice)
        created = restore.restore_request_create(
            backup=backup, actor=request.user, review=review, **choice
        )
    except TransitionError as refusal:
        messages.error(request, str(refusal))
        return redirect(back)
    messages.success(
        request,
        _("Restore of %(course)s queued: it starts within a minute.")
        % {"course": created.course.shortname},
    )
    return redirect(f"{reverse('dashboard:index')}?campaign={created.campaign_id}")


@login_required
@require_http_methods(["GET", "POST"])
def backups_retention(request: HttpRequest) -> HttpResponse:
    """The backups the nightly purge would delete now, and a button to purge them at once."""
    _require_admin(request)
    if request.method == "POST":
        summary = backups_purge(actor=request.user)  # type: ignore[arg-type]
        messages.success(
            request,
            ngettext(
                "%(files)d backup file deleted (%(size)s).",
                "%(files)d backup files deleted (%(size)s).",
                summary.files,
            )
            % {"files": summary.files, "size": filesizeformat(summary.bytes)},
        )
        return redirect("admin_portal:backups_retention")
    due = list(backups_due_for_purge())
    return render(
        request,
        "transition/admin_portal/backups_retention.html",
        {"due": due, "total": sum(backup.size for backup in due)},
    )

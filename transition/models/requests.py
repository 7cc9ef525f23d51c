"""A teacher's choice for one course in one campaign."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from transition.models.campaigns import Campaign
from transition.models.catalogue import Course


class TransitionRequest(models.Model):
    class Scenario(models.TextChoices):
        # One name per scenario, on every page and e-mail (the wizard adds what each does).
        REUSE_RESET = "reuse_reset", _("Reuse and reset")
        FRESH_COPY = "fresh_copy", _("Fresh copy")
        RESTORE_PREVIOUS = "restore_previous", _("Restore from the previous platform")
        HAND_OVER = "hand_over", _("Hand over to a colleague")
        NO_CHANGE = "no_change", _("No change this year")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PENDING_APPROVAL = "pending_approval", _("Waiting for approval")
        CHANGES_REQUESTED = "changes_requested", _("Changes requested")
        APPROVED = "approved", _("Approved")
        SCHEDULED = "scheduled", _("Scheduled")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Cancelled")
        REJECTED = "rejected", _("Rejected")

    # A course has at most one request in these states: two people never transform one course.
    OPEN_STATUSES = (
        Status.DRAFT,
        Status.PENDING_APPROVAL,
        Status.CHANGES_REQUESTED,
        Status.APPROVED,
        Status.SCHEDULED,
        Status.RUNNING,
    )

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="requests")
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="requests")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="transition_requests"
    )
    scenario = models.CharField(_("scenario"), max_length=20, choices=Scenario.choices)
    # The exact Moodle reset options ({name: value}) the teacher confirmed.
    options = models.JSONField(_("reset options"), default=dict, blank=True)
    # Cohort swaps: [{"remove": enrol instance id, "add": cohort idnumber, "role": ..., ...}].
    cohort_changes = models.JSONField(_("cohort changes"), default=list, blank=True)
    # What the review step showed (counts read from Moodle), kept as the teacher saw it.
    review_snapshot = models.JSONField(_("review snapshot"), default=dict, blank=True)
    # fresh_copy / restore_previous: the course the content goes to or comes from.
    target_course = models.ForeignKey(
        Course, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    source_course = models.ForeignKey(
        Course, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    successor_username = models.CharField(_("successor's username"), max_length=150, blank=True)
    special_start_date = models.DateField(_("special calendar: opens"), null=True, blank=True)
    special_end_date = models.DateField(_("special calendar: closes"), null=True, blank=True)
    special_reason = models.TextField(_("special calendar: reason"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    run_at = models.DateTimeField(_("run at"), null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_comment = models.TextField(_("decision comment"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("transition request")
        verbose_name_plural = _("transition requests")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["course"],
                condition=Q(
                    status__in=[
                        "draft",
                        "pending_approval",
                        "changes_requested",
                        "approved",
                        "scheduled",
                        "running",
                    ]
                ),
                name="request_one_open_per_course",
            ),
            models.CheckConstraint(
                condition=Q(special_end_date__isnull=True)
                | Q(special_start_date__isnull=True)
                | Q(special_end_date__gt=models.F("special_start_date")),
                name="request_special_dates_ordered",
            ),
        ]
        indexes = [models.Index(fields=["campaign", "status"])]

    def __str__(self) -> str:
        return f"{self.course.shortname} ({self.get_scenario_display()})"

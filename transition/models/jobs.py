"""One row per Moodle operation the workers carry out, and the backups they take."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from transition.models.campaigns import Campaign
from transition.models.catalogue import Course
from transition.models.instances import MoodleInstance
from transition.models.requests import TransitionRequest


class Job(models.Model):
    """A unit of work against Moodle. Its state lives here, not in Celery.

    `idempotency_key` is also sent to Moodle as the operation key, so a retried job finds the
    operation it already started instead of starting a second one.
    """

    class Kind(models.TextChoices):
        GRADE_EXPORT = "grade_export", _("Grade export")
        KEEP_COPY = "keep_copy", _("Copy of what the reset deletes")
        ANNOUNCEMENT = "announcement", _("Announcement to students")
        BACKUP = "backup", _("Backup (checked before any change)")
        VERIFY = "verify", _("Check of the result against the review")
        RESET = "reset", _("Reset")
        COPY = "copy", _("Copy")
        ARCHIVE = "archive", _("Archive")
        RESTORE = "restore", _("Restore")
        HAND_OVER = "hand_over", _("Hand over")
        COHORT_RESYNC = "cohort_resync", _("Cohort swap")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        WAITING = "waiting", _("Waiting")
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Cancelled")

    request = models.ForeignKey(
        TransitionRequest, on_delete=models.CASCADE, null=True, blank=True, related_name="jobs"
    )
    campaign = models.ForeignKey(
        Campaign, on_delete=models.PROTECT, null=True, blank=True, related_name="jobs"
    )
    course = models.ForeignKey(
        Course, on_delete=models.PROTECT, null=True, blank=True, related_name="jobs"
    )
    instance = models.ForeignKey(MoodleInstance, on_delete=models.PROTECT, related_name="jobs")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    position = models.PositiveSmallIntegerField(
        _("position"), default=0, help_text=_("Order of this job among its request's jobs.")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    max_attempts = models.PositiveSmallIntegerField(_("maximum attempts"), default=5)
    idempotency_key = models.CharField(_("idempotency key"), max_length=255, unique=True)
    moodle_operation_id = models.PositiveIntegerField(
        _("Moodle operation id"), null=True, blank=True
    )
    progress = models.FloatField(_("progress"), default=0.0)
    last_error_code = models.CharField(_("last error code"), max_length=100, blank=True)
    last_error_message = models.TextField(_("last error"), blank=True)
    not_before = models.DateTimeField(_("not before"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    locked_by = models.CharField(_("worker"), max_length=255, blank=True)
    result = models.JSONField(_("result"), default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("job")
        verbose_name_plural = _("jobs")
        ordering = ["created_at", "position"]
        constraints = [
            models.CheckConstraint(
                condition=Q(max_attempts__gt=0), name="job_max_attempts_positive"
            ),
            models.CheckConstraint(
                condition=Q(progress__gte=0) & Q(progress__lte=1), name="job_progress_fraction"
            ),
            models.CheckConstraint(
                condition=Q(
                    status__in=["queued", "waiting", "running", "succeeded", "failed", "cancelled"]
                ),
                name="job_status_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "campaign"]),
            models.Index(fields=["instance", "status"]),
            models.Index(fields=["last_error_code"]),
            models.Index(fields=["request", "position"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"


class Backup(models.Model):
    """A course backup file Passage downloaded and keeps, with what proves it is whole."""

    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="backups")
    campaign = models.ForeignKey(
        Campaign, on_delete=models.PROTECT, null=True, blank=True, related_name="backups"
    )
    job = models.OneToOneField(
        Job, on_delete=models.SET_NULL, null=True, blank=True, related_name="backup"
    )
    source_instance = models.ForeignKey(
        MoodleInstance, on_delete=models.PROTECT, related_name="backups"
    )
    storage_name = models.CharField(_("file"), max_length=500, unique=True)
    size = models.PositiveBigIntegerField(_("size in bytes"), default=0)
    sha1 = models.CharField(_("SHA-1"), max_length=40, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    moodle_contenthash = models.CharField(_("Moodle content hash"), max_length=40, blank=True)
    includes_users = models.BooleanField(_("includes user data"), default=False)
    # The course's content fingerprint (local_passage_get_content_fingerprint) read just before
    # the backup: while Moodle gives the same, the backup still holds the course as it is.
    content_fingerprint = models.CharField(_("content fingerprint"), max_length=40, blank=True)
    # The course's inventory (local_passage_get_course_inventory) read just before a backup
    # with user data: what a restore with user data brings back, counted for its review.
    inventory = models.JSONField(_("inventory"), default=dict, blank=True)
    verified_at = models.DateTimeField(_("verified"), null=True, blank=True)
    # The plugin's backup operation: Moodle's own copy of the file, deleted once this one is
    # verified (moodle_copy_deleted_at).
    moodle_operation_id = models.PositiveBigIntegerField(null=True, blank=True)
    moodle_copy_deleted_at = models.DateTimeField(_("Moodle's copy deleted"), null=True, blank=True)
    purged_at = models.DateTimeField(_("purged"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("backup")
        verbose_name_plural = _("backups")
        ordering = ["-created_at"]
        constraints = [
            # A backup is only "verified" once its checksums are recorded.
            models.CheckConstraint(
                condition=Q(verified_at__isnull=True) | (~Q(sha256="") & Q(size__gt=0)),
                name="backup_verified_has_checksum",
            ),
        ]
        indexes = [models.Index(fields=["course", "campaign"])]

    def __str__(self) -> str:
        return self.storage_name

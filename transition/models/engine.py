"""What the job engine keeps besides jobs: who holds a course, and who holds a Moodle slot."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from transition.models.catalogue import Course
from transition.models.instances import MoodleInstance
from transition.models.jobs import Job
from transition.models.requests import TransitionRequest


class CourseLock(models.Model):
    """A course being transformed by one request, from its start until it is done or cancelled.

    The unique course is the guarantee: a second request (or a campaign backup) that wants the
    course inserts a row and gets an IntegrityError, whatever worker it runs on. A failed request
    keeps its lock, because it can still be retried.
    """

    course = models.OneToOneField(Course, on_delete=models.CASCADE, related_name="engine_lock")
    request = models.ForeignKey(
        TransitionRequest,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="course_locks",
    )
    job = models.ForeignKey(
        Job, on_delete=models.CASCADE, null=True, blank=True, related_name="course_locks"
    )
    acquired_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("course lock")
        verbose_name_plural = _("course locks")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(request__isnull=False) | models.Q(job__isnull=False),
                name="courselock_has_holder",
            )
        ]

    def __str__(self) -> str:
        return f"{self.course_id} held by request {self.request_id} / job {self.job_id}"


class InstanceLease(models.Model):
    """One of a Moodle platform's concurrency slots, leased to a running job until `expires_at`.

    Used where Redis is not (the demo); `transition.engine.concurrency` keeps the same contract
    with a Redis sorted set. A lease not renewed in time is free again: a dead worker's slot
    comes back by itself.
    """

    instance = models.ForeignKey(MoodleInstance, on_delete=models.CASCADE, related_name="leases")
    slot = models.PositiveSmallIntegerField(_("slot"))
    holder = models.CharField(_("holder"), max_length=255, blank=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)

    class Meta:
        verbose_name = _("Moodle slot lease")
        verbose_name_plural = _("Moodle slot leases")
        constraints = [
            models.UniqueConstraint(fields=["instance", "slot"], name="instancelease_unique_slot")
        ]

    def __str__(self) -> str:
        return f"{self.instance_id}#{self.slot}: {self.holder or '-'}"

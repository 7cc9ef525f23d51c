"""The copy of what a reset deletes, built before the reset and kept with the request."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from transition.models.campaigns import Campaign
from transition.models.catalogue import Course
from transition.models.jobs import Job
from transition.models.requests import TransitionRequest


class KeptCopy(models.Model):
    """One course's archive (a zip in the backup storage): forum discussions, assignment
    submissions and grades, quiz attempts, the gradebook.

    It holds personal data: only the course's current teachers and admins may download it, and
    it is kept as long as the course's backups of the same campaign.
    """

    request = models.OneToOneField(
        TransitionRequest, on_delete=models.CASCADE, related_name="kept_copy"
    )
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="kept_copies")
    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="kept_copies")
    job = models.OneToOneField(
        Job, on_delete=models.SET_NULL, null=True, blank=True, related_name="kept_copy"
    )
    storage_name = models.CharField(_("file"), max_length=500, unique=True)
    size = models.PositiveBigIntegerField(_("size in bytes"), default=0)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    # What the archive holds, per kind ("forum_posts": 12, ...), and what Moodle counted just
    # before it was built: they are equal, or the archive is not kept.
    counts = models.JSONField(_("counts"), default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("kept copy")
        verbose_name_plural = _("kept copies")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.storage_name

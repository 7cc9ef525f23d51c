"""Student cohorts (from Apogée and Moodle) and which course enrols which cohort."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from transition.models.catalogue import Course
from transition.models.instances import MoodleInstance


class Cohort(models.Model):
    """A cohort of students, known from Moodle, from the Apogée export, or both.

    Moodle's cohort idnumber is the Apogée step code followed by its version (L1CHIM + 231 =
    L1CHIM231). A cohort imported from Apogée before it exists in Moodle has no `moodle_id`;
    the next sync links it by idnumber.
    """

    instance = models.ForeignKey(MoodleInstance, on_delete=models.CASCADE, related_name="cohorts")
    moodle_id = models.PositiveIntegerField(_("Moodle id"), null=True, blank=True)
    idnumber = models.CharField(_("ID number"), max_length=100, blank=True)
    name = models.CharField(_("name in Moodle"), max_length=255, blank=True)
    apogee_code = models.CharField(_("Apogée step code"), max_length=50, blank=True)
    apogee_version = models.CharField(_("Apogée version"), max_length=20, blank=True)
    label = models.CharField(_("label"), max_length=255, blank=True)
    component = models.CharField(_("component"), max_length=255, blank=True)
    campus = models.CharField(_("campus"), max_length=100, blank=True)
    # First calendar year of the academic year (2025 for 2025-2026).
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="predecessors",
        verbose_name=_("next year's cohort"),
    )
    imported_at = models.DateTimeField(_("imported from Apogée"), null=True, blank=True)
    gone_from_moodle_at = models.DateTimeField(_("gone from Moodle"), null=True, blank=True)
    synced_at = models.DateTimeField(_("synced"), null=True, blank=True)

    class Meta:
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")
        ordering = ["idnumber"]
        constraints = [
            models.UniqueConstraint(
                fields=["instance", "idnumber"],
                condition=~Q(idnumber=""),
                name="cohort_unique_idnumber",
            ),
            models.UniqueConstraint(
                fields=["instance", "moodle_id"],
                condition=Q(moodle_id__isnull=False),
                name="cohort_unique_moodle_id",
            ),
            models.CheckConstraint(
                condition=Q(successor__isnull=True) | ~Q(successor=models.F("id")),
                name="cohort_not_own_successor",
            ),
        ]

    def __str__(self) -> str:
        return self.idnumber or self.name


class CourseCohort(models.Model):
    """A cohort-sync enrolment instance of a course, as the companion plugin lists it."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="cohort_links")
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="course_links")
    enrol_instance_id = models.PositiveIntegerField(_("Moodle enrolment instance id"))
    role = models.CharField(_("role"), max_length=100, default="student")
    group_id = models.PositiveIntegerField(_("Moodle group id"), default=0)
    enabled = models.BooleanField(_("enabled"), default=True)
    users = models.PositiveIntegerField(_("enrolled users"), default=0)
    synced_at = models.DateTimeField(_("synced"), null=True, blank=True)

    class Meta:
        verbose_name = _("course cohort")
        verbose_name_plural = _("course cohorts")
        constraints = [
            models.UniqueConstraint(
                fields=["course", "enrol_instance_id"], name="coursecohort_unique_instance"
            )
        ]

    def __str__(self) -> str:
        return f"{self.course.shortname} ← {self.cohort}"

"""What Moodle says exists: categories, courses, people and who teaches what.

These tables mirror Moodle and are refreshed by `transition.services.sync`. A course that
disappears from Moodle is marked (`gone_from_moodle_at`), never deleted: requests, jobs and
backups keep pointing at it.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from transition.models.instances import MoodleInstance


class Category(models.Model):
    instance = models.ForeignKey(
        MoodleInstance, on_delete=models.CASCADE, related_name="categories"
    )
    moodle_id = models.PositiveIntegerField(_("Moodle id"))
    name = models.CharField(_("name"), max_length=255)
    idnumber = models.CharField(_("ID number"), max_length=100, blank=True)
    parent = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="children"
    )
    # Moodle's path of ids, e.g. "/1/4/12".
    path = models.CharField(_("path"), max_length=255, blank=True)
    gone_from_moodle_at = models.DateTimeField(_("gone from Moodle"), null=True, blank=True)
    synced_at = models.DateTimeField(_("synced"), null=True, blank=True)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["instance", "path"]
        constraints = [
            models.UniqueConstraint(fields=["instance", "moodle_id"], name="category_unique_id")
        ]

    def __str__(self) -> str:
        return self.name


class Course(models.Model):
    class CalendarType(models.TextChoices):
        STANDARD = "standard", _("Standard academic year")
        EARLY_OPENING = "early_opening", _("Opens before the start of the year")
        LATE_CLOSING = "late_closing", _("Closes after the start of the year")
        SHIFTED = "shifted", _("Shifted (opens during the year)")

    instance = models.ForeignKey(MoodleInstance, on_delete=models.CASCADE, related_name="courses")
    moodle_id = models.PositiveIntegerField(_("Moodle id"))
    shortname = models.CharField(_("short name"), max_length=255)
    fullname = models.CharField(_("full name"), max_length=255)
    idnumber = models.CharField(_("ID number"), max_length=100, blank=True)
    category = models.ForeignKey(
        Category, on_delete=models.SET_NULL, null=True, blank=True, related_name="courses"
    )
    startdate = models.DateTimeField(_("start date"), null=True, blank=True)
    enddate = models.DateTimeField(_("end date"), null=True, blank=True)
    visible = models.BooleanField(_("visible"), default=True)
    # Apogée code of the teaching the course belongs to; filled from the Moodle ID number when
    # empty, and editable by engineers when Moodle's ID number is not an Apogée code.
    curriculum_code = models.CharField(_("curriculum code"), max_length=100, blank=True)
    calendar_type = models.CharField(
        _("calendar"), max_length=20, choices=CalendarType.choices, default=CalendarType.STANDARD
    )
    gone_from_moodle_at = models.DateTimeField(_("gone from Moodle"), null=True, blank=True)
    synced_at = models.DateTimeField(_("synced"), null=True, blank=True)

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        ordering = ["shortname"]
        constraints = [
            models.UniqueConstraint(fields=["instance", "moodle_id"], name="course_unique_id"),
            models.CheckConstraint(
                condition=Q(enddate__isnull=True)
                | Q(startdate__isnull=True)
                | Q(enddate__gte=models.F("startdate")),
                name="course_dates_ordered",
            ),
        ]
        indexes = [models.Index(fields=["instance", "shortname"])]

    def __str__(self) -> str:
        return f"{self.shortname} — {self.fullname}"


class Person(models.Model):
    """A Django account linked to the Moodle user of the same username on one platform."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="moodle_people"
    )
    instance = models.ForeignKey(MoodleInstance, on_delete=models.CASCADE, related_name="people")
    moodle_userid = models.PositiveIntegerField(_("Moodle user id"))
    moodle_username = models.CharField(_("Moodle username"), max_length=100)
    firstname = models.CharField(_("first name"), max_length=100, blank=True)
    lastname = models.CharField(_("last name"), max_length=100, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    synced_at = models.DateTimeField(_("synced"), null=True, blank=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        constraints = [
            models.UniqueConstraint(
                fields=["instance", "moodle_userid"], name="person_unique_moodle_user"
            ),
            models.UniqueConstraint(fields=["instance", "user"], name="person_unique_user"),
        ]

    def __str__(self) -> str:
        return f"{self.moodle_username} @ {self.instance}"


class CourseRole(models.Model):
    """A role a person holds in a course, as Moodle reported it at the last sync."""

    EDITING_TEACHER = "editingteacher"
    TEACHER = "teacher"

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="roles")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="course_roles")
    role = models.CharField(_("role"), max_length=100)
    synced_at = models.DateTimeField(_("synced"), null=True, blank=True)

    class Meta:
        verbose_name = _("course role")
        verbose_name_plural = _("course roles")
        constraints = [
            models.UniqueConstraint(fields=["course", "person", "role"], name="courserole_unique")
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.role} {self.course}"

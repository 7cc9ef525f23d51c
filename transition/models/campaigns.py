"""A year's transition campaign and the data policy it applies."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from transition.models.catalogue import Category


class Policy(models.Model):
    """What a reset keeps and deletes, one rule per kind of data (`PolicyRule`)."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    description = models.TextField(_("description"), blank=True)
    # Moodle's copy enrols nobody: the teacher who asks always teaches the new course.
    copy_enrols_course_teachers = models.BooleanField(
        _("a fresh copy keeps the course's teachers"),
        default=True,
        help_text=_(
            "The old course's editing teachers become editing teachers of the new course, "
            "besides the teacher who asks for the copy."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("data policy")
        verbose_name_plural = _("data policies")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class PolicyRule(models.Model):
    """Keep or delete one kind of user data; a locked rule cannot be changed by a teacher.

    `transition.policy_options` maps each (kind, action) to the Moodle reset options it means.
    """

    class DataKind(models.TextChoices):
        FORUM_POSTS = "forum_posts", _("Forum posts (students and teachers)")
        FORUM_SUBSCRIPTIONS = "forum_subscriptions", _("Forum subscriptions")
        GLOSSARY_ENTRIES = "glossary_entries", _("Glossary entries")
        GLOSSARY_RATINGS = "glossary_ratings", _("Glossary ratings and comments")
        ASSIGN_SUBMISSIONS = "assign_submissions", _("Assignment submissions and grades")
        ASSIGN_OVERRIDES = "assign_overrides", _("Assignment overrides")
        QUIZ_ATTEMPTS = "quiz_attempts", _("Quiz attempts")
        QUIZ_OVERRIDES = "quiz_overrides", _("Quiz overrides")
        LESSON_ATTEMPTS = "lesson_attempts", _("Lesson attempts and overrides")
        H5P_ATTEMPTS = "h5p_attempts", _("H5P attempts")
        SCORM_ATTEMPTS = "scorm_attempts", _("SCORM attempts")
        WORKSHOP_SUBMISSIONS = "workshop_submissions", _("Workshop submissions and assessments")
        DATA_ENTRIES = "data_entries", _("Database entries")
        WIKI_PAGES = "wiki_pages", _("Wiki pages")
        CHOICE_RESPONSES = "choice_responses", _("Choice responses")
        FEEDBACK_RESPONSES = "feedback_responses", _("Feedback responses")
        BBB_RECORDINGS = "bbb_recordings", _("BigBlueButton recordings")
        COMPLETION = "completion", _("Activity and course completion")
        GROUPS = "groups", _("Groups")
        GROUP_MEMBERS = "group_members", _("Group members")
        GROUPINGS = "groupings", _("Groupings")
        STUDENT_ENROLMENTS = "student_enrolments", _("Manual student enrolments")
        GRADES = "grades", _("Grades, including those entered by hand")
        GRADE_ITEMS = "grade_items", _("Grade items and categories added by hand")
        EVENTS = "events", _("Calendar events")
        NOTES = "notes", _("Notes")
        COMMENTS = "comments", _("Comments on the course page")
        LOCAL_ROLES = "local_roles", _("Role assignments in activities and blocks")
        ROLE_OVERRIDES = "role_overrides", _("Permission overrides")

    class Action(models.TextChoices):
        KEEP = "keep", _("Keep")
        DELETE = "delete", _("Delete")
        # Only the data of users who are no longer enrolled after the reset.
        DELETE_NOT_ENROLLED = "delete_not_enrolled", _("Delete for users no longer enrolled")

    policy = models.ForeignKey(Policy, on_delete=models.CASCADE, related_name="rules")
    data_kind = models.CharField(_("data"), max_length=40, choices=DataKind.choices)
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    locked = models.BooleanField(
        _("locked"), default=False, help_text=_("A teacher cannot change a locked rule.")
    )
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("policy rule")
        verbose_name_plural = _("policy rules")
        ordering = ["policy", "data_kind"]
        constraints = [
            models.UniqueConstraint(fields=["policy", "data_kind"], name="policyrule_one_per_kind"),
            models.CheckConstraint(
                condition=Q(action__in=["keep", "delete", "delete_not_enrolled"]),
                name="policyrule_action_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_data_kind_display()}: {self.get_action_display()}"


class Campaign(models.Model):
    """One academic year's transition: its calendar, its policy, its state."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open for choices")
        LOCKED = "locked", _("Choices locked")
        RUNNING = "running", _("Running")
        PAUSED = "paused", _("Paused")
        DONE = "done", _("Done")

    academic_year = models.CharField(
        _("academic year"), max_length=9, unique=True, help_text=_("For example 2026-2027.")
    )
    policy = models.ForeignKey(Policy, on_delete=models.PROTECT, related_name="campaigns")
    choices_open = models.DateTimeField(_("choices open"))
    choices_lock = models.DateTimeField(_("choices lock"))
    backup_window_start = models.DateTimeField(_("backup window start"))
    backup_window_end = models.DateTimeField(_("backup window end"))
    run_date = models.DateTimeField(_("run date"))
    # The first day of the new academic year: courses open before it are early openings,
    # courses that close after it are late closings (seed 001: "avant le 1er septembre").
    cutoff_date = models.DateField(_("start of the new academic year"))
    excluded_categories = models.ManyToManyField(
        Category,
        blank=True,
        related_name="excluded_from_campaigns",
        verbose_name=_("excluded categories"),
        help_text=_("Courses of these categories are left alone, e.g. 'espaces complémentaires'."),
    )
    archive_category = models.ForeignKey(
        Category,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="archive_for_campaigns",
        verbose_name=_("archive category"),
    )
    archive_prefix = models.CharField(_("archive prefix"), max_length=20, default="ex_")
    backup_retention_days = models.PositiveIntegerField(
        _("backup retention (days)"),
        default=400,
        help_text=_(
            "Backups taken in this campaign are deleted from Passage's storage this many days "
            "after they were verified, unless a restore still needs them."
        ),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    allow_asap = models.BooleanField(
        _("allow runs as soon as approved"),
        default=False,
        help_text=_("Let approved requests run before the campaign's run date."),
    )
    # Teachers with courses still without a choice are e-mailed this many days before choices
    # lock (`transition.reminders`); the second reminder, if any, comes closer to the lock.
    first_reminder_days = models.PositiveSmallIntegerField(
        _("first reminder (days before choices lock)"),
        null=True,
        blank=True,
        help_text=_(
            "Teachers who still have courses without a choice get an e-mail this many days "
            "before choices lock. Empty: no reminder."
        ),
    )
    second_reminder_days = models.PositiveSmallIntegerField(
        _("second reminder (days before choices lock)"),
        null=True,
        blank=True,
        help_text=_("Fewer days than the first reminder. Empty: a single reminder."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    status_changed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-academic_year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(academic_year__regex=r"^[0-9]{4}-[0-9]{4}$"),
                name="campaign_academic_year_format",
            ),
            models.CheckConstraint(
                condition=Q(choices_open__lt=F("choices_lock")),
                name="campaign_choices_open_before_lock",
            ),
            models.CheckConstraint(
                condition=Q(backup_window_start__lt=F("backup_window_end")),
                name="campaign_backup_window_ordered",
            ),
            models.CheckConstraint(
                condition=Q(choices_lock__lte=F("run_date"))
                & Q(backup_window_end__lte=F("run_date")),
                name="campaign_run_after_choices_and_backups",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "open", "locked", "running", "paused", "done"]),
                name="campaign_status_valid",
            ),
            models.CheckConstraint(condition=~Q(archive_prefix=""), name="campaign_archive_prefix"),
            models.CheckConstraint(
                condition=Q(second_reminder_days__isnull=True)
                | (
                    Q(first_reminder_days__isnull=False)
                    & Q(second_reminder_days__lt=F("first_reminder_days"))
                ),
                name="campaign_second_reminder_after_first",
                violation_error_message=_(
                    "The second reminder comes after the first: fewer days before choices lock."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.academic_year

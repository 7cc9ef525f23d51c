from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from transition import models
from transition.forms import MoodleInstanceAdminForm
from transition.tokens import token_encrypt


@admin.register(models.MoodleInstance)
class MoodleInstanceAdmin(admin.ModelAdmin):
    form = MoodleInstanceAdminForm
    list_display = [
        "name",
        "url",
        "role",
        "concurrency_limit",
        "moodle_release",
        "plugin_version",
        "last_synced_at",
    ]
    readonly_fields = ["moodle_release", "plugin_version", "last_checked_at", "last_check_error"]

    def save_model(
        self, request: HttpRequest, obj: models.MoodleInstance, form: Any, change: bool
    ) -> None:
        token = form.cleaned_data.get("token")
        if token:
            obj.token_encrypted = token_encrypt(token)
            obj.token_env_var = ""
        elif obj.token_env_var:
            obj.token_encrypted = ""
        super().save_model(request, obj, form, change)


@admin.register(models.Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "idnumber", "instance", "path", "gone_from_moodle_at"]
    list_filter = ["instance"]
    search_fields = ["name", "idnumber"]


@admin.register(models.Course)
class CourseAdmin(admin.ModelAdmin):
    list_display = [
        "shortname",
        "fullname",
        "instance",
        "category",
        "calendar_type",
        "visible",
        "gone_from_moodle_at",
    ]
    list_filter = ["instance", "calendar_type", "visible"]
    search_fields = ["shortname", "fullname", "idnumber", "curriculum_code"]
    list_select_related = ["instance", "category"]
    # Mirrored from Moodle; only Passage's own fields are editable here.
    readonly_fields = [
        "instance",
        "moodle_id",
        "shortname",
        "fullname",
        "idnumber",
        "category",
        "startdate",
        "enddate",
        "visible",
        "gone_from_moodle_at",
        "synced_at",
    ]


@admin.register(models.Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["moodle_username", "lastname", "firstname", "instance", "user"]
    list_filter = ["instance"]
    search_fields = ["moodle_username", "lastname", "email"]


@admin.register(models.CourseRole)
class CourseRoleAdmin(admin.ModelAdmin):
    list_display = ["course", "person", "role"]
    list_filter = ["role"]
    search_fields = ["course__shortname", "person__moodle_username"]


@admin.register(models.Cohort)
class CohortAdmin(admin.ModelAdmin):
    list_display = ["idnumber", "label", "campus", "year", "successor", "instance", "moodle_id"]
    list_filter = ["instance", "year", "campus"]
    search_fields = ["idnumber", "label", "apogee_code"]
    # Its list links to the portal's Apogée import, which previews before importing.
    change_list_template = "admin/transition/cohort/change_list.html"


@admin.register(models.CourseCohort)
class CourseCohortAdmin(admin.ModelAdmin):
    list_display = ["course", "cohort", "role", "group_id", "users", "enabled"]
    search_fields = ["course__shortname", "cohort__idnumber"]


class PolicyRuleInline(admin.TabularInline):
    model = models.PolicyRule
    extra = 0


@admin.register(models.Policy)
class PolicyAdmin(admin.ModelAdmin):
    list_display = ["name", "created_at"]
    inlines = [PolicyRuleInline]


@admin.register(models.Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["academic_year", "status", "choices_open", "choices_lock", "run_date"]
    list_filter = ["status"]
    filter_horizontal = ["excluded_categories"]
    # The status moves only through the campaign services, which check each step.
    readonly_fields = ["status", "status_changed_at", "created_by", "created_at"]


class ReadOnlyAdmin(admin.ModelAdmin):
    """Shown, never changed here, by anyone: requests, jobs and backups move only through the
    services, which check each step and record it in the audit trail (itself read-only)."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(models.TransitionRequest)
class TransitionRequestAdmin(ReadOnlyAdmin):
    list_display = ["course", "campaign", "scenario", "status", "requested_by", "created_at"]
    list_filter = ["campaign", "status", "scenario"]
    search_fields = ["course__shortname", "requested_by__username"]
    list_select_related = ["course", "campaign", "requested_by"]


@admin.register(models.Job)
class JobAdmin(ReadOnlyAdmin):
    list_display = ["id", "kind", "status", "course", "instance", "attempts", "last_error_code"]
    list_filter = ["status", "kind", "instance", "campaign"]
    search_fields = ["idempotency_key", "course__shortname", "last_error_code"]


@admin.register(models.Backup)
class BackupAdmin(ReadOnlyAdmin):
    list_display = ["storage_name", "course", "campaign", "size", "verified_at"]
    list_filter = ["campaign", "source_instance"]
    search_fields = ["storage_name", "course__shortname", "sha256"]


@admin.register(models.AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "action", "outcome", "actor", "course"]
    list_filter = ["action", "outcome"]
    search_fields = ["action", "course__shortname", "actor__username"]

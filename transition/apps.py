from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _grant_role_permissions(sender: AppConfig, **kwargs: Any) -> None:
    # Permissions exist only once every app has migrated, hence after migrate, not in a migration.
    from transition.services.accounts import role_groups_grant_permissions

    role_groups_grant_permissions()


class TransitionConfig(AppConfig):
    name = "transition"
    verbose_name = _("Course transition")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        post_migrate.connect(_grant_role_permissions, sender=self)

from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _after_migrate(sender: AppConfig, **kwargs: Any) -> None:
    # Permissions exist only once every app has migrated, hence after migrate, not in a migration.
    # The built-in policy is created here too, so that no page has to create it when shown.
    from transition.services.accounts import role_groups_grant_permissions
    from transition.services.policies import policy_create_caen_default

    role_groups_grant_permissions()
    policy_create_caen_default()


class TransitionConfig(AppConfig):
    name = "transition"
    verbose_name = _("Course transition")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        post_migrate.connect(_after_migrate, sender=self)

"""Moodle platforms: their token, a client for them, and a health check."""

import os

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from moodle_client import MoodleClient, MoodleError
from transition.errors import TransitionError
from transition.models import MoodleInstance
from transition.tokens import token_decrypt, token_encrypt

COHORT_SYNC_FUNCTION = "local_passage_list_cohort_syncs"


class TokenMissing(TransitionError):
    """The environment variable that should hold the instance's token is not set."""


def instance_token(*, instance: MoodleInstance) -> str:
    if instance.token_env_var:
        token = os.environ.get(instance.token_env_var, "")
        if not token:
            raise TokenMissing(
                f"{instance.name}: the environment variable {instance.token_env_var} is not set."
            )
        return token
    return token_decrypt(instance.token_encrypted)


def instance_client(*, instance: MoodleInstance) -> MoodleClient:
    return MoodleClient(
        instance.url, instance_token(instance=instance), timeout=settings.MOODLE_TIMEOUT
    )


def instance_create(
    *,
    name: str,
    url: str,
    role: str,
    token: str = "",
    token_env_var: str = "",
    concurrency_limit: int = 4,
) -> MoodleInstance:
    """Register a platform; give the token itself (stored encrypted) or the variable's name."""
    instance = MoodleInstance(
        name=name,
        url=url,
        role=role,
        token_env_var=token_env_var,
        token_encrypted=token_encrypt(token) if token else "",
        concurrency_limit=concurrency_limit,
    )
    instance.full_clean()
    instance.save()
    return instance


def instance_set_token(*, instance: MoodleInstance, token: str) -> MoodleInstance:
    """Store a new token encrypted; it replaces the environment variable, if any."""
    instance.token_encrypted = token_encrypt(token)
    instance.token_env_var = ""
    instance.save(update_fields=["token_encrypted", "token_env_var"])
    return instance


def instance_check(*, instance: MoodleInstance, client: MoodleClient | None = None) -> bool:
    """Ask Moodle about itself; record its release, the plugin's version (empty: no plugin)."""
    error = ""
    release = instance.moodle_release
    plugin = ""
    try:
        # The raw answer, because the typed SiteInfo keeps function names without their
        # versions, and a plugin function's version is the plugin's version.
        info = (client or instance_client(instance=instance)).call("core_webservice_get_site_info")
        release = str(info.get("release") or "")
        plugin = next(
            (
                str(function.get("version") or "")
                for function in info.get("functions") or []
                if function.get("name") == COHORT_SYNC_FUNCTION
            ),
            "",
        )
    except (MoodleError, TransitionError) as failure:
        error = str(failure)
    with transaction.atomic():
        MoodleInstance.objects.filter(pk=instance.pk).update(
            moodle_release=release,
            plugin_version=plugin,
            last_checked_at=timezone.now(),
            last_check_error=error,
        )
    instance.refresh_from_db()
    return not error

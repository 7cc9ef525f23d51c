"""Moodle platforms: their token, a client for them, and the "test connection" check.

The check is one call to core_webservice_get_site_info, which tells all of it: the call fails on
a bad token; its function list is the token's service, so a function missing there cannot be
called; a plugin function's version in that list is the plugin's version (Moodle reports each
function with the version of the component that provides it).
"""

import os
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from moodle_client import MoodleClient, MoodleError
from moodle_client.types.site import SiteInfo
from transition.errors import TransitionError
from transition.models import MoodleInstance
from transition.models.instances import TOKEN_ENV_PREFIX, TOKEN_ENV_VAR_PATTERN
from transition.tokens import token_decrypt, token_encrypt

PLUGIN_PREFIX = "local_passage_"


class TokenMissing(TransitionError):
    """The environment variable that should hold the instance's token is not set."""


class TokenVariableRefused(TransitionError):
    """The platform names an environment variable outside MOODLE_TOKEN_…: Passage never reads
    it (it could be SECRET_KEY, sent to whatever URL the platform has)."""


class InsecurePlatform(TransitionError):
    """The platform's URL is http://: its token would cross the network in clear. Allowed only
    in debug and demo mode (the stand-in Moodles)."""


def instance_token(*, instance: MoodleInstance) -> str:
    if instance.token_env_var:
        if not re.match(TOKEN_ENV_VAR_PATTERN, instance.token_env_var):
            raise TokenVariableRefused(
                f"{instance.name}: the token variable must be named {TOKEN_ENV_PREFIX}…; "
                f"{instance.token_env_var} is not read."
            )
        token = os.environ.get(instance.token_env_var, "")
        if not token:
            raise TokenMissing(
                f"{instance.name}: the environment variable {instance.token_env_var} is not set."
            )
        return token
    return token_decrypt(instance.token_encrypted)


def instance_client(*, instance: MoodleInstance) -> MoodleClient:
    """The one way Passage builds a client for a platform: an https:// URL (or http:// in debug
    and demo mode) and its token."""
    if urlsplit(instance.url).scheme != "https" and not settings.MOODLE_ALLOW_HTTP:
        raise InsecurePlatform(
            f"{instance.name}: {instance.url} is not an https:// address; Passage sends no "
            "token over plain HTTP."
        )
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


# Every web-service function Passage calls, and what it is for (shown beside each result).
_SYNC = _("Sync of courses, teachers and cohorts")
_REVIEW = _("Review step of the wizard")
_JOBS = _("Backups, resets and restores")
_COPY = _("Fresh copies and archives")
_COHORTS = _("Cohort swaps")
_NOTICES = _("Announcements and grade exports")
REQUIRED_FUNCTIONS: Mapping[str, Promise] = {
    "core_webservice_get_site_info": _("Connection check"),
    "core_course_get_categories": _SYNC,
    "core_course_get_courses_by_field": _SYNC,
    "core_enrol_get_enrolled_users": _SYNC,
    "core_cohort_get_cohorts": _SYNC,
    "local_passage_list_cohort_syncs": _SYNC,
    "local_passage_get_course_inventory": _REVIEW,
    "local_passage_backup_course": _JOBS,
    "local_passage_reset_course": _JOBS,
    "local_passage_restore_course": _JOBS,
    "local_passage_get_operations": _JOBS,
    "local_passage_get_content_fingerprint": _JOBS,
    "core_course_create_courses": _COPY,
    "core_course_update_courses": _COPY,
    "local_passage_add_cohort_sync": _COHORTS,
    "core_cohort_get_cohort_members": _COHORTS,
    "local_passage_remove_cohort_sync": _COHORTS,
    "mod_forum_get_forums_by_courses": _NOTICES,
    "mod_forum_add_discussion": _NOTICES,
    "local_passage_ensure_news_forum": _NOTICES,
    "gradereport_user_get_grade_items": _NOTICES,
}


@dataclass(frozen=True)
class FunctionCheck:
    name: str
    purpose: str
    available: bool


@dataclass(frozen=True)
class ConnectionReport:
    """What the check found; `error` is empty when Moodle answered."""

    token_valid: bool
    error: str
    call_ms: float | None
    release: str
    site_name: str
    username: str
    plugin_present: bool
    plugin_version: str
    functions: tuple[FunctionCheck, ...]

    @property
    def missing(self) -> tuple[str, ...]:
        return tuple(check.name for check in self.functions if not check.available)

    @property
    def ok(self) -> bool:
        return self.token_valid and not self.error and self.plugin_present and not self.missing


def _plugin_version(answer: Mapping[str, Any]) -> str:
    for function in answer.get("functions") or ():
        if str(function.get("name", "")).startswith(PLUGIN_PREFIX):
            return str(function.get("version") or "")
    return ""


def instance_check(
    *,
    instance: MoodleInstance,
    client: MoodleClient | None = None,
    clock: Callable[[], float] = time.perf_counter,
) -> ConnectionReport:
    """Check the platform and record the outcome on it (release, plugin version, last check)."""
    error = ""
    token_valid = False
    answer: Mapping[str, Any] = {}
    info: SiteInfo | None = None
    call_ms: float | None = None
    try:
        client = client or instance_client(instance=instance)
        started = clock()
        # The raw answer: the typed SiteInfo keeps function names without their versions.
        answer = client.call("core_webservice_get_site_info")
        call_ms = (clock() - started) * 1000
        info = SiteInfo.from_json(answer)
        token_valid = True
    except (MoodleError, TransitionError) as failure:  # InvalidToken among them
        error = str(failure)
    functions = info.functions if info is not None else frozenset()
    plugin_version = _plugin_version(answer)
    report = ConnectionReport(
        token_valid=token_valid,
        error=error,
        call_ms=call_ms,
        release=info.release if info is not None else "",
        site_name=info.sitename if info is not None else "",
        username=info.username if info is not None else "",
        plugin_present=any(name.startswith(PLUGIN_PREFIX) for name in functions),
        plugin_version=plugin_version,
        functions=tuple(
            FunctionCheck(name=name, purpose=str(purpose), available=name in functions)
            for name, purpose in REQUIRED_FUNCTIONS.items()
        ),
    )
    _record(instance=instance, report=report)
    return report


def _record(*, instance: MoodleInstance, report: ConnectionReport) -> None:
    problems = [report.error] if report.error else []
    if report.token_valid and not report.plugin_present:
        problems.append("The Passage plugin's functions are not in the token's service.")
    if report.token_valid and report.missing:
        problems.append("Missing functions: " + ", ".join(report.missing))
    fields: dict[str, Any] = {
        "last_checked_at": timezone.now(),
        "last_check_error": " ".join(problems),
    }
    if report.token_valid:
        fields.update(moodle_release=report.release, plugin_version=report.plugin_version)
    with transaction.atomic():
        MoodleInstance.objects.filter(pk=instance.pk).update(**fields)
    instance.refresh_from_db()

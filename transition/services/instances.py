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
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from moodle_client import (
    AccessDenied,
    FunctionUnavailable,
    InvalidToken,
    MoodleClient,
    MoodleError,
    MoodleUnavailable,
    NotFound,
    UnexpectedResponse,
)
from moodle_client.types.site import SiteInfo
from transition.errors import TransitionError
from transition.models import Job, MoodleInstance, TransitionRequest
from transition.models.instances import TOKEN_ENV_PREFIX, TOKEN_ENV_VAR_PATTERN
from transition.services.audit import audit_record
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


def instance_save(
    *,
    instance: MoodleInstance | None,
    actor: AbstractBaseUser,
    name: str,
    url: str,
    role: str,
    concurrency_limit: int,
    token: str = "",
    token_env_var: str = "",
) -> MoodleInstance:
    """Add a platform (`instance` None) or change one. The token is write-only: given, it
    replaces the stored one (encrypted) and the variable; not given, the stored one is kept
    unless a variable's name now says where to read it."""
    creating = instance is None
    instance = instance if instance is not None else MoodleInstance()
    before = {
        "name": instance.name,
        "url": instance.url,
        "role": instance.role,
        "concurrency_limit": instance.concurrency_limit,
        "token_env_var": instance.token_env_var,
    }
    instance.name, instance.url, instance.role = name, url, role
    instance.concurrency_limit = concurrency_limit
    if token:
        instance.token_encrypted, instance.token_env_var = token_encrypt(token), ""
    elif token_env_var:
        instance.token_encrypted, instance.token_env_var = "", token_env_var
    instance.full_clean()
    after = {
        "name": name,
        "url": url,
        "role": role,
        "concurrency_limit": concurrency_limit,
        "token_env_var": instance.token_env_var,
    }
    changes = {k: {"from": before[k], "to": v} for k, v in after.items() if before[k] != v}
    if token:
        changes["token"] = {"from": "", "to": "***"}
    with transaction.atomic():
        instance.save()
        audit_record(
            action="instance_create" if creating else "instance_update",
            actor=actor,
            details={"platform": instance.name, **changes},
        )
    return instance


# What every platform needs whatever its courses ask for: the check itself, the nightly sync
# and the wizard's review.
_CHECK = _("Connection check")
_SYNC = _("Sync of courses, teachers and cohorts")
_REVIEW = _("Review step of the wizard")
_BASE_FUNCTIONS: Mapping[str, Promise] = {
    "core_webservice_get_site_info": _CHECK,
    "core_course_get_categories": _SYNC,
    "core_course_get_courses_by_field": _SYNC,
    "core_enrol_get_enrolled_users": _SYNC,
    "core_cohort_get_cohorts": _SYNC,
    "local_passage_list_cohort_syncs": _SYNC,
    "local_passage_get_course_inventory": _REVIEW,
    "mod_forum_get_forums_by_courses": _REVIEW,
    "core_course_create_courses": _("Restore into a new course"),
    "core_cohort_get_cohort_members": _REVIEW,
}

# The functions each kind of job calls (`transition.engine.steps`), so that the check covers
# every function each scenario needs: a fresh copy cannot run without core_course_duplicate_course.
JOB_FUNCTIONS: Mapping[str, tuple[str, ...]] = {
    Job.Kind.BACKUP: (
        "local_passage_backup_course",
        "local_passage_get_operations",
        "local_passage_get_content_fingerprint",
        "local_passage_get_course_inventory",
        "local_passage_delete_backup",
    ),
    Job.Kind.VERIFY: ("local_passage_get_course_inventory",),
    Job.Kind.RESET: ("local_passage_reset_course", "local_passage_get_operations"),
    Job.Kind.COPY: (
        "core_course_get_courses_by_field",
        "core_course_duplicate_course",
        "core_course_update_courses",
        "enrol_manual_enrol_users",
    ),
    Job.Kind.ARCHIVE: ("core_course_get_courses_by_field", "core_course_update_courses"),
    Job.Kind.RESTORE: (
        "local_passage_get_site_limits",
        "local_passage_get_course_inventory",
        "local_passage_restore_course",
        "local_passage_get_operations",
    ),
    Job.Kind.HAND_OVER: (
        "core_enrol_get_enrolled_users",
        "enrol_manual_enrol_users",
        "core_role_unassign_roles",
    ),
    Job.Kind.COHORT_RESYNC: (
        "local_passage_list_cohort_syncs",
        "local_passage_add_cohort_sync",
        "local_passage_remove_cohort_sync",
    ),
    Job.Kind.ANNOUNCEMENT: (
        "local_passage_ensure_news_forum",
        "mod_forum_get_forums_by_courses",
        "mod_forum_get_forum_discussions",
        "mod_forum_add_discussion",
    ),
    Job.Kind.GRADE_EXPORT: ("gradereport_user_get_grade_items",),
    Job.Kind.KEEP_COPY: (
        "local_passage_get_course_inventory",
        "mod_forum_get_forums_by_courses",
        "mod_forum_get_forum_discussions",
        "mod_forum_get_discussion_posts",
        "mod_assign_get_submissions",
        "mod_assign_get_grades",
        "mod_glossary_get_entries_by_letter",
        "mod_data_get_entries",
        "mod_wiki_get_subwikis",
        "mod_wiki_get_subwiki_pages",
        "local_passage_get_quiz_attempts",
        "gradereport_user_get_grade_items",
    ),
}

# The jobs of each scenario the wizard offers (`transition.engine.planner`).
SCENARIO_JOBS: Mapping[str, tuple[str, ...]] = {
    TransitionRequest.Scenario.REUSE_RESET: (Job.Kind.BACKUP, Job.Kind.RESET, Job.Kind.VERIFY),
    TransitionRequest.Scenario.FRESH_COPY: (
        Job.Kind.BACKUP,
        Job.Kind.COPY,
        Job.Kind.ARCHIVE,
        Job.Kind.VERIFY,
    ),
    TransitionRequest.Scenario.RESTORE_PREVIOUS: (
        Job.Kind.BACKUP,
        Job.Kind.RESTORE,
        Job.Kind.VERIFY,
    ),
    TransitionRequest.Scenario.HAND_OVER: (Job.Kind.HAND_OVER,),
}


def _required_functions() -> dict[str, Promise]:
    """Every function Passage calls, with what it is used for (the first use found)."""
    required: dict[str, Promise] = dict(_BASE_FUNCTIONS)
    labels = dict(Job.Kind.choices)
    for kind, functions in JOB_FUNCTIONS.items():
        for name in functions:
            required.setdefault(name, labels[kind])
    return required


REQUIRED_FUNCTIONS: Mapping[str, Promise] = _required_functions()

# The oldest companion plugin whose web services answer as Passage expects
# (moodle_plugin/local_passage/version.php).
PLUGIN_MIN_VERSION = "2026120706"


@dataclass(frozen=True)
class FunctionCheck:
    name: str
    purpose: str
    available: bool


@dataclass(frozen=True)
class Problem:
    """One thing the check found wrong, said for the admin with how to fix it."""

    code: str
    message: str


@dataclass(frozen=True)
class ConnectionReport:
    """What the check found; `error` is Moodle's (or the network's) own words, for details."""

    token_valid: bool
    error: str
    call_ms: float | None
    release: str
    site_name: str
    username: str
    plugin_present: bool
    plugin_version: str
    functions: tuple[FunctionCheck, ...]
    problems: tuple[Problem, ...] = ()
    # Scenarios that cannot run on this platform, with the functions they lack.
    blocked_scenarios: tuple[tuple[str, tuple[str, ...]], ...] = ()

    @property
    def missing(self) -> tuple[str, ...]:
        return tuple(check.name for check in self.functions if not check.available)

    @property
    def plugin_too_old(self) -> bool:
        return self.plugin_present and _version_number(self.plugin_version) < _version_number(
            PLUGIN_MIN_VERSION
        )

    @property
    def ok(self) -> bool:
        return self.token_valid and not self.error and not self.problems


def _version_number(version: str) -> int:
    return int(version) if version.isdigit() else 0


def _plugin_version(answer: Mapping[str, Any]) -> str:
    for function in answer.get("functions") or ():
        if str(function.get("name", "")).startswith(PLUGIN_PREFIX):
            return str(function.get("version") or "")
    return ""


def _unreachable_problem(error: MoodleError, instance: MoodleInstance) -> Problem:
    """Why Moodle could not be asked anything, and what the admin can do about it."""
    code = error.errorcode
    host = urlsplit(instance.url).hostname or instance.url
    if code == "dnserror":
        text = _(
            "The server name %(host)s does not resolve. Check the platform's address, or the "
            "DNS of the machine Passage runs on."
        ) % {"host": host}
    elif code == "connectionrefused":
        text = _(
            "Nothing answers at %(url)s (connection refused). Check the address and port, and "
            "that Moodle's web server is running."
        ) % {"url": instance.url}
    elif code == "timeout":
        text = _(
            "Moodle did not answer within %(seconds)d seconds. Check that a firewall does not "
            "block Passage, or whether Moodle is overloaded."
        ) % {"seconds": _check_timeout()}
    elif code == "tlserror":
        text = _(
            "The secure (HTTPS) connection failed: the certificate is not trusted or has expired, "
            "or the address uses https where the server speaks http (or the other way round)."
        )
    elif code == "notjson":
        return _not_moodle(instance)
    elif code.startswith("http"):
        text = _(
            "The server answered with an HTTP error (%(status)s). Look at the web server's and "
            "Moodle's logs; try again once it is fixed."
        ) % {"status": code.removeprefix("http")}
    else:
        text = _(
            "The connection to Moodle broke off. Check the network between Passage and Moodle, "
            "then try again."
        )
    return Problem(code=code or "unreachable", message=str(text))


def _not_moodle(instance: MoodleInstance) -> Problem:
    return Problem(
        code="notmoodle",
        message=str(
            _(
                "%(url)s answers, but not as Moodle: it has no web service at "
                "/webservice/rest/server.php. Give Moodle's own address (its wwwroot)."
            )
            % {"url": instance.url}
        ),
    )


def _moodle_refusal(error: BaseException, instance: MoodleInstance) -> Problem:
    """Moodle (or what stands at its address) answered, and refused."""
    if isinstance(error, TokenMissing):
        return Problem(
            code="tokenmissing",
            message=str(
                _(
                    "The environment variable %(name)s that should hold the token is not set on "
                    "the server. Set it, or type the token on this platform's page."
                )
                % {"name": instance.token_env_var}
            ),
        )
    if isinstance(error, InvalidToken):
        return Problem(
            code="invalidtoken",
            message=str(
                _(
                    "Moodle refused the token (unknown, expired or limited to other addresses). "
                    "Create a token for Passage's service in Site administration > Server > Web "
                    "services > Manage tokens, and save it on this platform's page."
                )
            ),
        )
    if isinstance(error, FunctionUnavailable | AccessDenied):
        return Problem(
            code="accessexception",
            message=str(
                _(
                    "Moodle refuses the token's user the web services: give them the capability "
                    "webservice/rest:use and put core_webservice_get_site_info in the token's "
                    "service."
                )
            ),
        )
    if isinstance(error, MoodleError) and error.errorcode == "http403":
        return Problem(
            code="webservicesoff",
            message=str(
                _(
                    "Moodle's web services are turned off. In Moodle, enable them in Site "
                    "administration > Advanced features, and enable the REST protocol in Site "
                    "administration > Server > Web services > Manage protocols."
                )
            ),
        )
    if isinstance(error, NotFound | UnexpectedResponse):
        return _not_moodle(instance)
    return Problem(
        code=getattr(error, "errorcode", "") or "moodleerror",
        message=str(_("Moodle answered with an error: %(error)s") % {"error": error}),
    )


def _check_timeout() -> int:
    return min(settings.MOODLE_TIMEOUT, 20)


def _answer_problems(
    *, plugin_present: bool, plugin_version: str, missing: tuple[str, ...]
) -> list[Problem]:
    problems = []
    if not plugin_present:
        problems.append(
            Problem(
                code="pluginmissing",
                message=str(
                    _(
                        "The Passage plugin's functions are not in the token's service: install "
                        "the local_passage plugin on Moodle and add its functions to the service."
                    )
                ),
            )
        )
    elif _version_number(plugin_version) < _version_number(PLUGIN_MIN_VERSION):
        problems.append(
            Problem(
                code="pluginold",
                message=str(
                    _(
                        "The Passage plugin on Moodle is version %(found)s; Passage needs "
                        "%(needed)s or later. Upgrade local_passage on Moodle."
                    )
                    % {"found": plugin_version or "?", "needed": PLUGIN_MIN_VERSION}
                ),
            )
        )
    if missing:
        problems.append(
            Problem(
                code="functionsmissing",
                message=str(
                    _(
                        "Functions missing from the token's service: %(names)s. Add them in Site "
                        "administration > Server > Web services > External services > Functions."
                    )
                    % {"names": ", ".join(missing)}
                ),
            )
        )
    return problems


def _blocked_scenarios(missing: tuple[str, ...]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    labels = dict(TransitionRequest.Scenario.choices)
    blocked = []
    for scenario, kinds in SCENARIO_JOBS.items():
        lacking = tuple(
            dict.fromkeys(name for kind in kinds for name in JOB_FUNCTIONS[kind] if name in missing)
        )
        if lacking:
            blocked.append((str(labels[scenario]), lacking))
    return tuple(blocked)


def instance_check(
    *,
    instance: MoodleInstance,
    client: MoodleClient | None = None,
    clock: Callable[[], float] = time.perf_counter,
) -> ConnectionReport:
    """Check the platform and record the outcome on it (release, plugin version, last check).

    A failure says which of these it is: the name does not resolve, nothing listens, no answer
    in time, TLS, an HTTP error, not a Moodle, web services off, token refused; and when Moodle
    answers, the plugin missing or too old and the functions missing from the token's service.
    """
    error = ""
    token_valid = False
    answer: Mapping[str, Any] = {}
    info: SiteInfo | None = None
    call_ms: float | None = None
    problems: list[Problem] = []
    try:
        # One try, soon given up: the admin waits for the answer on the page.
        client = client or MoodleClient(
            instance.url, instance_token(instance=instance), timeout=_check_timeout(),
            max_attempts=1,
        )  # fmt: skip
        started = clock()
        # The raw answer: the typed SiteInfo keeps function names without their versions.
        answer = client.call("core_webservice_get_site_info")
        call_ms = (clock() - started) * 1000
        info = SiteInfo.from_json(answer)
        token_valid = True
    except MoodleUnavailable as failure:
        error = str(failure)
        problems.append(_unreachable_problem(failure, instance))
    except (MoodleError, TransitionError) as failure:
        error = str(failure)
        problems.append(_moodle_refusal(failure, instance))
    functions = info.functions if info is not None else frozenset()
    plugin_version = _plugin_version(answer)
    plugin_present = any(name.startswith(PLUGIN_PREFIX) for name in functions)
    checks = tuple(
        FunctionCheck(name=name, purpose=str(purpose), available=name in functions)
        for name, purpose in REQUIRED_FUNCTIONS.items()
    )
    missing = tuple(check.name for check in checks if not check.available)
    if token_valid:
        problems += _answer_problems(
            plugin_present=plugin_present, plugin_version=plugin_version, missing=missing
        )
    report = ConnectionReport(
        token_valid=token_valid,
        error=error,
        call_ms=call_ms,
        release=info.release if info is not None else "",
        site_name=info.sitename if info is not None else "",
        username=info.username if info is not None else "",
        plugin_present=plugin_present,
        plugin_version=plugin_version,
        functions=checks,
        problems=tuple(problems),
        blocked_scenarios=_blocked_scenarios(missing) if token_valid else (),
    )
    _record(instance=instance, report=report)
    return report


def _record(*, instance: MoodleInstance, report: ConnectionReport) -> None:
    fields: dict[str, Any] = {
        "last_checked_at": timezone.now(),
        "last_check_error": " ".join(problem.message for problem in report.problems),
    }
    if report.token_valid:
        fields.update(moodle_release=report.release, plugin_version=report.plugin_version)
    with transaction.atomic():
        MoodleInstance.objects.filter(pk=instance.pk).update(**fields)
    instance.refresh_from_db()

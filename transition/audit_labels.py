"""The audit log in words: each recorded action and detail as people read them."""

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from transition.models import Campaign, Job

ACTIONS: Mapping[str, Promise] = {
    "campaign_create": _("Campaign created"),
    "campaign_update": _("Campaign settings changed"),
    "campaign_open": _("Campaign opened for choices"),
    "campaign_lock": _("Campaign choices locked"),
    "campaign_start": _("Campaign run started"),
    "campaign_pause": _("Campaign paused"),
    "campaign_resume": _("Campaign resumed"),
    "campaign_finish": _("Campaign marked as done"),
    "campaign_backup_all": _("Backup week started"),
    "campaign_archive": _("Archive of the courses that left the curriculum"),
    "campaign_default_transition": _("Default transition started"),
    "cohorts_import_apogee": _("Apogée import"),
    "instance_create": _("Moodle platform added"),
    "instance_update": _("Moodle platform changed"),
    "instance_sync": _("Moodle platform synced"),
    "platform_unreachable": _("Moodle platform stopped answering"),
    "platform_reachable": _("Moodle platform answers again"),
    "policy_copy": _("Data policy copied"),
    "policy_update": _("Data policy changed"),
    "request_create": _("Request created"),
    "request_submit": _("Request submitted"),
    "request_approve": _("Request approved"),
    "request_reject": _("Request rejected"),
    "request_ask_changes": _("Changes asked of the teacher"),
    "request_set_run_at": _("Run date changed"),
    "request_start": _("Request started"),
    "request_cancel": _("Request cancelled"),
    "request_done": _("Request done"),
    "request_fail": _("Request failed"),
    "restore_on_request": _("Restore on request"),
    "restore_target_create": _("Course created for a restore"),
    "job_retry": _("Job retried"),
    "job_cancel": _("Job cancelled"),
    "job_resume": _("Job resumed after its worker stopped"),
    "job_lost": _("Job lost with its worker"),
}

DETAILS: Mapping[str, Promise] = {
    "attempt": _("attempt"),
    "attempts": _("attempts"),
    "worker": _("worker"),
    "errorcode": _("error code"),
    "message": _("message"),
    "error": _("error"),
    "final": _("final"),
    "retry_in": _("next try in (s)"),
    "platform_unreachable": _("platform unreachable"),
    "result": _("result"),
    "platform": _("platform"),
    "instance": _("platform"),
    "policy": _("policy"),
    "from": _("from"),
    "to": _("to"),
    "status": _("status"),
    "scenario": _("scenario"),
    "courses": _("courses"),
    "created": _("created"),
    "updated": _("updated"),
    "unchanged": _("unchanged"),
    "successors": _("successors suggested"),
    "summary": _("summary"),
    "shortname": _("short name"),
    "reason": _("reason"),
    "queued": _("queued"),
    "mode": _("mode"),
    "jobs_resumed": _("jobs resumed"),
    "jobs_cancelled": _("jobs cancelled"),
    "holder_request": _("request holding the course"),
    "category": _("category"),
    "backup": _("backup"),
    "comment": _("comment"),
    "run_at": _("run date"),
}


def action_label(action: str) -> str:
    if action in ACTIONS:
        return str(ACTIONS[action])
    kind = action.removeprefix("job_")
    kinds = dict(Job.Kind.choices)
    if action.startswith("job_") and kind in kinds:
        return gettext("Job: %(kind)s") % {"kind": kinds[kind]}
    return action


def _value_text(value: Any) -> str:
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if isinstance(value, Mapping):
        if set(value) == {"from", "to"}:
            return f"{_value_text(value['from']) or '—'} → {_value_text(value['to']) or '—'}"
        return "; ".join(f"{detail_label(k)}: {_value_text(v)}" for k, v in value.items())
    if isinstance(value, list | tuple):
        if len(value) == 2 and not any(isinstance(v, Mapping | list) for v in value):
            return f"{_value_text(value[0])} → {_value_text(value[1])}"
        return ", ".join(_value_text(v) for v in value)
    return "" if value is None else str(value)


def detail_label(key: str) -> str:
    """The detail's name; a campaign's setting by the name its form gives it."""
    if key in DETAILS:
        return str(DETAILS[key])
    try:
        return str(Campaign._meta.get_field(key).verbose_name)
    except FieldDoesNotExist:
        return key.replace("_", " ")


def details_lines(details: Mapping[str, Any]) -> list[tuple[str, str]]:
    """Each detail as (label, text), nested values written out, never a Python dict."""
    return [(detail_label(key), _value_text(value)) for key, value in details.items()]

"""Every page an engineer or an admin works with, drawn in French, holds no English string of
Passage's own: each translatable English text (a msgid of the catalogue whose French differs)
is looked for in what the page shows, text and labels alike."""

import datetime
import gettext
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.dashboard.conftest import Board, courses_create, jobs_create
from tests.factories import AuditEventFactory
from transition.models import Job, MailDelivery, MoodleInstance, RequestPlan, TransitionRequest
from transition.request_spec import RequestSpec, SpecialCalendar

CATALOGUE = Path(__file__).resolve().parents[2] / "locale/fr/LC_MESSAGES/django.mo"
# Shown as they are in both languages, or names rather than sentences.
SAME_IN_BOTH = {"Passage", "Moodle", "URL", "CSV", "XLSX", "Apogée"}
# English words that are French words too ("file d'attente").
FRENCH_TOO = {"file"}
VOID = {"br", "img", "input", "meta", "link", "hr", "col", "source", "wbr", "area", "base"}


class _Visible(HTMLParser):
    """The text a person reads: text nodes and the labels of controls; scripts left out, and
    what the page marks translate="no" (Moodle's or the system's own words, shown as is)."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0
        self._open: list[bool] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        hides = tag in ("script", "style") or ("translate", "no") in attrs
        if tag not in VOID:
            self._open.append(hides)
            self._hidden += hides
        if self._hidden or hides:
            return
        for name, value in attrs:
            if name in ("title", "aria-label", "placeholder", "alt") and value:
                self.parts.append(value)

    def handle_endtag(self, tag: str) -> None:
        if tag not in VOID and self._open:
            self._hidden -= self._open.pop()

    def handle_data(self, data: str) -> None:
        if not self._hidden and data.strip():
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Visible()
    parser.feed(html)
    return "\n".join(" ".join(part.split()) for part in parser.parts)


def english_fragments() -> list[tuple[str, re.Pattern[str]]]:
    """For each msgid translated differently, its longest literal run (placeholders split it)."""
    with CATALOGUE.open("rb") as compiled:
        catalogue = gettext.GNUTranslations(compiled)._catalog  # type: ignore[attr-defined]
    fragments = []
    for key, french in catalogue.items():
        msgid = key[0] if isinstance(key, tuple) else key
        if not msgid or not french or french == msgid or "\x04" in msgid:
            continue
        literal = max(re.split(r"%\(\w+\)[sdr]|%[sd]", msgid), key=len).strip(" :.,;()")
        if len(literal) < 4 or literal in SAME_IN_BOTH | FRENCH_TOO or literal in french:
            continue
        pattern = re.compile(r"(?<![\w'])" + re.escape(literal) + r"(?![\w'])")
        fragments.append((msgid, pattern))
    return fragments


@pytest.fixture
def staff_world(board: Board) -> Board:
    """Something on every page: a failure, a job waiting for a dead platform, an undelivered
    e-mail, an audit trail, a special request with its plan."""
    people = board.people
    courses = courses_create(people, 3)
    owner = get_user_model().objects.get_or_create(username="jobs.owner")[0]
    owner.first_name, owner.last_name = "Paul", "Durand"
    owner.save()
    jobs_create(
        campaign=board.campaign, courses=courses, count=2, status=Job.Status.FAILED,
        errorcode="nopermissions", message="Sorry, but you do not currently have permissions",
        finished_ago=datetime.timedelta(minutes=30),
        request_status=TransitionRequest.Status.FAILED,
    )  # fmt: skip
    (waiting_job,) = jobs_create(
        campaign=board.campaign, courses=courses, count=1, status=Job.Status.QUEUED
    )
    Job.objects.filter(pk=waiting_job.pk).update(
        last_error_code="connectionrefused",
        last_error_message="cannot reach Moodle",
        not_before=timezone.now() + datetime.timedelta(minutes=1),
    )
    MoodleInstance.objects.filter(pk=people.instance.pk).update(
        unreachable_since=timezone.now(),
        unreachable_error="connectionrefused: cannot reach Moodle",
        next_probe_at=timezone.now() + datetime.timedelta(seconds=30),
    )
    MailDelivery.objects.create(
        to=people.engineer.email, subject="Passage", body="…", attempts=2,
        last_error="ConnectionRefusedError: [Errno 111] Connection refused",
        next_try_at=timezone.now() + datetime.timedelta(minutes=4),
    )  # fmt: skip
    AuditEventFactory(
        action="campaign_update", actor=people.admin,
        details={"run_date": {"from": "2026-08-20", "to": "2026-08-27"}},
    )  # fmt: skip
    AuditEventFactory(action="job_backup", actor=None, details={"attempt": 1, "final": True})
    special = TransitionRequest.objects.create(
        campaign=board.campaign, course=people.other_course, requested_by=people.other_teacher,
        scenario=TransitionRequest.Scenario.REUSE_RESET,
        status=TransitionRequest.Status.PENDING_APPROVAL,
        special_start_date=board.campaign.cutoff_date - datetime.timedelta(days=15),
        special_reason="Ouverture le 17 août", submitted_at=timezone.now(),
    )  # fmt: skip
    RequestPlan.objects.create(
        request=special,
        spec=RequestSpec(
            scenario="reuse_reset", course_moodle_id=people.other_course.moodle_id,
            reset_options={"reset_forum_all": "1"},
            special_calendar=SpecialCalendar(
                kind="early_opening", opens=special.special_start_date, closes=None, reason="",
            ),
        ).to_json(),
    )  # fmt: skip
    board.special = special  # type: ignore[attr-defined]
    return board


def staff_pages(board: Board) -> list[str]:
    campaign = board.campaign.pk
    instance = board.people.instance.pk
    return [
        reverse("dashboard:index") + f"?campaign={campaign}",
        reverse("dashboard:failures") + f"?campaign={campaign}",
        reverse("dashboard:failures") + f"?campaign={campaign}&code=nopermissions",
        reverse("dashboard:courses") + f"?campaign={campaign}",
        reverse("audit:index"),
        reverse("admin_portal:index"),
        reverse("admin_portal:instances"),
        reverse("admin_portal:instance_new"),
        reverse("admin_portal:instance_edit", args=[instance]),
        reverse("admin_portal:campaigns"),
        reverse("admin_portal:campaign_new"),
        reverse("admin_portal:campaign_edit", args=[campaign]),
        reverse("admin_portal:operations", args=[campaign]),
        reverse("admin_portal:policies"),
        reverse("admin_portal:restore_search") + "?q=CHIM",
        reverse("admin_portal:apogee_import"),
        reverse("approvals:index"),
        reverse("approvals:detail", args=[board.special.pk]),  # type: ignore[attr-defined]
        reverse("approvals:requests"),
        reverse("notifications:language"),
        "/no-such-page/",
    ]


def test_every_staff_page_in_french_holds_no_english_string(staff_world: Board) -> None:
    fragments = english_fragments()
    assert len(fragments) > 300
    client = Client()
    client.force_login(staff_world.people.admin)
    found: dict[str, list[str]] = {}
    for url in staff_pages(staff_world):
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="fr")
        assert response.status_code in (200, 404), url
        text = visible_text(response.content.decode())
        english = sorted({msgid for msgid, pattern in fragments if pattern.search(text)})
        if english:
            found[url] = english
    assert found == {}

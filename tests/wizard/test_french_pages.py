"""Every page and e-mail a teacher reaches, drawn in French, holds no untranslated text.

Each text of a page (text nodes, and the labels a screen reader reads) must be made of the
French catalogue's sentences (Passage's and Django's, as the portal translates with them), of
data (names of courses, activities, people and cohorts, from Moodle or Passage's tables), of
numbers and dates, or of the few names that read the same in both languages. Whatever is left
once those are taken out was written outside the catalogue: an English sentence left in a
template, a label never marked for translation, a technical error shown as is.
"""

from __future__ import annotations

import datetime
import io
import re
import zipfile
from functools import cache
from html.parser import HTMLParser
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import trans_real

from tests.factories import BackupFactory, CourseFactory, JobFactory
from tests.wizard.conftest import Wizard, World
from tests.wizard.test_every_course_and_scenario import colleague_of
from transition.keep_copy.archive import CSV_FILES, archive_build
from transition.keep_copy.collect import kept_content_read
from transition.models import (
    Backup,
    Campaign,
    Category,
    Cohort,
    Course,
    Job,
    KeptCopy,
    MoodleInstance,
    Policy,
    PolicyRule,
    TransitionRequest,
)
from transition.notifications.emails import notify_hand_over_successor, notify_request_status
from transition.notifications.reminders import reminders_send_now
from transition.services.instances import instance_client
from transition.views import server_error

Status = TransitionRequest.Status
# What the walk below types in the wizard or an engineer writes, shown back as it is.
NEW_SHORTNAME = "CHIM231-2026"
REASON = "Stage en entreprise jusqu\u2019en octobre"
COMMENT = "Merci de préciser les dates du stage"
ANNOUNCEMENT = "Les travaux de l\u2019an dernier seront effacés"
TYPED = {NEW_SHORTNAME, "ex_CHIM231-2025", REASON, COMMENT, ANNOUNCEMENT}
# Names that read the same in French and English, and the languages' own names in the menu.
SAME_IN_BOTH = {"Passage", "Moodle", "English", "Français", "SHA-256", "UTC", "CSV", "HTTP"}
LABELS = ("title", "aria-label", "placeholder", "alt")
VOID = {"br", "img", "input", "meta", "link", "hr", "col", "source", "wbr", "area", "base"}
# The fields of Moodle's rows that name something; never its identifiers (`forum`,
# `editingteacher`, `topics`), which a teacher must not read.
MOODLE_NAMES = ("name", "fullname", "shortname", "idnumber", "itemname", "firstname", "lastname",
                "username", "email")  # fmt: skip
PLACEHOLDER = re.compile(r"%\(\w+\)[sdr]|%[sd]|\{[^{}]*\}|<[^>]*>")
WORD = re.compile("[^\\W\\d_][\\w\u2019'.-]*")


class _Texts(HTMLParser):
    """The texts a person reads or hears: text nodes, labels, the value of input buttons."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self._hidden: list[bool] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag not in VOID:
            self._hidden.append(tag in ("script", "style"))
        for name in LABELS:
            if values.get(name):
                self.texts.append(values[name] or "")
        if tag == "input" and values.get("type") in ("submit", "button") and values.get("value"):
            self.texts.append(values["value"] or "")

    def handle_endtag(self, tag: str) -> None:
        if tag not in VOID and self._hidden:
            self._hidden.pop()

    def handle_data(self, data: str) -> None:
        if not any(self._hidden) and data.strip():
            self.texts.append(data)


def squeezed(text: str) -> str:
    """Runs of HTML white space made one space; no-break spaces are typography, kept."""
    return re.sub(r"[ \t\n\r\f]+", " ", text).strip()


def html_texts(html: str) -> list[str]:
    parser = _Texts()
    parser.feed(html)
    return [squeezed(text) for text in parser.texts]


def mail_texts(message: Any) -> list[str]:
    """An e-mail's subject and lines, its links left out (addresses, not words)."""
    lines = [message.subject, *message.body.splitlines()]
    return [re.sub(r"https?://\S+", " ", line).strip() for line in lines if line.strip()]


@cache
def french_pieces() -> tuple[str, ...]:
    """The literal runs of every French message (placeholders and tags cut them), longest
    first: what the portal can say in French."""
    with translation.override("fr"):
        catalogue = trans_real.translation("fr")._catalog  # type: ignore[attr-defined]
        messages = [value for _key, value in catalogue.items() if isinstance(value, str)]
    pieces = set()
    for message in messages:
        for piece in PLACEHOLDER.split(message):
            piece = piece.strip(" \u202f\u00a0\n")
            if WORD.search(piece):
                pieces.update((piece, piece[0].upper() + piece[1:]))  # and as a label shows it
    pieces.add("1er")  # the first of the month, as French long dates write it (portal/dates.py)
    return tuple(sorted(pieces, key=len, reverse=True))


def data_values(world: World) -> set[str]:
    """Every name the pages may show as it is: Moodle's (from the stand-in's tables) and what
    Passage keeps or the teacher typed."""
    values: set[str] = set()
    site = world.server.site
    for name, table in vars(site).items():
        if isinstance(table, dict) and name != "roles":  # roles show by their French names
            for row in table.values():
                values.update(getattr(row, field, "") for field in MOODLE_NAMES)
    people = get_user_model().objects.all()
    values.update(user.get_full_name() for user in people)
    values.update(u for user in people for u in (user.username, user.first_name, user.last_name))
    values.update(v for c in Course.objects.all() for v in (c.shortname, c.fullname))
    values.update(Category.objects.values_list("name", flat=True))
    values.update(v for c in Cohort.objects.all() for v in (c.name, c.idnumber))
    values.update(MoodleInstance.objects.values_list("name", flat=True))
    values.update(Backup.objects.values_list("sha256", flat=True))
    values.update(KeptCopy.objects.values_list("sha256", flat=True))
    values.update(Campaign.objects.values_list("academic_year", flat=True))
    values.update(Campaign.objects.values_list("archive_prefix", flat=True))
    # The institution's data policy, written in its own words.
    values.update(Policy.objects.values_list("name", flat=True))
    values.update(PolicyRule.objects.values_list("reason", flat=True))
    # The kept copy's files keep one name in every language (its README names them).
    values.update([name for name, _write in CSV_FILES] + ["gradebook.xlsx", "README.txt"])
    values.update(TYPED)
    return {squeezed(value) for value in values if value and len(value.strip()) > 1}


def _cut(text: str, piece: str) -> str:
    if piece not in text:
        return text
    before = r"(?<![^\W\d_])" if piece[0].isalnum() else ""
    after = r"(?![^\W\d_])" if piece[-1].isalnum() else ""
    return re.sub(before + re.escape(piece) + after, " ", text)


def leftover(text: str, known: tuple[str, ...]) -> str:
    """What remains of `text` once data and French messages (longest first, so that a sentence
    goes whole before a name inside it), numbers and dates are taken out."""
    for piece in known:
        text = _cut(text, piece)
    words = [word.strip(".-\u2019'") for word in WORD.findall(text)]
    return " ".join(word for word in words if word and word not in SAME_IN_BOTH)


def untranslated(shown: dict[str, list[str]], data: set[str]) -> dict[str, set[str]]:
    ordered = tuple(sorted(set(french_pieces()) | data, key=len, reverse=True))
    found: dict[str, set[str]] = {}
    for page, texts in shown.items():
        left = {f"{text!r} leaves {rest!r}" for text in texts if (rest := leftover(text, ordered))}
        if left:
            found[page] = left
    return found


# --------------------------------------------------------------------------- the teacher's walk


def french_client(user: Any | None) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="fr")
    client.cookies["django_language"] = "fr"
    if user is not None:
        client.force_login(user)
    return client


def page(shown: dict[str, list[str]], name: str, response: Any, status: int = 200) -> None:
    assert response.status_code == status, (name, response.status_code)
    shown[name] = html_texts(response.content.decode())
    assert shown[name], name


def scenario_fields(scenario: str, colleague: str, source: Course | None) -> dict[str, Any]:
    return {
        "reuse_reset": {"scenario": "reuse_reset"},
        "special_calendar": {
            "scenario": "reuse_reset",
            "special_calendar": "late_closing",
            "special_closes": "2027-10-15",
            "special_reason": REASON,
        },
        "fresh_copy": {
            "scenario": "fresh_copy",
            "new_shortname": NEW_SHORTNAME,
            "archive_prefix": "on",
            "archive_hide": "on",
        },
        "restore_previous": {
            "scenario": "restore_previous",
            "restore_source": source.pk if source else "",
            "restore_mode": "merge",
        },
        "hand_over": {"scenario": "hand_over", "successor_username": colleague},
        "no_change": {"scenario": "no_change"},
    }[scenario]


def walk_scenario(
    shown: dict[str, list[str]], client: Client, course: Course, name: str, fields: dict
) -> TransitionRequest | None:
    """Every step of the wizard for one scenario, then the request it creates."""
    wizard = Wizard(client, courses=[course])
    page(shown, f"{name}: courses", wizard.page)
    wizard.courses(course)
    page(shown, f"{name}: scenarios", wizard.page)
    wizard.scenarios({course: fields})
    if wizard.step == "options":
        page(shown, f"{name}: options", wizard.page)
        options = wizard.options_form(course)
        extra = {"announce": "on", "announce_days": "7", "announce_message": ANNOUNCEMENT}
        if "keep_copy" in options.fields:
            extra["keep_copy"] = "on"
        wizard.options({course: extra} if "announce" in options.fields else None)
    assert wizard.step == "review", (
        name,
        wizard.step,
        wizard.page.context["wizard"]["form"].errors,
    )
    page(shown, f"{name}: review", wizard.page)
    if any(review.blocked for review in wizard.page.context["reviews"]):
        return None  # the review says why and what to do; nothing to confirm
    wizard.submit({})
    assert wizard.step == "confirm", name
    page(shown, f"{name}: confirm", wizard.page)
    response = wizard.submit({"confirm-acknowledge": "on"})
    assert response.status_code == 302, name
    page(shown, f"{name}: messages after confirming", client.get(response["Location"]))
    return TransitionRequest.objects.exclude(status=Status.CANCELLED).get(course=course)


def request_pages(
    shown: dict[str, list[str]], client: Client, request: TransitionRequest, name: str
) -> None:
    page(shown, f"{name}: request page", client.get(f"/requests/{request.pk}/"))
    progress = client.get(f"/requests/{request.pk}/progress/").json()
    shown[f"{name}: live progress"] = html_texts(progress["html"])


def emails(shown: dict[str, list[str]], request: TransitionRequest, name: str) -> None:
    mail.outbox.clear()
    if notify_request_status(request_id=request.pk):
        (message,) = mail.outbox
        shown[f"{name}: e-mail"] = mail_texts(message)


def jobs_of(request: TransitionRequest, *, failed: bool = False, done: bool = False) -> None:
    now = timezone.now()
    finished = Job.Status.SUCCEEDED
    JobFactory(request=request, kind=Job.Kind.GRADE_EXPORT, position=0, status=finished,
                        finished_at=now, result={"file": "grades/x.xlsx", "rows": 12})  # fmt: skip
    backup = JobFactory(request=request, kind=Job.Kind.BACKUP, position=1, status=finished,
                        finished_at=now)  # fmt: skip
    BackupFactory(course=request.course, campaign=request.campaign, job=backup, verified_at=now,
                  size=2_500_000, sha256="b" * 64, sha1="c" * 40)  # fmt: skip
    reset = JobFactory(request=request, kind=Job.Kind.RESET, position=2,
                       started_at=now + datetime.timedelta(minutes=1))  # fmt: skip
    verify = JobFactory(request=request, kind=Job.Kind.VERIFY, position=3)
    if failed:
        Job.objects.filter(pk=reset.pk).update(
            status=Job.Status.FAILED, finished_at=now, last_error_code="connectionerror",
            last_error_message="cannot reach Moodle: HTTPConnectionPool(host='x'): Max retries",
        )  # fmt: skip
    elif done:
        Job.objects.filter(pk__in=[reset.pk, verify.pk]).update(status=finished, finished_at=now)
    else:
        Job.objects.filter(pk=reset.pk).update(status=Job.Status.RUNNING, progress=0.5)
        Job.objects.filter(pk=verify.pk).update(not_before=now + datetime.timedelta(hours=1))


def kept_copy_files(world: World, course: Course) -> dict[str, list[str]]:
    """What a teacher reads in the kept copy they download: its README, its index page and
    the column names of its tables (the rows are the students' own words)."""
    client = instance_client(instance=world.instance)
    inventory = client.get_course_inventory(course.moodle_id)
    content = kept_content_read(client=client, inventory=inventory)
    with translation.override("fr"):
        built = archive_build(content, built_at=timezone.now())
    with zipfile.ZipFile(io.BytesIO(built)) as archive:

        def read(name: str) -> str:
            return archive.read(name).decode("utf-8-sig")

        shown = {
            "kept copy: README.txt": [line for line in read("README.txt").splitlines() if line],
            "kept copy: index.html": html_texts(read("index.html")),
        }
        for name, _write in CSV_FILES:
            shown[f"kept copy: {name} columns"] = read(name).splitlines()[0].split(",")
    return shown


def teacher_pages(world: World, previous_course: Course) -> dict[str, list[str]]:
    """Every page and e-mail a teacher meets, in French, from sign-in to the finished request."""
    shown: dict[str, list[str]] = {}
    teacher = world.teacher
    teacher.email = "teacher@unicaen.example"
    teacher.save()
    client = french_client(teacher)

    anonymous = french_client(None)
    page(shown, "sign-in", anonymous.get(reverse("login")))
    wrong = {"username": "teacher", "password": "not-this-one"}
    page(shown, "sign-in refused", anonymous.post(reverse("login"), wrong))
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        locked = anonymous.post(reverse("login"), wrong)
    page(shown, "sign-in locked", locked, status=429)
    with translation.override("fr"):
        request = RequestFactory().get("/")
        request.user = teacher
        page(shown, "server error", server_error(request), status=500)
    page(shown, "home", client.get("/"))
    page(shown, "e-mail language", client.get(reverse("notifications:language")))
    page(shown, "page not found", client.get("/requests/999999/"), status=404)

    course = world.course("CHIM231-2025")
    colleague = colleague_of(world.instance, teacher)
    for scenario in ("reuse_reset", "special_calendar", "fresh_copy", "restore_previous",
                     "hand_over", "no_change"):  # fmt: skip
        fields = scenario_fields(scenario, colleague, previous_course)
        request = walk_scenario(shown, client, course, scenario, fields)
        if request is None:
            continue
        page(shown, f"{scenario}: course list", client.get("/courses/"))
        request_pages(shown, client, request, f"{scenario}: {request.status}")
        if scenario == "reuse_reset":
            states = [
                (Status.RUNNING, {}),
                (Status.FAILED, {"failed": True}),
                (Status.DONE, {"done": True}),
            ]
            for status, outcome in states:
                Job.objects.filter(request=request).delete()
                Backup.objects.filter(course=course).delete()
                jobs_of(request, **outcome)
                TransitionRequest.objects.filter(pk=request.pk).update(status=status)
                request_pages(shown, client, request, f"{scenario}: {status}")
                page(shown, f"{scenario}: {status}: course list", client.get("/courses/"))
                emails(shown, request, f"{scenario}: {status}")
        if scenario == "special_calendar":
            assert request.status == Status.PENDING_APPROVAL
            for status in (Status.CHANGES_REQUESTED, Status.APPROVED, Status.REJECTED):
                TransitionRequest.objects.filter(pk=request.pk).update(
                    status=status, decision_comment=COMMENT,
                    decided_at=timezone.now(),
                )  # fmt: skip
                request_pages(shown, client, request, f"{scenario}: {status}")
                emails(shown, request, f"{scenario}: {status}")
        if scenario == "fresh_copy":
            new = world.instance.courses.create(
                moodle_id=9003, shortname=NEW_SHORTNAME, fullname=course.fullname,
                category=course.category,
            )  # fmt: skip
            TransitionRequest.objects.filter(pk=request.pk).update(
                target_course=new, status=Status.DONE
            )
            request_pages(shown, client, request, f"{scenario}: done")
            page(shown, f"{scenario}: done: course list", client.get("/courses/"))
            emails(shown, request, f"{scenario}: done")
            TransitionRequest.objects.filter(pk=request.pk).delete()
            new.delete()
        if scenario == "hand_over":
            TransitionRequest.objects.filter(pk=request.pk).update(status=Status.DONE)
            request_pages(shown, client, request, f"{scenario}: done")
            emails(shown, request, f"{scenario}: done")
            mail.outbox.clear()
            assert notify_hand_over_successor(request_id=request.pk)
            (message,) = mail.outbox
            shown[f"{scenario}: done: the colleague's e-mail"] = mail_texts(message)
        if scenario == "no_change":
            # A teacher cancels what has not started; the page says so.
            response = client.post(f"/requests/{request.pk}/cancel/", follow=True)
            page(shown, "cancelled", response)
        TransitionRequest.objects.filter(pk=request.pk).delete()

    other = TransitionRequest.objects.create(
        campaign=world.campaign,
        course=CourseFactory(instance=world.instance, shortname="PHYS101", fullname="Physique"),
        requested_by=get_user_model().objects.create(username="someone.else"),
        scenario=TransitionRequest.Scenario.REUSE_RESET,
    )  # fmt: skip
    page(shown, "another teacher's request", client.get(f"/requests/{other.pk}/"), status=403)

    mail.outbox.clear()
    assert reminders_send_now(campaign=world.campaign)
    message = next(m for m in mail.outbox if m.to == [teacher.email])
    shown["reminder e-mail"] = mail_texts(message)

    shown.update(kept_copy_files(world, course))

    type(world.instance).objects.filter(pk=world.instance.pk).update(url="http://127.0.0.1:9")
    wizard = Wizard(client, courses=[course])
    wizard.courses(course)
    page(shown, "Moodle unreachable", wizard.scenarios({course: {"scenario": "reuse_reset"}}), 503)
    Campaign.objects.filter(pk=world.campaign.pk).update(status=Campaign.Status.LOCKED)
    closed = client.get(client.get("/requests/new/")["Location"])
    page(shown, "campaign closed", closed, status=409)
    return shown


@pytest.mark.django_db
def test_every_teacher_page_and_email_in_french_holds_no_untranslated_text(
    world: World, previous_course: Course
) -> None:
    shown = teacher_pages(world, previous_course)
    assert len(shown) > 60
    found = untranslated(shown, data_values(world))
    assert not found, "\n".join(f"{name}: {text}" for name in found for text in sorted(found[name]))


def test_an_english_sentence_left_in_a_page_is_found(world: World) -> None:
    """The check above can fail: the same page with one English sentence added is refused, and
    the English is named."""
    html = french_client(world.teacher).get("/courses/").content.decode()
    data = data_values(world)
    assert not untranslated({"courses": html_texts(html)}, data)
    spoiled = html.replace("</h1>", "</h1><p>Choose what happens to each course.</p>", 1)
    found = untranslated({"courses": html_texts(spoiled)}, data)
    assert found == {
        "courses": {
            "'Choose what happens to each course.' leaves 'Choose what happens to each course'"
        }
    }
    labelled = html.replace("</h1>", '</h1><a href="/" title="Back home">←</a>', 1)
    assert "Back home" in str(untranslated({"courses": html_texts(labelled)}, data))

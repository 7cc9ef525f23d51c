"""Every teacher page, rendered in French, holds no English left untranslated.

Each page is rendered twice, in French and in English: a piece of text that reads the same in
both and is an English phrase (it has English grammar words) was not translated. Moodle's own
data (course and activity names) reads the same in both languages too, but the seeds write it
in French.
"""

from __future__ import annotations

import datetime
import re
from html.parser import HTMLParser

from django.test import Client
from django.urls import reverse

from tests.factories import BackupFactory, JobFactory
from tests.wizard.conftest import Wizard
from transition.models import Job, TransitionRequest

ENGLISH = re.compile(
    r"\b(the|and|of|to|your|is|are|this|will|be|for|with|from|by|not|no|on|in|it|you|what|"
    r"when|who|has|have|was|were|an|a)\b",
    re.I,
)
ATTRIBUTES = ("title", "aria-label", "placeholder", "alt")


class Texts(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.texts: set[str] = set()
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "code"):
            self.skip += 1
        for name, value in attrs:
            if name in ATTRIBUTES and value:
                self.texts.add(value.strip())

    def handle_endtag(self, tag):
        if tag in ("script", "style", "code") and self.skip:
            self.skip -= 1

    def handle_data(self, data):
        if not self.skip:
            for part in re.split(r"\s*\n\s*", data):
                if part.strip():
                    self.texts.add(" ".join(part.split()))


def texts(response) -> set[str]:
    parser = Texts()
    parser.feed(response.content.decode())
    return parser.texts


def untranslated(french: set[str], english: set[str]) -> set[str]:
    return {text for text in french & english if len(text.split()) > 1 and ENGLISH.search(text)}


def client_in(world, language: str) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.cookies["django_language"] = language
    client.force_login(world.teacher)
    return client


def pages_of(world, client: Client) -> dict[str, set[str]]:
    """Every teacher page, in the client's language."""
    shown: dict[str, set[str]] = {}
    shown["home"] = texts(client.get("/"))
    shown["courses"] = texts(client.get("/courses/"))
    shown["e-mail language"] = texts(client.get(reverse("notifications:language")))
    course = world.course("CHIM231-2025")
    for scenario, fields in (
        ("reuse_reset", {}),
        ("fresh_copy", {"new_shortname": "CHIM231-2026", "archive_prefix": "on"}),
        (
            "reuse_reset",
            {
                "special_calendar": "late_closing",
                "special_closes": "2027-10-15",
                "special_reason": "Stage",
            },
        ),
    ):
        wizard = Wizard(client, courses=[course])
        shown[f"{scenario}-courses"] = texts(wizard.page)
        wizard.courses(course)
        shown[f"{scenario}-scenarios"] = texts(wizard.page)
        wizard.scenarios({course: {"scenario": scenario, **fields}})
        shown[f"{scenario}-options"] = texts(wizard.page)
        wizard.options()
        shown[f"{scenario}-review"] = texts(wizard.page)
        shown[f"{scenario}-confirm"] = texts(wizard.submit({}))
    wizard = Wizard(client, courses=[course])
    wizard.courses(course)
    wizard.scenarios({course: {"scenario": "reuse_reset"}})
    wizard.options()
    wizard.submit({})
    response = wizard.submit({"confirm-acknowledge": "on"})
    request = TransitionRequest.objects.get(course=course, status="scheduled")
    now = datetime.datetime.now(tz=datetime.UTC)
    backup = JobFactory(request=request, kind=Job.Kind.BACKUP, position=1,
                        status=Job.Status.SUCCEEDED, finished_at=now)  # fmt: skip
    BackupFactory(course=course, campaign=request.campaign, job=backup, verified_at=now,
                  sha256="b" * 64, sha1="c" * 40)  # fmt: skip
    JobFactory(request=request, kind=Job.Kind.RESET, position=2, status=Job.Status.RUNNING,
               progress=0.5)  # fmt: skip
    JobFactory(request=request, kind=Job.Kind.VERIFY, position=3, status=Job.Status.FAILED,
               last_error_code="verifymismatch", last_error_message="3 counts differ")  # fmt: skip
    shown["request"] = texts(client.get(response["Location"]))
    shown["progress"] = texts_of_html(client.get(f"/requests/{request.pk}/progress/").json())
    request.delete()
    return shown


def texts_of_html(data: dict) -> set[str]:
    parser = Texts()
    parser.feed(data["html"])
    return parser.texts


def test_every_teacher_page_in_french_holds_no_untranslated_english(world) -> None:
    french = pages_of(world, client_in(world, "fr"))
    TransitionRequest.objects.all().delete()
    english = pages_of(world, client_in(world, "en"))
    assert "Préparer mes cours" in french["courses"] and "Prepare my courses" in english["courses"]
    left = {page: untranslated(french[page], english[page]) for page in french}
    assert not {page: found for page, found in left.items() if found}

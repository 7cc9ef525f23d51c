"""A teacher's world for the wizard: the stand-in's `small` site synced into Passage, an open
campaign under the Caen policy, and helpers to walk the wizard's steps."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from moodle_client.standin import StandinServer
from tests.factories import CampaignFactory, CourseFactory, CourseRoleFactory, MoodleInstanceFactory
from transition.models import Campaign, Course, MoodleInstance, Person
from transition.services.policies import policy_create_caen_default
from transition.services.sync import instance_sync
from transition.tokens import token_encrypt


@pytest.fixture(scope="module")
def small_site() -> Iterator[StandinServer]:
    """One `small` stand-in per test module: the wizard only reads Moodle."""
    server = StandinServer.start(seed="small")
    yield server
    server.stop()


@dataclass
class World:
    server: StandinServer
    instance: MoodleInstance
    campaign: Campaign
    teacher: Any
    client: Client

    def course(self, shortname: str) -> Course:
        return Course.objects.get(instance=self.instance, shortname=shortname)


def make_world(server: StandinServer, *, allow_asap: bool = False) -> World:
    instance = MoodleInstanceFactory(
        name="ecampus",
        role=MoodleInstance.Role.CURRENT,
        url=server.url,
        token_encrypted=token_encrypt("admin"),
    )
    instance_sync(instance=instance)
    campaign = CampaignFactory(
        academic_year="2026-2027", policy=policy_create_caen_default(), allow_asap=allow_asap
    )
    teacher = get_user_model().objects.get(username="teacher")
    client = Client()
    client.force_login(teacher)
    return World(
        server=server, instance=instance, campaign=campaign, teacher=teacher, client=client
    )


@pytest.fixture
def world(db: None, small_site: StandinServer) -> World:
    return make_world(small_site)


@pytest.fixture
def previous_course(world: World) -> Course:
    """CHIM231-2024 on last year's platform, taught by the same teacher."""
    previous = MoodleInstanceFactory(name="ecampus-bleu", role=MoodleInstance.Role.PREVIOUS)
    course = CourseFactory(
        instance=previous, shortname="CHIM231-2024", idnumber="CHIM231-2024", moodle_id=77
    )
    current = Person.objects.get(instance=world.instance, user=world.teacher)
    CourseRoleFactory(
        course=course,
        person__user=world.teacher,
        person__moodle_userid=current.moodle_userid,
        person__instance=previous,
    )
    return course


class Wizard:
    """Walks the wizard through the Django test client, as a browser without JavaScript."""

    def __init__(self, client: Client, *, courses: list[Course] = ()) -> None:
        self.client = client
        query = "".join(f"&course={c.pk}" for c in courses).lstrip("&")
        response = client.get("/requests/new/" + (f"?{query}" if query else ""))
        assert response.status_code == 302
        self.url = response["Location"].split("?")[0]
        self.prefix = "request_wizard_" + self.url.rstrip("/").rsplit("/", 1)[1]
        self.page = client.get(response["Location"])
        assert self.page.status_code == 200, self.page.content[:500]

    @property
    def step(self) -> str:
        return self.page.context["wizard"]["steps"].current

    def submit(self, data: dict[str, Any], *, step: str | None = None) -> Any:
        payload = {f"{self.prefix}-current_step": step or self.step, **data}
        self.page = self.client.post(self.url, payload)
        return self.page

    def courses(self, *courses: Course) -> Any:
        return self.submit({"courses-courses": [c.pk for c in courses]}, step="courses")

    def scenarios(self, choices: dict[Course, dict[str, Any]]) -> Any:
        data: dict[str, Any] = {}
        for course, fields in choices.items():
            for name, value in fields.items():
                data[f"scenarios-{course.pk}-{name}"] = value
        return self.submit(data, step="scenarios")

    def options_form(self, course: Course) -> Any:
        return dict(self.page.context["wizard"]["form"].forms)[course]

    def options(self, overrides: dict[Course, dict[str, Any]] | None = None) -> Any:
        """Submit the options as shown (their initial values), with some fields changed."""
        data: dict[str, Any] = {}
        for course, form in self.page.context["wizard"]["form"].forms:
            for name, field in form.fields.items():
                if field.disabled:
                    continue
                value = form[name].value()
                if value in (None, False, [], ""):
                    continue
                data[form.add_prefix(name)] = "on" if value is True else value
            for name, value in ((overrides or {}).get(course) or {}).items():
                key = form.add_prefix(name)
                if value is None:
                    data.pop(key, None)
                else:
                    data[key] = value
        return self.submit(data, step="options")

    def reviews(self) -> dict[str, Any]:
        return {review.shortname: review for review in self.page.context["reviews"]}

"""The engine's test world: a stand-in Moodle, its courses mirrored in Passage, a running
campaign, and helpers that build approved requests with the spec and review the wizard would
have stored."""

from __future__ import annotations

import datetime
import time
from dataclasses import dataclass
from typing import Any

import pytest
import redis
from django.conf import settings
from django.utils import timezone

from moodle_client import MoodleClient
from moodle_client.standin import StandinServer
from tests.factories import CampaignFactory, PolicyFactory, UserFactory
from transition.engine import runner
from transition.models import (
    Category,
    Course,
    Job,
    MoodleInstance,
    RequestPlan,
    TransitionRequest,
)
from transition.request_spec import RequestSpec
from transition.review.engine import ReviewFacts, review_course
from transition.review.policy_locks import moodle_default_options
from transition.tokens import token_encrypt

# Timings for a Moodle that answers in milliseconds (see transition.engine.config).
FAST_ENGINE = {
    "retry_base_delay": 0.05,
    "retry_max_delay": 0.2,
    "operation_wait": 1,
    "operation_unreachable_pause": 0.01,
    "heartbeat_interval": 60.0,
    "heartbeat_stale": 120.0,
    "requeue_after": 60.0,
    "slot_wait": 2.0,
    "slot_poll": 0.01,
    "slot_lease": 10.0,
    "busy_delay": 0.05,
    "outage_probe_interval": 0.2,
}


def slots_clear() -> None:
    connection = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    for key in connection.scan_iter("passage:moodle-slots:*"):
        connection.delete(key)


@pytest.fixture(autouse=True)
def engine_settings(settings: Any, tmp_path: Any) -> None:
    settings.ENGINE = FAST_ENGINE
    settings.MOODLE_TIMEOUT = 3
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "media"},
        },
        "backups": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "backups"},
        },
    }
    runner._client.cache_clear()
    slots_clear()


@dataclass
class World:
    server: StandinServer
    instance: MoodleInstance
    campaign: Any
    teacher: Any
    admin: Any
    previous: MoodleInstance | None = None
    previous_server: StandinServer | None = None

    @property
    def client(self) -> MoodleClient:
        return MoodleClient(self.server.url, "admin", timeout=5)

    def course(self, shortname: str, instance: MoodleInstance | None = None) -> Course:
        return Course.objects.get(instance=instance or self.instance, shortname=shortname)

    def moodle_course(self, shortname: str) -> Any:
        return next(c for c in self.server.site.courses.values() if c.shortname == shortname)


def mirror(server: StandinServer, *, name: str, role: str, limit: int = 4) -> MoodleInstance:
    """A platform and its courses in Passage's catalogue, as the nightly sync leaves them."""
    instance = MoodleInstance.objects.create(
        name=name,
        url=server.url,
        role=role,
        token_encrypted=token_encrypt("admin"),
        concurrency_limit=limit,
    )
    categories = {}
    for category in server.site.categories.values():
        categories[category.id] = Category.objects.create(
            instance=instance, moodle_id=category.id, name=category.name
        )
    for course in server.site.courses.values():
        if course.id == 1:
            continue
        Course.objects.create(
            instance=instance,
            moodle_id=course.id,
            shortname=course.shortname,
            fullname=course.fullname,
            idnumber=course.idnumber,
            category=categories.get(course.category),
        )
    return instance


@pytest.fixture
def world(db: None, start_standin: Any) -> World:
    return build_world(start_standin)


def build_world(start_standin: Any, **standin_options: Any) -> World:
    server = start_standin("small", **standin_options)
    instance = mirror(server, name="ecampus", role=MoodleInstance.Role.CURRENT)
    campaign = CampaignFactory(
        academic_year="2026-2027",
        policy=PolicyFactory(),
        status="running",
        allow_asap=True,
    )
    return World(
        server=server,
        instance=instance,
        campaign=campaign,
        teacher=UserFactory(username="teacher", roles=["teacher"]),
        admin=UserFactory(username="alain.admin", roles=["admin"]),
    )


def approved_request(
    world: World, course: Course, spec: RequestSpec, **fields: Any
) -> TransitionRequest:
    """An approved request with the spec and the review the wizard stores when the teacher
    confirms (the review computed from the course's inventory, as the wizard does)."""
    client = MoodleClient(course.instance.url, "admin", timeout=5)
    inventory = client.get_course_inventory(course.moodle_id)
    forums = client.get_forums([course.moodle_id])
    review = review_course(
        inventory=inventory,
        spec=spec,
        governed={},
        facts=ReviewFacts(forum_types={forum.id: forum.type for forum in forums}),
    )
    request = TransitionRequest.objects.create(
        campaign=world.campaign,
        course=course,
        requested_by=world.teacher,
        scenario=spec.scenario,
        options=dict(spec.reset_options),
        review_snapshot=review.to_json(),
        status=TransitionRequest.Status.APPROVED,
        submitted_at=timezone.now() - datetime.timedelta(minutes=1),
        **fields,
    )
    RequestPlan.objects.create(request=request, spec=spec.to_json())
    return request


def reset_spec(world: World, course: Course, **extra: Any) -> RequestSpec:
    inventory = world.client.get_course_inventory(course.moodle_id)
    return RequestSpec(
        scenario="reuse_reset",
        course_moodle_id=course.moodle_id,
        reset_options=moodle_default_options(inventory),
        asap=True,
        **extra,
    )


def run_until_idle(request: TransitionRequest | None = None, *, limit: int = 50) -> list[str]:
    """Run the due queued jobs in this process, as a worker would, until none is left."""
    outcomes = []
    for _ in range(limit):
        jobs = Job.objects.filter(status=Job.Status.QUEUED)
        if request is not None:
            jobs = jobs.filter(request=request)
        job = jobs.order_by("not_before", "pk").first()
        if job is None:
            break
        wait = (job.not_before - timezone.now()).total_seconds() if job.not_before else 0
        if wait > 5:
            break  # due later (after an announcement, for instance)
        time.sleep(max(wait, 0))
        outcomes.append(runner.job_run(job_id=job.pk, worker="test-worker"))
    return outcomes

"""The engine through a real Celery worker over Redis and PostgreSQL: every scenario, injected
Moodle faults, a worker killed mid-job, Redis restarted, the concurrency limit across worker
processes, and a retry after success."""

from __future__ import annotations

import json
import os
import signal
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.db import transaction

from moodle_client.standin.passage.operations import passage_state
from tests.engine.conftest import FAST_ENGINE, approved_request, build_world, mirror, reset_spec
from tests.engine.worker_process import (
    CeleryWorker,
    broker_purge,
    redis_ensure_up,
    redis_restart,
)
from transition.engine import services
from transition.engine.dispatch import jobs_send
from transition.models import AuditEvent, Backup, Course, Job, MoodleInstance, TransitionRequest
from transition.request_spec import (
    ArchivePlan,
    CohortChange,
    FreshCopy,
    RequestSpec,
    RestorePlan,
)

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

WORKER_ENGINE = {
    **FAST_ENGINE,
    "heartbeat_interval": 0.3,
    "heartbeat_stale": 1.5,
    "requeue_after": 2.0,
    "sweep_interval": 0.5,
}


@pytest.fixture
def worker_world(transactional_db: None, start_standin: Any, settings: Any) -> Any:
    settings.ENGINE = WORKER_ENGINE
    return build_world(start_standin)


@pytest.fixture
def start_worker(tmp_path: Any) -> Iterator[Callable[..., CeleryWorker]]:
    redis_ensure_up()
    broker_purge()
    workers: list[CeleryWorker] = []

    def start(concurrency: int = 2, **options: Any) -> CeleryWorker:
        worker = CeleryWorker(
            storage=tmp_path / f"worker-{len(workers)}",
            engine=WORKER_ENGINE,
            concurrency=concurrency,
            log=tmp_path / f"worker-{len(workers)}.log",
            **options,
        )
        workers.append(worker)
        return worker.start()

    yield start
    for worker in workers:
        worker.stop()
    redis_ensure_up()
    broker_purge()


def wait_for(
    condition: Callable[[], bool], *, timeout: float, what: str, worker: CeleryWorker
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}\n{worker.output()[-4000:]}")


def settled(*requests: TransitionRequest) -> Callable[[], bool]:
    final = {TransitionRequest.Status.DONE, TransitionRequest.Status.FAILED}
    return lambda: all(TransitionRequest.objects.get(pk=r.pk).status in final for r in requests)


def statuses(request: TransitionRequest) -> list[tuple[str, str, str]]:
    return [(j.kind, j.status, j.last_error_code) for j in request.jobs.order_by("position")]


def operations(world: Any, kind: str) -> list[Any]:
    return [op for op in passage_state(world.server.site).operations.values() if op.type == kind]


def start(request: TransitionRequest) -> None:
    """As the confirmation screen does: the first job is sent once the transaction commits.
    The worker's beat may have started the approved request already; it then runs all the
    same."""
    with transaction.atomic():
        services.requests_asap_start(requests=[request])
    request.refresh_from_db()
    assert request.status != TransitionRequest.Status.APPROVED, statuses(request)


def test_every_scenario_runs_to_the_end_through_a_worker(
    worker_world, start_worker, start_standin
) -> None:
    world = worker_world
    worker = start_worker(concurrency=3)
    reset_course = world.course("CHIM231-2025")
    sync = world.server.site.enrol_instances_of(world.moodle_course("CHIM231-2025").id, "cohort")[0]
    reset = approved_request(
        world,
        reset_course,
        reset_spec(
            world,
            reset_course,
            grade_export=True,
            cohort_changes=(
                CohortChange("remove", "L1CHIM231", enrol_instance_id=sync.id),
                CohortChange("add", "L1CHIM241"),
            ),
        ),
    )
    copy_course = world.course("CHIM232-2025")
    copy = approved_request(
        world,
        copy_course,
        RequestSpec(
            scenario="fresh_copy",
            course_moodle_id=copy_course.moodle_id,
            fresh_copy=FreshCopy(
                "CHIM232-2026", "Thermo 2026", ArchivePlan(prefix="ex_", hide=True)
            ),
            asap=True,
        ),
    )
    previous_server = start_standin("small")
    previous = mirror(previous_server, name="ecampus-2025", role=MoodleInstance.Role.PREVIOUS)
    source = Course.objects.get(instance=previous, shortname="PHYS101-2025")
    target = world.course("CHIM241-2026")
    restore = approved_request(
        world,
        target,
        RequestSpec(
            scenario="restore_previous",
            course_moodle_id=target.moodle_id,
            restore=RestorePlan(previous.pk, source.moodle_id),
            asap=True,
        ),
        source_course=source,
    )

    # The beat starts them: their time (as soon as possible) has come.
    wait_for(settled(reset, copy, restore), timeout=60, what="three requests", worker=worker)

    for request in (reset, copy, restore):
        request.refresh_from_db()
        assert request.status == TransitionRequest.Status.DONE, statuses(request)
    assert world.client.find_course_by_shortname("CHIM232-2026") is not None
    assert world.client.get_course(copy_course.moodle_id).shortname == "ex_CHIM232-2025"
    assert [s.cohortidnumber for s in world.client.list_cohort_syncs(reset_course.moodle_id)] == [
        "L1CHIM241"
    ]
    assert world.client.get_course_inventory(target.moodle_id).restore.restored
    assert Backup.objects.filter(campaign=world.campaign, verified_at__isnull=False).count() == 4


def test_moodle_faults_are_ridden_out_and_nothing_is_done_twice(worker_world, start_worker) -> None:
    world = worker_world
    faults = world.server.faults
    faults.set("local_passage_get_operations", 0.3, "http503")
    faults.fail_next("local_passage_backup_course", 1, "drop_after")
    faults.fail_next("local_passage_reset_course", 1, "timeout")
    faults.fail_next("local_passage_get_course_inventory", 2, "slow", ms=300)
    faults.fail_next("pluginfile", 2, "http503")
    worker = start_worker()
    course = world.course("CHIM231-2025")
    request = approved_request(world, course, reset_spec(world, course))
    start(request)

    wait_for(settled(request), timeout=60, what="the request", worker=worker)

    request.refresh_from_db()
    assert request.status == TransitionRequest.Status.DONE, statuses(request)
    assert len(operations(world, "backup")) == 1
    assert len(operations(world, "reset")) == 1
    retried = AuditEvent.objects.filter(request=request, outcome="failure").values_list(
        "details__errorcode", flat=True
    )
    # The backup's lost answer and the reset's timeout were retried; the rest the client rode out.
    assert sorted(retried) == ["connectionerror", "timeout"]
    assert (
        Backup.objects.get(course=course).sha1
        == operations(world, "backup")[0].result["contenthash"]
    )


def test_a_worker_killed_mid_job_is_resumed_by_the_sweeper(worker_world, start_worker) -> None:
    world = worker_world
    world.server.faults.set_latency("local_passage_backup_course", 1500)
    worker = start_worker()
    course = world.course("CHIM232-2025")
    request = approved_request(world, course, reset_spec(world, course))
    start(request)
    backup = request.jobs.get(kind=Job.Kind.BACKUP)
    wait_for(
        lambda: Job.objects.filter(pk=backup.pk, moodle_operation_id__isnull=False).exists(),
        timeout=20,
        what="the backup to start",
        worker=worker,
    )
    backup.refresh_from_db()
    pid = int(backup.locked_by.rsplit(":", 1)[1])

    os.kill(pid, signal.SIGKILL)
    wait_for(settled(request), timeout=60, what="the request", worker=worker)

    request.refresh_from_db()
    assert request.status == TransitionRequest.Status.DONE, statuses(request)
    assert len(operations(world, "backup")) == 1
    backup.refresh_from_db()
    assert not backup.locked_by.endswith(f":{pid}") and backup.attempts >= 2
    assert AuditEvent.objects.filter(action="job_resume", job=backup).exists()


def test_nothing_is_lost_when_redis_restarts(worker_world, start_worker) -> None:
    world = worker_world
    world.server.faults.set_latency("local_passage_backup_course", 800)
    worker = start_worker()
    courses = [world.course(name) for name in ("CHIM231-2025", "CHIM232-2025", "PHYS101-2025")]
    requests = [approved_request(world, course, reset_spec(world, course)) for course in courses]
    for request in requests:
        start(request)
    wait_for(
        lambda: Job.objects.filter(kind=Job.Kind.BACKUP, status=Job.Status.RUNNING).exists(),
        timeout=20,
        what="a backup to run",
        worker=worker,
    )

    try:
        redis_restart()  # every queued message is gone
    finally:
        redis_ensure_up()
    wait_for(settled(*requests), timeout=90, what="the requests", worker=worker)

    for request in requests:
        request.refresh_from_db()
        assert request.status == TransitionRequest.Status.DONE, statuses(request)
    assert len(operations(world, "backup")) == 3
    assert len(operations(world, "reset")) == 3


def test_the_concurrency_limit_holds_across_worker_processes(worker_world, start_worker) -> None:
    world = worker_world
    MoodleInstance.objects.filter(pk=world.instance.pk).update(concurrency_limit=2)
    world.server.faults.set_latency("local_passage_backup_course", 300)
    running: list[int] = []
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            ops = passage_state(world.server.site).operations.values()
            running.append(sum(1 for op in ops if op.status in ("queued", "running")))
            time.sleep(0.01)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    worker = start_worker(concurrency=5)
    with transaction.atomic():
        queued = services.campaign_backup_all(campaign=world.campaign, actor=world.admin)

    wait_for(
        lambda: Job.objects.filter(status=Job.Status.SUCCEEDED).count() == queued,
        timeout=60,
        what="the campaign's backups",
        worker=worker,
    )
    stop.set()
    sampler.join()

    assert queued == 6
    assert max(running) == 2


@pytest.mark.object_storage
def test_workers_on_two_hosts_share_the_object_storage_and_the_concurrency_limit(
    worker_world, start_worker, s3_server, settings
) -> None:
    world = worker_world
    bucket = s3_server.bucket_create()
    backups = s3_server.storage_settings(bucket)
    settings.STORAGES = {**settings.STORAGES, "backups": backups}
    MoodleInstance.objects.filter(pk=world.instance.pk).update(concurrency_limit=2)
    world.server.faults.set_latency("local_passage_backup_course", 300)
    running: list[int] = []
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            ops = passage_state(world.server.site).operations.values()
            running.append(sum(1 for op in ops if op.status in ("queued", "running")))
            time.sleep(0.01)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    # Each worker has a folder of its own and no backups folder: only the object storage.
    shared = {"PASSAGE_TEST_S3_BACKUPS": json.dumps(backups)}
    hosts = [
        start_worker(concurrency=3, hostname=name, environment=shared)
        for name in ("passage-worker-a.univ.example", "passage-worker-b.univ.example")
    ]
    with transaction.atomic():
        queued = services.campaign_backup_all(campaign=world.campaign, actor=world.admin)

    wait_for(
        lambda: Job.objects.filter(status=Job.Status.SUCCEEDED).count() == queued,
        timeout=90,
        what="the campaign's backups",
        worker=hosts[0],
    )
    stop.set()
    sampler.join()

    assert queued == 6
    assert max(running) == 2
    # Both hosts took jobs.
    took = {
        event.details["worker"].split("@")[1].rsplit(":", 1)[0]
        for event in AuditEvent.objects.filter(action="job_backup")
    }
    assert took == {"passage-worker-a.univ.example", "passage-worker-b.univ.example"}
    stored = s3_server.client().list_objects_v2(Bucket=bucket).get("Contents", [])
    sizes = {item["Key"]: item["Size"] for item in stored}
    # Every backup recorded is in the bucket, whole, whichever host took it. (On a busy
    # machine the sweeper may run a job again while its first run is still storing: that run
    # keeps its own file, never the recorded one.)
    assert Backup.objects.count() == queued
    for backup in Backup.objects.all():
        assert backup.verified_at is not None
        assert sizes[backup.storage_name] == backup.size
    for worker in hosts:
        assert not (worker.storage / "backups").exists()


def test_a_job_sent_again_after_success_does_nothing(worker_world, start_worker) -> None:
    world = worker_world
    worker = start_worker()
    course = world.course("CHIM232-2025")
    request = approved_request(world, course, reset_spec(world, course))
    start(request)
    wait_for(settled(request), timeout=60, what="the request", worker=worker)
    before = len(passage_state(world.server.site).operations)
    audits = AuditEvent.objects.count()

    jobs_send(list(request.jobs.values_list("pk", flat=True)))
    time.sleep(2)

    assert len(passage_state(world.server.site).operations) == before
    assert AuditEvent.objects.count() == audits
    assert Backup.objects.filter(course=course).count() == 1


def test_a_request_under_way_goes_ahead_of_requests_not_yet_begun(
    worker_world, start_worker
) -> None:
    world = worker_world
    requests = []
    for shortname in ("CHIM231-2025", "CHIM232-2025", "PHYS101-2025"):
        course = world.course(shortname)
        requests.append(approved_request(world, course, reset_spec(world, course)))
    # Three requests begun at once, as the beat begins a campaign's, for one worker process.
    for request in requests:
        start(request)
    worker = start_worker(concurrency=1)

    wait_for(settled(*requests), timeout=60, what="three requests", worker=worker)

    run_order = [
        (job.request_id, job.kind)
        for job in Job.objects.filter(request__in=requests).order_by("started_at")
    ]
    assert len(run_order) == 9, run_order
    # Each course goes from its backup to its reset and its check before the next course's
    # backup begins: its lock is held, and its teacher waits, for the least time.
    assert [request_id for request_id, _ in run_order] == [
        request.pk for request in requests for _ in range(3)
    ], run_order


def test_a_moodle_down_mid_campaign_pauses_the_worker_then_everything_finishes_once(
    worker_world, start_worker
) -> None:
    world = worker_world
    worker = start_worker(concurrency=2)
    courses = [world.course("CHIM231-2025"), world.course("CHIM232-2025")]
    requests = [approved_request(world, c, reset_spec(world, c)) for c in courses]
    for request in requests:
        start(request)
    wait_for(
        lambda: Job.objects.filter(status=Job.Status.SUCCEEDED).exists(),
        timeout=30, what="a first job done", worker=worker,
    )  # fmt: skip
    world.server.stop()

    wait_for(
        lambda: MoodleInstance.objects.get(pk=world.instance.pk).unreachable_since is not None,
        timeout=30, what="the platform seen unreachable", worker=worker,
    )  # fmt: skip
    time.sleep(2)  # the worker keeps meeting the dead platform meanwhile
    assert not Job.objects.filter(status=Job.Status.FAILED).exists()

    world.server = world.server.restart()
    wait_for(settled(*requests), timeout=60, what="the requests", worker=worker)

    for request in requests:
        request.refresh_from_db()
        assert request.status == TransitionRequest.Status.DONE, statuses(request)
    assert MoodleInstance.objects.get(pk=world.instance.pk).unreachable_since is None
    assert len(operations(world, "backup")) == len(courses)
    assert len(operations(world, "reset")) == len(courses)

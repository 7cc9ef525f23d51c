"""`make bench`: a transition campaign against the stand-in Moodle, run by real Celery workers
over Redis and PostgreSQL, measured.

Every course of the campaign has an approved reuse-reset request: back up (and download and
check the .mbz), reset, verify (a fresh inventory compared with the review). Moodle's time per
course is modelled on a real Moodle 5.0 (backup 6.8 s, reset 5.1 s, inventory 0.2 s), divided
by `--scale`. The best a campaign can do is that Moodle time divided by the platform's
concurrency limit ("ideal"); efficiency is ideal / wall. The run is made at two sizes, to show
that the portal's cost per job (CPU, SQL queries) does not grow with the campaign.

Writes bench/results/campaign.json. Uses its own database (created and dropped here) and its
own Redis database.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "bench" / "results" / "campaign.json"
DATABASE = "passage_bench"
# Its own Redis server may be given (PASSAGE_BENCH_REDIS_URL), so that nothing else run on the
# machine at the same time (a test restarting Redis) can touch the campaign's queue.
REDIS_URL = os.environ.get("PASSAGE_BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")
# A real Moodle 5.0, per course (seconds): see moodle-contract and the plugin's live tests.
MOODLE_SECONDS = {"backup": 6.8, "reset": 5.1, "inventory": 0.2}


def engine_timings(scale: float) -> dict[str, float]:
    """The engine's production timings (`EngineConfig`'s defaults): the delays that wait for
    Moodle (a pause when it does not answer, retries, a slot) divided like Moodle's latencies,
    the others as they are."""
    from transition.engine.config import EngineConfig

    production = dataclasses.asdict(EngineConfig())
    scaled = (
        "operation_unreachable_pause",
        "slot_poll",
        "retry_base_delay",
        "retry_max_delay",
    )
    return {name: value / scale if name in scaled else value for name, value in production.items()}


def database_recreate(name: str = DATABASE) -> None:
    import psycopg

    with psycopg.connect("host=127.0.0.1 user=postgres dbname=postgres", autocommit=True) as db:
        db.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        db.execute(f"CREATE DATABASE {name}")


def database_drop(name: str = DATABASE) -> None:
    import psycopg

    with psycopg.connect("host=127.0.0.1 user=postgres dbname=postgres", autocommit=True) as db:
        db.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def run_campaign(
    *, courses: int, workers: int, limit: int, scale: float, storage: Path
) -> dict[str, Any]:
    import redis
    from django.core.management import call_command
    from django.db import connections

    from moodle_client import MoodleClient
    from moodle_client.standin import StandinServer
    from moodle_client.standin.passage.operations import QUEUE_DELAY, passage_state
    from portal.celery import app
    from transition.models import (
        Campaign,
        Category,
        Course,
        Job,
        MoodleInstance,
        Policy,
        RequestPlan,
        TransitionRequest,
    )
    from transition.request_spec import RequestSpec
    from transition.review.engine import ReviewFacts, review_course
    from transition.review.policy_locks import moodle_default_options
    from transition.tokens import token_encrypt

    connections.close_all()
    database_recreate()
    call_command("migrate", verbosity=0)
    broker = redis.Redis.from_url(REDIS_URL)
    broker.flushdb()
    shutil.rmtree(storage, ignore_errors=True)

    seconds = {kind: value / scale for kind, value in MOODLE_SECONDS.items()}
    os.environ["PASSAGE_BENCH_COURSES"] = str(courses)
    server = StandinServer.start(seed=str(REPO / "bench" / "seed.py"))
    for function, kind in (
        ("local_passage_backup_course", "backup"),
        ("local_passage_reset_course", "reset"),
    ):
        # The call answers at once; the operation waits for the stand-in's "cron", then runs
        # for the latency: together, Moodle's time.
        server.faults.set_latency(function, round((seconds[kind] - QUEUE_DELAY) * 1000))
    server.faults.set_latency(
        "local_passage_get_course_inventory", round(seconds["inventory"] * 1000)
    )

    # The catalogue, the campaign and one approved request per course, as the wizard leaves them.
    instance = MoodleInstance.objects.create(
        name="ecampus",
        url=server.url,
        role=MoodleInstance.Role.CURRENT,
        token_encrypted=token_encrypt("admin"),
        concurrency_limit=limit,
    )
    category = next(c for c in server.site.categories.values() if c.idnumber == "BENCH")
    local_category = Category.objects.create(
        instance=instance, moodle_id=category.id, name=category.name
    )
    Course.objects.bulk_create(
        Course(
            instance=instance,
            moodle_id=course.id,
            shortname=course.shortname,
            fullname=course.fullname,
            category=local_category,
        )
        for course in server.site.courses.values()
        if course.shortname.startswith("BENCH")
    )
    from django.contrib.auth import get_user_model

    teacher = get_user_model().objects.create(username="enseignant")
    now = datetime.datetime.now(datetime.UTC)
    campaign = Campaign.objects.create(
        academic_year="2026-2027",
        policy=Policy.objects.create(name="benchmark"),
        choices_open=now - datetime.timedelta(days=60),
        choices_lock=now - datetime.timedelta(days=30),
        backup_window_start=now - datetime.timedelta(days=20),
        backup_window_end=now - datetime.timedelta(days=10),
        run_date=now - datetime.timedelta(minutes=1),
        cutoff_date=(now + datetime.timedelta(days=30)).date(),
        status=Campaign.Status.RUNNING,
    )
    client = MoodleClient(server.url, "admin")
    first = Course.objects.order_by("moodle_id").first()
    assert first is not None
    inventory = client.get_course_inventory(first.moodle_id)
    template = RequestSpec(
        scenario="reuse_reset",
        course_moodle_id=first.moodle_id,
        reset_options=moodle_default_options(inventory),
    )
    review = review_course(
        inventory=inventory,
        spec=template,
        governed={},
        facts=ReviewFacts(forum_types={f.id: f.type for f in client.get_forums([first.moodle_id])}),
    ).to_json()
    requests = TransitionRequest.objects.bulk_create(
        TransitionRequest(
            campaign=campaign,
            course=course,
            requested_by=teacher,
            scenario="reuse_reset",
            options=dict(template.reset_options),
            review_snapshot=review,
            status=TransitionRequest.Status.APPROVED,
        )
        for course in Course.objects.order_by("moodle_id")
    )
    RequestPlan.objects.bulk_create(
        RequestPlan(
            request=request,
            spec={**template.to_json(), "course_moodle_id": request.course.moodle_id},
        )
        for request in requests
    )
    connections.close_all()

    # Workers: real Celery processes over Redis, counting their CPU and queries.
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "PYTHONPATH": str(REPO),
    }
    log = (
        (storage / "worker.log").open("wb")
        if storage.mkdir(parents=True, exist_ok=True) is None
        else None
    )
    worker = subprocess.Popen(
        [
            sys.executable, "-m", "celery", "-A", "bench.worker_app", "worker",
            "--concurrency", str(workers), "--loglevel", "WARNING",
            "--without-gossip", "--without-mingle", "--without-heartbeat",
        ],
        cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    slots_held: list[int] = []
    sampling = threading.Event()
    # Whatever happens, the workers stop with the run: left behind, they would take the
    # next run's jobs.
    try:
        deadline = time.monotonic() + 60
        while int(broker.get("bench:ready") or 0) < workers:
            if time.monotonic() > deadline or worker.poll() is not None:
                raise SystemExit(f"workers did not start; see {storage / 'worker.log'}")
            time.sleep(0.1)

        slots_key = f"passage:moodle-slots:{instance.pk}"

        def sample() -> None:
            while not sampling.is_set():
                slots_held.append(broker.zcount(slots_key, time.time(), "+inf"))
                time.sleep(0.02)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()

        # As the beat does: one task starts every request whose time has come.
        started = time.perf_counter()
        app.send_task("transition.engine.start_due_requests")
        open_statuses = [TransitionRequest.Status.RUNNING, TransitionRequest.Status.APPROVED]
        time.sleep(0.5)
        while TransitionRequest.objects.filter(status__in=open_statuses).exists():
            if time.perf_counter() - started > 3600:
                raise SystemExit("the campaign did not finish within an hour")
            time.sleep(0.2)
        wall = time.perf_counter() - started
    finally:
        sampling.set()
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGTERM)
            worker.wait(timeout=60)
        server.stop()

    jobs = Job.objects.count()
    if os.environ.get("PASSAGE_BENCH_DEBUG"):
        from django.db.models import Avg, F

        for kind in ("backup", "reset", "verify"):
            took = Job.objects.filter(kind=kind).aggregate(
                took=Avg(F("finished_at") - F("started_at"))
            )["took"]
            print(kind, took)
    done = TransitionRequest.objects.filter(status=TransitionRequest.Status.DONE).count()

    def counter(name: str, task: str) -> float:
        return float(broker.get(f"bench:{name}:transition.engine.{task}") or 0)

    tasks = int(counter("tasks", "run_job"))
    cpu = counter("cpu_seconds", "run_job")
    queries = counter("queries", "run_job")
    moodle_seconds = courses * sum(seconds.values())
    ideal = moodle_seconds / limit
    outcomes = {
        key.decode().removeprefix("bench:outcome:"): int(broker.get(key) or 0)
        for key in broker.scan_iter("bench:outcome:*")
    }
    backups = sum(1 for op in passage_state(server.site).operations.values() if op.type == "backup")
    return {
        "courses": courses,
        "requests_done": done,
        "jobs": jobs,
        "tasks_run": tasks,
        "task_outcomes": outcomes,
        "moodle_backups_taken": backups,
        "workers": workers,
        "instance_concurrency_limit": limit,
        "max_moodle_slots_held": max(slots_held, default=0),
        # Sampled every 20 ms during the run: the share of the platform's slots in use.
        "mean_moodle_slots_held": round(sum(slots_held) / max(len(slots_held), 1), 2),
        "wall_seconds": round(wall, 2),
        "moodle_seconds": round(moodle_seconds, 2),
        "ideal_seconds": round(ideal, 2),
        "efficiency": round(ideal / wall, 4),
        "portal_cpu_ms_per_job": round(cpu * 1000 / jobs, 2),
        "sql_queries_per_job": round(queries / jobs, 2),
        "start_cpu_ms_per_request": round(
            counter("cpu_seconds", "start_due_requests") * 1000 / max(courses, 1), 2
        ),
        "start_sql_queries_per_request": round(
            counter("queries", "start_due_requests") / max(courses, 1), 2
        ),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--courses", type=int, default=2000)
    parser.add_argument("--small", type=int, default=200, help="the second, smaller campaign")
    parser.add_argument("--workers", type=int, default=12)
    parser.add_argument("--limit", type=int, default=8)
    parser.add_argument("--scale", type=float, default=5.0)
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args()

    storage = Path(tempfile.mkdtemp(prefix="passage-bench-"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    os.environ["PASSAGE_BENCH_DATABASE"] = DATABASE
    os.environ["PASSAGE_BENCH_REDIS"] = REDIS_URL
    os.environ["PASSAGE_BENCH_STORAGE"] = str(storage)
    os.environ["PASSAGE_BENCH_ENGINE"] = json.dumps(engine_timings(args.scale))
    import django

    django.setup()
    print(
        f"Moodle latencies divided by {args.scale:g}: "
        + ", ".join(f"{k} {v / args.scale * 1000:.0f} ms" for k, v in MOODLE_SECONDS.items())
    )
    runs = []
    try:
        for size in (args.small, args.courses):
            print(f"campaign of {size} courses, {args.workers} workers, limit {args.limit}...")
            result = run_campaign(
                courses=size,
                workers=args.workers,
                limit=args.limit,
                scale=args.scale,
                storage=storage,
            )
            print(json.dumps(result, indent=2))
            runs.append(result)
    except BaseException:
        log = storage / "worker.log"
        if log.exists():
            print(log.read_text(errors="replace")[-5000:])
        raise
    finally:
        from django.db import connections

        connections.close_all()
        database_drop()
        shutil.rmtree(storage, ignore_errors=True)
    large = runs[-1]
    report = {
        "generated_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "machine_cpus": os.cpu_count(),
        "scale_factor": args.scale,
        "moodle_seconds_per_course_real": MOODLE_SECONDS,
        "moodle_seconds_per_course_scaled": {k: v / args.scale for k, v in MOODLE_SECONDS.items()},
        "plan_per_course": ["backup", "reset", "verify"],
        "runs": runs,
        "targets": {
            "efficiency_at_2000_courses_limit_8": 0.95,
            "queries_per_job_independent_of_size": True,
        },
        "efficiency_target_met": large["courses"] >= 2000
        and large["instance_concurrency_limit"] == 8
        and large["efficiency"] >= 0.95,
        "queries_per_job_by_size": {str(r["courses"]): r["sql_queries_per_job"] for r in runs},
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2) + "\n")
    print(f"written to {args.output}")


if __name__ == "__main__":
    main()

"""`MOODLE_URL=… MOODLE_TOKEN=… python -m bench.live`: the engine's backup and reset jobs on a
real Moodle, timed against Moodle's own time for the same operation.

For each round a course of `MOODLE_LIVE_BENCH_TEMPLATE`'s activities (Moodle's generator makes a
64-activity one: `admin/tool/generator/cli/maketestcourse.php --size=S`) and 100 enrolled
students is made through web services; the portal then runs an approved reuse-reset request on it
(backup with the download and its check, reset, verification) in this process, as a worker does,
with the engine's production timings. Moodle's time of an operation is its ad-hoc task's run in
`mdl_task_log` when `MOODLE_LIVE_DATABASE` gives a libpq connection string to Moodle's database,
else the operation's own start and end (whole seconds). The download's transfer time is the
job's own download of the file, as the job records it. Target: job time ≤ Moodle's time x 1.2 +
transfer.

Writes bench/results/live.json. Uses its own portal database (created and dropped here); does
nothing without MOODLE_URL and MOODLE_TOKEN. What it creates on Moodle it deletes.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime
import json
import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "bench" / "results" / "live.json"
DATABASE = "passage_bench_live"
STUDENTS = 100
TARGET_FACTOR = 1.2


def moodle_settings() -> tuple[str, str] | None:
    url = os.environ.get("MOODLE_URL", "").strip()
    token = os.environ.get("MOODLE_TOKEN", "").strip()
    return (url, token) if url and token else None


@dataclasses.dataclass(frozen=True)
class MoodleRun:
    """When Moodle ran an operation (epoch seconds) and where the times come from."""

    start: float
    end: float
    source: str

    @property
    def seconds(self) -> float:
        return self.end - self.start


def moodle_run(operation: Any) -> MoodleRun:
    """Moodle's own run of the operation: its ad-hoc task in `mdl_task_log`, or the
    operation's start and end."""
    dsn = os.environ.get("MOODLE_LIVE_DATABASE", "").strip()
    if dsn:
        import psycopg

        prefix = os.environ.get("MOODLE_LIVE_DB_PREFIX", "mdl_")
        with psycopg.connect(dsn) as db:
            row = db.execute(
                f"SELECT timestart, timeend FROM {prefix}task_log "
                "WHERE classname LIKE %s AND timestart >= %s AND timeend <= %s "
                "ORDER BY timestart DESC LIMIT 1",
                (
                    "local_passage%",
                    operation.timestarted - 1,
                    operation.timefinished + 1,
                ),
            ).fetchone()
        if row is not None:
            return MoodleRun(float(row[0]), float(row[1]), "mdl_task_log")
    return MoodleRun(
        float(operation.timestarted), float(operation.timefinished), "operation (whole seconds)"
    )


def course_build(client: Any, *, categoryid: int, templateid: int, suffix: str) -> int:
    from moodle_client.types.users import ManualEnrolment, NewUser

    # Without news items Moodle adds no announcements forum: the course has the template's
    # activities only.
    created = client.call(
        "core_course_create_courses",
        courses=[
            {
                "fullname": f"Bench {suffix}",
                "shortname": f"BENCH-{suffix}",
                "categoryid": categoryid,
                "newsitems": 0,
            }
        ],
    )
    courseid = int(created[0]["id"])
    client.import_course(templateid, courseid, timeout=900)
    users = client.create_users(
        [
            NewUser(
                username=f"bench-{suffix}-{n}",
                password="Passage-Bench-1!",
                firstname="Student",
                lastname=f"{n} {suffix}",
                email=f"bench-{suffix}-{n}@example.com",
            )
            for n in range(STUDENTS)
        ]
    )
    client.enrol_users([ManualEnrolment(user.id, courseid, 5) for user in users])
    return courseid


def run_round(client: Any, *, categoryid: int, templateid: int) -> dict[str, Any]:
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from transition.engine import runner, services
    from transition.models import (
        Campaign,
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

    suffix = uuid.uuid4().hex[:8]
    courseid = course_build(client, categoryid=categoryid, templateid=templateid, suffix=suffix)
    sections = client.get_course_contents(courseid, exclude_contents=True)
    activities = sum(len(section.modules) for section in sections)
    instance = MoodleInstance.objects.get_or_create(
        name="ecampus",
        defaults={
            "url": client.base_url,
            "role": MoodleInstance.Role.CURRENT,
            "token_encrypted": token_encrypt(os.environ["MOODLE_TOKEN"].strip()),
        },
    )[0]
    course = Course.objects.create(
        instance=instance, moodle_id=courseid, shortname=f"BENCH-{suffix}", fullname="Bench"
    )
    now = timezone.now()
    campaign = Campaign.objects.get_or_create(
        academic_year="2026-2027",
        defaults={
            "policy": Policy.objects.get_or_create(name="benchmark")[0],
            "choices_open": now - datetime.timedelta(days=60),
            "choices_lock": now - datetime.timedelta(days=30),
            "backup_window_start": now - datetime.timedelta(days=20),
            "backup_window_end": now - datetime.timedelta(days=10),
            "run_date": now - datetime.timedelta(minutes=1),
            "cutoff_date": (now + datetime.timedelta(days=30)).date(),
            "status": Campaign.Status.RUNNING,
        },
    )[0]
    inventory = client.get_course_inventory(courseid)
    spec = RequestSpec(
        scenario="reuse_reset",
        course_moodle_id=courseid,
        reset_options=moodle_default_options(inventory),
        asap=True,
    )
    forums = client.get_forums([courseid])
    review = review_course(
        inventory=inventory,
        spec=spec,
        governed={},
        facts=ReviewFacts(forum_types={forum.id: forum.type for forum in forums}),
    )
    request = TransitionRequest.objects.create(
        campaign=campaign,
        course=course,
        requested_by=get_user_model().objects.get_or_create(username="enseignant")[0],
        scenario="reuse_reset",
        options=dict(spec.reset_options),
        review_snapshot=review.to_json(),
        status=TransitionRequest.Status.APPROVED,
        submitted_at=now,
    )
    RequestPlan.objects.create(request=request, spec=spec.to_json())
    services.request_start(request=request)

    timings: dict[str, Any] = {}
    for _ in range(20):
        job = Job.objects.filter(request=request, status=Job.Status.QUEUED).order_by("position")
        job = job.first()
        if job is None:
            break
        started, wall_start = time.perf_counter(), time.time()
        outcome = runner.job_run(job_id=job.pk, worker="bench-live")
        took, wall_end = time.perf_counter() - started, time.time()
        job.refresh_from_db()
        if job.status != Job.Status.SUCCEEDED:
            raise SystemExit(f"{job.kind} job ended {outcome}: {job.last_error_message}")
        if job.kind in ("backup", "reset"):
            operation = client.get_operation(job.moodle_operation_id)
            run = moodle_run(operation)
            timings[job.kind] = {
                "job_seconds": round(took, 3),
                "moodle_seconds": round(run.seconds, 3),
                # From the job's start to Moodle's (the call, then Moodle's cron taking the
                # task), and from Moodle's end to the job's (the look that sees it, then the
                # download and its checks).
                "before_moodle_seconds": round(run.start - wall_start, 3),
                "after_moodle_seconds": round(wall_end - run.end, 3),
            }
            timings["moodle_time_from"] = run.source
            if job.kind == "backup":
                # The job's own download of the file (Moodle's copy is deleted once Passage's
                # is verified).
                timings[job.kind]["transfer_seconds"] = job.result["download_seconds"]
                timings[job.kind]["bytes"] = operation.result.filesize
    request.refresh_from_db()
    timings["activities"] = activities
    timings["students"] = STUDENTS
    timings["request"] = request.status
    return timings


def summary(rounds: list[dict[str, Any]]) -> dict[str, Any]:
    """Per kind: the medians, and whether every round met the target."""
    figures: dict[str, Any] = {}
    for kind in ("backup", "reset"):
        runs = [r[kind] for r in rounds]
        for run in runs:
            allowed = run["moodle_seconds"] * TARGET_FACTOR + run.get("transfer_seconds", 0.0)
            run["allowed_seconds"] = round(allowed, 3)
            run["ratio"] = round(run["job_seconds"] / run["moodle_seconds"], 3)
            run["target_met"] = run["job_seconds"] <= allowed
        figures[kind] = {
            name: round(statistics.median(run.get(name, 0.0) for run in runs), 3)
            for name in (
                "job_seconds",
                "moodle_seconds",
                "transfer_seconds",
                "before_moodle_seconds",
                "after_moodle_seconds",
                "ratio",
            )
        }
        figures[kind]["rounds_meeting_target"] = sum(run["target_met"] for run in runs)
        figures[kind]["rounds"] = len(runs)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    settings = moodle_settings()
    template = os.environ.get("MOODLE_LIVE_BENCH_TEMPLATE", "").strip()
    if settings is None or not template:
        print("bench.live: set MOODLE_URL, MOODLE_TOKEN and MOODLE_LIVE_BENCH_TEMPLATE")
        return
    storage = Path(tempfile.mkdtemp(prefix="passage-bench-live-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    os.environ["PASSAGE_BENCH_DATABASE"] = DATABASE
    os.environ["PASSAGE_BENCH_STORAGE"] = str(storage)
    os.environ.setdefault("PASSAGE_BENCH_REDIS", "redis://127.0.0.1:6379/14")
    sys.path.insert(0, str(REPO))
    import django

    from bench.run import database_drop, database_recreate

    database_recreate(DATABASE)
    django.setup()
    from django.core.management import call_command

    from moodle_client import MoodleClient
    from transition.engine.config import EngineConfig

    call_command("migrate", verbosity=0)
    url, token = settings
    client = MoodleClient(url, token, timeout=600)
    templatecourse = client.find_course_by_shortname(template)
    if templatecourse is None:
        raise SystemExit(f"MOODLE_LIVE_BENCH_TEMPLATE {template} is not a course of {url}")
    category = client.create_category(f"Passage bench {uuid.uuid4().hex[:8]}")
    rounds = []
    load_at_start = os.getloadavg()
    try:
        for number in range(args.rounds):
            rounds.append(run_round(client, categoryid=category.id, templateid=templatecourse.id))
            print(f"round {number + 1}: {json.dumps(rounds[-1])}")
    finally:
        courses = client.get_courses_in_category(category.id)
        if courses:
            client.delete_courses([course.id for course in courses], timeout=900)
        client.call(
            "core_course_delete_categories", categories=[{"id": category.id, "recursive": 1}]
        )
        from django.db import connections

        connections.close_all()
        database_drop(DATABASE)
    result = {
        "moodle": client.get_site_info().release,
        "engine": dataclasses.asdict(EngineConfig()),
        "target": f"job time <= Moodle's time x {TARGET_FACTOR} + download transfer time",
        # Moodle, the portal and the benchmark share this machine: how busy it was.
        "machine": {
            "cpus": os.cpu_count(),
            "load_average_1min_at_start": round(load_at_start[0], 2),
            "load_average_1min_at_end": round(os.getloadavg()[0], 2),
        },
        "figures": summary(rounds),
        "rounds": rounds,
        "measured_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
    }
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result["figures"], indent=2))


if __name__ == "__main__":
    main()

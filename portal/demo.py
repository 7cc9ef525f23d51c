"""`make demo`: the whole of Passage on one machine with nothing else running.

    python -m portal.demo [--port 8000]

Starts two stand-in Moodles (this year's platform from the `demo` seed, last year's from
`demo-previous`) on free ports, a fresh SQLite database under var/, syncs both platforms, creates
the demo accounts and an open campaign with the Université de Caen policy, imports next year's
Apogée curriculum (two courses left it, for the archive operation), then runs a Celery worker
(kombu's filesystem transport, or Redis when REDIS_URL is set) and the web server on PORT.
Ctrl-C stops everything.
"""

import argparse
import contextlib
import datetime
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from transition.models import MoodleInstance

BASE_DIR = Path(__file__).resolve().parent.parent
DEMO_PASSWORD = "demo"
DEMO_TOKEN = "admin"  # every stand-in seed has a site-admin token with this value
CURRENT_NAME = "ecampus"
PREVIOUS_NAME = "ecampus-previous"
# Courses whose teaching stops next year: the demo's Apogée import leaves their codes out, so
# the admin's archive operation has courses to archive (renamed "ex_", moved to Archives).
LEFT_CURRICULUM = ("PHYS221", "HIST201")
READY_TIMEOUT = 60.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m portal.demo", description=__doc__)
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    parser.add_argument("--host", default=os.environ.get("DEMO_HOST", "127.0.0.1"))
    parser.add_argument("--seed", default="demo", help="stand-in seed of the current platform")
    parser.add_argument("--previous-seed", default="demo-previous")
    args = parser.parse_args(argv)

    var_dir = Path(os.environ.get("PASSAGE_VAR_DIR", BASE_DIR / "var")).resolve()
    url = f"http://{'127.0.0.1' if args.host == '0.0.0.0' else args.host}:{args.port}/"
    environment = {
        **os.environ,
        "PASSAGE_DEMO": "1",
        "PASSAGE_VAR_DIR": str(var_dir),
        # The links in the e-mails the demo prints lead to this demo (unless told otherwise,
        # e.g. the machine's public name when DEMO_HOST=0.0.0.0).
        "PASSAGE_BASE_URL": os.environ.get("PASSAGE_BASE_URL") or url,
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "PYTHONUNBUFFERED": "1",
    }
    os.environ.update(environment)
    if not _port_is_free(args.host, args.port):
        print(f"Port {args.port} is in use. Stop what uses it, or run: PORT=8001 make demo")
        return 2
    _fresh_var_dir(var_dir)

    import django

    django.setup()
    from moodle_client.standin import StandinServer

    print("Passage demo: preparing the database and the stand-in Moodles…", flush=True)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    # DEBUG is off as in production: WhiteNoise serves the collected, fingerprinted files.
    call_command("collectstatic", interactive=False, verbosity=0)
    current = StandinServer.start(seed=args.seed, port=0)
    previous = StandinServer.start(seed=args.previous_seed, port=0)
    children: list[subprocess.Popen[bytes]] = []
    try:
        prepare_data(current_url=current.url, previous_url=previous.url)
        children.append(_start_worker(environment, var_dir))
        children.append(_start_web(environment, args.host, args.port))
        _wait_until_ready(url + "accounts/login/", children)
        _print_welcome(url, current.url, previous.url)
        return _wait_for_end(children)
    finally:
        for child in children:
            _stop(child)
        current.stop()
        previous.stop()
        print("Passage demo stopped.", flush=True)


def _port_is_free(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def _fresh_var_dir(var_dir: Path) -> None:
    """Each demo starts from scratch: the stand-ins' data lives in memory and starts anew too."""
    var_dir.mkdir(parents=True, exist_ok=True)
    for name in ("demo.sqlite3", "demo.sqlite3-journal", "demo.sqlite3-wal", "demo.sqlite3-shm"):
        (var_dir / name).unlink(missing_ok=True)
    shutil.rmtree(var_dir / "celery", ignore_errors=True)
    for folder in ("queue", "processed", "control"):
        (var_dir / "celery" / folder).mkdir(parents=True)


def prepare_data(*, current_url: str, previous_url: str) -> None:
    """Platforms synced, the demo accounts, next year's curriculum imported, an open campaign."""
    from django.contrib.auth import get_user_model

    from transition.models import Category, MoodleInstance
    from transition.permissions import Role
    from transition.services.accounts import user_create, user_grant_role
    from transition.services.campaigns import campaign_create, campaign_open
    from transition.services.cohorts import cohorts_import_apogee
    from transition.services.instances import instance_check, instance_create
    from transition.services.policies import policy_create_caen_default
    from transition.services.sync import instance_sync

    platforms = [
        instance_create(
            name=CURRENT_NAME,
            url=current_url,
            role=MoodleInstance.Role.CURRENT,
            token=DEMO_TOKEN,
        ),
        instance_create(
            name=PREVIOUS_NAME,
            url=previous_url,
            role=MoodleInstance.Role.PREVIOUS,
            token=DEMO_TOKEN,
        ),
    ]
    for instance in platforms:
        instance_check(instance=instance)
        summary = instance_sync(instance=instance, progress=_progress)
        print()
        print("\n".join(summary.lines()), flush=True)

    user_model = get_user_model()
    teacher, _ = user_model.objects.get_or_create(username="teacher")
    teacher.set_password(DEMO_PASSWORD)
    teacher.save()
    user_grant_role(user=teacher, role=Role.TEACHER)
    # With an address, so that the e-mails meant for them show on the demo's console.
    user_create(username="engineer", role=Role.ENGINEER, password=DEMO_PASSWORD,
                first_name="Inès", last_name="Ingénieure",
                email="ines.ingenieure@unicaen.example")  # fmt: skip
    admin = user_create(username="admin", role=Role.ADMIN, password=DEMO_PASSWORD,
                        first_name="Alain", last_name="Admin",
                        email="alain.admin@unicaen.example")  # fmt: skip
    admin.is_superuser = True
    admin.save(update_fields=["is_superuser"])

    now = datetime.datetime.now(tz=datetime.UTC).replace(microsecond=0)
    run_date = now + datetime.timedelta(days=40)
    cutoff = datetime.date(run_date.year, 9, 1)
    if cutoff < run_date.date():
        cutoff = datetime.date(run_date.year + 1, 9, 1)
    current = platforms[0]
    curriculum = cohorts_import_apogee(
        instance=current, data=curriculum_csv(instance=current, year=cutoff.year), actor=admin
    )
    print(f"Apogée curriculum {cutoff.year}: {curriculum.created} codes imported.", flush=True)
    campaign = campaign_create(
        academic_year=f"{cutoff.year}-{cutoff.year + 1}",
        policy=policy_create_caen_default(),
        choices_open=now - datetime.timedelta(days=1),
        choices_lock=now + datetime.timedelta(days=30),
        backup_window_start=now + datetime.timedelta(days=31),
        backup_window_end=now + datetime.timedelta(days=38),
        run_date=run_date,
        cutoff_date=cutoff,
        excluded_categories=Category.objects.filter(
            instance=current, name__icontains="complémentaire"
        ),
        archive_category=Category.objects.filter(
            instance=current, name__icontains="archive"
        ).first(),
        allow_asap=True,
        actor=admin,
    )
    campaign_open(campaign=campaign, actor=admin)


def curriculum_csv(*, instance: "MoodleInstance", year: int) -> bytes:
    """Next year's Apogée export for the demo platform, as the registrar would send it.

    The demo's courses were created from Apogée and carry its code as their ID number
    (CHIM231-2025: code CHIM, version 231); next year's curriculum lists every one of them but
    `LEFT_CURRICULUM`. Courses without a code (espaces complémentaires) are not in Apogée.
    """
    from transition.models import Course

    header = "Code étape;Version;Libellé;Composante;Campus;Année\n"
    rows: dict[str, str] = {}
    courses = (
        Course.objects.filter(instance=instance, gone_from_moodle_at__isnull=True)
        .exclude(curriculum_code="")
        .select_related("category__parent")
        .order_by("curriculum_code")
    )
    for course in courses:
        code = course.curriculum_code.rsplit("-", 1)[0].upper()
        step, version = code.rstrip("0123456789"), code[len(code.rstrip("0123456789")) :]
        if code in LEFT_CURRICULUM or not step or not version or code.startswith("EX_"):
            continue
        faculty = (course.category.parent or course.category) if course.category else None
        label = course.fullname.replace(";", ",")
        rows[code] = f"{step};{version};{label};{faculty.name if faculty else ''};Caen;{year}\n"
    return (header + "".join(rows.values())).encode()


def _progress(stage: str, done: int, total: int) -> None:
    print(f"\r  {stage}: {done}/{total}", end="", flush=True)


def _manage(*args: str) -> list[str]:
    return [sys.executable, str(BASE_DIR / "manage.py"), *args]


def _start_worker(environment: dict[str, str], var_dir: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "--app",
            "portal",
            "--quiet",
            "worker",
            "--beat",
            "--schedule",
            str(var_dir / "celerybeat-schedule"),
            "--concurrency",
            "2",
            "--loglevel",
            "WARNING",
        ],
        cwd=BASE_DIR,
        env=environment,
        start_new_session=True,  # Ctrl-C reaches us; we stop the worker in order
    )


def _start_web(environment: dict[str, str], host: str, port: int) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        _manage("runserver", f"{host}:{port}", "--noreload", "--skip-checks"),
        cwd=BASE_DIR,
        env=environment,
        start_new_session=True,
    )


def _wait_until_ready(url: str, children: list[subprocess.Popen[bytes]]) -> None:
    deadline = time.monotonic() + READY_TIMEOUT
    while time.monotonic() < deadline:
        if any(child.poll() is not None for child in children):
            raise SystemExit("A demo process stopped while starting; see its messages above.")
        with (
            contextlib.suppress(urllib.error.URLError, ConnectionError, TimeoutError),
            urllib.request.urlopen(url, timeout=2) as answer,
        ):
            if answer.status == 200:
                return
        time.sleep(0.3)
    raise SystemExit(f"The web server did not answer at {url} within {READY_TIMEOUT:.0f} s.")


def _print_welcome(url: str, current_url: str, previous_url: str) -> None:
    print(
        f"""
Passage demo is running: {url}

  Sign in as        password   sees
  teacher           demo       their courses (a teacher of several demo courses)
  engineer          demo       every course; approves special calendars
  admin             demo       everything: dashboard, campaigns, platforms ({url}admin-portal/)

  Stand-in Moodle, this year's platform: {current_url}
  Stand-in Moodle, last year's platform: {previous_url}
  (web-service token: {DEMO_TOKEN})

Press Ctrl-C to stop.
""",
        flush=True,
    )


def _wait_for_end(children: list[subprocess.Popen[bytes]]) -> int:
    stop_requested = False

    def request_stop(signum: int, frame: FrameType | None) -> None:
        nonlocal stop_requested
        stop_requested = True

    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)
    while not stop_requested:
        for child in children:
            if child.poll() is not None:
                print(f"A demo process ended unexpectedly (exit {child.returncode}); stopping.")
                return 1
        time.sleep(0.5)
    print("\nStopping…", flush=True)
    return 0


def _stop(child: subprocess.Popen[bytes]) -> None:
    if child.poll() is not None:
        return
    child.terminate()
    with contextlib.suppress(subprocess.TimeoutExpired):
        child.wait(timeout=10)
        return
    child.kill()
    child.wait()


if __name__ == "__main__":
    sys.exit(main())

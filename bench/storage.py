"""Benchmark of a multi-gigabyte course backup's round trip, for the memory goal.

    python -m bench.storage [--size-mb 2048] [--storage local|s3] [--upload-mb 256]

This process plays Moodle (a stand-in whose course carries `--size-mb` of large files, kept on
disk) and the portal's web server (the signed link a restore fetches from). A worker process,
started apart so that its memory is its own, does what the engine's steps do with the backup:
back it up in Moodle, download it into the backup storage (checksums computed on the way),
verify it by reading the stored file through again, and restore it into an empty course: the
file is above Moodle's upload limit, so the plugin fetches it from the signed link. Then a
smaller backup (`--upload-mb`) is restored through Moodle's upload, streamed by the worker.

Writes bench/results/storage.json: the worker's peak RSS after each phase (goal: under 150 MB
whatever the size), each phase's MB/s, and this disk's plain copy speed for comparison.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

RESULTS = Path(__file__).resolve().parent / "results" / "storage.json"
GOAL_RSS_MB = 150
MB = 1024 * 1024


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# ----------------------------------------------------------------------- the worker


def worker(args: argparse.Namespace) -> None:
    """What the worker does with the backup; prints one JSON line per phase."""
    import django

    django.setup()
    from moodle_client import MoodleClient, wait_for_operation
    from transition.engine.steps.restore import backup_restore_start
    from transition.engine.storage import backup_checksums, backup_download
    from transition.models import Backup

    client = MoodleClient(args.moodle, "admin", timeout=3600)

    def phase(name: str, seconds: float, size: int, **extra: Any) -> None:
        line = {
            "phase": name,
            "seconds": round(seconds, 2),
            "mb_per_s": round(size / MB / seconds, 1) if seconds else None,
            "peak_rss_mb": round(peak_rss_mb(), 1),
            **extra,
        }
        print(json.dumps(line), flush=True)

    phase("started", 0, 0)
    for label, source, target, key in (
        ("link", args.source, args.target, "bench-big"),
        ("upload", args.small_source, args.small_target, "bench-small"),
    ):
        started = time.monotonic()
        backup = client.backup_course(source, key=f"{key}-backup", runinline=True, timeout=3600)
        phase(f"{label}: backup in Moodle", time.monotonic() - started, backup.result.filesize)

        name = f"bench/{key}.mbz"
        started = time.monotonic()
        downloaded = backup_download(client=client, url=backup.result.fileurl, name=name)
        phase(f"{label}: download into storage", time.monotonic() - started, downloaded.size)
        assert downloaded.size == backup.result.filesize
        assert downloaded.matches_contenthash(backup.result.contenthash)

        started = time.monotonic()
        checksums = backup_checksums(name)
        phase(f"{label}: verify the stored file", time.monotonic() - started, checksums.size)
        assert (checksums.sha1, checksums.sha256) == (downloaded.sha1, downloaded.sha256)

        stored = Backup(storage_name=name, size=checksums.size, sha1=checksums.sha1)
        started = time.monotonic()
        operation = backup_restore_start(
            client, stored, courseid=target, key=f"{key}-restore", mode="delete"
        )
        operation = wait_for_operation(client, operation.id, timeout=3600, max_delay=1.0)
        assert operation.succeeded, operation.error
        way = "fetched by Moodle from a signed link" if label == "link" else "streamed upload"
        phase(f"{label}: restore ({way})", time.monotonic() - started, checksums.size)
        client.delete_backup(backup.id)


# ----------------------------------------------------------------------- Moodle and the portal


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


class _ThreadingWSGIServer(WSGIServer):
    daemon_threads = True

    def process_request(self, request: Any, client_address: Any) -> None:
        threading.Thread(target=self._handle, args=(request, client_address), daemon=True).start()

    def _handle(self, request: Any, client_address: Any) -> None:
        try:
            self.finish_request(request, client_address)
        finally:
            self.shutdown_request(request)


def disk_copy_mb_per_s(path: Path) -> float:
    """This disk's plain copy speed: the stored backup copied beside itself, flushed."""
    copy = path.with_name(path.name + ".copy")
    started = time.monotonic()
    with path.open("rb") as source, copy.open("wb") as target:
        shutil.copyfileobj(source, target, MB)
        target.flush()
        os.fsync(target.fileno())
    seconds = time.monotonic() - started
    size = copy.stat().st_size
    copy.unlink()
    return round(size / MB / seconds, 1)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size-mb", type=int, default=2048)
    parser.add_argument("--upload-mb", type=int, default=256)
    parser.add_argument("--storage", choices=["local", "s3"], default="local")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--moodle", help=argparse.SUPPRESS)
    for name in ("source", "target", "small-source", "small-target"):
        parser.add_argument(f"--{name}", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")
    if args.worker:
        worker(args)
        return 0

    from moodle_client.standin import StandinServer

    folder = Path(tempfile.mkdtemp(prefix="passage-bench-storage-"))
    environment = {**os.environ, "BACKUP_STORAGE": args.storage}
    moto = None
    if args.storage == "local":
        environment["BACKUP_STORAGE_ROOT"] = str(folder / "backups")
    else:
        moto, endpoint = _moto_start(folder)
        environment.update(
            BACKUP_S3_ENDPOINT_URL=endpoint,
            BACKUP_S3_BUCKET="passage-bench",
            BACKUP_S3_ACCESS_KEY_ID="bench",
            BACKUP_S3_SECRET_ACCESS_KEY="bench-secret",
            BACKUP_S3_REGION="us-east-1",
        )
    os.environ.update(environment)

    import django

    django.setup()
    from django.core.wsgi import get_wsgi_application

    portal = make_server(
        "127.0.0.1", 0, get_wsgi_application(), _ThreadingWSGIServer, handler_class=_QuietHandler
    )
    threading.Thread(target=portal.serve_forever, daemon=True).start()
    environment["PASSAGE_BASE_URL"] = f"http://127.0.0.1:{portal.server_address[1]}"

    moodle = StandinServer.start(seed="small")
    site = moodle.site
    with site.lock:
        big = site.add_course("BENCH-BIG", "Cours de 2 Go", category=1)
        small = site.add_course("BENCH-SMALL", "Cours moyen", category=1)
        big_target = site.add_course("BENCH-BIG-2026", "Cours de 2 Go 2026", category=1)
        small_target = site.add_course("BENCH-SMALL-2026", "Cours moyen 2026", category=1)
        site.bulk_bytes = {big.id: args.size_mb * MB, small.id: args.upload_mb * MB}
        # Above the small backup, below the big one: one restore of each kind.
        site.max_upload_bytes = (args.upload_mb + 16) * MB
    print(f"worker: {args.size_mb} MB backup, {args.storage} storage", flush=True)
    command = [
        sys.executable,
        "-m",
        "bench.storage",
        "--worker",
        f"--moodle={moodle.url}",
        f"--source={big.id}",
        f"--target={big_target.id}",
        f"--small-source={small.id}",
        f"--small-target={small_target.id}",
    ]
    phases = []
    try:
        process = subprocess.Popen(command, env=environment, stdout=subprocess.PIPE, text=True)
        assert process.stdout is not None
        for line in process.stdout:
            phases.append(json.loads(line))
            print(f"  {phases[-1]}", flush=True)
        if process.wait() != 0:
            raise SystemExit("the worker failed")
        copy_speed = None
        if args.storage == "local":
            stored = folder / "backups" / "bench" / "bench-big.mbz"
            copy_speed = disk_copy_mb_per_s(stored)
    finally:
        moodle.stop()
        portal.shutdown()
        if moto is not None:
            moto.terminate()
        shutil.rmtree(folder, ignore_errors=True)
        for leftover in Path(tempfile.gettempdir()).glob("standin-*.mbz"):
            leftover.unlink(missing_ok=True)
    peak = max(p["peak_rss_mb"] for p in phases)
    results = {
        "backup_mb": args.size_mb,
        "upload_restore_mb": args.upload_mb,
        "storage": args.storage,
        "worker_peak_rss_mb": peak,
        "goal_rss_mb": GOAL_RSS_MB,
        "goal_met": peak < GOAL_RSS_MB,
        "disk_copy_mb_per_s": copy_speed,
        "phases": phases,
        "cpus": os.cpu_count(),
        "measured_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    previous = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    previous[args.storage] = results
    RESULTS.write_text(json.dumps(previous, indent=2) + "\n")
    print(json.dumps({k: v for k, v in results.items() if k != "phases"}, indent=2))
    return 0


def _moto_start(folder: Path) -> tuple[subprocess.Popen[bytes], str]:
    import socket

    import boto3

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=(folder / "moto.log").open("wb"),
        stderr=subprocess.STDOUT,
    )
    endpoint = f"http://127.0.0.1:{port}"
    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id="bench",
        aws_secret_access_key="bench-secret",
        region_name="us-east-1",
    )
    for _ in range(100):
        try:
            client.create_bucket(Bucket="passage-bench")
            return process, endpoint
        except Exception:
            time.sleep(0.2)
    process.kill()
    raise SystemExit("moto's S3 server did not start")


if __name__ == "__main__":
    sys.exit(main())

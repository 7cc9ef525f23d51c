"""A real Celery worker (with its beat) in a subprocess, against the test database and the
test Redis database, for the engine's worker tests."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import redis
from django.conf import settings
from django.db import connection

REPO = Path(__file__).resolve().parents[2]
REDIS_START = [
    "redis-server",
    "--daemonize",
    "yes",
    "--bind",
    "127.0.0.1",
    "--port",
    "6379",
    "--save",
    "",
    "--appendonly",
    "no",
]


class CeleryWorker:
    def __init__(
        self,
        *,
        storage: Path,
        engine: dict[str, Any],
        concurrency: int,
        log: Path,
        hostname: str = "%h",
        environment: dict[str, str] | None = None,
    ):
        self.storage = storage
        self.engine = engine
        self.concurrency = concurrency
        self.log = log
        # The host name the worker gives itself (a worker of another machine).
        self.hostname = hostname
        self.environment = environment or {}
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> CeleryWorker:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.engine.worker_settings",
            "PASSAGE_TEST_DATABASE": connection.settings_dict["NAME"],
            "PASSAGE_TEST_ENGINE": json.dumps(self.engine),
            "PASSAGE_TEST_STORAGE": str(self.storage),
            "PYTHONPATH": str(REPO),
            **self.environment,
        }
        self.log.parent.mkdir(parents=True, exist_ok=True)
        self._log = self.log.open("wb")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "portal",
                "worker",
                "--beat",
                "--schedule",
                str(self.log.parent / "beat-schedule"),
                "--loglevel",
                "INFO",
                "--concurrency",
                str(self.concurrency),
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "--hostname",
                f"engine-test-{os.getpid()}@{self.hostname}",
            ],
            cwd=REPO,
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if b"ready." in self.log.read_bytes():
                return self
            if self.process.poll() is not None:
                break
            time.sleep(0.1)
        raise RuntimeError(f"the Celery worker did not start:\n{self.log.read_text()[-3000:]}")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=5)
        self._log.close()

    def output(self) -> str:
        return self.log.read_text(errors="replace")


def broker() -> redis.Redis:
    return redis.Redis.from_url(settings.CELERY_BROKER_URL)


def broker_purge() -> None:
    broker().flushdb()


def redis_up() -> bool:
    try:
        return bool(redis.Redis(host="127.0.0.1", port=6379, socket_timeout=1).ping())
    except redis.RedisError:
        return False


def redis_restart() -> None:
    """Stop Redis without saving (every queued message is lost), then start it again the way
    this machine runs it."""
    subprocess.run(
        ["redis-cli", "-h", "127.0.0.1", "-p", "6379", "shutdown", "nosave"], check=False
    )
    redis_ensure_up()


def redis_ensure_up() -> None:
    for _ in range(50):
        if redis_up():
            return
        subprocess.run(REDIS_START, check=False, capture_output=True)
        time.sleep(0.1)
    raise RuntimeError("Redis did not come back")

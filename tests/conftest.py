"""Fixtures every test area shares: stand-in Moodle servers on free ports."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import factory.random
import pytest

from moodle_client.standin import StandinServer
from tests.chromium import chromium_launched

StartStandin = Callable[..., StandinServer]


@pytest.fixture(autouse=True)
def _reproducible_factories() -> None:
    """The names and values factories draw are the same on every run of a test."""
    factory.random.reseed_random("passage")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's Chromium, one per test module (`tests.chromium`)."""
    with chromium_launched() as launched:
        yield launched


@pytest.fixture
def start_standin() -> Iterator[StartStandin]:
    """A factory: `start_standin(seed="contract", **options)` starts a stand-in (options as
    `StandinServer.start` takes them); every server it started stops after the test."""
    started: list[StandinServer] = []

    def start(seed: str = "contract", **options: Any) -> StandinServer:
        server = StandinServer.start(seed=seed, **options)
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


@pytest.fixture
def standin(start_standin: StartStandin) -> StandinServer:
    """A fresh stand-in Moodle with the `small` seed, stopped after the test."""
    return start_standin("small")


@dataclass(frozen=True)
class S3Server:
    """An S3-compatible server over HTTP (moto in server mode, a process of its own)."""

    endpoint_url: str
    access_key: str = "passage-test"
    secret_key: str = "passage-test-secret"
    region: str = "us-east-1"

    def client(self) -> Any:
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint_url,
            aws_access_key_id=self.access_key,
            aws_secret_access_key=self.secret_key,
            region_name=self.region,
        )

    def storage_settings(self, bucket: str) -> dict[str, Any]:
        """The `backups` entry of STORAGES that keeps backups in `bucket` of this server."""
        return {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": bucket,
                "endpoint_url": self.endpoint_url,
                "region_name": self.region,
                "access_key": self.access_key,
                "secret_key": self.secret_key,
                "addressing_style": "path",
                "default_acl": None,
                "file_overwrite": True,
                "querystring_auth": True,
            },
        }

    def bucket_create(self) -> str:
        bucket = f"passage-{uuid.uuid4().hex[:12]}"
        self.client().create_bucket(Bucket=bucket)
        return bucket


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[S3Server]:
    """moto's S3 server on a free port of 127.0.0.1 for the whole test run."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    log = tmp_path_factory.mktemp("s3") / "moto.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    server = S3Server(endpoint_url=f"http://127.0.0.1:{port}")
    deadline = time.monotonic() + 30
    while True:
        try:
            server.client().list_buckets()
            break
        except Exception:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise RuntimeError(f"moto's S3 server did not start:\n{log.read_text()}") from None
            time.sleep(0.1)
    yield server
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def s3_backups(s3_server: S3Server, settings: Any) -> str:
    """Backups kept in a fresh bucket of the S3 server; returns the bucket's name."""
    bucket = s3_server.bucket_create()
    settings.STORAGES = {**settings.STORAGES, "backups": s3_server.storage_settings(bucket)}
    return bucket

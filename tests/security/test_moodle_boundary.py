"""The boundary with Moodle: the token goes only to the platform's own https:// address, is read
only from MOODLE_TOKEN_… variables, and backups land readable by Passage's user only."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from moodle_client import MoodleClient
from moodle_client.errors import UnexpectedResponse
from tests.factories import MoodleInstanceFactory
from transition.engine.storage import backup_download
from transition.services.instances import instance_check, instance_client, instance_create

ROOT = Path(__file__).resolve().parents[2]
BACKUP_BYTES = b"PK\x03\x04 a course backup with students' posts"


class _Recorder(BaseHTTPRequestHandler):
    """Answers as the test says (`server.answer`) and records every request it gets."""

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        self.server.seen.append((self.command, self.path, body))  # type: ignore[attr-defined]
        status, headers, content = self.server.answer(self)  # type: ignore[attr-defined]
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(content)))
        self.end_headers()
        self.wfile.write(content)

    do_GET = do_POST = _answer

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def http_server() -> Iterator[object]:
    servers = []

    def start(answer):
        server = ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
        server.seen = []
        server.answer = answer
        server.url = f"http://127.0.0.1:{server.server_address[1]}"
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def test_the_token_never_follows_a_redirect_to_another_site(http_server):
    elsewhere = http_server(lambda handler: (200, {"Content-Type": "application/json"}, b"{}"))
    moodle = http_server(
        lambda handler: (307, {"Location": elsewhere.url + "/webservice/rest/server.php"}, b"")
    )
    client = MoodleClient(moodle.url, "s3cret-token-value", timeout=5)
    with pytest.raises(UnexpectedResponse) as refused:
        client.call("core_webservice_get_site_info")
    assert refused.value.errorcode == "redirect"
    assert elsewhere.seen == []
    assert "s3cret-token-value" not in str(refused.value)


@pytest.mark.django_db
@pytest.mark.parametrize("variable", ["SECRET_KEY", "POSTGRES_PASSWORD", "moodle_token_x"])
def test_a_platform_cannot_name_a_server_variable_as_its_token(variable):
    with pytest.raises(ValidationError, match="MOODLE_TOKEN_"):
        instance_create(
            name="ecampus", url="https://ecampus.example", role="current", token_env_var=variable
        )


@pytest.mark.django_db
def test_test_connection_never_sends_a_variable_outside_the_prefix(http_server, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "the-server-secret")
    attacker = http_server(lambda handler: (200, {"Content-Type": "application/json"}, b"{}"))
    # A platform saved before the rule (or written around the forms).
    instance = MoodleInstanceFactory(
        url=attacker.url, token_env_var="SECRET_KEY", token_encrypted=""
    )
    report = instance_check(instance=instance)
    assert not report.token_valid
    assert "MOODLE_TOKEN_" in report.error
    assert attacker.seen == []


@pytest.mark.django_db
def test_a_token_variable_with_the_prefix_is_read(monkeypatch):
    monkeypatch.setenv("MOODLE_TOKEN_ECAMPUS", "from-env")
    instance = instance_create(
        name="ecampus",
        url="https://ecampus.example",
        role="current",
        token_env_var="MOODLE_TOKEN_ECAMPUS",
    )
    assert instance_client(instance=instance) is not None


@pytest.mark.django_db
def test_outside_debug_and_demo_an_http_platform_gets_no_token(settings):
    from transition.services.instances import InsecurePlatform

    settings.MOODLE_ALLOW_HTTP = False
    plain = MoodleInstanceFactory(name="plain", url="http://ecampus.example")
    with pytest.raises(InsecurePlatform, match="https://"):
        instance_client(instance=plain)
    secure = MoodleInstanceFactory(name="secure", url="https://ecampus.example")
    assert instance_client(instance=secure).base_url == "https://ecampus.example"


@pytest.mark.django_db
def test_backups_are_readable_by_passage_only(http_server, settings, tmp_path):
    moodle = http_server(
        lambda handler: (200, {"Content-Type": "application/vnd.moodle.backup"}, BACKUP_BYTES)
    )
    root = tmp_path / "backups"
    settings.STORAGES = {
        **settings.STORAGES,
        "backups": {
            **settings.STORAGES["backups"],
            "OPTIONS": {**settings.STORAGES["backups"]["OPTIONS"], "location": root},
        },
    }
    client = MoodleClient(moodle.url, "admin", timeout=5)
    downloaded = backup_download(
        client=client,
        url="/webservice/pluginfile.php/1/backup/course/backup.mbz",
        name="2026-2027/ecampus/course-42.mbz",
    )
    assert downloaded.path.read_bytes() == BACKUP_BYTES
    assert stat.S_IMODE(downloaded.path.stat().st_mode) == 0o600
    for folder in (root, root / "2026-2027", root / "2026-2027" / "ecampus"):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder


@pytest.mark.django_db
def test_files_django_stores_for_passage_are_private(settings, tmp_path):
    from django.core.files.base import ContentFile
    from django.core.files.storage import storages

    settings.STORAGES = {
        **settings.STORAGES,
        "backups": {
            **settings.STORAGES["backups"],
            "OPTIONS": {**settings.STORAGES["backups"]["OPTIONS"], "location": tmp_path},
        },
    }
    name = storages["backups"].save("restores/course.mbz", ContentFile(BACKUP_BYTES))
    saved = Path(tmp_path) / name
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600
    assert stat.S_IMODE(saved.parent.stat().st_mode) == 0o700


@pytest.mark.parametrize(("demo", "allowed"), [("0", "False"), ("1", "True")])
def test_production_settings_refuse_http_platforms_and_the_demo_allows_them(demo, allowed):
    environment = {k: v for k, v in os.environ.items() if k != "DEBUG"}
    environment.update({"DJANGO_SETTINGS_MODULE": "portal.settings", "PASSAGE_DEMO": demo})
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.MOODLE_ALLOW_HTTP)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True
    )
    assert result.stdout.strip() == allowed, result.stderr


@pytest.mark.django_db
def test_outside_debug_and_demo_an_http_platform_is_refused_when_saved(settings, client):
    from tests.factories import UserFactory
    from transition.models import MoodleInstance

    settings.MOODLE_ALLOW_HTTP = False
    with pytest.raises(ValidationError, match="https://"):
        instance_create(name="plain", url="http://ecampus.example", role="current", token="t")
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    page = client.post(
        "/admin/transition/moodleinstance/add/",
        {
            "name": "plain",
            "url": "http://ecampus.example",
            "role": "current",
            "token": "t",
            "concurrency_limit": "4",
        },
    )
    assert page.status_code == 200
    assert page.context["adminform"].form.errors["url"]
    assert not MoodleInstance.objects.filter(name="plain").exists()

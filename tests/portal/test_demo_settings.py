"""Demo mode, checked in a fresh interpreter: SQLite under var/, no Redis, the `demo` password."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import json, django
from django.conf import settings
django.setup()
from django.contrib.auth.password_validation import validate_password
validate_password("demo")
print(json.dumps({
    "engine": settings.DATABASES["default"]["ENGINE"],
    "name": str(settings.DATABASES["default"]["NAME"]),
    "broker": settings.CELERY_BROKER_URL,
    "broker_transport": getattr(settings, "CELERY_BROKER_TRANSPORT", None),
    "email": settings.EMAIL_BACKEND,
    "debug": settings.DEBUG,
    "static": settings.STORAGES["staticfiles"]["BACKEND"],
    "broker_folders": {
        name: value
        for name, value in getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", {}).items()
        if "folder" in name
    },
}))
"""


def _settings_with(tmp_path: Path, **env: str) -> dict[str, str]:
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"REDIS_URL", "SECRET_KEY", "DEBUG"}
    }
    environment.update(
        {"DJANGO_SETTINGS_MODULE": "portal.settings", "PASSAGE_VAR_DIR": str(tmp_path), **env}
    )
    output = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(output.stdout)


def test_demo_mode_runs_on_sqlite_and_the_filesystem_broker(tmp_path):
    values = _settings_with(tmp_path, PASSAGE_DEMO="1")
    assert values["engine"] == "django.db.backends.sqlite3"
    assert values["name"] == str(tmp_path / "demo.sqlite3")
    assert values["broker"] == "filesystem://"
    assert values["broker_transport"] == "portal.demo_broker:Transport"
    assert values["email"].endswith("console.EmailBackend")


def test_the_demo_runs_with_debug_off_and_static_files_as_in_production(tmp_path):
    values = _settings_with(tmp_path, PASSAGE_DEMO="1")
    assert values["debug"] is False
    assert values["static"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    assert _settings_with(tmp_path, PASSAGE_DEMO="1", DEBUG="1")["debug"] is True


def test_the_demo_broker_keeps_every_folder_under_var(tmp_path):
    folders = _settings_with(tmp_path, PASSAGE_DEMO="1")["broker_folders"]
    assert set(folders) >= {
        "data_folder_in",
        "data_folder_out",
        "processed_folder",
        "control_folder",
    }
    assert all(Path(folder).is_relative_to(tmp_path) for folder in folders.values())


def test_demo_mode_uses_redis_when_REDIS_URL_is_set(tmp_path):
    values = _settings_with(tmp_path, PASSAGE_DEMO="1", REDIS_URL="redis://127.0.0.1:6379/3")
    assert values["broker"] == "redis://127.0.0.1:6379/3"


def test_the_production_server_refuses_to_start_with_the_development_secret(tmp_path):
    environment = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    environment.update({"DJANGO_SETTINGS_MODULE": "portal.settings", "PASSAGE_DEMO": "0"})
    result = subprocess.run(
        [sys.executable, "-c", "import portal.wsgi"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "SECRET_KEY is the development default" in result.stderr

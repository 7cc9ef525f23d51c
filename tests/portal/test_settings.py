"""Settings from the environment: loud on bad values, secrets from files, safe in production."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ImproperlyConfigured, ValidationError

from portal.settings.env import env_bool, env_int, env_list, env_str
from portal.settings.safety import refuse_unsafe_settings


def test_a_malformed_boolean_stops_the_start_naming_the_variable(monkeypatch):
    monkeypatch.setenv("PASSAGE_DEMO", "oui")
    with pytest.raises(ImproperlyConfigured, match="PASSAGE_DEMO='oui' is not a boolean"):
        env_bool("PASSAGE_DEMO", False)


def test_a_malformed_or_too_small_integer_stops_the_start(monkeypatch):
    monkeypatch.setenv("MOODLE_TIMEOUT", "soixante")
    with pytest.raises(ImproperlyConfigured, match="MOODLE_TIMEOUT"):
        env_int("MOODLE_TIMEOUT", 60)
    monkeypatch.setenv("MOODLE_TIMEOUT", "0")
    with pytest.raises(ImproperlyConfigured, match="below the minimum 1"):
        env_int("MOODLE_TIMEOUT", 60, minimum=1)


def test_defaults_apply_when_the_variable_is_absent(monkeypatch):
    monkeypatch.delenv("ALLOWED_HOSTS", raising=False)
    assert env_list("ALLOWED_HOSTS", ["localhost"]) == ["localhost"]
    assert env_int("ABSENT_NUMBER", 7) == 7


def test_a_secret_is_read_from_NAME_FILE(monkeypatch, tmp_path):
    secret = tmp_path / "secret_key"
    secret.write_text("from-a-docker-secret\n")
    monkeypatch.setenv("SECRET_KEY_FILE", str(secret))
    monkeypatch.setenv("SECRET_KEY", "ignored when the file is given")
    assert env_str("SECRET_KEY", "default") == "from-a-docker-secret"


def test_an_unreadable_NAME_FILE_stops_the_start(monkeypatch, tmp_path):
    monkeypatch.setenv("SECRET_KEY_FILE", str(tmp_path / "missing"))
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY_FILE"):
        env_str("SECRET_KEY", "default")


def test_production_refuses_the_development_secret_key():
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY"):
        refuse_unsafe_settings(secret_key="dev", default_secret_key="dev", debug=False, demo=False)
    refuse_unsafe_settings(secret_key="dev", default_secret_key="dev", debug=False, demo=True)
    refuse_unsafe_settings(
        secret_key="q3J9-vX2_kLw8zR5tN1mB7yC4dF6hG0pS2aE9uI3oK5jH8lM1nQ",
        default_secret_key="dev",
        debug=False,
        demo=False,
    )


def test_outside_demo_mode_the_demo_password_is_refused():
    with pytest.raises(ValidationError):
        validate_password("demo")
    validate_password("un mot de passe vraiment long")


def test_celery_acknowledges_late_with_a_visibility_timeout_above_the_longest_job(settings):
    assert settings.CELERY_TASK_ACKS_LATE
    assert settings.CELERY_TASK_REJECT_ON_WORKER_LOST
    assert settings.CELERY_TASK_SERIALIZER == "json"
    assert settings.CELERY_TASK_SOFT_TIME_LIMIT < settings.CELERY_TASK_TIME_LIMIT
    assert (
        settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
        > settings.CELERY_TASK_TIME_LIMIT
    )


def test_beat_schedule_names_only_registered_tasks():
    from portal.celery import app

    app.loader.import_default_modules()  # what a worker does when it starts
    app.finalize()
    schedule = app.conf.beat_schedule
    assert schedule["sync-all-moodle-instances"]["task"] == "transition.tasks.sync_all_instances"
    assert {entry["task"] for entry in schedule.values()} <= set(app.tasks)


def _settings_module_with(monkeypatch, **environment):
    import importlib
    import sys

    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    sys.modules.pop("portal.settings.base", None)
    try:
        return importlib.import_module("portal.settings.base")
    finally:
        sys.modules.pop("portal.settings.base", None)


@pytest.mark.object_storage
def test_backups_go_to_object_storage_when_the_settings_say_so(monkeypatch):
    base = _settings_module_with(
        monkeypatch,
        BACKUP_STORAGE="s3",
        BACKUP_S3_ENDPOINT_URL="https://s3.univ.example",
        BACKUP_S3_BUCKET="passage",
    )
    backups = base.STORAGES["backups"]
    assert backups["BACKEND"] == "storages.backends.s3.S3Storage"
    assert backups["OPTIONS"]["endpoint_url"] == "https://s3.univ.example"
    assert backups["OPTIONS"]["bucket_name"] == "passage"
    with pytest.raises(ImproperlyConfigured, match="BACKUP_STORAGE='nfs'"):
        _settings_module_with(monkeypatch, BACKUP_STORAGE="nfs")
    monkeypatch.delenv("BACKUP_STORAGE")
    local = _settings_module_with(monkeypatch)
    assert local.STORAGES["backups"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"


def test_the_nightly_purge_of_old_backups_is_scheduled():
    from portal.celery import app

    app.loader.import_default_modules()
    app.finalize()
    assert app.conf.beat_schedule["purge-backups"]["task"] == "transition.tasks.purge_backups"

"""Settings of the Celery worker the engine's worker tests start: the test database that
pytest-django created, the test Redis database, fast engine timings and the test's storage."""

import json
import os

from portal.settings.test import *  # noqa: F403

DATABASES["default"]["NAME"] = os.environ["PASSAGE_TEST_DATABASE"]  # noqa: F405
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
ENGINE = json.loads(os.environ["PASSAGE_TEST_ENGINE"])
MOODLE_TIMEOUT = float(os.environ.get("PASSAGE_TEST_MOODLE_TIMEOUT", "2"))
_STORAGE = os.environ["PASSAGE_TEST_STORAGE"]
MEDIA_ROOT = f"{_STORAGE}/media"
STORAGES = {
    **STORAGES,  # noqa: F405
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": f"{_STORAGE}/media"},
    },
    "backups": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": f"{_STORAGE}/backups"},
    },
}

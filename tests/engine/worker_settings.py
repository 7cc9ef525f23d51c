"""Settings of the Celery worker the engine's worker tests start: the test database that
pytest-django created, the test Redis database, fast engine timings and the test's storage."""

import base64
import hashlib
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
# Backups in object storage, reached over HTTP only (workers of several hosts).
if os.environ.get("PASSAGE_TEST_S3_BACKUPS"):
    STORAGES["backups"] = json.loads(os.environ["PASSAGE_TEST_S3_BACKUPS"])
# Celery refuses to start with the development secret key; the tokens the tests stored were
# encrypted with a key derived from it, which stays the encryption key.
TOKEN_ENCRYPTION_KEY = base64.urlsafe_b64encode(
    hashlib.sha256(f"passage-token:{SECRET_KEY}".encode()).digest()  # noqa: F405
).decode()
SECRET_KEY = "passage-engine-worker-tests-secret-key-0123456789abcdefghijklmnop"

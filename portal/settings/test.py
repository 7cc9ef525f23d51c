"""Test settings: this machine's PostgreSQL and Redis, fast hashing, mail kept in memory."""

import os

from portal.settings.base import *  # noqa: F403
from portal.settings.env import env_str

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
# A database of Redis of its own, so tests never feed a development worker.
CELERY_BROKER_URL = env_str("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
TOKEN_ENCRYPTION_KEY = ""
MOODLE_ALLOW_HTTP = True  # the stand-in Moodles speak http on 127.0.0.1
WHITENOISE_AUTOREFRESH = True  # no collected files in tests; serve from the finders
# Each test run gets a database of its own, so runs side by side never drop each other's.
DATABASES["default"]["TEST"] = {  # noqa: F405
    "NAME": env_str("POSTGRES_TEST_DB", f"test_passage_{os.getpid()}")
}

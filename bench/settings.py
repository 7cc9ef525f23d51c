"""Settings of the campaign benchmark: its own PostgreSQL database and Redis database, the
engine's timings scaled down like Moodle's latencies, warnings-only logging."""

import json
import os

from portal.settings.test import *  # noqa: F403

DATABASES["default"]["NAME"] = os.environ.get("PASSAGE_BENCH_DATABASE", "passage_bench")  # noqa: F405
DATABASES["default"]["CONN_MAX_AGE"] = 600  # noqa: F405
CELERY_BROKER_URL = os.environ.get("PASSAGE_BENCH_REDIS", "redis://127.0.0.1:6379/14")
ENGINE = json.loads(os.environ.get("PASSAGE_BENCH_ENGINE", "{}"))
MOODLE_TIMEOUT = 60
_STORAGE = os.environ.get("PASSAGE_BENCH_STORAGE", "/tmp/passage-bench")
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
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
# Celery refuses to start with the development secret key.
SECRET_KEY = "passage-benchmark-only-secret-key-not-for-production-use-0123456789"

"""Passage settings, read from the environment through `portal.settings.env`.

Every variable is listed, with its default, in the README's configuration table.
"""

from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from portal.settings.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent
DEFAULT_SECRET_KEY = "passage-development-only-secret"

# Demo mode: SQLite, console e-mail, a Celery broker that needs no Redis, and the `demo` password.
DEMO = env_bool("PASSAGE_DEMO", False)
VAR_DIR = Path(env_str("PASSAGE_VAR_DIR", str(BASE_DIR / "var")))

SECRET_KEY = env_str("SECRET_KEY", DEFAULT_SECRET_KEY)
# Off in the demo too, so that it shows what production shows (the portal's error pages, static
# files through WhiteNoise); DEBUG=1 is for development.
DEBUG = env_bool("DEBUG", False)
# The demo may listen on every address (DEMO_HOST=0.0.0.0); production names its hosts.
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["*"] if DEMO else ["localhost", "127.0.0.1"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# Behind the TLS reverse proxy every page is HTTPS: plain HTTP is redirected, browsers are told
# to use HTTPS only (HSTS) and cookies travel over HTTPS only.
BEHIND_HTTPS_PROXY = env_bool("BEHIND_HTTPS_PROXY", False)
if BEHIND_HTTPS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = env_int("HSTS_SECONDS", 365 * 24 * 3600, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("HSTS_PRELOAD", False)
    if not SECURE_HSTS_PRELOAD:
        # Preloading binds the whole domain to HTTPS in browsers for good: the institution's
        # choice, not a default.
        SILENCED_SYSTEM_CHECKS = ["security.W021"]
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", BEHIND_HTTPS_PROXY)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

# The key that encrypts Moodle tokens stored in the database (a Fernet key). Without it, a key is
# derived from SECRET_KEY, so changing SECRET_KEY would make stored tokens unreadable.
TOKEN_ENCRYPTION_KEY = env_str("TOKEN_ENCRYPTION_KEY", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "axes",
    "transition",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a refused sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "transition.context_processors.roles",
            ],
            # Long dates in French write the first of the month « 1er » (portal/dates.py).
            "builtins": ["portal.dates"],
        },
    },
]

if DEMO:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "demo.sqlite3",
            # The web server, the worker and the demo process write to one file.
            "OPTIONS": {"timeout": 30},
        }
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": env_str("POSTGRES_DB", "passage"),
            "USER": env_str("POSTGRES_USER", "postgres"),
            "PASSWORD": env_str("POSTGRES_PASSWORD", ""),
            "HOST": env_str("POSTGRES_HOST", "127.0.0.1"),
            "PORT": env_str("POSTGRES_PORT", "5432"),
            "CONN_MAX_AGE": env_int("POSTGRES_CONN_MAX_AGE", 60, minimum=0),
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Sign-in: Django accounts, or CAS single sign-on when CAS_SERVER_URL is set. django-axes comes
# first: after LOGIN_FAILURE_LIMIT wrong passwords for one username from one address, that
# sign-in is refused (even with the right password) for LOGIN_LOCKOUT_MINUTES (`portal.sign_in`).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 15, minimum=1))
# A username from one address; behind the reverse proxy, the address the proxy saw.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "portal.sign_in.client_ip"
AXES_RESET_ON_SUCCESS = True
AXES_WHITELIST_CALLABLE = "portal.sign_in.attempt_without_password"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
CAS_SERVER_URL = env_str("CAS_SERVER_URL", "")
if CAS_SERVER_URL:
    INSTALLED_APPS.append("django_cas_ng")
    # Teachers sign in through CAS; a password opens only staff accounts (the admin pages).
    AUTHENTICATION_BACKENDS = [
        "axes.backends.AxesStandaloneBackend",
        "portal.sign_in.StaffPasswordBackend",
        "django_cas_ng.backends.CASBackend",
    ]
    CAS_VERSION = env_str("CAS_VERSION", "3")
    # Only people Passage already knows (teachers synced from Moodle, staff created by an admin)
    # may sign in, unless the institution chooses otherwise.
    CAS_CREATE_USER = env_bool("CAS_CREATE_USER", False)
    CAS_REDIRECT_URL = "/"
    # After sign-in, the page asked for (`next`, checked by `portal.cas_views`), never the Referer.
    CAS_IGNORE_REFERER = True
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

if DEMO:
    # The demo accounts use the password `demo`; only demo mode lets such a password exist.
    AUTH_PASSWORD_VALIDATORS: list[dict[str, object]] = []
else:
    AUTH_PASSWORD_VALIDATORS = [
        {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
        {
            "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
            "OPTIONS": {"min_length": 12},
        },
        {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
        {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    ]

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["portal.formats"]  # English dates day first (`portal/formats/en`)
TIME_ZONE = env_str("TIME_ZONE", "Europe/Paris")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "static")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "media/"
# Files Passage stores (grade exports too) are for its own user only.
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
BACKUP_STORAGE_ROOT = Path(env_str("BACKUP_STORAGE_ROOT", str(MEDIA_ROOT / "backups")))
# Course backups: a local folder (one host, the demo) or S3-compatible object storage (MinIO,
# Ceph RGW, Swift's S3 API, AWS), which workers on several hosts share.
BACKUP_STORAGE = env_str("BACKUP_STORAGE", "local")
if BACKUP_STORAGE == "local":
    # Backups hold students' data: files 0600 in folders 0700, for Passage's own user only.
    BACKUP_STORAGE_BACKEND: dict[str, object] = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {
            "location": BACKUP_STORAGE_ROOT,
            "file_permissions_mode": 0o600,
            "directory_permissions_mode": 0o700,
        },
    }
elif BACKUP_STORAGE == "s3":
    BACKUP_STORAGE_BACKEND = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env_str("BACKUP_S3_BUCKET", "passage-backups"),
            "endpoint_url": env_str("BACKUP_S3_ENDPOINT_URL", "") or None,
            "region_name": env_str("BACKUP_S3_REGION", "") or None,
            "access_key": env_str("BACKUP_S3_ACCESS_KEY_ID", "") or None,
            "secret_key": env_str("BACKUP_S3_SECRET_ACCESS_KEY", "") or None,
            "location": env_str("BACKUP_S3_PREFIX", ""),
            # MinIO and most university gateways serve one host name: bucket in the path.
            "addressing_style": env_str("BACKUP_S3_ADDRESSING_STYLE", "path"),
            "default_acl": None,
            "file_overwrite": True,
            "querystring_auth": True,
        },
    }
else:
    raise ImproperlyConfigured(f"BACKUP_STORAGE={BACKUP_STORAGE!r} is not 'local' or 's3'.")
# Parts of a multipart upload to object storage: the most of a backup a worker holds in memory.
BACKUP_S3_PART_BYTES = env_int("BACKUP_S3_PART_MB", 8, minimum=5) * 1024 * 1024
# How long the link a Moodle restore fetches a large backup from stays valid.
BACKUP_LINK_SECONDS = env_int("BACKUP_LINK_SECONDS", 6 * 3600, minimum=60)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "backups": BACKUP_STORAGE_BACKEND,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Content-Security-Policy (django-csp): scripts and style sheets from this site only, no inline
# script; style attributes stay allowed (progress bars, the admin pages). Forms post here, or to
# the CAS server (sign-out goes there).
_cas_origin = "{0.scheme}://{0.netloc}".format(urlsplit(CAS_SERVER_URL)) if CAS_SERVER_URL else ""
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF, *([_cas_origin] if _cas_origin else [])],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    }
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

if DEMO:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
else:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "passage@localhost")
# The address people reach the portal at: e-mails are read away from it, so their links are full.
PASSAGE_BASE_URL = env_str("PASSAGE_BASE_URL", "http://localhost:8000").rstrip("/")

# Moodle web-service calls. Tokens go to https:// platforms only, except in debug and demo mode
# (the stand-in Moodles speak http on 127.0.0.1).
MOODLE_TIMEOUT = env_int("MOODLE_TIMEOUT", 60, minimum=1)
# The engine's timings (transition.engine.config): the beat's round, which starts due requests
# and sends again the jobs whose time has come.
ENGINE = {"sweep_interval": float(env_int("ENGINE_SWEEP_INTERVAL", 60, minimum=1))}
MOODLE_ALLOW_HTTP = DEBUG or DEMO

# Celery. Job state lives in our tables, so no result backend. A job may run for hours (the
# backup of a large course); the broker must not hand a running job to a second worker, hence a
# visibility timeout above the hard time limit.
REDIS_URL = env_str("REDIS_URL", "")
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 7 * 3600, minimum=60)
CELERY_TASK_SOFT_TIME_LIMIT = env_int(
    "CELERY_TASK_SOFT_TIME_LIMIT", CELERY_TASK_TIME_LIMIT - 300, minimum=30
)
if REDIS_URL or not DEMO:
    CELERY_BROKER_URL = REDIS_URL or "redis://127.0.0.1:6379/0"
    CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, object] = {
        "visibility_timeout": CELERY_TASK_TIME_LIMIT + 3600,
    }
else:
    CELERY_BROKER_URL = "filesystem://"
    # kombu's filesystem transport, each message written whole before the worker sees it.
    CELERY_BROKER_TRANSPORT = "portal.demo_broker:Transport"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(VAR_DIR / "celery" / "queue"),
        "data_folder_out": str(VAR_DIR / "celery" / "queue"),
        "processed_folder": str(VAR_DIR / "celery" / "processed"),
        # kombu's default is ./control, relative to wherever the worker was started.
        "control_folder": str(VAR_DIR / "celery" / "control"),
        "store_processed": False,
    }
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_SERIALIZER = "json"
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Nightly refresh of what Moodle says (courses, teachers, cohorts), at this hour (local time).
SYNC_HOUR = env_int("SYNC_HOUR", 2, minimum=0)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}

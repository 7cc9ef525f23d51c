"""Start-up checks that keep a production server from running with development values.

Called by the servers (gunicorn through `portal.wsgi`, Celery worker and beat), not by every
management command: `compilemessages` or `migrate` on a build machine need no secret.
"""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

# The placeholder `.env.example` ships: a copied file left unfilled must not start.
PLACEHOLDER_SECRET_KEYS = frozenset({"change-me-to-a-long-random-value"})
# What Django's own `check --deploy` asks of a key (security.W009).
SECRET_KEY_MIN_LENGTH = 50
SECRET_KEY_MIN_DISTINCT = 5


def refuse_unsafe_settings(
    *, secret_key: str, default_secret_key: str, debug: bool, demo: bool
) -> None:
    """Outside debug and demo mode, refuse the development SECRET_KEY, the `.env.example`
    placeholder and any key too short or too plain to resist guessing."""
    if debug or demo:
        return
    if secret_key == default_secret_key:
        problem = "is the development default"
    elif secret_key in PLACEHOLDER_SECRET_KEYS:
        problem = "is the placeholder of .env.example"
    elif (
        len(secret_key) < SECRET_KEY_MIN_LENGTH
        or len(set(secret_key)) < SECRET_KEY_MIN_DISTINCT
        or secret_key.startswith("django-insecure-")
    ):
        problem = (
            f"is shorter than {SECRET_KEY_MIN_LENGTH} characters or has fewer than "
            f"{SECRET_KEY_MIN_DISTINCT} different ones"
        )
    else:
        return
    raise ImproperlyConfigured(
        f"SECRET_KEY {problem}. Set SECRET_KEY (or SECRET_KEY_FILE) to a long random value "
        '(python -c "import secrets; print(secrets.token_urlsafe(50))") before running '
        "Passage in production."
    )


def refuse_unsafe_django_settings() -> None:
    refuse_unsafe_settings(
        secret_key=settings.SECRET_KEY,
        default_secret_key=settings.DEFAULT_SECRET_KEY,
        debug=settings.DEBUG,
        demo=settings.DEMO,
    )

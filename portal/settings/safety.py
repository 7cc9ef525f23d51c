"""Start-up checks that keep a production server from running with development values.

Called by the servers (gunicorn through `portal.wsgi`, Celery worker and beat), not by every
management command: `compilemessages` or `migrate` on a build machine need no secret.
"""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def refuse_unsafe_settings(
    *, secret_key: str, default_secret_key: str, debug: bool, demo: bool
) -> None:
    """Refuse the development SECRET_KEY outside debug and demo mode."""
    if not debug and not demo and secret_key == default_secret_key:
        raise ImproperlyConfigured(
            "SECRET_KEY is the development default. Set SECRET_KEY (or SECRET_KEY_FILE) to a "
            "long random value before running Passage in production."
        )


def refuse_unsafe_django_settings() -> None:
    refuse_unsafe_settings(
        secret_key=settings.SECRET_KEY,
        default_secret_key=settings.DEFAULT_SECRET_KEY,
        debug=settings.DEBUG,
        demo=settings.DEMO,
    )

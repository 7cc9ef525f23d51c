"""Start-up checks that keep a production deployment from running with development values."""

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

"""WSGI entry point, served by gunicorn in production."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

application = get_wsgi_application()

from portal.settings.safety import refuse_unsafe_django_settings  # noqa: E402

refuse_unsafe_django_settings()

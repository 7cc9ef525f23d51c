"""Passage settings: every value comes from the environment, with safe defaults.

Production runs this module (`DJANGO_SETTINGS_MODULE=portal.settings`); its servers refuse to
start with development values (`portal.settings.safety`, called by `portal.wsgi` and the Celery
worker and beat). Tests use `portal.settings.test`.
"""

from portal.settings.base import *  # noqa: F403

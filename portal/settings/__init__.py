"""Passage settings: every value comes from the environment, with safe defaults.

This is the module production runs (`DJANGO_SETTINGS_MODULE=portal.settings`); it refuses
development values that would be unsafe there. Tests use `portal.settings.test`.
"""

import os

from portal.settings.base import *  # noqa: F403
from portal.settings.base import DEBUG, DEFAULT_SECRET_KEY, DEMO, SECRET_KEY
from portal.settings.safety import refuse_unsafe_settings

# Python runs this file before any submodule (portal.settings.test), so the production check
# applies only when this package itself is the settings module.
if os.environ.get("DJANGO_SETTINGS_MODULE", "portal.settings") == "portal.settings":
    refuse_unsafe_settings(
        secret_key=SECRET_KEY, default_secret_key=DEFAULT_SECRET_KEY, debug=DEBUG, demo=DEMO
    )

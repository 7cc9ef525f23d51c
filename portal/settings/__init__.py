"""Passage settings: every value comes from the environment, with safe defaults."""

from portal.settings.base import *  # noqa: F403

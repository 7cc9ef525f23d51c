"""The engine's world (a `small` stand-in mirrored in Passage, a running campaign)."""

from tests.engine.conftest import engine_settings, world  # noqa: F401

"""The companion plugin `local_passage` in the stand-in: operations (backup, reset, restore),
the course inventory and cohort syncs. Importing this package registers its functions."""

from moodle_client.standin.passage import webservices  # noqa: F401

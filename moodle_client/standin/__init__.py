"""A stand-in Moodle 5.0: a real HTTP server answering the REST web service as Moodle does.

from moodle_client.standin import StandinServer
with StandinServer.start(seed="small") as server:
    ...  # server.url is the Moodle wwwroot
"""

from moodle_client.standin.server import StandinServer

__all__ = ["StandinServer"]

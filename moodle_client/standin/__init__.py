"""A stand-in Moodle 5.0: a real HTTP server answering the REST web service as Moodle does."""

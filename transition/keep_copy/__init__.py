"""A copy of what a reset deletes, kept with the request: read from Moodle's web services
before the backup and the reset, written as one zip per course, checked against Moodle's
counts."""

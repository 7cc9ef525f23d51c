"""The review step: what a request will do to a course, row by row, before anything runs."""

"""Typed wrappers of Moodle's web-service functions, one module per Moodle component."""

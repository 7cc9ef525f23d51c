"""The core web-service functions of the stand-in, one module per Moodle component.

Importing this package registers them all in `registry.FUNCTIONS`.
"""

from moodle_client.standin.functions import (  # noqa: F401
    assign,
    backup,
    calendar,
    category,
    cohort,
    course,
    course_contents,
    course_copy,
    data,
    enrol,
    files,
    forum,
    glossary,
    grades,
    group,
    role,
    user,
    webservice,
    wiki,
)

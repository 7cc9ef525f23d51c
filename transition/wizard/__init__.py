"""The teacher's wizard: courses, scenario per course, options, review, confirmation."""

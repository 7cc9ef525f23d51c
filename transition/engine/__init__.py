"""The job engine: turns approved requests into Moodle operations, one job at a time.

`planner` writes a request's ordered jobs, `runner` claims and runs one job and records its
outcome, `steps` holds what each kind of job does in Moodle, `retry` decides whether a failure
is tried again, `concurrency` keeps each Moodle platform under its limit, `sweeper` resumes
jobs whose worker died, `services` is what screens call, `tasks` the thin Celery tasks.
"""

"""What the workers and the beat of a real deployment run, read from a fresh process.

A fresh process, because importing a task module in a test registers its tasks on the app
whatever the app's own discovery does.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent.parent
WORKER_VIEW = """
import json
import django
django.setup()
from portal.celery import app
app.loader.import_default_modules()  # what a worker does when it starts
app.finalize()
print(json.dumps({
    "tasks": sorted(app.tasks),
    "schedule": {name: entry["task"] for name, entry in app.conf.beat_schedule.items()},
}))
"""


def _worker_view() -> dict[str, object]:
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings.test"}
    finished = subprocess.run(
        [sys.executable, "-c", WORKER_VIEW],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(finished.stdout.strip().splitlines()[-1])


def test_workers_run_the_notification_tasks_and_the_beat_schedules_them():
    view = _worker_view()
    tasks = set(view["tasks"])
    assert {"transition.notifications.send_due", "transition.notifications.daily_digest"} <= tasks
    schedule = view["schedule"]
    assert schedule["notifications-send-due"] == "transition.notifications.send_due"
    assert schedule["notifications-daily-digest"] == "transition.notifications.daily_digest"
    # Beside the sync's and the engine's entries, not instead of them.
    assert schedule["sync-all-moodle-instances"] == "transition.tasks.sync_all_instances"
    assert schedule["engine-sweep"] == "transition.engine.sweep"
    assert set(schedule.values()) <= tasks

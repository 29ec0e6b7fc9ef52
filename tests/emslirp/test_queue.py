"""Services queue tasks by their Celery name (``emslirp.queue``): every name they queue,
and every task Celery beat runs, is known to a process that has only started Django, as
a web process has, without any test having imported a ``tasks`` module first."""

import json
import subprocess
import sys

from django.conf import settings

QUEUED = {
    "calendar_planner.tasks.task_programme_plan",
    "emslirp.tasks.task_reminder_send",
    "emslirp.tasks.task_send_email",
    "reviews.tasks.task_letter_pdf_render",
    "safeguarding.tasks.task_incident_pdf_render",
}

FRESH_PROCESS = """
import json
import django
django.setup()
from emslirp.celery import app
print(json.dumps(sorted(name for name in app.tasks if not name.startswith("celery."))))
"""


def test_every_queued_and_scheduled_task_is_known_once_django_has_started():
    found = subprocess.run(
        [sys.executable, "-c", FRESH_PROCESS],
        capture_output=True,
        text=True,
        check=True,
        env={"DJANGO_SETTINGS_MODULE": "tests.settings", "PATH": ""},
        cwd=settings.BASE_DIR,
    )
    names = set(json.loads(found.stdout))
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert QUEUED | scheduled <= names

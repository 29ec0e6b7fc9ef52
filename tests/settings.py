"""The project's settings, plus the test-only apps: one that exercises object grants, and
one whose mail backend the tests' worker processes send with."""

import datetime
import os

import time_machine

from emslirp.settings import *  # noqa: F403
from emslirp.settings import EMAIL_BACKEND, INSTALLED_APPS

INSTALLED_APPS = [
    *INSTALLED_APPS,
    "tests.guarded.apps.GuardedConfig",
    "tests.mailroom.apps.MailroomConfig",
]

# A worker process started by a test sends through tests.mailroom's backend (pytest-django
# gives the test process its own in-memory outbox whatever this says).
EMAIL_BACKEND = os.environ.get("EMSLIRP_TEST_EMAIL_BACKEND", EMAIL_BACKEND)

# A worker or beat process started by a test keeps the test's clock (STYLE 11): the test
# passes its moment, and the process's whole clock starts there and ticks on.
if os.environ.get("EMSLIRP_TEST_NOW"):
    time_machine.travel(
        datetime.datetime.fromisoformat(os.environ["EMSLIRP_TEST_NOW"]), tick=True
    ).start()

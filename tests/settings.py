"""The project's settings, plus the test-only app that exercises object grants."""

from emslirp.settings import *  # noqa: F403
from emslirp.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "tests.guarded.apps.GuardedConfig"]

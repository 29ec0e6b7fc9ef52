"""Handing work to the Celery worker by the task's name.

Tasks are thin and call services (``tasks`` imports ``services``); a service that needs a
task run asks for it here by its Celery name, so no service imports the ``tasks`` module
that calls it and no pair of modules imports each other. Each app's ``AppConfig.ready()``
imports its ``tasks`` module, so every process (web or worker) knows every name.
"""

from celery import Task
from django.db import transaction

from emslirp.celery import app


def _task(name: str) -> Task:
    # A name nobody registered fails here, in the request that asked, not in the worker.
    return app.tasks[name]


def task_enqueue(name: str, **kwargs) -> None:
    """Queue the task ``name`` now, with keyword arguments only (primary keys, never
    model instances)."""
    _task(name).delay(**kwargs)


def task_after_commit(name: str, **kwargs) -> None:
    """Queue the task ``name`` once the current transaction commits (never if it rolls
    back): the worker must find the rows the request wrote."""
    task = _task(name)
    transaction.on_commit(lambda: task.delay(**kwargs))

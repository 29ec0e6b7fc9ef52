"""E-mail from any app: rendered now, sent by the worker once the change has committed."""

import contextlib
import contextvars

from django.conf import settings
from django.template import loader

from emslirp.queue import task_after_commit

# Set while the demo region is loaded: its people are fictional and nobody is told of it.
_quiet = contextvars.ContextVar("emslirp_notices_quiet", default=False)


@contextlib.contextmanager
def notices_held():
    """Within this block ``email_after_commit`` sends nothing (the demo's records)."""
    token = _quiet.set(True)
    try:
        yield
    finally:
        _quiet.reset(token)


def notices_are_held() -> bool:
    return _quiet.get()


def email_after_commit(*, template: str, subject: str, to: list[str], context: dict) -> None:
    """Render the plain-text ``template`` with the service's name and address added to
    ``context``, and send it to ``to`` once the current transaction commits (never if it
    rolls back). Nothing is sent to an empty list."""
    addresses = sorted(set(to))
    if not addresses or _quiet.get():
        return
    context = {**context, "site_name": settings.SERVICE_NAME, "base_url": settings.BASE_URL}
    body = loader.render_to_string(template, context)
    task_after_commit("emslirp.tasks.task_send_email", subject=subject, body=body, to=addresses)

from django.apps import AppConfig


class MailroomConfig(AppConfig):
    """A mail backend for the tests of the real worker: it keeps each message it is given
    as a row, in the sender's transaction."""

    name = "tests.mailroom"
    label = "mailroom"
    default_auto_field = "django.db.models.BigAutoField"

"""The mail backend the tests' worker processes send with (EMSLIRP_TEST_EMAIL_BACKEND).

Each message becomes a ``SentMail`` row in the sender's open transaction, then the backend
waits EMSLIRP_TEST_MAIL_DELAY seconds, as a slow mail server would: a worker killed in that
wait dies with the row uncommitted. Before the row, it appends the message's Message-ID to
the file EMSLIRP_TEST_MAIL_ATTEMPTS, outside any transaction: the file shows every attempt,
the table every message that counted."""

import os
import time

from django.core.mail.backends.base import BaseEmailBackend

from tests.mailroom.models import SentMail


class DatabaseBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        delay = float(os.environ.get("EMSLIRP_TEST_MAIL_DELAY", "0"))
        attempts = os.environ.get("EMSLIRP_TEST_MAIL_ATTEMPTS")
        for message in email_messages:
            message_id = message.extra_headers.get("Message-ID", "")
            if attempts:
                with open(attempts, "a") as log:
                    log.write(message_id + "\n")
                    log.flush()
                    os.fsync(log.fileno())
            SentMail.objects.create(
                to=",".join(message.to), subject=message.subject, message_id=message_id
            )
            if delay:
                time.sleep(delay)
        return len(email_messages)

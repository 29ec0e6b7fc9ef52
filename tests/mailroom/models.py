from django.db import models


class SentMail(models.Model):
    """One message handed to the mail backend, written in the sender's transaction: if the
    sender dies before it commits, the message was never sent."""

    to = models.TextField()
    subject = models.TextField()
    message_id = models.CharField(max_length=200)
    sent_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.subject} to {self.to}"

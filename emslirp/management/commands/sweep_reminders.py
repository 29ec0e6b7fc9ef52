from django.core.management.base import BaseCommand

from emslirp.models import Reminder
from emslirp.reminders import reminder_send, reminders_sweep


class Command(BaseCommand):
    help = (
        "Sweep the deadlines once and send the reminders that are due (R37), in this "
        "process: for sites that run it from cron rather than Celery beat and a worker. "
        "Running it twice sends nothing new. Run one at a time (on SQLite, which has no row "
        "locks, two at once could send a reminder twice)."
    )

    def handle(self, *args, **options):
        result = reminders_sweep(hand_out=False)
        outcomes = {"sent": 0, "cancelled": 0, "skipped": 0, "failed": 0, "held": 0}
        waiting = Reminder.objects.filter(state="pending").order_by("pk")
        for pk in waiting.values_list("pk", flat=True):
            outcomes[reminder_send(pk=pk)] += 1
        self.stdout.write(
            f"{result.open_deadlines} open deadlines; {result.created} reminders added; "
            f"{outcomes['sent']} sent, {outcomes['cancelled']} no longer needed, "
            f"{outcomes['failed']} refused by the mail server."
        )

from django.core.management.base import BaseCommand
from django.utils import timezone

from emslirp.demo import DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = (
        "Load the demo region's fictional people, posts and MoUs. Running it again changes nothing."
    )

    def handle(self, *args, **options):
        created = load_demo(today=timezone.localdate())
        summary = ", ".join(f"{n} {what}" for what, n in created.items())
        self.stdout.write(f"Demo region loaded: created {summary}.")
        self.stdout.write(f"Every demo account's password is {DEMO_PASSWORD!r}.")

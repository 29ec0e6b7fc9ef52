from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from emslirp.demo import DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = (
        "Load the demo region's fictional people, posts and MoUs. Running it again changes nothing."
    )

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            # Demo accounts share one published password: never on a live register.
            raise CommandError("The demo region is never loaded in production.")
        created = load_demo(today=timezone.localdate())
        summary = ", ".join(f"{n} {what}" for what, n in created.items())
        self.stdout.write(f"Demo region loaded: created {summary}.")
        self.stdout.write(f"Every demo account's password is {DEMO_PASSWORD!r}.")

import itertools

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from accreditation.demo import load_accreditation_demo
from calendar_planner.demo import load_calendar_demo
from emslirp.demo import COORDINATOR_EMAIL, DEMO_PASSWORD, fictional_names, load_demo
from emslirp.models import Region, User
from emslirp.notices import notices_held
from reviews.demo import load_reviews_demo
from reviews.reflections.services import reflections_missed_flag

# The core demo names its people from the start of the run; the apps' demos from here on.
APP_NAMES_FROM = 100


class Command(BaseCommand):
    help = (
        "Load the demo region: fictional people, posts and MoUs, and the accreditation "
        "pipeline. Running it again changes nothing."
    )

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            # Demo accounts share one published password: never on a live register.
            raise CommandError("The demo region is never loaded in production.")
        today = timezone.localdate()
        with transaction.atomic(), notices_held():
            created = load_demo(today=today)
            region = Region.objects.get(name="East Midlands")
            created |= load_accreditation_demo(
                region=region,
                today=today,
                password=make_password(DEMO_PASSWORD),
                names=itertools.islice(fictional_names(), APP_NAMES_FROM, None),
            )
            coordinator = User.objects.get(email=COORDINATOR_EMAIL)
            created |= load_calendar_demo(region=region, coordinator=coordinator, today=today)
            created |= load_reviews_demo(coordinator=coordinator, today=today)
            # What the daily task would have flagged by today: reflections missed (R8).
            created["accreditations flagged for a missed reflection"] = reflections_missed_flag(
                on=today
            )
        summary = ", ".join(f"{n} {what}" for what, n in created.items())
        self.stdout.write(f"Demo region loaded: created {summary}.")
        self.stdout.write(f"Every demo account's password is {DEMO_PASSWORD!r}.")

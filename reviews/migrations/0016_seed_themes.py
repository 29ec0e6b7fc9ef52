from django.db import migrations
from django.utils import timezone


def seed(apps, schema_editor):
    from reviews.intelligence.themes import STARTING_THEMES

    Region = apps.get_model("emslirp", "Region")
    Theme = apps.get_model("reviews", "Theme")
    now = timezone.now()
    for region in Region.objects.all():
        for name, description, keywords in STARTING_THEMES:
            Theme.objects.get_or_create(
                region=region,
                name=name,
                defaults={"description": description, "keywords": keywords, "created_at": now},
            )


class Migration(migrations.Migration):
    dependencies = [("reviews", "0015_intelligence")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]

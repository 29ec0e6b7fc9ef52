"""The final letter PDF's HTML, rendered when the letter is issued and kept, so that the
worker converts the records as they were at the issue, on a retry too (R23)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0009_seed_letter_templates"),
    ]

    operations = [
        migrations.AddField(
            model_name="letterpdf",
            name="html",
            field=models.TextField(blank=True, editable=False),
        ),
    ]

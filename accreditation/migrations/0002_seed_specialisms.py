"""The areas of expertise of the expression of interest form (R5)."""

from django.db import migrations

SPECIALISMS = [
    ("schools", "Schools"),
    ("family-support", "Family Support"),
    ("participation", "Participation"),
    ("safeguarding", "Safeguarding"),
    ("commissioning", "Commissioning"),
    ("partnerships", "Partnerships"),
    ("early-years", "Early years"),
    ("performance-management", "Performance management"),
    ("workforce-development", "Workforce development"),
    ("youth", "Youth"),
    ("data", "Data"),
    ("other", "Other"),
]


def seed(apps, schema_editor):
    Specialism = apps.get_model("accreditation", "Specialism")
    for position, (code, name) in enumerate(SPECIALISMS):
        Specialism.objects.update_or_create(
            code=code, defaults={"name": name, "position": position}
        )


class Migration(migrations.Migration):
    dependencies = [("accreditation", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]

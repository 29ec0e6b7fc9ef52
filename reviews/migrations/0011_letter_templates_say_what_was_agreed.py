"""The seeded letter templates called every priority action "agreed at the verbal
feedback", whatever the host said (R22, R23). The placeholder now lists each action under
what the host said of it, so the heading before it says no more than that. A template a
coordinator has reworded is left as they wrote it."""

from django.db import migrations

OLD = "Areas for priority action agreed at the verbal feedback:\n\n{priority_actions}"
NEW = "Areas for priority action:\n\n{priority_actions}"


def forwards(apps, schema_editor):
    LetterTemplate = apps.get_model("reviews", "LetterTemplate")
    for template in LetterTemplate.objects.filter(body__contains=OLD):
        template.body = template.body.replace(OLD, NEW)
        template.save(update_fields=["body"])


def backwards(apps, schema_editor):
    LetterTemplate = apps.get_model("reviews", "LetterTemplate")
    for template in LetterTemplate.objects.filter(body__contains=NEW):
        template.body = template.body.replace(NEW, OLD)
        template.save(update_fields=["body"])


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0010_letter_pdf_html"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]

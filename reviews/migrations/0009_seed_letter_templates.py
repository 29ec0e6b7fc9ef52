"""A feedback letter template per kind of review for every region (R23).

The handbook's letter gives the facts a letter carries (addressee, council, dates, the
attached verbal feedback record, the priority actions, the lead's signature); the words
here are the software's own. Coordinators change them in the admin; a region's existing
template is never overwritten by this migration.
"""

from django.db import migrations

TEMPLATES = {
    "pctr": {
        "subject": "{kind} of {council}: what the team found",
        "body": (
            "Dear {host_dcs},\n"
            "\n"
            "{kind} of children's services in {council}\n"
            "\n"
            "This letter sets out what the review team found during the {kind} carried out "
            "in {council} on {review_dates}. Thank you to everyone in {council} who gave "
            "their time to the team and answered its questions so openly.\n"
            "\n"
            "The review set out to give an independent view of where services for children "
            "and young people in {council} are strong and where they could develop further. "
            "The team tested the hypotheses agreed with you before the visit. The record of "
            "the verbal feedback, attached, sets out for each hypothesis how the team went "
            "about it, what it found and on what evidence, and what was said on the "
            "council's behalf when the feedback was given.\n"
            "\n"
            "Areas for priority action agreed at the verbal feedback:\n"
            "\n"
            "{priority_actions}\n"
            "\n"
            "Yours sincerely,\n"
            "\n"
            "{lead_name}\n"
            "{lead_title}"
        ),
    },
    "sav": {
        "subject": "{kind} to {council}: what the team found",
        "body": (
            "Dear {host_dcs},\n"
            "\n"
            "{kind} to {council}\n"
            "\n"
            "This letter sets out what the team found during its unannounced {kind} to "
            "{council} on {review_dates}. Thank you to the managers, practitioners and "
            "partners who made time for the team at short notice.\n"
            "\n"
            "The visit looked at safeguarding practice in {council} through the lines of "
            "enquiry the team agreed before it arrived. The record of the verbal feedback, "
            "attached, gives for each line of enquiry the methods used, the findings and "
            "their evidence, and the comments made for the council at the feedback.\n"
            "\n"
            "Areas for priority action agreed at the verbal feedback:\n"
            "\n"
            "{priority_actions}\n"
            "\n"
            "Yours sincerely,\n"
            "\n"
            "{lead_name}\n"
            "{lead_title}"
        ),
    },
}


def seed(apps, schema_editor):
    Region = apps.get_model("emslirp", "Region")
    LetterTemplate = apps.get_model("reviews", "LetterTemplate")
    for region in Region.objects.all():
        for kind, words in TEMPLATES.items():
            LetterTemplate.objects.get_or_create(region=region, kind=kind, defaults=words)


class Migration(migrations.Migration):
    dependencies = [
        ("emslirp", "0002_seed_east_midlands"),
        ("reviews", "0008_on_site_and_after"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]

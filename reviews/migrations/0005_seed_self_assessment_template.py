"""Version 1 of the self-assessment template (R17), after the handbook's section G.

The handbook's areas, its four-point scale (it calls 2 "adequate") and its five rows of
strengths and of weaknesses; the wording is the software's own. Area keys tie an area's
ratings together across later versions, so they never change meaning.
"""

from django.db import migrations

STRUCTURE = {
    "guidance": (
        "For a Peer Challenge Team Review, consider the whole of children's services; "
        "for a Safeguarding Assurance Visit, consider safeguarding only."
    ),
    "scale": [
        {"value": 1, "label": "Inadequate"},
        {"value": 2, "label": "Adequate"},
        {"value": 3, "label": "Good"},
        {"value": 4, "label": "Outstanding"},
    ],
    "areas": [
        {"key": "outcomes", "name": "Outcomes: how well they are being achieved"},
        {"key": "leadership", "name": "Vision, strategy and leadership"},
        {"key": "partnership", "name": "Working together and partnership"},
        {"key": "practice", "name": "Service delivery and effective practice"},
        {"key": "participation", "name": "Participation"},
        {"key": "performance", "name": "Managing performance"},
        {"key": "resources", "name": "Managing resources"},
        {"key": "innovation", "name": "Productivity and innovation"},
        {"key": "commissioning", "name": "Commissioning"},
    ],
    "strengths": {"label": "Key strengths", "max": 5},
    "weaknesses": {"label": "Key weaknesses", "max": 5},
}


def seed(apps, schema_editor):
    Template = apps.get_model("reviews", "SelfAssessmentTemplate")
    if not Template.objects.filter(number=1).exists():
        Template.objects.create(
            number=1, structure=STRUCTURE, note="As the 2012 handbook sets it out."
        )


class Migration(migrations.Migration):
    dependencies = [("reviews", "0004_self_assessments")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]

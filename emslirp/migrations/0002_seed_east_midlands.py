"""Seed the East Midlands and its local authorities (R1).

The nine LAs of the 2012 handbook, spelt as the register spells them, with the short forms
the handbook uses as aliases; and the replacement of Northamptonshire on 1 April 2021 by
North and West Northamptonshire.
"""

import datetime

from django.db import migrations

D = datetime.date
EAST_MIDLANDS = "East Midlands"
# name, first day, last day, aliases
LOCAL_AUTHORITIES = [
    ("Derby City", D(1997, 4, 1), None, ["Derby"]),
    ("Derbyshire", D(1974, 4, 1), None, []),
    ("Leicester City", D(1997, 4, 1), None, ["Leicester"]),
    ("Leicestershire", D(1974, 4, 1), None, []),
    ("Lincolnshire", D(1974, 4, 1), None, []),
    ("Northamptonshire", D(1974, 4, 1), D(2021, 3, 31), ["Northants"]),
    ("North Northamptonshire", D(2021, 4, 1), None, []),
    ("West Northamptonshire", D(2021, 4, 1), None, []),
    ("Nottingham City", D(1998, 4, 1), None, ["Nottingham"]),
    ("Nottinghamshire", D(1974, 4, 1), None, []),
    ("Rutland", D(1997, 4, 1), None, []),
]
SUCCESSIONS = [("Northamptonshire", ["North Northamptonshire", "West Northamptonshire"])]


def seed(apps, schema_editor):
    Region = apps.get_model("emslirp", "Region")
    LocalAuthority = apps.get_model("emslirp", "LocalAuthority")
    Alias = apps.get_model("emslirp", "LocalAuthorityAlias")
    region, _ = Region.objects.get_or_create(name=EAST_MIDLANDS)
    by_name = {}
    for name, first, last, aliases in LOCAL_AUTHORITIES:
        la, _ = LocalAuthority.objects.get_or_create(
            name=name, defaults={"region": region, "active_from": first, "active_to": last}
        )
        by_name[name] = la
        for alias in aliases:
            Alias.objects.get_or_create(local_authority=la, name=alias)
    for old, new in SUCCESSIONS:
        by_name[old].successors.add(*(by_name[n] for n in new))


def unseed(apps, schema_editor):
    LocalAuthority = apps.get_model("emslirp", "LocalAuthority")
    Region = apps.get_model("emslirp", "Region")
    LocalAuthority.objects.filter(name__in=[row[0] for row in LOCAL_AUTHORITIES]).delete()
    Region.objects.filter(name=EAST_MIDLANDS, local_authorities__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("emslirp", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]

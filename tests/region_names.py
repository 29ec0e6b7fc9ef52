"""The East Midlands LAs as the seed migration spells them (R1), for tests to compare with."""

HANDBOOK_NINE = [
    "Derby City",
    "Derbyshire",
    "Leicester City",
    "Leicestershire",
    "Lincolnshire",
    "Northamptonshire",
    "Nottingham City",
    "Nottinghamshire",
    "Rutland",
]
TODAYS_TEN = sorted(
    [n for n in HANDBOOK_NINE if n != "Northamptonshire"]
    + ["North Northamptonshire", "West Northamptonshire"]
)

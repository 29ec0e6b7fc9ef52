"""A self-assessment's answers as one flat mapping of field name to value (R17).

The form, the services and the saved revisions all speak this shape, so that two saves
can be compared field by field and merged without losing a word. The names follow the
template version the self-assessment was started on: ``rating_<area>`` and
``commentary_<area>`` per area of element 1, ``strength_<n>_narrative`` and
``strength_<n>_evidence`` (and ``weakness_…``) per row of element 2. No database here.
"""

from reviews.self_assessment.models import SelfAssessment, SelfAssessmentScope

# Part A, and element 2's free text, as model columns of the same names.
PART_A = [
    "contact_name",
    "contact_address",
    "contact_telephone",
    "contact_email",
    "scope",
    "period_covered",
    "narrative",
]
ELEMENT_2_TEXT = ["enablers", "blockers", "lines_of_enquiry"]
SIGN_OFF = ["signed_name", "signed_position"]
LISTS = {"strengths": "strength", "weaknesses": "weakness"}
ROW_PARTS = ["narrative", "evidence"]

# Short answers and long ones: generous, but a limit, so a page stays a page.
SHORT_LIMITS = {
    "contact_name": 150,
    "contact_telephone": 40,
    "contact_email": 254,
    "period_covered": 100,
    "signed_name": 150,
    "signed_position": 150,
}
LONG_LIMIT = 10_000


def rating_key(area_key: str) -> str:
    return f"rating_{area_key}"


def commentary_key(area_key: str) -> str:
    return f"commentary_{area_key}"


def row_key(list_name: str, number: int, part: str) -> str:
    return f"{LISTS[list_name]}_{number}_{part}"


def list_max(structure: dict, list_name: str) -> int:
    return structure[list_name]["max"]


def text_keys(structure: dict) -> list[str]:
    """Every field holding text, in the order of the form."""
    keys = [k for k in PART_A if k != "scope"]
    keys += [commentary_key(a["key"]) for a in structure["areas"]]
    for list_name in LISTS:
        for n in range(1, list_max(structure, list_name) + 1):
            keys += [row_key(list_name, n, part) for part in ROW_PARTS]
    return keys + ELEMENT_2_TEXT + SIGN_OFF


def keys(structure: dict) -> list[str]:
    """Every field of a self-assessment on this template version, in the form's order."""
    out = list(PART_A)
    for area in structure["areas"]:
        out += [rating_key(area["key"]), commentary_key(area["key"])]
    for list_name in LISTS:
        for n in range(1, list_max(structure, list_name) + 1):
            out += [row_key(list_name, n, part) for part in ROW_PARTS]
    return out + ELEMENT_2_TEXT + SIGN_OFF


def limit(key: str) -> int:
    return SHORT_LIMITS.get(key, LONG_LIMIT)


def empty(structure: dict) -> dict:
    content = dict.fromkeys(keys(structure), "")
    content["scope"] = SelfAssessmentScope.ALL.value
    for area in structure["areas"]:
        content[rating_key(area["key"])] = None
    return content


def content_of(self_assessment: SelfAssessment) -> dict:
    """What ``self_assessment`` holds now, as the flat mapping."""
    structure = self_assessment.template.structure
    content = {k: getattr(self_assessment, k) for k in PART_A + ELEMENT_2_TEXT + SIGN_OFF}
    for area in structure["areas"]:
        held = self_assessment.areas.get(area["key"], {})
        content[rating_key(area["key"])] = held.get("rating")
        content[commentary_key(area["key"])] = held.get("commentary", "")
    for list_name in LISTS:
        rows = getattr(self_assessment, list_name)
        for n in range(1, list_max(structure, list_name) + 1):
            row = rows[n - 1] if n <= len(rows) else {}
            for part in ROW_PARTS:
                content[row_key(list_name, n, part)] = row.get(part, "")
    return content


def columns(structure: dict, content: dict) -> dict:
    """The model's column values for ``content`` (already checked)."""
    values = {k: content[k] for k in PART_A + ELEMENT_2_TEXT + SIGN_OFF}
    values["areas"] = {
        a["key"]: {
            "rating": content[rating_key(a["key"])],
            "commentary": content[commentary_key(a["key"])],
        }
        for a in structure["areas"]
    }
    for list_name in LISTS:
        values[list_name] = [
            {part: content[row_key(list_name, n, part)] for part in ROW_PARTS}
            for n in range(1, list_max(structure, list_name) + 1)
        ]
    return values


def rows_filled(self_assessment: SelfAssessment, list_name: str) -> list[dict]:
    """The rows of ``strengths`` or ``weaknesses`` that hold anything, numbered as typed."""
    return [
        {"number": n, **row}
        for n, row in enumerate(getattr(self_assessment, list_name), start=1)
        if any(row.get(part) for part in ROW_PARTS)
    ]


def three_way_merge(*, base: dict, mine: dict, theirs: dict) -> tuple[dict, list[str]]:
    """Merge ``mine`` and ``theirs``, both edited from ``base``, field by field: a field
    only one side changed takes that side's value; a field both changed differently is a
    conflict and keeps mine, for the person to reconcile. Returns the merged content and
    the conflicting field names, in form order."""
    merged, conflicts = {}, []
    for key, my_value in mine.items():
        base_value, their_value = base.get(key), theirs.get(key)
        if my_value == their_value or their_value == base_value:
            merged[key] = my_value
        elif my_value == base_value:
            merged[key] = their_value
        else:
            merged[key] = my_value
            conflicts.append(key)
    return merged, conflicts

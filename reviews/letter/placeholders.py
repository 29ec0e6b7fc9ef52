"""The placeholders of the region's letter templates (R23), filled by a function of this
module and nothing else.

A coordinator types the template's words in the admin. They are data, never code: they
do not reach Django's template engine, nor ``str.format`` (whose ``{0.__class__}`` reads
attributes). A placeholder is a known name in braces, ``{council}``; a brace meant as
itself is typed twice, ``{{`` or ``}}``. Anything else in braces is refused when the
template is saved, with a message naming it.
"""

import re

from django.core.exceptions import ValidationError

# Name → what it is replaced with, as the admin's help text explains it.
PLACEHOLDERS = {
    "host_dcs": "the name of the host's Director of Children's Services on the day",
    "council": "the host local authority's name",
    "review_dates": "the on-site days, for example 16, 17 and 18 November 2026",
    "priority_actions": "the numbered list of the agreed priority actions",
    "lead_name": "the lead reviewer's name",
    "lead_title": "the lead reviewer's post and local authority",
    "kind": "Peer Challenge Team Review or Safeguarding Assurance Visit",
}

# Doubled braces first, so that "{{council}}" is a literal "{council}".
_TOKEN = re.compile(r"\{\{|\}\}|\{([^{}]*)\}|[{}]")


def placeholders_help() -> str:
    """One line per placeholder, for the admin's help text."""
    return "; ".join(f"{{{name}}}: {meaning}" for name, meaning in PLACEHOLDERS.items())


def _near(text: str, at: int, brace: str) -> str:
    """Where a lone brace is, in the coordinator's words: the text it opens or closes."""
    if brace == "{":
        after = text[at + 1 : at + 21].split("\n")[0].strip()
        return f'before "{after}"' if after else "at the end of a line"
    before = text[max(0, at - 20) : at].split("\n")[-1].strip()
    return f'after "{before}"' if before else "at the start of a line"


def placeholders_problems(text: str) -> list[str]:
    """What is wrong with the braces of ``text``, each problem named; empty if nothing."""
    problems = []
    unknown = []
    for match in _TOKEN.finditer(text):
        token = match.group(0)
        if token in ("{{", "}}"):
            continue
        name = match.group(1)
        if name is not None:
            if name not in PLACEHOLDERS and token not in unknown:
                unknown.append(token)
            continue
        problems.append(
            f'The brace "{token}" {_near(text, match.start(), token)} has no partner. '
            "Write a placeholder as {name}, or type a brace twice ({{ or }}) to print it."
        )
    if unknown:
        known = ", ".join(f"{{{name}}}" for name in PLACEHOLDERS)
        problems.insert(
            0,
            f"Unknown placeholder{'s' if len(unknown) > 1 else ''} {', '.join(unknown)}: "
            f"use one of {known}.",
        )
    return problems


def placeholders_check(text: str) -> None:
    """ValidationError listing every problem of ``text``'s braces, or nothing."""
    problems = placeholders_problems(text)
    if problems:
        raise ValidationError(problems)


def placeholders_fill(text: str, values: dict[str, str]) -> str:
    """``text`` with each placeholder replaced by its value from ``values``, as plain
    text: a value is inserted as it is and never read for placeholders itself. Refuses
    (ValidationError) text that ``placeholders_check`` refuses."""
    placeholders_check(text)
    missing = sorted(set(PLACEHOLDERS) - set(values))
    if missing:
        raise ValueError(f"no value for {', '.join(missing)}")

    def replace(match: re.Match) -> str:
        name = match.group(1)
        # A doubled brace stands for one brace.
        return match.group(0)[0] if name is None else values[name]

    return _TOKEN.sub(replace, text)

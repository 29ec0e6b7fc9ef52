"""What the tagging page of a final letter reads (R28): the letter's findings and priority
actions, the themes each may take, and the suggestions beside each, with their reasons.

A suggestion comes two ways. From the words: a word of the finding or action that is in a
theme's name or keywords. From what was done before: a finding or action of another of
the region's reviews, tagged already, whose words are close to this one's (the Jaccard
index of their sets of words, stop words left out and plurals folded, at least
``SIMILAR``). Both are plain, explainable and need nothing but the region's own tags."""

import dataclasses
import re

from reviews.intelligence.models import Theme, ThemeTag
from reviews.review.models import Review
from reviews.workbook.models import AgreedAction, Finding

# Two in five words shared (of the words of both together) reads as "the same point" in
# the letters' short sentences without matching on one common word.
SIMILAR = 0.4
QUOTE_CHARACTERS = 70

_STOP_WORDS = """
    a about above after again against all also am an and any are as at be because been
    before being below between both but by can could did do does doing down during each
    few for from further had has have having he her here hers him his how i if in into is
    it its itself just more most no nor not now of off on once only or other our out over
    own same she should so some such than that the their theirs them then there these they
    this those through to too under until up very was we were what when where which while
    who whom why will with would you your
    across well being within without much many every ever often sometimes always
    child children young people council local authority authorities
"""
# Words in nearly every finding (which one is about children?) say nothing of its theme.
STOP_WORDS = frozenset(_STOP_WORDS.split())
_WORD = re.compile(r"[a-z]+")


def _stem(word: str) -> str:
    """Plurals folded, roughly: "agencies" and "agency", "caseloads" and "caseload"."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def text_words(text: str) -> dict[str, str]:
    """The words of ``text`` that carry meaning, each folded form with the first form the
    text used ("caseload": "caseloads")."""
    found: dict[str, str] = {}
    for word in _WORD.findall(text.lower()):
        if len(word) > 1 and word not in STOP_WORDS:
            found.setdefault(_stem(word), word)
    return found


def jaccard(a, b) -> float:
    a, b = set(a), set(b)
    return len(a & b) / len(a | b) if a or b else 0.0


@dataclasses.dataclass
class TagItem:
    """A finding or priority action of the letter, the themes on it now, the themes it
    may take (the active ones, and any retired one already on it) and the suggestions:
    a theme's id with the reasons for it."""

    kind: str  # "finding" or "action"
    pk: int
    label: str
    text: str
    theme_ids: frozenset[int]
    choices: list[Theme] = dataclasses.field(default_factory=list)
    suggestions: dict[int, list[str]] = dataclasses.field(default_factory=dict)

    @property
    def key(self) -> str:
        return f"{self.kind}-{self.pk}"


def _quote(text: str) -> str:
    text = " ".join(text.split())
    if len(text) <= QUOTE_CHARACTERS:
        return text
    return text[: QUOTE_CHARACTERS - 1].rsplit(" ", 1)[0] + "…"


def tagging_items(review: Review) -> list[TagItem]:
    """The letter's findings (by hypothesis, in the order written) and its priority
    actions (by number), each with its themes, choices and suggestions. Five queries,
    whatever the number of findings, actions, themes and earlier tags."""
    region_id = review.host.region_id
    findings = list(
        Finding.objects.filter(hypothesis__review=review)
        .select_related("hypothesis")
        .only("pk", "text", "hypothesis__number")
        .order_by("hypothesis__number", "written_at", "pk")
    )
    actions = list(
        AgreedAction.objects.filter(review=review, is_priority=True)
        .only("pk", "number", "text")
        .order_by("number")
    )
    on: dict[tuple[str, int], set[int]] = {}
    for theme_id, finding_id, action_id in ThemeTag.objects.filter(review=review).values_list(
        "theme_id", "finding_id", "action_id"
    ):
        key = ("finding", finding_id) if finding_id else ("action", action_id)
        on.setdefault(key, set()).add(theme_id)
    counts: dict[int, int] = {}
    items = []
    for f in findings:
        n = counts[f.hypothesis.number] = counts.get(f.hypothesis.number, 0) + 1
        label = f"Hypothesis {f.hypothesis.number}, finding {n}"
        items.append(
            TagItem("finding", f.pk, label, f.text, frozenset(on.get(("finding", f.pk), ())))
        )
    for a in actions:
        items.append(
            TagItem(
                "action",
                a.pk,
                f"Priority action {a.number}",
                a.text,
                frozenset(on.get(("action", a.pk), ())),
            )
        )
    themes = list(Theme.objects.filter(region_id=region_id))
    _suggest(items, themes, _earlier(region_id, review))
    return items


@dataclasses.dataclass(frozen=True)
class _Earlier:
    kind: str
    text: str
    words: frozenset[str]
    theme_ids: frozenset[int]


def _earlier(region_id: int, review: Review) -> list[_Earlier]:
    """The region's tagged findings and actions of other reviews, with their themes."""
    grouped: dict[tuple[str, int], tuple[str, set[int]]] = {}
    rows = (
        ThemeTag.objects.filter(theme__region_id=region_id)
        .exclude(review=review)
        .values_list("theme_id", "finding_id", "finding__text", "action_id", "action__text")
    )
    for theme_id, finding_id, finding_text, action_id, action_text in rows:
        key = ("finding", finding_id) if finding_id else ("action", action_id)
        text = finding_text if finding_id else action_text
        grouped.setdefault(key, (text, set()))[1].add(theme_id)
    return [
        _Earlier(kind, text, frozenset(text_words(text)), frozenset(ids))
        for (kind, _), (text, ids) in grouped.items()
    ]


def _suggest(items: list[TagItem], themes: list[Theme], earlier: list[_Earlier]) -> None:
    active = [t for t in themes if t.retired_at is None]
    active_ids = {t.pk for t in active}
    theme_words = {t.pk: set(text_words(f"{t.name} {t.keywords}")) for t in active}
    for item in items:
        words = text_words(item.text)
        reasons: dict[int, list[str]] = {}
        for theme in active:
            shared = [form for stem, form in words.items() if stem in theme_words[theme.pk]]
            if shared:
                reasons.setdefault(theme.pk, []).append(f"words: {', '.join(shared)}")
        # The closest earlier item for each theme it carried.
        closest: dict[int, tuple[float, _Earlier]] = {}
        for before in earlier:
            score = jaccard(words, before.words)
            if score < SIMILAR:
                continue
            for theme_id in before.theme_ids & active_ids:
                if theme_id not in closest or score > closest[theme_id][0]:
                    closest[theme_id] = (score, before)
        for theme_id, (_, before) in closest.items():
            thing = "a finding" if before.kind == "finding" else "an action"
            reasons.setdefault(theme_id, []).append(
                f"like {thing} tagged before: “{_quote(before.text)}”"
            )
        item.suggestions = reasons
        suggested = [t for t in active if t.pk in reasons]
        others = [t for t in themes if t.pk not in reasons and t.pk in item.theme_ids]
        others += [t for t in active if t.pk not in reasons and t.pk not in item.theme_ids]
        # Suggested themes first, then the rest (with any retired one on it) by name.
        item.choices = suggested + sorted(others, key=lambda t: t.name.lower())

"""A region's themes and their tags on final letters (R28).

Only the region's coordinator keeps its themes and tags its letters
(``permissions.can_keep_themes``); each service asks it. A theme in use is retired, never
deleted, so its tags and its history stay. Tagging reads a final letter's findings and
priority actions and never writes to the letter."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from emslirp.models import Region, User
from reviews.intelligence.models import Theme, ThemeTag
from reviews.intelligence.permissions import can_keep_themes
from reviews.intelligence.themes import STARTING_THEMES
from reviews.letter.models import Letter, LetterState
from reviews.review.models import Review
from reviews.workbook.models import AgreedAction, Finding

NAME_TAKEN = "{region} already has a theme called “{name}”: give this one another name."
NAME_MISSING = "Enter the theme's name."
IN_USE = (
    "“{name}” is on {count} finding{s} or action{s} of final letters: retire it instead, "
    "so its history stays."
)
NOT_FINAL = "Only a final letter's findings and priority actions are tagged with themes."


@transaction.atomic
def themes_seed(region: Region) -> int:
    """Give ``region`` the starting list of themes it does not have yet (by name, whatever
    its case); returns how many were added. A region made after the list was first seeded
    starts from it too."""
    have = {
        name.lower() for name in Theme.objects.filter(region=region).values_list("name", flat=True)
    }
    now = timezone.now()
    added = [
        Theme(region=region, name=name, description=description, keywords=keywords, created_at=now)
        for name, description, keywords in STARTING_THEMES
        if name.lower() not in have
    ]
    Theme.objects.bulk_create(added)
    return len(added)


def _tidy(text: str) -> str:
    return " ".join(text.split())


def _may_keep(region: Region, by: User) -> None:
    if not can_keep_themes(by, region):
        raise PermissionDenied("Only the region's coordinator keeps its themes.")


def theme_name_check(*, region: Region, name: str, theme: Theme | None = None) -> str:
    """The name as it is kept (spaces tidied), or a ValidationError at ``name``: empty, or
    the name of another of the region's themes whatever its case."""
    name = _tidy(name)
    if not name:
        raise ValidationError({"name": NAME_MISSING})
    others = Theme.objects.filter(region=region, name__iexact=name)
    if theme is not None and theme.pk is not None:
        others = others.exclude(pk=theme.pk)
    taken = others.values_list("name", flat=True).first()
    if taken is not None:
        # The name as the region has it ("Neglect"), not as it was typed ("NEGLECT").
        raise ValidationError({"name": NAME_TAKEN.format(region=region, name=taken)})
    return name


def _saved(theme: Theme, *, update_fields=None) -> Theme:
    # The check above explains; the constraint decides, for two saves at the same moment.
    try:
        with transaction.atomic():
            theme.save(update_fields=update_fields)
    except IntegrityError:
        raise ValidationError(
            {"name": NAME_TAKEN.format(region=theme.region, name=theme.name)}
        ) from None
    return theme


def theme_create(
    *, region: Region, name: str, description: str = "", keywords: str = "", by: User
) -> Theme:
    """A new active theme of ``region``, its name unique there whatever its case."""
    _may_keep(region, by)
    theme = Theme(
        region=region,
        name=theme_name_check(region=region, name=name),
        description=description.strip(),
        keywords=_tidy(keywords),
        created_at=timezone.now(),
    )
    return _saved(theme)


def theme_update(*, theme: Theme, name: str, description: str, keywords: str, by: User) -> Theme:
    """The theme's new name, description and keywords. Its tags stay on it."""
    _may_keep(theme.region, by)
    theme.name = theme_name_check(region=theme.region, name=name, theme=theme)
    theme.description = description.strip()
    theme.keywords = _tidy(keywords)
    return _saved(theme, update_fields=["name", "description", "keywords"])


def theme_retire(*, theme: Theme, by: User) -> Theme:
    """No longer offered for tagging; its tags stay and still count. Retiring a retired
    theme changes nothing."""
    _may_keep(theme.region, by)
    if theme.retired_at is None:
        theme.retired_at = timezone.now()
        theme.save(update_fields=["retired_at"])
    return theme


def theme_restore(*, theme: Theme, by: User) -> Theme:
    """Offered for tagging again."""
    _may_keep(theme.region, by)
    if theme.retired_at is not None:
        theme.retired_at = None
        theme.save(update_fields=["retired_at"])
    return theme


def theme_delete(*, theme: Theme, by: User) -> None:
    """Deletes a theme that was never used; one in use is refused (the database's PROTECT
    refuses it too): retire it instead."""
    _may_keep(theme.region, by)
    count = theme.tags.count()
    if count:
        raise ValidationError(IN_USE.format(name=theme.name, count=count, s=_s(count)))
    theme.delete()


def _s(count: int) -> str:
    return "" if count == 1 else "s"


@transaction.atomic
def review_tags_set(
    *,
    review: Review,
    findings: dict[int, set[int]],
    actions: dict[int, set[int]],
    by: User,
) -> int:
    """Sets the themes on each of the final letter's findings and priority actions named
    (by primary key) to exactly those given: themes taken off are removed, new ones added,
    and those that stay keep who tagged them and when. All or nothing; sending the same
    twice changes nothing the second time. Returns how many tags were added or removed.

    A theme may be put on only if it is one of the region's and active, or already on the
    item (a retired theme may stay where it was). The letter is read, never written."""
    region = review.host.region
    _may_keep(region, by)
    letter = Letter.objects.filter(review=review).only("state").first()
    if letter is None or letter.state != LetterState.FINAL:
        raise ValidationError(NOT_FINAL)
    known_findings = set(
        Finding.objects.filter(hypothesis__review=review).values_list("pk", flat=True)
    )
    known_actions = set(
        AgreedAction.objects.filter(review=review, is_priority=True).values_list("pk", flat=True)
    )
    if not set(findings) <= known_findings or not set(actions) <= known_actions:
        raise ValidationError("Only this letter's findings and priority actions are tagged.")
    current: dict[tuple[str, int], dict[int, ThemeTag]] = {}
    for tag in ThemeTag.objects.filter(review=review).select_for_update():
        key = ("finding", tag.finding_id) if tag.finding_id else ("action", tag.action_id)
        current.setdefault(key, {})[tag.theme_id] = tag
    active = set(
        Theme.objects.filter(region=region, retired_at__isnull=True).values_list("pk", flat=True)
    )
    wanted = {("finding", pk): set(ids) for pk, ids in findings.items()}
    wanted.update({("action", pk): set(ids) for pk, ids in actions.items()})
    for key, ids in wanted.items():
        if not ids <= active | set(current.get(key, {})):
            raise ValidationError(
                "A theme chosen is retired or not one of the region's: choose again."
            )
    changed = 0
    now = timezone.now()
    for key, ids in wanted.items():
        have = current.get(key, {})
        for theme_id, tag in have.items():
            if theme_id not in ids:
                tag.delete()  # one by one, so the audit log keeps each removal (R33)
                changed += 1
        kind, pk = key
        for theme_id in sorted(ids - set(have)):
            try:
                with transaction.atomic():
                    ThemeTag.objects.create(
                        theme_id=theme_id,
                        review=review,
                        tagged_by=by,
                        tagged_at=now,
                        **{f"{kind}_id": pk},
                    )
            except IntegrityError:
                continue  # put on by a send at the same moment: it is there, once
            changed += 1
    return changed

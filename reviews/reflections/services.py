"""Reflection and evaluation (R27, handbook section K): each member of the team on site,
and the host's DCS, write about themselves, about each colleague on site and about the
review process; they save drafts over days and submit once, by the closing day.

Each function checks who may make the change and every rule it must keep, and leaves
either the whole change or none: a reflection and what it says of each colleague are
saved together. Reflections are deliberately not in the audit log (reviews/apps.py):
its entries would name the writer of every answer.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accreditation.models import Accreditation, AccreditationStatusChange
from accreditation.services import accreditation_status_set
from emslirp.models import User
from emslirp.text import long_date
from reviews.reflections import permissions as reflections_permissions
from reviews.reflections.models import PeerFeedback, Reflection
from reviews.reflections.selectors import (
    ANSWER_FIELDS,
    PEER_PARTS,
    SCALE_FIELDS,
    SCALE_VALUES,
    TEXT_FIELDS,
    reflecting_team,
    reflection_colleagues,
    reflections_close_on,
    reflections_closed,
    reflections_open,
)
from reviews.review import permissions
from reviews.review.models import Review, ReviewState
from reviews.review.teams import ACCREDITATION_FOR

# Long enough for a considered answer, short enough that a paste of a whole document is
# refused with a message rather than kept.
MAX_CHARACTERS = 5000

_SCALE_MISSING = {
    "suitability": "Choose how well the review served its purpose, from 1 to 5, to submit.",
    "leadership_development": (
        "Choose how useful the review was to your development as a leader, from 1 to 5, to submit."
    ),
}


def peer_key(colleague_pk: int, part: str) -> str:
    """The name of the field that holds ``part`` (strengths or development) of what is
    written about one colleague: the form's and the services' messages share it."""
    return f"peer_{colleague_pk}_{part}"


def closed_message(review: Review) -> str:
    """What a writer is told once reflections on ``review`` have closed."""
    return (
        f"Reflections closed on {reflections_close_on(review):%A %-d %B %Y}: "
        "nothing more can be saved or submitted."
    )


def _writer_check(*, review: Review, by: User, at: datetime.datetime | None) -> Review:
    review = Review.objects.select_related("host__region").get(pk=review.pk)
    # Not localdate(at): the tests' on_day replaces localdate and would drop ``at``.
    on = timezone.localdate() if at is None else timezone.localtime(at).date()
    access = permissions.review_access(by, review, on=on)
    if not reflections_permissions.reflection_rights(access).write_own:
        raise PermissionDenied
    if not reflections_open(review):
        raise ValidationError("Reflections open once the visit is over.")
    if reflections_closed(review, on=on):
        raise ValidationError(closed_message(review))
    return review


def _text_check(value, field: str, errors: dict) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        errors[field] = "Type text here."
        return ""
    value = value.strip()
    if len(value) > MAX_CHARACTERS:
        errors[field] = f"This can be at most {MAX_CHARACTERS:,} characters; it has {len(value):,}."
    return value


def _answers_check(answers: dict, errors: dict) -> dict:
    unknown = sorted(set(answers) - set(ANSWER_FIELDS))
    if unknown:
        raise ValidationError(f"The reflection has no question {', '.join(unknown)}.")
    clean = {}
    for field in TEXT_FIELDS:
        clean[field] = _text_check(answers.get(field), field, errors)
    for field in SCALE_FIELDS:
        value = answers.get(field)
        if value is not None and (
            isinstance(value, bool) or not isinstance(value, int) or value not in SCALE_VALUES
        ):
            errors[field] = "Choose a number from 1 to 5."
            value = None
        clean[field] = value
    return clean


def _peers_check(*, review: Review, by: User, peer_feedback: dict, errors: dict) -> dict:
    colleagues = {c.person.pk for c in reflection_colleagues(review=review, writer=by)}
    strangers = [pk for pk in peer_feedback if pk not in colleagues]
    if strangers:
        raise ValidationError(
            "Feedback can only be given on colleagues on site with you: "
            f"{len(strangers)} of those given are not on the team."
        )
    clean = {}
    for pk in colleagues:
        texts = peer_feedback.get(pk) or {}
        if set(texts) - set(PEER_PARTS):
            raise ValidationError("Give strengths and areas for development only.")
        clean[pk] = {
            part: _text_check(texts.get(part), peer_key(pk, part), errors) for part in PEER_PARTS
        }
    return clean


def _own(*, review: Review, by: User, now: datetime.datetime) -> Reflection:
    """The writer's reflection, locked until the transaction ends; made if it is new.
    Two first saves at once (a double click) give the one reflection."""
    reflection = Reflection.objects.select_for_update().filter(review=review, person=by).first()
    if reflection is not None:
        return reflection
    try:
        with transaction.atomic():
            return Reflection.objects.create(review=review, person=by, updated_at=now)
    except IntegrityError:
        return Reflection.objects.select_for_update().get(review=review, person=by)


def _submitted_error(reflection: Reflection) -> ValidationError:
    when = timezone.localtime(reflection.submitted_at)
    return ValidationError(
        f"You submitted your reflection on {when:%-d %B %Y}: it can no longer be changed."
    )


@transaction.atomic
def reflection_save(
    *,
    review: Review,
    by: User,
    answers: dict,
    peer_feedback: dict[int, dict],
    at: datetime.datetime | None = None,
) -> Reflection:
    """Save ``by``'s reflection on ``review`` as a draft, whole: ``answers`` holds the
    answers by field (one left out is saved empty; a scale is 1 to 5 or None) and
    ``peer_feedback`` maps each colleague's pk to their ``strengths`` and ``development``
    (a colleague left out, or with both empty, has nothing said of them).

    Only the team on site and the host's DCS write, once the visit is over, until they
    submit and at the latest on the closing day (``reflections_close_on``)
    (PermissionDenied; ValidationError otherwise). Colleagues are those on site other
    than the writer: anyone else is refused. A text too long, or a scale off it, is
    refused with a message at its field. Nothing is required in a draft (R27).

    ``at`` is when the writer acts, now unless given: loading past reviews (the demo)
    gives a moment inside their window."""
    now = timezone.now() if at is None else at
    review = _writer_check(review=review, by=by, at=at)
    errors = {}
    clean = _answers_check(answers, errors)
    peers = _peers_check(review=review, by=by, peer_feedback=peer_feedback, errors=errors)
    if errors:
        raise ValidationError(errors)
    reflection = _own(review=review, by=by, now=now)
    if reflection.submitted_at is not None:
        raise _submitted_error(reflection)
    for field, value in clean.items():
        setattr(reflection, field, value)
    reflection.updated_at = now
    reflection.save(update_fields=[*ANSWER_FIELDS, "updated_at"])
    existing = {
        f.colleague_id: f for f in PeerFeedback.objects.filter(reflection=reflection).order_by()
    }
    for pk, texts in peers.items():
        feedback = existing.get(pk)
        if not any(texts.values()):
            if feedback is not None:
                feedback.delete()
            continue
        if feedback is None:
            PeerFeedback.objects.create(reflection=reflection, colleague_id=pk, **texts)
        elif any(getattr(feedback, part) != text for part, text in texts.items()):
            for part, text in texts.items():
                setattr(feedback, part, text)
            feedback.save(update_fields=list(PEER_PARTS))
    return reflection


@transaction.atomic
def reflection_submit(
    *, review: Review, by: User, at: datetime.datetime | None = None
) -> Reflection:
    """Submit ``by``'s saved reflection on ``review``, at the latest on the closing day
    (ValidationError after it): both scales must be answered (ValidationError at each
    one missing). From then on it counts towards the team's composite and can no longer
    be changed by anyone (R27). Who may, and ``at``, as for ``reflection_save``."""
    now = timezone.now() if at is None else at
    review = _writer_check(review=review, by=by, at=at)
    reflection = Reflection.objects.select_for_update().filter(review=review, person=by).first()
    if reflection is not None and reflection.submitted_at is not None:
        raise _submitted_error(reflection)
    missing = {
        field: message
        for field, message in _SCALE_MISSING.items()
        if reflection is None or getattr(reflection, field) is None
    }
    if missing:
        raise ValidationError(missing)
    reflection.submitted_at = now
    reflection.updated_at = now
    reflection.save(update_fields=["submitted_at", "updated_at"])
    return reflection


# Keeping accreditation (R8) -----------------------------------------------------------

# How far back a closing day is looked for: a sweep missed for weeks still flags, and the
# sweep stays one bounded query however old the programme.
MISSED_LOOKBACK = datetime.timedelta(days=366)


def missed_reason(review: Review) -> str:
    """The flag's reason, naming the review: it is also what makes the flag once only."""
    close_on = reflections_close_on(review)
    return (
        f"Reflection on the {review.get_kind_display()} of {review.host} not submitted by "
        f"{long_date(close_on)}."
    )


@transaction.atomic
def reflections_missed_flag(*, on: datetime.date) -> int:
    """Flag, for the role they held, the accreditation of each person on site who had not
    submitted their reflection when the review's reflections closed (R8, R27). Once per
    person and review, however often it runs; an accreditation already flagged,
    suspended or lapsed is left as it is. Returns how many were flagged."""
    flagged = 0
    reviews = Review.objects.filter(
        state=ReviewState.AFTER_VISIT, onsite_to__gte=on - MISSED_LOOKBACK, onsite_to__lt=on
    ).select_related("host")
    for review in reviews:
        close_on = reflections_close_on(review)
        if close_on is None or close_on >= on:
            continue
        submitted = set(
            Reflection.objects.filter(review=review, submitted_at__isnull=False).values_list(
                "person_id", flat=True
            )
        )
        reason = missed_reason(review)
        for member in reflecting_team(review):
            if member.person_id in submitted:
                continue
            accreditation = Accreditation.objects.filter(
                person_id=member.person_id,
                role=ACCREDITATION_FOR[review.kind][member.role],
                status=Accreditation.Status.CURRENT,
            ).first()
            if accreditation is None:
                continue
            if AccreditationStatusChange.objects.filter(
                accreditation=accreditation, reason=reason
            ).exists():
                continue  # flagged for this review before, and put right since
            accreditation_status_set(
                accreditation=accreditation,
                status=Accreditation.Status.FLAGGED,
                reason=reason,
                by=None,
                on=close_on + datetime.timedelta(days=1),
            )
            flagged += 1
    return flagged

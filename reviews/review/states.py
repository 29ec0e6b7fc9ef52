"""A review's states and the one function that moves it between them (R14–R22).

Every change goes through ``review_state_set``: it checks the change is one the review's
state allows and that the person may make it, saves the state and records the change
(who, from, to, when), as all of a review's records are kept (R33). The services whose
work completes a stage call it: naming the lead starts the preparation, the host's
decision (or the SAV team's call) agrees the hypotheses; the lead starts and ends the
visit.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from emslirp.models import User
from reviews.review import permissions
from reviews.review.models import SINGLE_ROLES, Review, ReviewState, ReviewStateChange, TeamRole
from reviews.review.teams import ROLE_NAMES

# From each state, the states it may move to, and who moves it there: "system" changes
# are made by a service on the way (a team place, a decision), on behalf of its caller.
TRANSITIONS = {
    ReviewState.PLANNED: {ReviewState.PREPARING: "system"},
    ReviewState.PREPARING: {ReviewState.PLANNED: "system", ReviewState.AGREED: "system"},
    ReviewState.AGREED: {ReviewState.ON_SITE: "lead"},
    ReviewState.ON_SITE: {ReviewState.AFTER_VISIT: "lead"},
    ReviewState.AFTER_VISIT: {},
}


def _lowered(name: str) -> str:
    """A place's name within a sentence: "data specialist", "lead DCS"."""
    return name[:1].lower() + name[1:]


@transaction.atomic
def review_state_set(*, review: Review, state: str, by: User, system: bool = False) -> Review:
    """Move ``review`` to ``state``, or raise ValidationError (not a change its state
    allows) or PermissionDenied (not theirs to make)."""
    review = Review.objects.select_for_update().select_related("host__region").get(pk=review.pk)
    today = timezone.localdate()
    # Who may ask comes first: a refusal that named the state would tell a SAV's host
    # DCS how far the preparation has got (R30).
    if not system and permissions.review_access(by, review, on=today).team_role != TeamRole.LEAD:
        raise PermissionDenied
    allowed = TRANSITIONS[ReviewState(review.state)]
    if state not in ReviewState.values or state not in allowed:
        wanted = ReviewState(state).label.lower() if state in ReviewState.values else repr(state)
        raise ValidationError(
            f"A review that is {review.get_state_display().lower()} cannot become {wanted}."
        )
    who = allowed[state]
    if who == "system" and not system:
        raise PermissionDenied
    starts = review.onsite_from
    if state == ReviewState.ON_SITE and (starts is None or starts > today):
        raise ValidationError("The visit starts on its first on-site day.")
    if state == ReviewState.ON_SITE:
        # The places named before the review starts (R14, R15) must be filled: the visit
        # does not start, and so no letter follows, with one of them open.
        filled = set(review.team.values_list("role", flat=True))
        missing = [_lowered(ROLE_NAMES[review.kind][r]) for r in SINGLE_ROLES if r not in filled]
        if missing:
            places = " and ".join(missing)
            raise ValidationError(
                f"The visit cannot start with the team incomplete: the {places} "
                f"place{'s are' if len(missing) > 1 else ' is'} still open."
            )
    before = review.state
    review.state = state
    review.save(update_fields=["state"])
    ReviewStateChange.objects.create(review=review, before=before, after=state, by=by)
    return review

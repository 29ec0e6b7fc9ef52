"""The deadline of critical incidents (R25, R37): the host's response."""

import datetime

from django.urls import reverse
from django.utils import timezone

from emslirp.deadlines import Deadline, Kind, subject_pk
from emslirp.models import User
from emslirp.selectors import local_authorities_held, post_holders_by_local_authority
from emslirp.text import long_date
from emslirp.working_days import working_days_shift
from reviews.review.selectors import HOST_LEADER_POSTS
from safeguarding.models import CriticalIncident

# The host responds to a critical incident by the end of the next working day after it
# was raised with them: responsibility for the child rests with the host (R25).
HOST_RESPONSE_WORKING_DAYS = 1


def incident_responses(
    *, on: datetime.date, subject: str | None = None, person: User | None = None
) -> list[Deadline]:
    """Incidents raised with the host that the host has not yet responded to: for the
    host's DCS and 2nd-tier lead of the day. The visit has begun, so a SAV's host knows of
    it (R30). Two queries."""
    incidents = (
        CriticalIncident.objects.filter(
            raised_with_host_at__isnull=False, host_responded_at__isnull=True
        )
        .select_related("review__host")
        .order_by("raised_with_host_at", "pk")
    )
    if subject is not None:
        incidents = incidents.filter(pk=subject_pk(subject))
    if person is not None:
        incidents = incidents.filter(
            review__host__in=local_authorities_held(person=person, on=on, kinds=HOST_LEADER_POSTS)
        )
    incidents = list(incidents)
    if not incidents:
        return []
    leaders = post_holders_by_local_authority(
        kinds=HOST_LEADER_POSTS,
        local_authority_ids={i.review.host_id for i in incidents},
        on=on,
    )
    out = []
    for incident in incidents:
        review = incident.review
        raised_on = timezone.localtime(incident.raised_with_host_at).date()
        out.append(
            Deadline(
                kind="incident_response",
                subject=str(incident.pk),
                title=(
                    f"Record {review.host}'s response to the critical incident raised with "
                    f"you on {long_date(raised_on)}"
                ),
                due_on=working_days_shift(raised_on, HOST_RESPONSE_WORKING_DAYS),
                url=reverse("safeguarding:incident", args=[incident.pk]),
                region_id=review.host.region_id,
                recipients=tuple(leaders.get(review.host_id, [])),
            )
        )
    return out


# Registered with the core from ``SafeguardingConfig.ready()``.
KINDS = {
    "incident_response": Kind(
        "Critical incident awaiting the host",
        incident_responses,
        "a response your local authority is asked for",
    ),
}

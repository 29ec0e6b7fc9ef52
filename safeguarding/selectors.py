"""Reads of critical incidents (R25, R29): which a person may see, and what a page needs."""

from django.db.models import Prefetch, QuerySet

from emslirp.models import User
from emslirp.text import long_date
from reviews.review.models import Review
from reviews.review.permissions import IncidentRights
from reviews.review.selectors import host_leaders, lead_of, team_in  # noqa: F401 (its services ask here)
from reviews.review.teams import ON_SITE_ROLES
from safeguarding.models import CriticalIncident, IncidentPdf, IncidentPdfDownload


# The host's side of an incident: those who respond and sign for the host (R25, R29).
def incident_may_read(rights: IncidentRights, incident: CriticalIncident, user: User) -> bool:
    """Everyone with the review's read right reads every incident; a team member reads
    the ones they raised (R29)."""
    return rights.read or (rights.read_own and incident.raised_by_id == user.pk)


def incidents_visible(*, review: Review, user: User, rights: IncidentRights) -> QuerySet:
    """The review's incidents ``user`` may read, newest first, with the people the list
    names. One query when evaluated."""
    incidents = CriticalIncident.objects.filter(review=review).select_related(
        "identified_by", "raised_by"
    )
    if rights.read:
        return incidents
    if rights.read_own:
        return incidents.filter(raised_by=user)
    return incidents.none()


def incident_for_page(*, review: Review, pk: int) -> CriticalIncident | None:
    """One incident of ``review`` with everyone it names, its addenda and its PDFs (without
    their bytes), or None. Three queries."""
    return (
        CriticalIncident.objects.filter(review=review, pk=pk)
        .select_related(
            "identified_by",
            "raised_by",
            "host_responded_by",
            "lead_signed_by",
            "host_signed_by",
        )
        .prefetch_related(
            "addenda__written_by",
            Prefetch(
                "pdfs",
                queryset=IncidentPdf.objects.defer("content")
                .select_related("requested_by")
                .prefetch_related(
                    Prefetch("downloads", queryset=IncidentPdfDownload.objects.select_related("by"))
                ),
            ),
        )
        .first()
    )


def incident_identifiers(review: Review) -> QuerySet[User]:
    """Who may be named as having identified an incident: the team on site (R25)."""
    return User.objects.filter(
        team_places__review=review, team_places__role__in=ON_SITE_ROLES[review.kind]
    ).order_by("full_name", "pk")


def review_dates_text(review: Review) -> str:
    """The review's on-site days as the record gives them, or its window before they are
    set."""
    first, last = review.onsite_from or review.starts_on, review.onsite_to or review.ends_on
    if first == last:
        return long_date(first)
    return f"{long_date(first)} to {long_date(last)}"

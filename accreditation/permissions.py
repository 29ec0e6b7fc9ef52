"""Who may do what in accreditation (R6, R9, R31). Views, templates and services ask these
functions; rights come from posts held on the day, never copied."""

import datetime

from django.utils import timezone

from accreditation.models import ExpressionOfInterest, Role
from accreditation.selectors import is_accredited
from emslirp import permissions as core
from emslirp.models import PostKind, Region, User
from emslirp.selectors import post_holders


def can_sponsor(user: User, application: ExpressionOfInterest, *, on: datetime.date) -> bool:
    """Only the DCS of the applicant's own LA on the day decides (R6); not the applicant,
    even if they are that DCS."""
    if not user.is_authenticated or user.pk == application.applicant_id:
        return False
    return (
        post_holders(kind=PostKind.DCS, local_authority=application.local_authority, on=on)
        .filter(pk=user.pk)
        .exists()
    )


def can_view_pool(user: User, region: Region) -> bool:
    """The region's coordinator, and the people who form teams: lead DCSs and SAV lead ADs
    currently accredited in the region (R9)."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser or core.coordinates(user, region):
        return True
    if user.region_id != region.pk:
        return False
    today = timezone.localdate()
    return any(
        is_accredited(person=user, role=role, on=today)
        for role in (Role.LEAD_DCS, Role.SAV_LEAD_AD)
    )


def can_apply(user: User) -> bool:
    """Anyone signed in on a region's register may apply to be a peer reviewer (R5)."""
    return bool(user.is_authenticated and user.is_active and user.region_id)

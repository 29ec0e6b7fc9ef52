"""Who may write, and what one may see of, a review's reflections (R27, R29)."""

import dataclasses

# Self-assessments (R17, R29, R32) ------------------------------------------------------
# The LA writes its self-assessment through its DCS and its 2nd-tier safeguarding lead,
# computed from the posts held on the day (R3), and through the colleagues the DCS names
# (an object grant, kept while they hold a post in the LA). The coordinator reads it once
# submitted. Review teams' reading comes with the desk analysis.
from reviews.review.models import (
    TeamRole,
)
from reviews.review.permissions import ReviewAccess


@dataclasses.dataclass(frozen=True)
class ReflectionRights:
    write_own: bool = False
    read_composite: bool = False
    see_completion: bool = False


# The roles that reflect: those on site (the QA follows the review from outside it).
REFLECTING_ROLES = (TeamRole.LEAD, TeamRole.DATA_SPECIALIST, TeamRole.MEMBER)


def reflection_rights(access: ReviewAccess) -> ReflectionRights:
    """R27 and R29's last row: each member on site and the host DCS write their own and
    read the whole team's composite; the QA sees who has completed, never what anyone
    wrote; nobody else sees anything of it."""
    role = access.team_role
    if role in REFLECTING_ROLES:
        return ReflectionRights(write_own=True, read_composite=True)
    if role == TeamRole.QA:
        return ReflectionRights(see_completion=True)
    if role is None and access.host_dcs and (access.kind_is_pctr or access.visit_started):
        return ReflectionRights(write_own=True, read_composite=True)
    return ReflectionRights()

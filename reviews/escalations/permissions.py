"""Who may raise, answer and adjudicate an escalation (R26, R29)."""

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
class EscalationRights:
    read: bool = False
    raise_: bool = False  # the host
    respond: bool = False  # the lead
    adjudicate: bool = False  # the QA


def escalation_rights(access: ReviewAccess) -> EscalationRights:
    """R26: the host raises a concern, the lead works on it, the QA adjudicates; the
    coordinator reads the outcome. Nobody else on the team is party to it."""
    role = access.team_role
    if role == TeamRole.LEAD:
        return EscalationRights(read=True, respond=True)
    if role == TeamRole.QA:
        return EscalationRights(read=True, adjudicate=True)
    if role is None and access.host_decides:
        return EscalationRights(read=True, raise_=True)
    if access.coordinator:
        return EscalationRights(read=True)
    return EscalationRights()

"""Who may read and write the workbook (R29's rows for hypotheses, the notebook and the
verbal feedback record), each answered from a ``ReviewAccess``."""

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
class HypothesesRights:
    read: bool = False
    write: bool = False
    decide: bool = False
    comment: bool = False


def hypotheses_rights(access: ReviewAccess) -> HypothesesRights:
    """R29's row for draft hypotheses and their negotiation: the coordinator reads; the
    lead and the data specialist write; the QA reads and comments; team members read; the
    host's DCS and 2nd-tier lead read and decide on a PCTR, and of a SAV see nothing
    before the visit. Everyone taking part in the negotiation may comment."""
    role = access.team_role
    if role in (TeamRole.LEAD, TeamRole.DATA_SPECIALIST):
        return HypothesesRights(read=True, write=True, comment=True)
    if role == TeamRole.QA:
        return HypothesesRights(read=True, comment=True)
    if role == TeamRole.MEMBER:
        return HypothesesRights(read=True)
    if access.host_decides:
        return HypothesesRights(read=True, decide=access.kind_is_pctr, comment=access.kind_is_pctr)
    if access.coordinator:
        return HypothesesRights(read=True)
    return HypothesesRights()


# On site and after (R21–R27, R29) -------------------------------------------------------
# One function per row of R29's table, each answering from a ``ReviewAccess``. The host's
# side is its DCS and 2nd-tier lead (and, for reflections, its DCS alone), and of a SAV
# only once the visit has started (R30): ``ReviewAccess.host_decides``.


@dataclasses.dataclass(frozen=True)
class NotebookRights:
    read: bool = False  # every note, finding and conclusion
    write: bool = False  # add notes and findings, change one's own findings, conclusions
    lead: bool = False  # the pre-visit notes, and any finding
    read_emerging: bool = False
    share_emerging: bool = False


def notebook_rights(access: ReviewAccess) -> NotebookRights:
    """R29's notebook row: the lead, data specialist and team members write (each their
    own, all reading all), the QA reads, the host sees only the emerging issues the lead
    shares (R24); the coordinator sees nothing of it."""
    role = access.team_role
    if role == TeamRole.LEAD:
        return NotebookRights(True, True, True, True, True)
    if role in (TeamRole.DATA_SPECIALIST, TeamRole.MEMBER):
        return NotebookRights(read=True, write=True, read_emerging=True)
    if role == TeamRole.QA:
        return NotebookRights(read=True, read_emerging=True)
    if access.host_decides:
        return NotebookRights(read_emerging=True)
    return NotebookRights()


@dataclasses.dataclass(frozen=True)
class FeedbackRights:
    read: bool = False
    write: bool = False


def verbal_feedback_rights(access: ReviewAccess, *, given: bool) -> FeedbackRights:
    """R29's verbal feedback row: the lead writes, the team reads, the host reads it once
    it has been given; the coordinator sees nothing of it."""
    role = access.team_role
    if role == TeamRole.LEAD:
        return FeedbackRights(read=True, write=True)
    if role in (TeamRole.QA, TeamRole.DATA_SPECIALIST, TeamRole.MEMBER):
        return FeedbackRights(read=True)
    if access.host_decides and given:
        return FeedbackRights(read=True)
    return FeedbackRights()

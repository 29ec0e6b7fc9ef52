"""Who may read and write a review's letter (R29's letter rows)."""

import dataclasses

from reviews.letter.models import LetterState

# Self-assessments (R17, R29, R32) ------------------------------------------------------
# The LA writes its self-assessment through its DCS and its 2nd-tier safeguarding lead,
# computed from the posts held on the day (R3), and through the colleagues the DCS names
# (an object grant, kept while they hold a post in the LA). The coordinator reads it once
# submitted. Review teams' reading comes with the desk analysis.
from reviews.review.models import (
    TeamRole,
)
from reviews.review.permissions import ReviewAccess
from reviews.workbook.permissions import verbal_feedback_rights


@dataclasses.dataclass(frozen=True)
class LetterRights:
    read_draft: bool = False
    write: bool = False  # draft, change, send to the QA, share, issue: the lead
    proofread: bool = False  # the QA
    read_final: bool = False
    comment: bool = False  # the host's DCS, on the draft shared with them (R23, R24)


def letter_rights(access: ReviewAccess, *, shared: bool, final: bool) -> LetterRights:
    """R29's letter rows: the lead writes the draft, the QA reads and approves it, the
    host reads it once shared; the final letter (and its PDF) is read by the coordinator
    (the SDSA's reference copy), the host and the whole team."""
    role = access.team_role
    if role == TeamRole.LEAD:
        return LetterRights(read_draft=True, write=True, read_final=final)
    if role == TeamRole.QA:
        return LetterRights(read_draft=True, proofread=True, read_final=final)
    if role in (TeamRole.DATA_SPECIALIST, TeamRole.MEMBER):
        return LetterRights(read_final=final)
    if access.host_decides:
        return LetterRights(
            read_draft=shared,
            read_final=final,
            comment=shared and not final and access.host_dcs,
        )
    if access.coordinator:
        return LetterRights(read_final=final)
    return LetterRights()


def action_trace_readable(access: ReviewAccess, *, letter_state: str | None) -> bool:
    """Who may follow an agreed action of the review back to where it came from and on to
    its follow-up (R40). The trace shows the findings, their evidence and the methods, the
    verbal feedback record's material: once the letter is final, those who read both the
    final letter and that record (the team and the host's leaders; never the coordinator,
    to whom R29 shows no finding); before then, the lead and the QA, who read the draft
    from the start."""
    final = letter_state == LetterState.FINAL
    rights = letter_rights(access, shared=final, final=final)
    if final:
        return rights.read_final and verbal_feedback_rights(access, given=True).read
    return rights.read_draft

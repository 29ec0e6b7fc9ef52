"""What a team is made of, per kind of review (R14–R16): the accreditation each place
needs, how many of each, and the days each role commits (the handbook's tables)."""

from decimal import Decimal

from accreditation.models import Role
from reviews.review.models import ReviewKind, ReviewState, TeamRole

# The accreditation a team place needs (R7): a PCTR is led and quality-assured by
# directors, a SAV by 2nd-tier safeguarding leads.
ACCREDITATION_FOR = {
    ReviewKind.PCTR: {
        TeamRole.LEAD: Role.LEAD_DCS,
        TeamRole.DATA_SPECIALIST: Role.DATA_SPECIALIST,
        TeamRole.QA: Role.QA_DCS,
        TeamRole.MEMBER: Role.PCTR_MEMBER,
    },
    ReviewKind.SAV: {
        TeamRole.LEAD: Role.SAV_LEAD_AD,
        TeamRole.DATA_SPECIALIST: Role.DATA_SPECIALIST,
        TeamRole.QA: Role.QA_AD,
        TeamRole.MEMBER: Role.SAV_MEMBER,
    },
}

# Four core members from different LAs on a PCTR; two 3rd-tier safeguarding experts on
# a SAV (R14, R15).
MEMBERS = {ReviewKind.PCTR: 4, ReviewKind.SAV: 2}

# Who is on site: a SAV's data specialist and QA AD are not (the handbook's SAV table);
# a PCTR's QA DCS is not either.
ON_SITE_ROLES = {
    ReviewKind.PCTR: (TeamRole.LEAD, TeamRole.DATA_SPECIALIST, TeamRole.MEMBER),
    ReviewKind.SAV: (TeamRole.LEAD, TeamRole.MEMBER),
}

ROLE_NAMES = {
    ReviewKind.PCTR: {
        TeamRole.LEAD: "Lead DCS",
        TeamRole.DATA_SPECIALIST: "Data specialist",
        TeamRole.QA: "QA DCS",
        TeamRole.MEMBER: "Core team member",
    },
    ReviewKind.SAV: {
        TeamRole.LEAD: "Lead AD",
        TeamRole.DATA_SPECIALIST: "Data specialist",
        TeamRole.QA: "QA AD",
        TeamRole.MEMBER: "Safeguarding expert",
    },
}

H = Decimal("0.5")
# Days committed per role and what they are for (R16). The PCTR figures are the
# handbook's "time requirements for review" (the lead five days, every other member
# three); it sets none for the QA DCS, whose part is proofreading and the reflections.
# The SAV figures are its SAV team table.
DAYS = {
    ReviewKind.PCTR: {
        TeamRole.LEAD: [
            ("Desk review of the data profile and self-assessment", Decimal(1)),
            ("Preparation meeting with the team", H),
            ("On site", Decimal("2.5")),
            ("Writing the report", Decimal(1)),
        ],
        TeamRole.DATA_SPECIALIST: [
            ("Preparation meeting with the lead", H),
            ("On site and reflection", Decimal("2.5")),
        ],
        TeamRole.MEMBER: [
            ("Preparation meeting with the lead", H),
            ("On site and reflection", Decimal("2.5")),
        ],
        TeamRole.QA: [],
    },
    ReviewKind.SAV: {
        TeamRole.LEAD: [
            ("Preparation", Decimal(1)),
            ("Pre-visit conference call", H),
            ("On site, day 1", Decimal(1)),
            ("On site, day 2", Decimal(1)),
            ("Writing the report", Decimal(1)),
        ],
        TeamRole.MEMBER: [
            ("Pre-visit conference call", H),
            ("On site, day 1", Decimal(1)),
            ("On site, day 2", Decimal(1)),
        ],
        TeamRole.DATA_SPECIALIST: [
            ("Preparation", Decimal(1)),
            ("Pre-visit conference call", H),
        ],
        TeamRole.QA: [
            ("Preparation", Decimal(1)),
            ("Pre-visit conference call", H),
            ("Writing the report", Decimal(1)),
        ],
    },
}


def days_total(kind: str, role: str) -> Decimal | None:
    """The days a role commits, or None where the handbook sets none."""
    parts = DAYS[kind][role]
    return sum((d for _, d in parts), Decimal(0)) if parts else None


def place_waits(review, role: str, team=None) -> str:
    """Why a ``role`` place on ``review`` cannot be filled yet, or "" if it can. The data
    specialist comes from the lead's LA, so is named after the lead (R14, R15; ``team``:
    the review's places, read if not given). A PCTR's core members are chosen to
    investigate the hypotheses the host decided on, so are named once they are agreed
    (R14); a SAV's experts agree the hypotheses with the lead, so are named first (R15,
    R19)."""
    if role == TeamRole.DATA_SPECIALIST:
        team = review.team.all() if team is None else team
        if not any(m.role == TeamRole.LEAD for m in team):
            return (
                f"Name the {ROLE_NAMES[review.kind][TeamRole.LEAD]} first: the data "
                "specialist comes from the lead's LA."
            )
    if (
        role == TeamRole.MEMBER
        and review.kind == ReviewKind.PCTR
        and review.state in (ReviewState.PLANNED, ReviewState.PREPARING)
    ):
        return (
            f"{ROLE_NAMES[review.kind][role]}s are named once the host has decided which "
            "hypotheses are investigated: the team is formed to investigate them."
        )
    return ""

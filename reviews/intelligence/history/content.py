"""The words and topics of the history: what its reviews looked into, the areas, and what
the host said (R18, R22, R38)."""

import dataclasses

from reviews.intelligence.models import Progress


@dataclasses.dataclass(frozen=True)
class Topic:
    """What one weakness of a self-assessment leads to when a review looks at it: the
    hypothesis, its methods, the finding and its evidence, the action, and the theme the
    coordinator tags them with."""

    area: str
    theme: str
    weakness: str
    kloe: str
    hypothesis: str
    methods: tuple[str, ...]
    finding: str
    evidence: str
    action: str


TOPICS = [
    Topic(
        "practice",
        "Front door and referrals",
        "Decisions on contacts are not always made within a working day.",
        "How quickly and consistently are decisions made at the front door?",
        "Contacts wait too long at the front door for a decision.",
        ("Audit of 20 contacts", "Observation of the front door's daily meeting"),
        "Decisions on contacts take up to four days when the duty team is short.",
        "Audit of 20 contacts: 6 took more than one working day to a decision.",
        "Set and monitor a one-working-day standard for decisions on contacts.",
    ),
    Topic(
        "practice",
        "Early help and thresholds",
        "Thresholds are applied differently by different teams.",
        "Is the threshold document understood the same way across teams?",
        "Thresholds between early help and social care are applied unevenly.",
        ("Audit of 15 stepped-down cases", "Focus group with early help workers"),
        "Similar needs lead to different responses depending on the team.",
        "Audit of 15 cases stepped down: 5 should have had an assessment.",
        "Agree one threshold guide and audit its use in three months.",
    ),
    Topic(
        "practice",
        "Quality of assessment",
        "Assessments describe the family's circumstances but say little about risk.",
        "Do assessments analyse risk, or only describe?",
        "Assessments describe more than they analyse.",
        ("Audit of 12 assessments", "Conversations with team managers"),
        "Most assessments sampled lack an analysis of what the child's needs mean.",
        "Audit of 12 assessments: 8 rated as requiring improvement on analysis.",
        "Train social workers in analysis and check it in monthly audits.",
    ),
    Topic(
        "performance",
        "Performance information",
        "Leaders receive data late and it is not used to challenge practice.",
        "How do leaders use performance information to improve practice?",
        "Performance information does not reach frontline managers in time to act on.",
        ("Review of the monthly scorecard", "Interviews with service managers"),
        "The scorecard arrives six weeks after the month it reports.",
        "Scorecards for the last six months; interviews with four service managers.",
        "Produce a weekly team dashboard and review it in supervision.",
    ),
    Topic(
        "resources",
        "Workforce and caseloads",
        "High turnover among social workers and reliance on agency staff.",
        "What does turnover do to children's experience of their social worker?",
        "Children see too many changes of social worker.",
        ("Focus group of social workers", "Analysis of caseload and turnover data"),
        "A third of children sampled had three or more social workers in a year.",
        "Caseload report and audit of 18 case files.",
        "Agree a recruitment and retention plan with caseload targets.",
    ),
    Topic(
        "leadership",
        "Management oversight and supervision",
        "Supervision is not always recorded on the child's file.",
        "Is management oversight visible on children's files?",
        "Managers' decisions are not recorded where the next worker can find them.",
        ("Sample of 20 supervision records", "Case file audit"),
        "Supervision is regular but its decisions rarely reach the child's file.",
        "20 supervision records: 14 had no matching entry on the file.",
        "Record every supervision decision on the child's file within a week.",
    ),
    Topic(
        "participation",
        "Voice of the child",
        "Children's views are not consistently recorded in plans.",
        "Are children's wishes and feelings heard and acted on?",
        "Children's wishes and feelings do not shape their plans.",
        ("Audit of 10 plans", "Meeting with the children in care council"),
        "Plans record children's views but rarely show what changed because of them.",
        "Audit of 10 plans; the children in care council's account.",
        "Show in every plan what was done about the child's wishes.",
    ),
    Topic(
        "partnership",
        "Partnership working",
        "Partners do not hear the outcome of their referrals.",
        "Do partners trust and understand the front door's decisions?",
        "Partners are not told what happened to their referrals.",
        ("Focus group with health and police", "Survey of schools"),
        "Partners could not say what happened to most referrals they made.",
        "Focus group: 4 of 6 partners could name no outcome; schools' survey.",
        "Tell partners the outcome of every referral within five working days.",
    ),
    Topic(
        "outcomes",
        "Care leavers",
        "Pathway plans are often late and not written with the young person.",
        "Are care leavers' pathway plans timely and their own?",
        "Pathway plans are late and written for young people rather than with them.",
        ("Audit of 12 pathway plans", "Meeting with care leavers"),
        "Half the pathway plans sampled were overdue.",
        "Audit of 12 pathway plans; six care leavers met the team.",
        "Bring every pathway plan up to date and review them with the young person.",
    ),
    Topic(
        "outcomes",
        "Exploitation and missing children",
        "Return home interviews are not always offered after a child goes missing.",
        "Is the response to children missing from home timely and joined up?",
        "Return home interviews are offered late, and their learning is lost.",
        ("Audit of 10 missing episodes", "Interview with the exploitation lead"),
        "Return interviews were offered within 72 hours in 4 of 10 episodes.",
        "Audit of 10 missing episodes and the exploitation panel's minutes.",
        "Offer every return home interview within 72 hours and report on it monthly.",
    ),
    Topic(
        "commissioning",
        "Commissioning and sufficiency",
        "Too few local placements for teenagers.",
        "Does the sufficiency strategy meet the needs of older children?",
        "Teenagers are placed far from home for want of local placements.",
        ("Review of the sufficiency strategy", "Placement data for the last year"),
        "Two in five teenagers placed in the year went more than 20 miles away.",
        "Placement data for the last twelve months; the sufficiency strategy.",
        "Commission local placements for teenagers in the sufficiency plan.",
    ),
    Topic(
        "innovation",
        "Quality assurance and audit",
        "Audit findings are not followed through to changes in practice.",
        "Does the audit programme lead to better practice?",
        "Learning from audits does not reach practitioners.",
        ("Review of the audit programme", "Focus group of practitioners"),
        "Audits find the same weaknesses each quarter without a plan to address them.",
        "Four quarters of audit reports; practitioners' focus group.",
        "Give each audit an action plan with an owner and review it quarterly.",
    ),
    Topic(
        "practice",
        "Child protection planning",
        "Core groups do not always meet within timescales.",
        "Are child protection plans driven by regular core groups?",
        "Child protection plans drift when core groups do not meet.",
        ("Audit of 10 child protection plans", "Observation of a core group"),
        "Core groups met late in 4 of 10 plans sampled, and plans drifted.",
        "Audit of 10 plans; one core group observed.",
        "Track core groups weekly and escalate any that are late.",
    ),
]
AGREED_COMMENT = "The council had begun this work and will report on it."
NOT_AGREED_COMMENT = "The council sees this as covered by its existing improvement plan."
PROGRESS_COMMENT = {
    Progress.DONE: "Done, and checked in the last audit.",
    Progress.IN_PROGRESS: "Under way; the first changes are in place.",
    Progress.NOT_STARTED: "Not started yet: other priorities came first.",
}
# Where the history's own letter template stands in for a region that has none.
FALLBACK_TEMPLATE = (
    "{kind} of {council}: what the team found",
    "Dear {host_dcs},\n\nThis letter sets out what the team found during the {kind} in "
    "{council} on {review_dates}.\n\n{priority_actions}\n\nYours sincerely,\n\n"
    "{lead_name}\n{lead_title}",
)

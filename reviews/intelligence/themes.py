"""The starting list of a region's themes (R28): what a region begins with, before its
coordinator adds, renames or retires any. Each is (name, what it covers, words that
suggest it)."""

STARTING_THEMES: list[tuple[str, str, str]] = [
    (
        "Early help and thresholds",
        "Help offered before statutory involvement, and how consistently thresholds are applied.",
        "early help threshold thresholds step down step up universal targeted",
    ),
    (
        "Front door and referrals",
        "Contacts, referrals and the multi-agency safeguarding hub.",
        "front door referral referrals contact contacts mash hub triage",
    ),
    (
        "Quality of assessment",
        "Timeliness and quality of assessments and what they lead to.",
        "assessment assessments analysis timeliness timescales single",
    ),
    (
        "Child protection planning",
        "Strategy discussions, conferences, plans and core groups.",
        "child protection plan plans planning conference conferences core strategy section 47",
    ),
    (
        "Children in care and permanence",
        "Care planning, placement stability and permanence.",
        "looked after care placement placements permanence stability fostering adoption",
    ),
    (
        "Care leavers",
        "Pathway planning and support for young people leaving care.",
        "care leavers leaving pathway accommodation independence",
    ),
    (
        "Workforce and caseloads",
        "Recruitment, retention, agency staff and the size of caseloads.",
        "workforce recruitment retention agency caseload caseloads vacancies turnover staff",
    ),
    (
        "Management oversight and supervision",
        "How managers direct and record decisions on children's cases.",
        "management oversight supervision managers decision decisions",
    ),
    (
        "Quality assurance and audit",
        "Case audit, learning from audit, and the quality assurance framework.",
        "audit audits quality assurance framework learning",
    ),
    (
        "Performance information",
        "Data and management information, and how leaders use them.",
        "data performance information management indicators scorecard dashboard",
    ),
    (
        "Voice of the child",
        "Children's wishes and feelings and their participation in decisions.",
        "voice wishes feelings participation direct work children young people",
    ),
    (
        "Partnership working",
        "Work with health, police, schools and the safeguarding partnership.",
        "partnership partners partner police health schools multi agency lscb",
    ),
    (
        "Domestic abuse",
        "Response to domestic abuse and its effect on children.",
        "domestic abuse violence marac",
    ),
    (
        "Exploitation and missing children",
        "Child sexual and criminal exploitation, and children who go missing.",
        "exploitation cse cce missing trafficking gangs",
    ),
    (
        "Neglect",
        "Recognising and responding to neglect.",
        "neglect graded care profile",
    ),
    (
        "Disabled children",
        "Safeguarding and support for disabled children.",
        "disabled disability disabilities send",
    ),
    (
        "Leadership and governance",
        "Vision, strategy and leaders' grip on practice.",
        "leadership leaders governance vision strategy political members scrutiny",
    ),
    (
        "Commissioning and sufficiency",
        "Commissioning of services and the sufficiency of placements.",
        "commissioning commissioned sufficiency market providers",
    ),
    (
        "Case recording",
        "Whether records show the child's story and the work done.",
        "recording records recorded chronology chronologies case notes",
    ),
]

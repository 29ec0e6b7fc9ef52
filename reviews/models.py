"""PCTR and SAV reviews (R10, R11, R14–R24): one record per review, whatever its kind."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from emslirp.models import LocalAuthority, PdfDownload, StoredPdf


class ReviewKind(models.TextChoices):
    PCTR = "pctr", "Peer Challenge Team Review"
    SAV = "sav", "Safeguarding Assurance Visit"


class ReviewState(models.TextChoices):
    PLANNED = "planned", "Planned"
    PREPARING = "preparing", "Preparing"
    AGREED = "agreed", "Hypotheses agreed"
    ON_SITE = "on_site", "On site"
    AFTER_VISIT = "after_visit", "After the visit"


class Review(models.Model):
    """A review in the calendar: its host, its slot (a PCTR's quarter, a SAV's two-month
    window), and the LAs whose lead and QA will take it on (R10–R12)."""

    kind = models.CharField(max_length=8, choices=ReviewKind.choices)
    host = models.ForeignKey(
        LocalAuthority, on_delete=models.PROTECT, related_name="hosted_reviews"
    )
    starts_on = models.DateField(help_text="The first day of the quarter or window.")
    ends_on = models.DateField(help_text="The last day of the quarter or window.")
    lead_local_authority = models.ForeignKey(
        LocalAuthority,
        on_delete=models.PROTECT,
        related_name="led_reviews",
        null=True,
        blank=True,
        help_text="The LA whose DCS (PCTR) or 2nd-tier lead (SAV) leads the review.",
    )
    qa_local_authority = models.ForeignKey(
        LocalAuthority,
        on_delete=models.PROTECT,
        related_name="quality_assured_reviews",
        null=True,
        blank=True,
        help_text="The LA whose DCS (PCTR) or 2nd-tier lead (SAV) is QA.",
    )
    state = models.CharField(max_length=16, choices=ReviewState.choices, default="planned")
    onsite_from = models.DateField(
        null=True, blank=True, help_text="The first on-site day (PCTR 3 days, SAV 2 days)."
    )
    onsite_to = models.DateField(null=True, blank=True, help_text="The last on-site day.")
    is_extra = models.BooleanField(default=False, help_text="An extra PCTR the host LA asked for.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_on", "host__name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="review_ends_after_start"
            ),
            # R12: nobody from the host LA on its own review; R10/R11: three different LAs.
            models.CheckConstraint(
                condition=~Q(lead_local_authority=F("host")), name="review_lead_not_host"
            ),
            models.CheckConstraint(
                condition=~Q(qa_local_authority=F("host")), name="review_qa_not_host"
            ),
            models.CheckConstraint(
                condition=~Q(qa_local_authority=F("lead_local_authority")),
                name="review_qa_not_lead",
            ),
            models.CheckConstraint(
                condition=~Q(is_extra=True) | Q(kind="pctr"), name="review_extra_is_pctr"
            ),
            # The visit falls in its quarter or window, its days in order.
            models.CheckConstraint(
                condition=(Q(onsite_from__isnull=True) & Q(onsite_to__isnull=True))
                | (
                    Q(onsite_from__gte=F("starts_on"))
                    & Q(onsite_to__gte=F("onsite_from"))
                    & Q(onsite_to__lte=F("ends_on"))
                ),
                name="review_onsite_in_slot",
            ),
        ]
        indexes = [models.Index(fields=["kind", "starts_on"])]

    def __str__(self):
        return f"{self.get_kind_display()} of {self.host} ({self.starts_on:%b %Y})"

    @property
    def reference_day(self):
        """The day a team place is judged on: the first on-site day once set, else the
        first day of the quarter or window."""
        return self.onsite_from or self.starts_on


class TeamRole(models.TextChoices):
    LEAD = "lead", "Lead"
    DATA_SPECIALIST = "data_specialist", "Data specialist"
    QA = "qa", "QA"
    MEMBER = "member", "Team member"


# Roles a review has one of; team members are several (R14, R15).
SINGLE_ROLES = (TeamRole.LEAD, TeamRole.DATA_SPECIALIST, TeamRole.QA)


class TeamMember(models.Model):
    """A person's place on a review's team, and the LA they come from (R14, R15). Their
    rights on the review are granted when they are placed and taken when they leave."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="team")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="team_places"
    )
    role = models.CharField(max_length=20, choices=TeamRole.choices)
    local_authority = models.ForeignKey(
        LocalAuthority,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The LA the person comes from on the review's dates.",
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    assigned_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["review", "role", "person__full_name"]
        constraints = [
            models.UniqueConstraint(fields=["review", "person"], name="team_member_once"),
            models.UniqueConstraint(
                fields=["review", "role"],
                condition=Q(role__in=["lead", "data_specialist", "qa"]),
                name="team_single_roles_once",
            ),
        ]

    def __str__(self):
        return f"{self.person} ({self.get_role_display()}) on {self.review}"


class ReviewUserGrant(UserObjectPermissionBase):
    """Grants on one review to a named person (a team place): guardian's direct-FK table."""

    content_object = models.ForeignKey(Review, on_delete=models.CASCADE)


class ReviewGroupGrant(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Review, on_delete=models.CASCADE)


class Proposal(models.TextChoices):
    INVESTIGATE = "investigate", "Investigate"
    PARK = "park", "Park"


class Hypothesis(models.Model):
    """One of up to four hypotheses the lead and the data specialist draft in the desk
    analysis (R18). For a PCTR the host DCS decides which are investigated, and the lead
    may record disagreement (R19); for a SAV the team agrees them at the conference call."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="hypotheses")
    number = models.PositiveSmallIntegerField()
    text = models.TextField()
    linked_to_data = models.BooleanField(default=False)
    linked_to_self_assessment = models.BooleanField(default=False)
    specialisms = models.ManyToManyField(
        "accreditation.Specialism",
        blank=True,
        related_name="+",
        help_text="The expertise investigating it needs: team suggestions cover it.",
    )
    proposal = models.CharField(max_length=12, choices=Proposal.choices)
    decision = models.CharField(max_length=12, choices=Proposal.choices, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    disagreement = models.TextField(
        blank=True, help_text="The lead's disagreement with the host's decision, kept."
    )
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["review", "number"]
        constraints = [
            models.UniqueConstraint(fields=["review", "number"], name="hypothesis_number_once"),
            models.CheckConstraint(
                condition=Q(number__gte=1) & Q(number__lte=4), name="hypothesis_up_to_four"
            ),
            models.CheckConstraint(
                condition=Q(decision="") | Q(decided_by__isnull=False, decided_at__isnull=False),
                name="hypothesis_decision_has_who_and_when",
            ),
        ]

    def __str__(self):
        return f"Hypothesis {self.number} of {self.review}"


class HypothesisComment(models.Model):
    """A comment in the negotiation of a hypothesis: the QA is brought in (R19)."""

    hypothesis = models.ForeignKey(Hypothesis, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    written_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["written_at", "pk"]

    def __str__(self):
        return f"Comment by {self.author} on {self.hypothesis}"


class ConferenceCall(models.Model):
    """The SAV team's call the day before the visit, at which the team agrees the
    hypotheses, key lines of enquiry, deployment and protocols (R19)."""

    review = models.OneToOneField(Review, on_delete=models.CASCADE, related_name="conference_call")
    held_on = models.DateField()
    attended_by = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+")
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"Conference call for {self.review}"


class Method(models.Model):
    """How an agreed hypothesis is investigated: up to three methods (R20)."""

    hypothesis = models.ForeignKey(Hypothesis, on_delete=models.CASCADE, related_name="methods")
    number = models.PositiveSmallIntegerField()
    text = models.TextField()

    class Meta:
        ordering = ["hypothesis", "number"]
        constraints = [
            models.UniqueConstraint(fields=["hypothesis", "number"], name="method_number_once"),
            models.CheckConstraint(
                condition=Q(number__gte=1) & Q(number__lte=3), name="method_up_to_three"
            ),
        ]

    def __str__(self):
        return f"Method {self.number} of {self.hypothesis}"


class Deployment(models.Model):
    """What one team member does on one on-site day: key focus, morning, afternoon,
    comments (R20)."""

    member = models.ForeignKey(TeamMember, on_delete=models.CASCADE, related_name="deployments")
    day = models.DateField()
    key_focus = models.CharField(max_length=200, blank=True)
    morning = models.TextField(blank=True)
    afternoon = models.TextField(blank=True)
    comments = models.TextField(blank=True)

    class Meta:
        ordering = ["day", "member"]
        constraints = [
            models.UniqueConstraint(fields=["member", "day"], name="deployment_once_a_day")
        ]

    def __str__(self):
        return f"{self.member.person} on {self.day}"


# Self-assessments (R17, R32) ----------------------------------------------------------


class SelfAssessmentTemplate(models.Model):
    """One version of the self-assessment template (R17): the areas rated in element 1,
    the rating scale and how many strengths and weaknesses element 2 takes, kept as data
    (``structure``, checked by ``self_assessment_template_check``). A version never
    changes once published: a coordinator edits the template by publishing the next one,
    and every self-assessment keeps the version it was started on."""

    number = models.PositiveIntegerField(unique=True, editable=False)
    published_at = models.DateTimeField(auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        editable=False,
        help_text="Empty for the version the software was installed with.",
    )
    note = models.CharField(
        "what changed", max_length=300, blank=True, help_text="Shown to nobody but the admin."
    )
    structure = models.JSONField()

    class Meta:
        ordering = ["-number"]
        get_latest_by = "number"
        verbose_name = "self-assessment template"
        constraints = [
            models.CheckConstraint(
                condition=Q(number__gte=1), name="self_assessment_template_number_positive"
            )
        ]

    def __str__(self):
        return f"Self-assessment template, version {self.number}"

    @property
    def areas(self) -> list[dict]:
        return self.structure["areas"]

    @property
    def scale(self) -> list[dict]:
        return self.structure["scale"]


class SelfAssessmentState(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"


class SelfAssessmentScope(models.TextChoices):
    # The template's own instruction: a PCTR looks at all of children's services, a SAV
    # at safeguarding only (R17).
    ALL = "all", "All of children's services (for a PCTR)"
    SAFEGUARDING = "safeguarding", "Safeguarding only (for a SAV)"


class SelfAssessment(models.Model):
    """An LA's self-assessment for one year, whether or not it is reviewed that year (R17).

    Drafted by the LA's DCS, its 2nd-tier safeguarding lead and the colleagues the DCS
    delegates to (R32), then signed off and submitted; read-only for the LA from then on.
    ``revision`` counts saves: each save names the revision it was based on and is
    refused if someone else saved since, so no one's words are overwritten unseen.
    Element 1 is kept per area key of its template version (``areas``: key → rating and
    commentary), element 2's lists row by row (``strengths``, ``weaknesses``: narrative
    and where the evidence is)."""

    local_authority = models.ForeignKey(
        LocalAuthority, on_delete=models.PROTECT, related_name="self_assessments"
    )
    year = models.PositiveSmallIntegerField()
    template = models.ForeignKey(
        SelfAssessmentTemplate, on_delete=models.PROTECT, related_name="self_assessments"
    )
    state = models.CharField(
        max_length=16, choices=SelfAssessmentState.choices, default=SelfAssessmentState.DRAFT
    )
    revision = models.PositiveIntegerField(default=1)

    # Part A: contact, how it was completed, the period covered.
    contact_name = models.CharField(max_length=150, blank=True)
    contact_address = models.TextField(blank=True)
    contact_telephone = models.CharField(max_length=40, blank=True)
    contact_email = models.EmailField(blank=True)
    scope = models.CharField(
        max_length=16, choices=SelfAssessmentScope.choices, default=SelfAssessmentScope.ALL
    )
    period_covered = models.CharField(max_length=100, blank=True)
    narrative = models.TextField(blank=True)

    # Part B.
    areas = models.JSONField(default=dict, blank=True)
    strengths = models.JSONField(default=list, blank=True)
    weaknesses = models.JSONField(default=list, blank=True)
    enablers = models.TextField(blank=True)
    blockers = models.TextField(blank=True)
    lines_of_enquiry = models.TextField(blank=True)

    # Sign-off, on behalf of the authority.
    signed_name = models.CharField(max_length=150, blank=True)
    signed_position = models.CharField(max_length=150, blank=True)
    signed_on = models.DateField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    submitted_at = models.DateTimeField(null=True, blank=True)

    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    started_at = models.DateTimeField(auto_now_add=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["-year", "local_authority__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["local_authority", "year"],
                name="self_assessment_one_per_la_per_year",
                violation_error_message="This authority already has a self-assessment that year.",
            ),
            models.CheckConstraint(
                condition=Q(revision__gte=1), name="self_assessment_revision_positive"
            ),
            models.CheckConstraint(
                condition=(
                    Q(
                        state="draft",
                        signed_on__isnull=True,
                        submitted_at__isnull=True,
                        submitted_by__isnull=True,
                    )
                    | (
                        Q(
                            state="submitted",
                            signed_on__isnull=False,
                            submitted_at__isnull=False,
                            submitted_by__isnull=False,
                        )
                        & ~Q(signed_name="")
                        & ~Q(signed_position="")
                    )
                ),
                name="self_assessment_signed_off_when_submitted",
            ),
        ]

    def __str__(self):
        return f"Self-assessment of {self.local_authority}, {self.year}"

    @property
    def is_submitted(self) -> bool:
        return self.state == SelfAssessmentState.SUBMITTED


class SelfAssessmentRevision(models.Model):
    """What a self-assessment held after each save, and who saved it when (R33). A save
    that was overtaken is merged against the revision it started from."""

    self_assessment = models.ForeignKey(
        SelfAssessment, on_delete=models.CASCADE, related_name="revisions"
    )
    number = models.PositiveIntegerField()
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    saved_at = models.DateTimeField()
    content = models.JSONField()

    class Meta:
        ordering = ["self_assessment", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["self_assessment", "number"], name="self_assessment_revision_once"
            )
        ]

    def __str__(self):
        return f"{self.self_assessment}, revision {self.number}"


class SelfAssessmentUserGrant(UserObjectPermissionBase):
    """A DCS's delegation of their LA's self-assessment to a named colleague (R32)."""

    content_object = models.ForeignKey(SelfAssessment, on_delete=models.CASCADE)


class SelfAssessmentGroupGrant(GroupObjectPermissionBase):
    content_object = models.ForeignKey(SelfAssessment, on_delete=models.CASCADE)


class ReviewStateChange(models.Model):
    """One change of a review's state: from what, to what, by whom and when (R33)."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="state_changes")
    before = models.CharField(max_length=16, choices=ReviewState.choices)
    after = models.CharField(max_length=16, choices=ReviewState.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["review", "at", "pk"]

    def __str__(self):
        return f"{self.review}: {self.before} to {self.after}"


# On site: the notebook (R21) ------------------------------------------------------------


class Notebook(models.Model):
    """The review's notebook header: the lead's pre-visit notes, prompts for the team on
    site (R21). ``revision`` counts saves, so a save made on an older copy is refused
    rather than overwriting what someone else saved since."""

    review = models.OneToOneField(Review, on_delete=models.CASCADE, related_name="notebook")
    pre_visit_notes = models.TextField(blank=True)
    revision = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField()

    def __str__(self):
        return f"Notebook of {self.review}"


class Note(models.Model):
    """A running note on a hypothesis, written on site by a team member (R21). Notes are
    only ever added, one row each, so two reviewers saving at once both keep their words.
    ``client_key`` is made by the browser when the note is typed: a note sent again after
    a failed connection is recognised and stored once."""

    hypothesis = models.ForeignKey(Hypothesis, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    client_key = models.UUIDField()
    written_at = models.DateTimeField()

    class Meta:
        ordering = ["hypothesis", "written_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["author", "client_key"], name="note_sent_once"),
            models.CheckConstraint(condition=~Q(text=""), name="note_not_empty"),
        ]

    def __str__(self):
        return f"Note by {self.author} on {self.hypothesis}"


class Finding(models.Model):
    """A key finding on a hypothesis and the evidence it rests on (R21). An agreed action
    traces to the findings it answers, so the QA sees which actions rest on evidence."""

    hypothesis = models.ForeignKey(Hypothesis, on_delete=models.CASCADE, related_name="findings")
    text = models.TextField()
    evidence = models.TextField(blank=True)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    written_at = models.DateTimeField()
    revision = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["hypothesis", "written_at", "pk"]
        constraints = [models.CheckConstraint(condition=~Q(text=""), name="finding_not_empty")]

    def __str__(self):
        return f"Finding {self.pk} on {self.hypothesis}"


class HypothesisReport(models.Model):
    """What is reported back on one investigated hypothesis: the team's conclusions
    (R21), the lead's comments and the host's comments at the verbal feedback (R22)."""

    hypothesis = models.OneToOneField(Hypothesis, on_delete=models.CASCADE, related_name="report")
    conclusions = models.TextField(blank=True)
    lead_comments = models.TextField(blank=True)
    host_comments = models.TextField(blank=True)
    revision = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField()

    def __str__(self):
        return f"Report on {self.hypothesis}"


class EmergingIssue(models.Model):
    """An issue the lead shares with the host before the verbal feedback, so that
    nothing in it comes as a surprise (R24)."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="emerging_issues")
    text = models.TextField()
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    shared_at = models.DateTimeField()

    class Meta:
        ordering = ["review", "shared_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="emerging_issue_not_empty")
        ]

    def __str__(self):
        return f"Emerging issue on {self.review}"


# After the visit: verbal feedback and the letter (R22, R23) -----------------------------


class VerbalFeedback(models.Model):
    """The record of the verbal feedback (R22): assembled from the notebook when shown,
    never copied; what it adds is stored here and on the hypotheses' reports and the
    agreed actions. The host reads it once ``given_on`` is recorded."""

    review = models.OneToOneField(Review, on_delete=models.CASCADE, related_name="verbal_feedback")
    given_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()
    revision = models.PositiveIntegerField(default=1)

    def __str__(self):
        return f"Verbal feedback of {self.review}"


class AgreedAction(models.Model):
    """An action agreed at the verbal feedback (R22), whether the host agreed it, and the
    findings it answers (R23: the QA checks that every action traces to evidence)."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="agreed_actions")
    number = models.PositiveSmallIntegerField()
    text = models.TextField()
    host_agrees = models.BooleanField(null=True, help_text="Empty until the host has said.")
    commentary = models.TextField(blank=True)
    is_priority = models.BooleanField(
        default=True, help_text="Stated in the letter as an area for priority action."
    )
    findings = models.ManyToManyField(Finding, blank=True, related_name="actions")

    class Meta:
        ordering = ["review", "number"]
        constraints = [
            models.UniqueConstraint(fields=["review", "number"], name="agreed_action_once"),
            models.CheckConstraint(condition=Q(number__gte=1), name="agreed_action_numbered"),
            models.CheckConstraint(condition=~Q(text=""), name="agreed_action_not_empty"),
        ]

    def __str__(self):
        return f"Action {self.number} of {self.review}"


class LetterTemplate(models.Model):
    """The region's agreed feedback letter, one per kind of review (R23): text the
    coordinator edits in the admin, with placeholders the software fills in. A letter
    keeps the words it was drafted with; a later edit changes only later drafts."""

    region = models.ForeignKey(
        "emslirp.Region", on_delete=models.CASCADE, related_name="letter_templates"
    )
    kind = models.CharField(max_length=8, choices=ReviewKind.choices)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        editable=False,
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["region", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["region", "kind"], name="letter_template_once")
        ]

    def __str__(self):
        return f"{self.get_kind_display()} letter template ({self.region})"


class LetterState(models.TextChoices):
    DRAFT = "draft", "Draft"
    WITH_QA = "with_qa", "With the QA to proofread"
    APPROVED = "approved", "Proofread by the QA"
    SHARED = "shared", "Shared with the host as a draft"
    FINAL = "final", "Final"


class Letter(models.Model):
    """The feedback letter to the host DCS (R23): drafted by the lead from the verbal
    feedback record, proofread by the QA, shared with the host as a draft, issued final
    by the lead. Its words never change once final; its PDF is kept with its SHA-256."""

    review = models.OneToOneField(Review, on_delete=models.CASCADE, related_name="letter")
    state = models.CharField(max_length=12, choices=LetterState.choices, default=LetterState.DRAFT)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    variations = models.TextField(
        blank=True, help_text="Any variation between team members' findings."
    )
    revision = models.PositiveIntegerField(default=1)
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    drafted_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    qa_comments = models.TextField(blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    shared_at = models.DateTimeField(null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    issued_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~Q(state="final") | Q(issued_by__isnull=False, issued_at__isnull=False),
                name="letter_final_is_issued",
            ),
            models.CheckConstraint(
                condition=~Q(state__in=["approved", "shared", "final"])
                | Q(approved_by__isnull=False, approved_at__isnull=False),
                name="letter_proofread_before_sharing",
            ),
            models.CheckConstraint(
                condition=~Q(state__in=["shared", "final"]) | Q(shared_at__isnull=False),
                name="letter_shared_before_final",
            ),
        ]

    def __str__(self):
        return f"Letter of {self.review}"

    @property
    def is_final(self) -> bool:
        return self.state == LetterState.FINAL


class LetterEvent(models.Model):
    """One step of a letter's flow, by whom and when, with what was said (R23, R33)."""

    letter = models.ForeignKey(Letter, on_delete=models.CASCADE, related_name="events")
    before = models.CharField(max_length=12, choices=LetterState.choices)
    after = models.CharField(max_length=12, choices=LetterState.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["letter", "at", "pk"]

    def __str__(self):
        return f"{self.letter}: {self.before} to {self.after}"


class LetterComment(models.Model):
    """The host's comment on the draft shared with them, to clear up a misunderstanding or
    fine-tune wording (R23, R24: no surprises). The lead reads it and decides."""

    letter = models.ForeignKey(Letter, on_delete=models.CASCADE, related_name="comments")
    letter_revision = models.PositiveIntegerField()
    text = models.TextField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()

    class Meta:
        ordering = ["letter", "at", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="letter_comment_not_empty"),
        ]

    def __str__(self):
        return f"Comment by {self.by} on {self.letter}"


class UntracedActionReason(models.Model):
    """Why the QA approved a letter with an action resting on no recorded evidence
    (R23): one reason per such action at each approval, shown to the lead."""

    letter = models.ForeignKey(Letter, on_delete=models.CASCADE, related_name="untraced_reasons")
    action = models.ForeignKey(AgreedAction, on_delete=models.CASCADE, related_name="+")
    reason = models.TextField()
    given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    given_at = models.DateTimeField()

    class Meta:
        ordering = ["letter", "action__number"]
        constraints = [
            models.UniqueConstraint(fields=["letter", "action"], name="untraced_reason_once"),
            models.CheckConstraint(condition=~Q(reason=""), name="untraced_reason_given"),
        ]

    def __str__(self):
        return f"Why {self.action} may stand without evidence"


class LetterPdf(StoredPdf):
    """A rendering of the letter with the verbal feedback record attached. Drafts are
    rendered again when asked; the final one is made once and never replaced (R23)."""

    letter = models.ForeignKey(Letter, on_delete=models.CASCADE, related_name="pdfs")
    is_final = models.BooleanField(default=False)
    letter_revision = models.PositiveIntegerField()
    # The final PDF's HTML, rendered when the letter is issued, in the same transaction:
    # the worker converts exactly this, so what it prints is the records as they were at
    # the issue, however late (or how often) the conversion runs (R23). Empty for drafts.
    html = models.TextField(blank=True, editable=False)

    class Meta(StoredPdf.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["letter"], condition=Q(is_final=True), name="letter_one_final_pdf"
            ),
            *StoredPdf.Meta.constraints,
        ]

    def __str__(self):
        return f"PDF of {self.letter} ({'final' if self.is_final else 'draft'})"


class LetterPdfDownload(PdfDownload):
    pdf = models.ForeignKey(LetterPdf, on_delete=models.CASCADE, related_name="downloads")


# Escalation (R26) ----------------------------------------------------------------------


class EscalationAbout(models.TextChoices):
    PROCESS = "process", "The review process"
    CONDUCT = "conduct", "The team's conduct"
    FINDINGS = "findings", "The findings"


class EscalationState(models.TextChoices):
    RAISED = "raised", "Raised by the host"
    ANSWERED = "answered", "Answered by the lead"
    WITH_QA = "with_qa", "Referred to the QA"
    CLOSED = "closed", "Closed"


class EscalationOutcome(models.TextChoices):
    RESOLVED = "resolved", "Resolved with the lead"
    UPHELD = "upheld", "Upheld by the QA"
    NOT_UPHELD = "not_upheld", "Not upheld by the QA"


class Escalation(models.Model):
    """A host's concern about a review (R26): raised by the host, answered by the lead,
    adjudicated by the QA if it is not resolved, with its outcome recorded."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="escalations")
    about = models.CharField(max_length=12, choices=EscalationAbout.choices)
    concern = models.TextField()
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    raised_at = models.DateTimeField()
    state = models.CharField(
        max_length=12, choices=EscalationState.choices, default=EscalationState.RAISED
    )
    lead_response = models.TextField(blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    responded_at = models.DateTimeField(null=True, blank=True)
    referred_at = models.DateTimeField(null=True, blank=True)
    adjudication = models.TextField(blank=True)
    adjudicated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    adjudicated_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=12, choices=EscalationOutcome.choices, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["review", "raised_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(concern=""), name="escalation_has_concern"),
            models.CheckConstraint(
                condition=Q(state="closed", closed_at__isnull=False) & ~Q(outcome="")
                | (~Q(state="closed") & Q(outcome="", closed_at__isnull=True)),
                name="escalation_closed_with_outcome",
            ),
            models.CheckConstraint(
                condition=~Q(outcome__in=["upheld", "not_upheld"])
                | (Q(adjudicated_by__isnull=False) & ~Q(adjudication="")),
                name="escalation_adjudicated_by_qa",
            ),
        ]

    def __str__(self):
        return f"Escalation about {self.get_about_display().lower()} on {self.review}"


# Reflection and evaluation (R27) -------------------------------------------------------

SCALE_1_5 = [(n, str(n)) for n in range(1, 6)]


class Reflection(models.Model):
    """One person's reflection on a review (R27): a team member or the host DCS. What
    they write is never shown as theirs: others see only the composite of the whole team,
    and only once enough have answered; the QA sees who has completed."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="reflections")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    self_strengths = models.TextField(blank=True)
    self_development = models.TextField(blank=True)
    # The evaluation of the review process (handbook section K).
    suitability = models.PositiveSmallIntegerField(choices=SCALE_1_5, null=True, blank=True)
    length_comments = models.TextField(blank=True)
    design_comments = models.TextField(blank=True)
    hypotheses_comments = models.TextField(blank=True)
    arrangements_comments = models.TextField(blank=True)
    needs_identification = models.TextField(blank=True)
    local_priorities = models.TextField(blank=True)
    main_learning = models.TextField(blank=True)
    leadership_development = models.PositiveSmallIntegerField(
        choices=SCALE_1_5, null=True, blank=True
    )
    benefits = models.TextField(blank=True)
    other_comments = models.TextField(blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["review", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["review", "person"], name="reflection_once"),
            models.CheckConstraint(
                condition=Q(suitability__isnull=True) | Q(suitability__gte=1, suitability__lte=5),
                name="reflection_suitability_1_to_5",
            ),
            models.CheckConstraint(
                condition=Q(leadership_development__isnull=True)
                | Q(leadership_development__gte=1, leadership_development__lte=5),
                name="reflection_leadership_1_to_5",
            ),
            models.CheckConstraint(
                condition=Q(submitted_at__isnull=True)
                | Q(suitability__isnull=False, leadership_development__isnull=False),
                name="reflection_submitted_with_scales",
            ),
        ]

    def __str__(self):
        return f"Reflection of {self.person} on {self.review}"


class PeerFeedback(models.Model):
    """What one reflection says of one colleague on the team: strengths and areas for
    development (R27). Read only as part of the whole team's composite."""

    reflection = models.ForeignKey(
        Reflection, on_delete=models.CASCADE, related_name="peer_feedback"
    )
    colleague = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    strengths = models.TextField(blank=True)
    development = models.TextField(blank=True)

    class Meta:
        ordering = ["reflection", "colleague"]
        constraints = [
            models.UniqueConstraint(fields=["reflection", "colleague"], name="peer_feedback_once")
        ]

    def __str__(self):
        return f"Feedback on {self.colleague}"

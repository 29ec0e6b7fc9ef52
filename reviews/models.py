"""PCTR and SAV reviews (R10, R11, R14–R24): one record per review, whatever its kind."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from emslirp.models import LocalAuthority


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
    is_extra = models.BooleanField(
        default=False, help_text="An extra PCTR the host LA asked for (R10)."
    )
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
        help_text="The expertise investigating it needs: team suggestions cover it (R14).",
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
        blank=True, help_text="The lead's disagreement with the host's decision, kept (R19)."
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

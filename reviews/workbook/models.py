"""The workbook's records (R18–R22, R24): hypotheses and their methods, the conference
call, deployment, the notebook's notes and findings, emerging issues, the verbal feedback
and its agreed actions."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from reviews.review.models import Review, TeamMember


class Proposal(models.TextChoices):
    INVESTIGATE = "investigate", "Investigate"
    PARK = "park", "Park"


class HypothesisSource(models.TextChoices):
    WEAKNESS = "weakness", "Key weakness"
    KLOE = "kloe", "Key line of enquiry"


class Hypothesis(models.Model):
    """One of up to four hypotheses the lead and the data specialist draft in the desk
    analysis (R18). For a PCTR the host DCS decides which are investigated, and the lead
    may record disagreement (R19); for a SAV the team agrees them at the conference call."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="hypotheses")
    number = models.PositiveSmallIntegerField()
    text = models.TextField()
    linked_to_data = models.BooleanField(default=False)
    linked_to_self_assessment = models.BooleanField(default=False)
    # Where it came from (R40): a key weakness or a key line of enquiry of the LA's
    # self-assessment, by its number there, with its words as they were when chosen.
    source_kind = models.CharField(max_length=12, choices=HypothesisSource.choices, blank=True)
    source_number = models.PositiveSmallIntegerField(null=True, blank=True)
    source_text = models.TextField(blank=True)
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
            models.CheckConstraint(
                condition=Q(source_kind="", source_number__isnull=True)
                | (~Q(source_kind="") & Q(source_number__gte=1)),
                name="hypothesis_source_numbered",
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


class TeamAreaView(models.Model):
    """The team's own 1–4 view of an area of the self-assessment its hypotheses touched,
    recorded at the verbal feedback beside the LA's self-rating (R39)."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="team_views")
    area = models.CharField(max_length=40, help_text="The area's key in the template.")
    rating = models.PositiveSmallIntegerField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["review", "area"]
        constraints = [
            models.UniqueConstraint(fields=["review", "area"], name="team_view_once_per_area"),
            models.CheckConstraint(
                condition=Q(rating__gte=1) & Q(rating__lte=4), name="team_view_rated_1_to_4"
            ),
        ]

    def __str__(self):
        return f"Team's view of {self.area} at {self.review}"

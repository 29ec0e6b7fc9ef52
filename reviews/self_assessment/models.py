"""The self-assessment template, the self-assessments filled in on it, their revisions and
delegations (R17, R32)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from emslirp.models import LocalAuthority

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

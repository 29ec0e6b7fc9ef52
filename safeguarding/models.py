"""What only safeguarding has: critical incidents found during a review, PCTR or SAV (R25).

An incident is raised on site by a team member or the lead, and the host DCS and the QA
are told at once. The lead records when it was raised with the host DCS, the host
records what they will do, and both sign. Once both have signed, responsibility rests
with the host and the record is frozen: anything learnt later is an addendum.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from emslirp.models import PdfDownload, StoredPdf
from reviews.review.models import Review


class CriticalIncident(models.Model):
    """The critical incident form (handbook section J). The LA, host DCS, lead and review
    date are the review's; they are copied in when raised, so the signed record keeps
    the names it was signed under."""

    review = models.ForeignKey(Review, on_delete=models.PROTECT, related_name="incidents")
    # From the records, when raised.
    local_authority_name = models.CharField(max_length=150)
    host_dcs_name = models.CharField(max_length=150)
    lead_name = models.CharField(max_length=150)
    review_dates = models.CharField(max_length=100)
    # Raised by the team.
    incident = models.TextField("critical incident identified")
    nature = models.TextField("nature of the incident")
    evidence = models.TextField()
    identified_at = models.DateTimeField("date and time identified")
    identified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="identifying team member",
    )
    initial_action = models.TextField("action taken when it was identified")
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    raised_at = models.DateTimeField()
    # With the host.
    raised_with_host_at = models.DateTimeField(
        "date and time raised with the host DCS", null=True, blank=True
    )
    host_action = models.TextField("action to be taken by the host DCS", blank=True)
    host_responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    host_responded_at = models.DateTimeField(null=True, blank=True)
    # Signatures.
    lead_signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    lead_signed_at = models.DateTimeField(null=True, blank=True)
    host_signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    host_signed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-raised_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(lead_signed_by__isnull=True, lead_signed_at__isnull=True)
                | Q(
                    lead_signed_by__isnull=False,
                    lead_signed_at__isnull=False,
                    raised_with_host_at__isnull=False,
                ),
                name="incident_lead_signs_once_raised_with_host",
            ),
            models.CheckConstraint(
                condition=Q(host_signed_by__isnull=True, host_signed_at__isnull=True)
                | (
                    Q(host_signed_by__isnull=False, host_signed_at__isnull=False)
                    & ~Q(host_action="")
                ),
                name="incident_host_signs_with_action",
            ),
            models.CheckConstraint(
                condition=~Q(incident="") & ~Q(nature="") & ~Q(evidence=""),
                name="incident_described",
            ),
        ]

    def __str__(self):
        return f"Critical incident on {self.review} ({self.raised_at:%d %b %Y})"

    @property
    def is_frozen(self) -> bool:
        """Signed by both: responsibility rests with the host (R25)."""
        return self.lead_signed_at is not None and self.host_signed_at is not None


class IncidentAddendum(models.Model):
    """Information learnt after an incident was signed, added without touching it."""

    incident = models.ForeignKey(CriticalIncident, on_delete=models.CASCADE, related_name="addenda")
    text = models.TextField()
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    written_at = models.DateTimeField()

    class Meta:
        ordering = ["incident", "written_at", "pk"]
        verbose_name_plural = "incident addenda"
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="incident_addendum_not_empty")
        ]

    def __str__(self):
        return f"Addendum to {self.incident}"


class IncidentPdf(StoredPdf):
    """A rendering of the critical incident record, with its addenda."""

    incident = models.ForeignKey(CriticalIncident, on_delete=models.CASCADE, related_name="pdfs")

    def __str__(self):
        return f"PDF of {self.incident}"


class IncidentPdfDownload(PdfDownload):
    pdf = models.ForeignKey(IncidentPdf, on_delete=models.CASCADE, related_name="downloads")

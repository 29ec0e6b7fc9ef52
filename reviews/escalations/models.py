"""Escalations (R26)."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from reviews.review.models import Review

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

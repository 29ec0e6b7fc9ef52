"""PCTR and SAV reviews (R10, R11, R14–R24): one record per review, whatever its kind."""

from django.db import models
from django.db.models import F, Q

from emslirp.models import LocalAuthority


class ReviewKind(models.TextChoices):
    PCTR = "pctr", "Peer Challenge Team Review"
    SAV = "sav", "Safeguarding Assurance Visit"


class ReviewState(models.TextChoices):
    PLANNED = "planned", "Planned"


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
        ]
        indexes = [models.Index(fields=["kind", "starts_on"])]

    def __str__(self):
        return f"{self.get_kind_display()} of {self.host} ({self.starts_on:%b %Y})"

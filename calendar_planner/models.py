"""Programmes of reviews (R10–R13): the calendars the planner makes or a coordinator
imports, their entries until they are adopted, and the LAs' blackout periods."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from emslirp.models import LocalAuthority, Region
from reviews.review.models import ReviewKind


class Blackout(models.Model):
    """A period in which an LA takes no part in the programme (an expected inspection,
    say): the planner never places it there and the validator reports it (R12)."""

    local_authority = models.ForeignKey(
        LocalAuthority, on_delete=models.CASCADE, related_name="blackouts"
    )
    starts_on = models.DateField()
    ends_on = models.DateField(help_text="The last day of the blackout.")
    reason = models.CharField(max_length=200)

    class Meta:
        ordering = ["local_authority__name", "starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="blackout_ends_after_start"
            )
        ]

    def __str__(self):
        return f"{self.local_authority}: {self.starts_on} to {self.ends_on}"


class ProgrammeState(models.TextChoices):
    PLANNING = "planning", "Being planned"
    DRAFT = "draft", "Draft"
    ADOPTED = "adopted", "Adopted"
    FAILED = "failed", "Could not be planned"


class ProgrammeOrigin(models.TextChoices):
    PLANNED = "planned", "Made by the planner"
    IMPORTED = "imported", "Imported from a file"


class Programme(models.Model):
    """A PCTR cycle or a SAV programme of a region: its first slot, its length and, for
    SAVs, the interval between an LA's visits (R10, R11)."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="programmes")
    kind = models.CharField(max_length=8, choices=ReviewKind.choices)
    starts_on = models.DateField(help_text="The first day of the first quarter or window.")
    months = models.PositiveSmallIntegerField(help_text="How many months the programme runs.")
    interval_months = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="SAV only: months between an LA's visits."
    )
    seed = models.PositiveIntegerField(default=0)
    origin = models.CharField(max_length=16, choices=ProgrammeOrigin.choices)
    state = models.CharField(max_length=16, choices=ProgrammeState.choices)
    note = models.TextField(blank=True, help_text="Why planning failed, or the file imported.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    adopted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    adopted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-starts_on", "kind", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind=ReviewKind.SAV) & Q(interval_months__gte=2))
                | (Q(kind=ReviewKind.PCTR) & Q(interval_months__isnull=True)),
                name="programme_interval_for_sav_only",
            ),
            models.CheckConstraint(
                condition=Q(months__gte=1) & Q(months__lte=240), name="programme_months_range"
            ),
            models.CheckConstraint(condition=Q(starts_on__day=1), name="programme_starts_on_1st"),
            models.CheckConstraint(
                condition=Q(state=ProgrammeState.ADOPTED, adopted_at__isnull=False)
                | (~Q(state=ProgrammeState.ADOPTED) & Q(adopted_at__isnull=True)),
                name="programme_adopted_when",
            ),
        ]

    def __str__(self):
        kind = "PCTR cycle" if self.kind == ReviewKind.PCTR else "SAV programme"
        return f"{self.region} {kind} from {self.starts_on:%B %Y}"

    @property
    def is_editable(self) -> bool:
        return self.state == ProgrammeState.DRAFT


class ProgrammeEntry(models.Model):
    """One row of a programme: a host in a slot, with the LAs of its lead and QA. A draft
    may break rules (the validator says which); adopting it creates the review."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="entries")
    starts_on = models.DateField()
    host = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT, related_name="+")
    lead = models.ForeignKey(
        LocalAuthority, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    qa = models.ForeignKey(
        LocalAuthority, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    review = models.OneToOneField(
        "reviews.Review",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="programme_entry",
    )

    class Meta:
        ordering = ["starts_on", "host__name", "pk"]

    def __str__(self):
        return f"{self.host} {self.starts_on:%b %Y}"


class ExtraReviewState(models.TextChoices):
    REQUESTED = "requested", "Requested"
    SCHEDULED = "scheduled", "Scheduled"
    DECLINED = "declined", "Declined"


class ExtraReviewRequest(models.Model):
    """An LA's request for an extra PCTR, which it may make at any time (R10)."""

    local_authority = models.ForeignKey(
        LocalAuthority, on_delete=models.PROTECT, related_name="extra_review_requests"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    preferred_start = models.DateField(help_text="The first day of the preferred quarter.")
    reason = models.TextField()
    state = models.CharField(
        max_length=16, choices=ExtraReviewState.choices, default=ExtraReviewState.REQUESTED
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.TextField(blank=True)
    review = models.OneToOneField(
        "reviews.Review",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="extra_request",
    )

    class Meta:
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(state=ExtraReviewState.SCHEDULED) | Q(review__isnull=False),
                name="extra_review_scheduled_has_review",
            ),
            models.CheckConstraint(
                condition=~Q(state=ExtraReviewState.DECLINED) | ~Q(decline_reason=""),
                name="extra_review_declined_has_reason",
            ),
            # One request waiting per LA: a second click, or a second tab, asks nothing new.
            models.UniqueConstraint(
                fields=["local_authority"],
                condition=Q(state=ExtraReviewState.REQUESTED),
                name="extra_review_one_waiting_per_la",
            ),
        ]

    def __str__(self):
        return f"Extra PCTR for {self.local_authority}"

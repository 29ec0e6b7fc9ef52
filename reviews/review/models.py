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


# Reflection and evaluation (R27) -------------------------------------------------------

SCALE_1_5 = [(n, str(n)) for n in range(1, 6)]

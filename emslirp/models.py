"""The region's core (SPEC R1–R4): regions, local authorities, people, posts, the MoU.

Models hold fields, constraints and thin methods. Writes go through ``services.py``,
reads through ``selectors.py``.
"""

import datetime

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone

from emslirp.auth import normalise_email
from emslirp.text import long_date


class Region(models.Model):
    """A group of local authorities that review each other (R1, R2)."""

    name = models.CharField(max_length=100)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(Lower("name"), name="region_name_unique_ci")]

    def __str__(self):
        return self.name


class LocalAuthorityQuerySet(models.QuerySet):
    def active_on(self, day: datetime.date):
        """The authorities that existed on ``day`` (R1: history stays with the LA of the time)."""
        return self.filter(Q(active_to__isnull=True) | Q(active_to__gte=day), active_from__lte=day)


class LocalAuthority(models.Model):
    """A council with children's services responsibilities, for the days it existed (R1)."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="local_authorities")
    name = models.CharField(max_length=100, help_text="As the register spells it, e.g. Derby City.")
    active_from = models.DateField(help_text="The first day the authority existed.")
    active_to = models.DateField(
        null=True, blank=True, help_text="The last day the authority existed; empty while it does."
    )
    successors = models.ManyToManyField(
        "self", symmetrical=False, related_name="predecessors", blank=True
    )

    objects = LocalAuthorityQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "local authorities"
        constraints = [
            models.UniqueConstraint(Lower("name"), name="la_name_unique_ci"),
            models.CheckConstraint(
                condition=Q(active_to__isnull=True) | Q(active_to__gte=models.F("active_from")),
                name="la_active_range_ordered",
                violation_error_message="The last active day cannot be before the first.",
            ),
        ]

    def __str__(self):
        return self.name

    def is_active_on(self, day: datetime.date) -> bool:
        return self.active_from <= day and (self.active_to is None or day <= self.active_to)


class LocalAuthorityAlias(models.Model):
    """Another name a person or a file may use for an LA, e.g. "Derby" (R1)."""

    local_authority = models.ForeignKey(
        LocalAuthority, on_delete=models.CASCADE, related_name="aliases"
    )
    name = models.CharField(max_length=100)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "local authority aliases"
        constraints = [models.UniqueConstraint(Lower("name"), name="la_alias_unique_ci")]

    def __str__(self):
        return self.name


class UserManager(BaseUserManager):
    use_in_migrations = True

    def get_by_natural_key(self, username):
        # Addresses are stored trimmed and lower-case, and matched exactly in that form, so
        # sign-in, lockout counting and the unique constraint all agree on what one address
        # is (a database's own case folding can match look-alikes such as a dotless i).
        return self.get(email=normalise_email(username or ""))

    def _create(self, email, password, **extra):
        if not email:
            raise ValueError("A person needs an e-mail address to sign in.")
        user = self.model(email=normalise_email(email), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra["is_staff"] = True
        extra["is_superuser"] = True
        return self._create(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in with their e-mail address (R3)."""

    email = models.EmailField("e-mail address", unique=True)
    full_name = models.CharField(max_length=150)
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        related_name="people",
        null=True,
        blank=True,
        help_text="The region whose register keeps this person's record.",
    )
    is_staff = models.BooleanField(
        default=False, help_text="May sign in to the admin (coordinators and technical staff)."
    )
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name", "email"]
        verbose_name = "person"
        verbose_name_plural = "people"
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_unique_ci")]

    def __str__(self):
        return self.full_name or self.email

    def clean(self):
        super().clean()
        self.email = normalise_email(self.email or "")
        if not self.email.isascii():
            raise ValidationError(
                {"email": "Use an address made of plain letters, digits and punctuation."}
            )

    def get_full_name(self):
        return self.full_name

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.email


class PostKind(models.TextChoices):
    DCS = "dcs", "Director of Children's Services"
    SAFEGUARDING_LEAD = "safeguarding_lead", "2nd-tier safeguarding lead"
    LEAD_MEMBER = "lead_member", "Lead Member for children's services"
    CHIEF_EXECUTIVE = "chief_executive", "Chief Executive"
    DATA_SPECIALIST = "data_specialist", "Data specialist"
    SENIOR_OFFICER = "senior_officer", "Senior officer"
    COORDINATOR = "coordinator", "SDSA coordinator"


# Posts an LA has one holder of at a time; the others (data specialists, senior officers,
# coordinators of a region) may have several.
SINGLE_HOLDER_POSTS = (
    PostKind.DCS,
    PostKind.SAFEGUARDING_LEAD,
    PostKind.LEAD_MEMBER,
    PostKind.CHIEF_EXECUTIVE,
)
# Who signs an LA's Memorandum of Understanding (R4).
MOU_SIGNATORY_POSTS = (PostKind.DCS, PostKind.LEAD_MEMBER, PostKind.CHIEF_EXECUTIVE)


class PostQuerySet(models.QuerySet):
    def held_on(self, day: datetime.date):
        return self.filter(Q(ended_on__isnull=True) | Q(ended_on__gte=day), started_on__lte=day)


class Post(models.Model):
    """A person holding a post in an LA (or, for a coordinator, a region) over time (R3).

    Rights that come from a post are computed from these rows on the date in question,
    never copied onto other records.
    """

    class Tier(models.IntegerChoices):
        SECOND = 2, "2nd tier"
        THIRD = 3, "3rd tier"

    holder = models.ForeignKey(User, on_delete=models.PROTECT, related_name="posts")
    kind = models.CharField(max_length=32, choices=PostKind.choices)
    local_authority = models.ForeignKey(
        LocalAuthority, on_delete=models.PROTECT, related_name="posts", null=True, blank=True
    )
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        related_name="coordinator_posts",
        null=True,
        blank=True,
        help_text="For an SDSA coordinator only: the region they coordinate.",
    )
    tier = models.PositiveSmallIntegerField(
        choices=Tier.choices, null=True, blank=True, help_text="For a senior officer only."
    )
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True, help_text="The last day in post.")

    objects = PostQuerySet.as_manager()

    class Meta:
        ordering = ["-started_on", "kind"]
        indexes = [models.Index(fields=["local_authority", "kind", "started_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="post_dates_ordered",
                violation_error_message="A post cannot end before it starts.",
            ),
            models.CheckConstraint(
                condition=(
                    Q(kind=PostKind.COORDINATOR, region__isnull=False, local_authority__isnull=True)
                    | (
                        ~Q(kind=PostKind.COORDINATOR)
                        & Q(region__isnull=True, local_authority__isnull=False)
                    )
                ),
                name="post_belongs_to_la_or_coordinated_region",
                violation_error_message=(
                    "A coordinator's post names a region; every other post names a local authority."
                ),
            ),
            models.CheckConstraint(
                condition=(
                    Q(kind=PostKind.SENIOR_OFFICER, tier__isnull=False, tier__in=[2, 3])
                    | (~Q(kind=PostKind.SENIOR_OFFICER) & Q(tier__isnull=True))
                ),
                name="post_tier_for_senior_officers_only",
                violation_error_message=(
                    "A senior officer's post has a tier (2 or 3); no other post has."
                ),
            ),
            models.UniqueConstraint(
                fields=["local_authority", "kind"],
                condition=Q(ended_on__isnull=True, kind__in=SINGLE_HOLDER_POSTS),
                name="post_one_open_single_holder_per_la",
                violation_error_message="This authority already has a current holder of that post.",
            ),
        ]

    def __str__(self):
        where = self.local_authority or self.region
        return f"{self.get_kind_display()}, {where}"

    def is_held_on(self, day: datetime.date) -> bool:
        return self.started_on <= day and (self.ended_on is None or day <= self.ended_on)


class MemorandumOfUnderstanding(models.Model):
    """An LA's signed commitment to the programme (R4)."""

    local_authority = models.ForeignKey(
        LocalAuthority, on_delete=models.PROTECT, related_name="memoranda"
    )
    commenced_on = models.DateField()
    review_on = models.DateField(help_text="When the memorandum is next reviewed.")

    class Meta:
        ordering = ["-commenced_on"]
        verbose_name = "memorandum of understanding"
        verbose_name_plural = "memoranda of understanding"
        constraints = [
            models.CheckConstraint(
                condition=Q(review_on__gt=models.F("commenced_on")),
                name="mou_review_after_commencement",
                violation_error_message="The review date must come after commencement.",
            ),
            models.UniqueConstraint(
                fields=["local_authority", "commenced_on"], name="mou_one_per_la_per_commencement"
            ),
        ]

    def __str__(self):
        return f"{self.local_authority} MoU from {long_date(self.commenced_on)}"


class MouSignature(models.Model):
    """One signature on an MoU, by the holder of the signing post on the day (R4)."""

    memorandum = models.ForeignKey(
        MemorandumOfUnderstanding, on_delete=models.CASCADE, related_name="signatures"
    )
    signatory_post = models.CharField(
        max_length=32, choices=[(k.value, k.label) for k in MOU_SIGNATORY_POSTS]
    )
    signed_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="mou_signatures")
    signed_on = models.DateField()

    class Meta:
        ordering = ["signatory_post"]
        constraints = [
            models.UniqueConstraint(
                fields=["memorandum", "signatory_post"],
                name="mou_one_signature_per_post",
                violation_error_message="That post has already signed this memorandum.",
            ),
            models.CheckConstraint(
                condition=Q(signatory_post__in=MOU_SIGNATORY_POSTS),
                name="mou_signatory_is_dcs_member_or_chief_executive",
            ),
        ]

    def __str__(self):
        return f"{self.get_signatory_post_display()}: {self.signed_by}"


# Stored PDFs (R23, R25) ---------------------------------------------------------------


class PdfState(models.TextChoices):
    PENDING = "pending", "Being made"
    READY = "ready", "Ready"
    FAILED = "failed", "Could not be made"


class StoredPdf(models.Model):
    """A PDF made by the worker and kept in the database, never under a public media
    URL: it is served only by a view that asks the permission functions and logs the
    download. ``sha256`` is the digest of ``content``, shown beside every download."""

    state = models.CharField(max_length=8, choices=PdfState.choices, default=PdfState.PENDING)
    requested_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField()
    content = models.BinaryField(editable=False, default=b"")
    sha256 = models.CharField(max_length=64, blank=True, editable=False)
    size = models.PositiveIntegerField(default=0)
    rendered_at = models.DateTimeField(null=True, blank=True)
    render_seconds = models.FloatField(null=True, blank=True)
    failure = models.TextField(blank=True)

    class Meta:
        abstract = True
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(state="ready") | (Q(rendered_at__isnull=False) & ~Q(sha256="")),
                name="%(app_label)s_%(class)s_ready_has_digest",
            )
        ]


class PdfDownload(models.Model):
    """Who downloaded a stored PDF, and when (R33)."""

    by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()

    class Meta:
        abstract = True
        ordering = ["-at", "-pk"]


class ReminderState(models.TextChoices):
    PENDING = "pending", "Waiting to be sent"
    SENT = "sent", "Sent"
    CANCELLED = "cancelled", "Not sent: no longer needed"
    FAILED = "failed", "Not sent: the mail server refused it"


class Reminder(models.Model):
    """The outbox of reminders (R37): one row per (deadline, recipient, step), made by the
    sweep when a step's day comes and sent once by the worker. A reminder the coordinator
    sends by hand has no step, and at most one is sent per deadline and recipient a day.
    A deadline is named by its ``kind`` and ``subject`` (``emslirp.deadlines``)."""

    kind = models.CharField(max_length=32)
    subject = models.CharField(max_length=64)
    recipient = models.ForeignKey(User, on_delete=models.PROTECT, related_name="reminders")
    step = models.SmallIntegerField(
        null=True, blank=True, help_text="Working days from the due date; none when by hand."
    )
    requested_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    requested_on = models.DateField(null=True, blank=True)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    title = models.CharField(max_length=300)
    due_on = models.DateField()
    state = models.CharField(
        max_length=10, choices=ReminderState.choices, default=ReminderState.PENDING
    )
    created_at = models.DateTimeField()
    enqueued_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    sent_to = models.EmailField(blank=True)
    attempts = models.PositiveSmallIntegerField(
        default=0, help_text="Sends that failed; after REMINDER_MAX_ATTEMPTS it is given up."
    )
    failure = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "subject", "recipient", "step"],
                condition=Q(step__isnull=False),
                name="reminder_once_per_step",
            ),
            models.UniqueConstraint(
                fields=["kind", "subject", "recipient", "requested_on"],
                condition=Q(step__isnull=True),
                name="reminder_by_hand_once_a_day",
            ),
            models.CheckConstraint(
                condition=(
                    Q(step__isnull=False, requested_by__isnull=True, requested_on__isnull=True)
                    | Q(step__isnull=True, requested_by__isnull=False, requested_on__isnull=False)
                ),
                name="reminder_step_or_by_hand",
            ),
            models.CheckConstraint(
                condition=~Q(state="sent") | (Q(sent_at__isnull=False) & ~Q(sent_to="")),
                name="reminder_sent_has_when_and_where",
            ),
        ]
        indexes = [
            models.Index(fields=["state", "enqueued_at"]),
            models.Index(fields=["region", "-created_at"]),
        ]

    def __str__(self):
        return f"Reminder to {self.recipient}: {self.title}"

    @property
    def step_words(self) -> str:
        """When it went, as the coordinator's page says it."""
        if self.step is None:
            return "by hand"
        days = abs(self.step)
        plural = "" if days == 1 else "s"
        if self.step < 0:
            return f"{days} working day{plural} before the due date"
        if self.step == 0:
            return "on the due date"
        return f"{days} working day{plural} after the due date"


class FormToken(models.Model):
    """A form's one-time token, kept once the form it was rendered into has done its
    work (STYLE 13): the same form sent again — a double click, a retry on bad Wi-Fi, the
    back button — meets the primary key and is answered as the first was, creating
    nothing and sending no e-mail twice."""

    token = models.UUIDField(primary_key=True)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    used_at = models.DateTimeField()
    path = models.CharField(max_length=500)
    # Where the first answer sent the person, to send the repeat there too.
    location = models.CharField(max_length=500)

    def __str__(self):
        return f"Form sent by {self.user} to {self.path}"

"""Accreditation (SPEC R5–R9; handbook sections E and F): from an expression of interest,
through the sponsor DCS's decision and regional training, to the accredited pool.

Models hold fields and constraints; writes go through ``services.py``, reads through
``selectors.py``.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from emslirp.models import LocalAuthority, Region
from emslirp.text import long_date


class Role(models.TextChoices):
    """What a person may be accredited to do on a review (R7)."""

    PCTR_MEMBER = "pctr_member", "PCTR team member"
    SAV_LEAD_AD = "sav_lead_ad", "SAV lead AD"
    SAV_MEMBER = "sav_member", "SAV team member"
    DATA_SPECIALIST = "data_specialist", "Data specialist"
    LEAD_DCS = "lead_dcs", "Lead DCS"
    QA_DCS = "qa_dcs", "QA DCS"
    QA_AD = "qa_ad", "QA AD"


# The roles a person applies for on the expression of interest (R5).
APPLICATION_ROLES = (Role.PCTR_MEMBER, Role.SAV_LEAD_AD, Role.SAV_MEMBER, Role.DATA_SPECIALIST)
# The roles whose training is the workshop for lead and QA directors, not the one-day
# session (R7). A QA AD coaches and adjudicates as a QA DCS does, so trains with them.
WORKSHOP_ROLES = (Role.LEAD_DCS, Role.QA_DCS, Role.QA_AD)


# The six skills of the form, each answered with an example (R5).
SKILL_FIELDS = (
    "skill_teamwork",
    "skill_analysis",
    "skill_perspective",
    "skill_challenge",
    "skill_coaching",
    "skill_culture",
)


class Specialism(models.Model):
    """An area of expertise from the expression of interest (R5); the pool filters by it."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=60, unique=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]

    def __str__(self):
        return self.name


class ExpressionOfInterest(models.Model):
    """One person's application to become a peer reviewer (R5): drafted, then sent to the
    DCS of their own LA, who decides per role (R6)."""

    class State(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Sent to the sponsor"
        DECIDED = "decided", "Decided"

    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="applications"
    )
    local_authority = models.ForeignKey(
        LocalAuthority,
        on_delete=models.PROTECT,
        related_name="applications",
        help_text="The applicant's own LA, whose DCS sponsors them.",
    )
    state = models.CharField(max_length=12, choices=State.choices, default=State.DRAFT)
    current_position = models.CharField(max_length=200, blank=True)
    experience = models.TextField("experience and specialist expertise", blank=True)
    specialisms = models.ManyToManyField(Specialism, blank=True, related_name="applications")
    other_specialism = models.CharField("other specialism", max_length=200, blank=True)
    previous_roles = models.TextField(
        "previous roles and organisations (last five years, with dates)", blank=True
    )
    telephone = models.CharField(max_length=40, blank=True)
    skill_teamwork = models.TextField(
        "working collaboratively in a team, using reflective practice", blank=True
    )
    skill_analysis = models.TextField(
        "analysing information and forming evidence-based judgements", blank=True
    )
    skill_perspective = models.TextField(
        "giving a constructive, independent perspective on performance", blank=True
    )
    skill_challenge = models.TextField(
        "challenging on the priorities that matter, especially capacity to improve", blank=True
    )
    skill_coaching = models.TextField("using coaching to support leadership", blank=True)
    skill_culture = models.TextField(
        "building a culture of empowerment, innovation and improvement", blank=True
    )
    signed_name = models.CharField("signed", max_length=150, blank=True)
    signed_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = "expression of interest"
        verbose_name_plural = "expressions of interest"
        constraints = [
            # One application in progress per person: a second draft would split their words.
            models.UniqueConstraint(
                fields=["applicant"],
                condition=Q(state__in=["draft", "submitted"]),
                name="eoi_one_open_per_applicant",
                violation_error_message="You already have an application in progress.",
            ),
            models.CheckConstraint(
                condition=Q(state="draft")
                | (Q(submitted_at__isnull=False) & Q(signed_on__isnull=False) & ~Q(signed_name="")),
                name="eoi_sent_is_signed",
                violation_error_message="An application is signed and dated before it is sent.",
            ),
        ]

    def __str__(self):
        return f"{self.applicant}, {self.local_authority}"

    @property
    def skill_answers(self) -> list[tuple[str, str]]:
        return [
            (self._meta.get_field(name).verbose_name, getattr(self, name)) for name in SKILL_FIELDS
        ]


class RoleRequest(models.Model):
    """A role applied for on an expression of interest, and the sponsor's decision on it."""

    class Decision(models.TextChoices):
        PENDING = "pending", "Awaiting the sponsor"
        APPROVED = "approved", "Approved"
        DECLINED = "declined", "Declined"

    application = models.ForeignKey(
        ExpressionOfInterest, on_delete=models.CASCADE, related_name="role_requests"
    )
    role = models.CharField(max_length=20, choices=Role.choices)
    decision = models.CharField(max_length=10, choices=Decision.choices, default=Decision.PENDING)
    reason = models.TextField(blank=True, help_text="Why the role was declined.")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sponsor_decisions",
    )
    decided_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["application", "role"]
        constraints = [
            models.UniqueConstraint(fields=["application", "role"], name="role_request_once"),
            models.CheckConstraint(
                condition=Q(role__in=[r.value for r in APPLICATION_ROLES]),
                name="role_request_application_role",
            ),
            models.CheckConstraint(
                condition=~Q(decision="declined") | ~Q(reason=""),
                name="role_request_declined_has_reason",
                violation_error_message="Say why the role is declined.",
            ),
            models.CheckConstraint(
                condition=Q(decision="pending", decided_by__isnull=True, decided_on__isnull=True)
                | (
                    ~Q(decision="pending")
                    & Q(decided_by__isnull=False)
                    & Q(decided_on__isnull=False)
                ),
                name="role_request_decision_recorded",
            ),
        ]

    def __str__(self):
        return f"{self.get_role_display()} ({self.get_decision_display().lower()})"


class TrainingSession(models.Model):
    """A regional training event (R7): the one-day session for team members, or the
    workshop for lead and QA directors."""

    class Kind(models.TextChoices):
        TEAM_DAY = "team_day", "One-day training for team members"
        DIRECTOR_WORKSHOP = "director_workshop", "Workshop for lead and QA directors"

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="training_sessions")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    held_on = models.DateField()
    venue = models.CharField(max_length=200)
    mandatory = models.BooleanField(
        default=False,
        help_text="Accredited people who are invited and miss it are flagged.",
    )

    class Meta:
        ordering = ["-held_on"]

    def __str__(self):
        return f"{self.get_kind_display()}, {long_date(self.held_on)}, {self.venue}"


class TrainingAttendance(models.Model):
    """A person's place at a session: invited, then attended or not (R7)."""

    session = models.ForeignKey(TrainingSession, on_delete=models.CASCADE, related_name="places")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="training_places"
    )
    attended = models.BooleanField(null=True, help_text="Empty until the day is recorded.")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["session", "person__full_name"]
        verbose_name_plural = "training attendance"
        constraints = [
            models.UniqueConstraint(fields=["session", "person"], name="attendance_once")
        ]

    def __str__(self):
        return f"{self.person} at {self.session}"


class Accreditation(models.Model):
    """A person's accreditation for one role (R7, R8); its status changes with a reason
    and the person who changed it, every change kept (R33)."""

    class Status(models.TextChoices):
        CURRENT = "current", "Current"
        FLAGGED = "flagged", "Flagged"
        SUSPENDED = "suspended", "Suspended"
        LAPSED = "lapsed", "Lapsed"

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="accreditations"
    )
    role = models.CharField(max_length=20, choices=Role.choices)
    accredited_on = models.DateField()
    training = models.ForeignKey(
        TrainingSession, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.CURRENT)
    status_reason = models.TextField(blank=True)
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    status_changed_on = models.DateField()

    class Meta:
        ordering = ["person__full_name", "role"]
        constraints = [
            models.UniqueConstraint(fields=["person", "role"], name="accreditation_once"),
            models.CheckConstraint(
                condition=Q(status="current") | ~Q(status_reason=""),
                name="accreditation_status_has_reason",
                violation_error_message="Say why the status changes.",
            ),
        ]

    def __str__(self):
        return f"{self.person}: {self.get_role_display()} ({self.get_status_display().lower()})"


class AccreditationStatusChange(models.Model):
    """One status of an accreditation from a day on, so that "was P accredited for R on D"
    has an answer for any D (R8)."""

    accreditation = models.ForeignKey(
        Accreditation, on_delete=models.CASCADE, related_name="status_changes"
    )
    status = models.CharField(max_length=10, choices=Accreditation.Status.choices)
    effective_on = models.DateField()
    reason = models.TextField(blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["accreditation", "effective_on", "pk"]

    def __str__(self):
        return f"{self.get_status_display()} from {long_date(self.effective_on)}"


class ConflictDeclaration(models.Model):
    """An LA a person has a significant prior relationship with (R9): they are never on a
    team reviewing it."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="conflicts"
    )
    local_authority = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT, related_name="+")
    note = models.CharField(max_length=300, blank=True)
    declared_on = models.DateField()

    class Meta:
        ordering = ["person", "local_authority__name"]
        constraints = [
            models.UniqueConstraint(fields=["person", "local_authority"], name="conflict_once")
        ]

    def __str__(self):
        return f"{self.person}: {self.local_authority}"

"""The feedback letter, its template, history, comments and PDFs (R23)."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from emslirp.models import PdfDownload, StoredPdf
from reviews.review.models import Review, ReviewKind
from reviews.workbook.models import AgreedAction


class LetterTemplate(models.Model):
    """The region's agreed feedback letter, one per kind of review (R23): text the
    coordinator edits in the admin, with placeholders the software fills in. A letter
    keeps the words it was drafted with; a later edit changes only later drafts."""

    region = models.ForeignKey(
        "emslirp.Region", on_delete=models.CASCADE, related_name="letter_templates"
    )
    kind = models.CharField(max_length=8, choices=ReviewKind.choices)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        editable=False,
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["region", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["region", "kind"], name="letter_template_once")
        ]

    def __str__(self):
        return f"{self.get_kind_display()} letter template ({self.region})"


class LetterState(models.TextChoices):
    DRAFT = "draft", "Draft"
    WITH_QA = "with_qa", "With the QA to proofread"
    APPROVED = "approved", "Proofread by the QA"
    SHARED = "shared", "Shared with the host as a draft"
    FINAL = "final", "Final"


class Letter(models.Model):
    """The feedback letter to the host DCS (R23): drafted by the lead from the verbal
    feedback record, proofread by the QA, shared with the host as a draft, issued final
    by the lead. Its words never change once final; its PDF is kept with its SHA-256."""

    review = models.OneToOneField(Review, on_delete=models.CASCADE, related_name="letter")
    state = models.CharField(max_length=12, choices=LetterState.choices, default=LetterState.DRAFT)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    variations = models.TextField(
        blank=True, help_text="Any variation between team members' findings."
    )
    revision = models.PositiveIntegerField(default=1)
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    drafted_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    qa_comments = models.TextField(blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    shared_at = models.DateTimeField(null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    issued_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~Q(state="final") | Q(issued_by__isnull=False, issued_at__isnull=False),
                name="letter_final_is_issued",
            ),
            models.CheckConstraint(
                condition=~Q(state__in=["approved", "shared", "final"])
                | Q(approved_by__isnull=False, approved_at__isnull=False),
                name="letter_proofread_before_sharing",
            ),
            models.CheckConstraint(
                condition=~Q(state__in=["shared", "final"]) | Q(shared_at__isnull=False),
                name="letter_shared_before_final",
            ),
        ]

    def __str__(self):
        return f"Letter of {self.review}"

    @property
    def is_final(self) -> bool:
        return self.state == LetterState.FINAL


class LetterEvent(models.Model):
    """One step of a letter's flow, by whom and when, with what was said (R23, R33)."""

    letter = models.ForeignKey(Letter, on_delete=models.CASCADE, related_name="events")
    before = models.CharField(max_length=12, choices=LetterState.choices)
    after = models.CharField(max_length=12, choices=LetterState.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["letter", "at", "pk"]

    def __str__(self):
        return f"{self.letter}: {self.before} to {self.after}"


class LetterComment(models.Model):
    """The host's comment on the draft shared with them, to clear up a misunderstanding or
    fine-tune wording (R23, R24: no surprises). The lead reads it and decides."""

    letter = models.ForeignKey(Letter, on_delete=models.CASCADE, related_name="comments")
    letter_revision = models.PositiveIntegerField()
    text = models.TextField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()

    class Meta:
        ordering = ["letter", "at", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="letter_comment_not_empty"),
        ]

    def __str__(self):
        return f"Comment by {self.by} on {self.letter}"


class UntracedActionReason(models.Model):
    """Why the QA approved a letter with an action resting on no recorded evidence
    (R23): one reason per such action at each approval, shown to the lead."""

    letter = models.ForeignKey(Letter, on_delete=models.CASCADE, related_name="untraced_reasons")
    action = models.ForeignKey(AgreedAction, on_delete=models.CASCADE, related_name="+")
    reason = models.TextField()
    given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    given_at = models.DateTimeField()

    class Meta:
        ordering = ["letter", "action__number"]
        constraints = [
            models.UniqueConstraint(fields=["letter", "action"], name="untraced_reason_once"),
            models.CheckConstraint(condition=~Q(reason=""), name="untraced_reason_given"),
        ]

    def __str__(self):
        return f"Why {self.action} may stand without evidence"


class LetterPdf(StoredPdf):
    """A rendering of the letter with the verbal feedback record attached. Drafts are
    rendered again when asked; the final one is made once and never replaced (R23)."""

    letter = models.ForeignKey(Letter, on_delete=models.CASCADE, related_name="pdfs")
    is_final = models.BooleanField(default=False)
    letter_revision = models.PositiveIntegerField()
    # The final PDF's HTML, rendered when the letter is issued, in the same transaction:
    # the worker converts exactly this, so what it prints is the records as they were at
    # the issue, however late (or how often) the conversion runs (R23). Empty for drafts.
    html = models.TextField(blank=True, editable=False)

    class Meta(StoredPdf.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["letter"], condition=Q(is_final=True), name="letter_one_final_pdf"
            ),
            *StoredPdf.Meta.constraints,
        ]

    def __str__(self):
        return f"PDF of {self.letter} ({'final' if self.is_final else 'draft'})"


class LetterPdfDownload(PdfDownload):
    pdf = models.ForeignKey(LetterPdf, on_delete=models.CASCADE, related_name="downloads")

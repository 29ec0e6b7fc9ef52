"""The records regional intelligence adds (R28, R38): the region's themes, the tags the
coordinator puts on final letters' findings and actions, and the host's progress on each
agreed action. None of them changes a letter."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower

from emslirp.models import PdfDownload, Region, StoredPdf
from reviews.review.models import Review
from reviews.self_assessment.models import SelfAssessment, SelfAssessmentState
from reviews.workbook.models import AgreedAction, Finding


class Theme(models.Model):
    """One of a region's improvement themes (R28), kept by its coordinator. A theme that
    has been used is retired, never deleted: its tags and its history stay."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="themes")
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    keywords = models.TextField(
        blank=True,
        help_text="Words that suggest this theme when they appear in a finding or an action.",
    )
    retired_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["region", Lower("name")]
        constraints = [
            models.UniqueConstraint(
                "region", Lower("name"), name="theme_name_once_in_region_whatever_its_case"
            ),
            models.CheckConstraint(condition=~Q(name=""), name="theme_named"),
        ]

    def __str__(self):
        return self.name

    @property
    def is_retired(self) -> bool:
        return self.retired_at is not None


class ThemeTag(models.Model):
    """A theme on one finding or one agreed action of a final letter (R28). Exactly one of
    ``finding`` and ``action`` is set; a theme is on a thing at most once."""

    theme = models.ForeignKey(Theme, on_delete=models.PROTECT, related_name="tags")
    finding = models.ForeignKey(
        Finding, on_delete=models.CASCADE, null=True, blank=True, related_name="theme_tags"
    )
    action = models.ForeignKey(
        AgreedAction, on_delete=models.CASCADE, null=True, blank=True, related_name="theme_tags"
    )
    # Denormalised from the finding or action so the regional counts are one query (R28).
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="theme_tags")
    tagged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    tagged_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(finding__isnull=False, action__isnull=True)
                | Q(finding__isnull=True, action__isnull=False),
                name="theme_tag_on_one_thing",
            ),
            models.UniqueConstraint(
                fields=["theme", "finding"],
                condition=Q(finding__isnull=False),
                name="theme_once_on_a_finding",
            ),
            models.UniqueConstraint(
                fields=["theme", "action"],
                condition=Q(action__isnull=False),
                name="theme_once_on_an_action",
            ),
        ]

    def __str__(self):
        return f"{self.theme} on {self.finding or self.action}"


class Progress(models.TextChoices):
    DONE = "done", "Done"
    IN_PROGRESS = "in_progress", "In progress"
    NOT_STARTED = "not_started", "Not started"


class ActionProgressQuerySet(models.QuerySet):
    def shared(self, *, also_in: SelfAssessment | None = None):
        """The reports others may read (R29, R38): those made in a review's desk analysis,
        and those made in a self-assessment once the LA has submitted it. A draft's
        reports are the LA's until then; ``also_in`` adds one draft's own, for the page
        where its writers report."""
        shown = Q(self_assessment__isnull=True) | Q(
            self_assessment__state=SelfAssessmentState.SUBMITTED
        )
        if also_in is not None:
            shown |= Q(self_assessment=also_in)
        return self.filter(shown)


class ActionProgress(models.Model):
    """What the host says of an agreed action of a final letter, in a later self-assessment
    or in the desk analysis of its next review (R38). Each report is kept; the latest is
    the action's state."""

    action = models.ForeignKey(AgreedAction, on_delete=models.CASCADE, related_name="progress")
    status = models.CharField(max_length=12, choices=Progress.choices)
    commentary = models.TextField(blank=True)
    self_assessment = models.ForeignKey(
        SelfAssessment,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="action_progress",
        help_text="The self-assessment it was reported in, if any.",
    )
    review = models.ForeignKey(
        Review,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="action_progress_reported",
        help_text="The later review in whose desk analysis it was reported, if any.",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()

    objects = ActionProgressQuerySet.as_manager()

    class Meta:
        ordering = ["action", "recorded_at", "pk"]
        get_latest_by = ["recorded_at", "pk"]

    def __str__(self):
        return f"{self.get_status_display()}: {self.action}"


class RegionalReport(StoredPdf):
    """The regional picture as a PDF (R28), made by the worker for one reader's scope: the
    coordinator's, or a DCS's own LA(s) with the region in aggregate. ``scope_key`` names
    that scope; a report is handed only to someone whose scope has the same key, so a
    coordinator's report never reaches a DCS."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="reports")
    scope_key = models.CharField(max_length=200)
    year = models.PositiveSmallIntegerField(help_text="The year of the ratings' heat map.")

    class Meta(StoredPdf.Meta):
        constraints = [*StoredPdf.Meta.constraints]

    def __str__(self):
        return f"Regional picture of {self.region}, {self.year}"


class RegionalReportDownload(PdfDownload):
    pdf = models.ForeignKey(RegionalReport, on_delete=models.CASCADE, related_name="downloads")

"""Reflections and the feedback they give each colleague (R27)."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from reviews.review.models import SCALE_1_5, Review


class Reflection(models.Model):
    """One person's reflection on a review (R27): a team member or the host DCS. What
    they write is never shown as theirs: others see only the composite of the whole team,
    and only once enough have answered; the QA sees who has completed."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="reflections")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    self_strengths = models.TextField(blank=True)
    self_development = models.TextField(blank=True)
    # The evaluation of the review process (handbook section K).
    suitability = models.PositiveSmallIntegerField(choices=SCALE_1_5, null=True, blank=True)
    length_comments = models.TextField(blank=True)
    design_comments = models.TextField(blank=True)
    hypotheses_comments = models.TextField(blank=True)
    arrangements_comments = models.TextField(blank=True)
    needs_identification = models.TextField(blank=True)
    local_priorities = models.TextField(blank=True)
    main_learning = models.TextField(blank=True)
    leadership_development = models.PositiveSmallIntegerField(
        choices=SCALE_1_5, null=True, blank=True
    )
    benefits = models.TextField(blank=True)
    other_comments = models.TextField(blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["review", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["review", "person"], name="reflection_once"),
            models.CheckConstraint(
                condition=Q(suitability__isnull=True) | Q(suitability__gte=1, suitability__lte=5),
                name="reflection_suitability_1_to_5",
            ),
            models.CheckConstraint(
                condition=Q(leadership_development__isnull=True)
                | Q(leadership_development__gte=1, leadership_development__lte=5),
                name="reflection_leadership_1_to_5",
            ),
            models.CheckConstraint(
                condition=Q(submitted_at__isnull=True)
                | Q(suitability__isnull=False, leadership_development__isnull=False),
                name="reflection_submitted_with_scales",
            ),
        ]

    def __str__(self):
        return f"Reflection of {self.person} on {self.review}"


class PeerFeedback(models.Model):
    """What one reflection says of one colleague on the team: strengths and areas for
    development (R27). Read only as part of the whole team's composite."""

    reflection = models.ForeignKey(
        Reflection, on_delete=models.CASCADE, related_name="peer_feedback"
    )
    colleague = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    strengths = models.TextField(blank=True)
    development = models.TextField(blank=True)

    class Meta:
        ordering = ["reflection", "colleague"]
        constraints = [
            models.UniqueConstraint(fields=["reflection", "colleague"], name="peer_feedback_once")
        ]

    def __str__(self):
        return f"Feedback on {self.colleague}"

"""Records for the regional picture's tests (R28, R38, R39), made straight from the models:
final letters with agreed actions, theme tags, progress, self-assessments and the team's
view of areas, for any LA and year."""

import datetime

from django.utils import timezone

from emslirp.models import LocalAuthority
from reviews.intelligence.models import ActionProgress, Theme, ThemeTag
from reviews.letter.models import Letter, LetterState
from reviews.review.models import Review, ReviewKind
from reviews.self_assessment.models import SelfAssessment, SelfAssessmentTemplate
from reviews.workbook.models import AgreedAction, TeamAreaView
from tests.factories import UserFactory
from tests.reviews.self_assessment.test_self_assessment import AREAS


class Region:
    """A writer of one region's records; ``by`` is whoever did the writing."""

    def __init__(self, region):
        self.region = region
        self.by = UserFactory(full_name="Rita Recorder")
        self.themes: dict[str, Theme] = {}

    def la(self, name) -> LocalAuthority:
        return LocalAuthority.objects.get(region=self.region, name=name)

    def theme(self, name) -> Theme:
        if name not in self.themes:
            # The region may have it already, seeded or made by another test's records.
            self.themes[name] = Theme.objects.filter(
                region=self.region, name__iexact=name
            ).first() or Theme.objects.create(
                region=self.region, name=name, created_at=timezone.now()
            )
        return self.themes[name]

    def review(self, host, year, kind=ReviewKind.PCTR, *, state=LetterState.FINAL) -> Review:
        start = datetime.date(year, 4 if kind == ReviewKind.PCTR else 5, 1)
        review = Review.objects.create(
            kind=kind,
            host=self.la(host),
            starts_on=start,
            ends_on=start + datetime.timedelta(days=60),
        )
        now = timezone.now()
        final = state == LetterState.FINAL
        proofread = state in (LetterState.APPROVED, LetterState.SHARED, LetterState.FINAL)
        shared = state in (LetterState.SHARED, LetterState.FINAL)
        Letter.objects.create(
            review=review,
            state=state,
            subject=f"{host} {year}",
            body="Dear colleague",
            drafted_by=self.by,
            drafted_at=now,
            updated_at=now,
            approved_by=self.by if proofread else None,
            approved_at=now if proofread else None,
            shared_at=now if shared else None,
            issued_by=self.by if final else None,
            issued_at=now if final else None,
        )
        return review

    def action(self, review, *, themes=(), progress=(), agrees=True) -> AgreedAction:
        number = review.agreed_actions.count() + 1
        action = AgreedAction.objects.create(
            review=review, number=number, text=f"Action {number}", host_agrees=agrees
        )
        now = timezone.now()
        for name in themes:
            ThemeTag.objects.create(
                theme=self.theme(name),
                action=action,
                review=review,
                tagged_by=self.by,
                tagged_at=now,
            )
        for n, status in enumerate(progress):
            ActionProgress.objects.create(
                action=action,
                status=status,
                recorded_by=self.by,
                recorded_at=now + datetime.timedelta(minutes=n),
            )
        return action

    def self_assessment(self, la, year, ratings) -> SelfAssessment:
        """A submitted self-assessment rating the areas in order (None leaves one out)."""
        now = timezone.now()
        return SelfAssessment.objects.create(
            local_authority=self.la(la),
            year=year,
            template=SelfAssessmentTemplate.objects.order_by("-number").first(),
            state="submitted",
            areas={
                key: {"rating": r, "commentary": ""}
                for key, r in zip(AREAS, ratings, strict=False)
                if r is not None
            },
            signed_name="Signer",
            signed_position="DCS",
            signed_on=datetime.date(year, 3, 1),
            submitted_at=now,
            submitted_by=self.by,
            started_by=self.by,
            updated_by=self.by,
            updated_at=now,
        )

    def team_view(self, review, area, rating) -> TeamAreaView:
        return TeamAreaView.objects.create(
            review=review, area=area, rating=rating, recorded_by=self.by, recorded_at=timezone.now()
        )

"""A region's past, made in bulk: years of submitted self-assessments, and PCTRs and SAVs
whose visits are long over, each with its desk analysis, findings, agreed actions, final
letter, theme tags, the team's view of the areas it touched and the host's progress on
what was agreed (R17–R23, R28, R38–R40).

One builder, two callers: ``load_demo`` gives the demo region the history its regional
charts need, and ``manage.py intelligence_bench_data`` fills an empty database with a
large region to time them on. Rows are written with ``bulk_create`` with their dates in
the past (the services date everything now); each row keeps the invariants the services
keep: a submitted self-assessment is signed off, a hypothesis names the weakness or line
of enquiry of the self-assessment it came from, a final letter was proofread, shared and
issued, each in turn, within its due days, and says truthfully which actions the host
agreed (checked with the letter's own rule before anything is written).
"""

import datetime
import random
from collections import defaultdict

from emslirp.models import LocalAuthority, Region, User
from emslirp.working_days import working_days_from
from reviews.intelligence.history.content import TOPICS, Topic
from reviews.intelligence.history.plan import (
    Cast,
    _active,
    _at,
    _create_dated,
    _days,
    _issue_day,
    _Plan,
    _ratings,
    _review_plan,
)
from reviews.intelligence.history.records import (
    _desk_analysis_write,
    _feedback_write,
    _letters_write,
    _progress_write,
    _reviews_write,
    _tags_write,
)
from reviews.intelligence.models import Theme
from reviews.intelligence.services.themes import themes_seed
from reviews.review.models import ReviewKind
from reviews.self_assessment.content import columns, content_of, empty, rating_key
from reviews.self_assessment.models import (
    SelfAssessment,
    SelfAssessmentRevision,
    SelfAssessmentState,
    SelfAssessmentTemplate,
)

__all__ = ["Cast", "history_build"]


def history_build(
    *,
    region: Region,
    cast: dict[int, Cast],
    coordinator: User,
    years: list[int],
    before: datetime.date,
    seed: int = 0,
    pdfs: bool = True,
) -> dict[str, int]:
    """Write ``region``'s history for ``years`` (calendar years, oldest first): a submitted
    self-assessment of every LA active in each year, two SAVs of every LA in three years
    and a PCTR once in three, all whose letter was issued before ``before``, with
    everything that follows a visit. ``cast`` gives, per LA id, who writes its records.
    The region gets its starting themes if it lacks them. With ``pdfs``, each final
    letter's PDF HTML is kept at its issue and the worker is asked, on commit, to make it
    (as an issue does); without, no PDF is asked for. Returns what was made."""
    rng = random.Random(seed)  # noqa: S311 (repeatable made-up history, not for secrets)
    made: dict[str, int] = defaultdict(int)
    themes_seed(region)
    themes = {t.name.lower(): t for t in Theme.objects.filter(region=region, retired_at=None)}
    las = sorted(LocalAuthority.objects.filter(region=region, pk__in=cast), key=lambda la: la.name)
    index = {la.pk: n for n, la in enumerate(las)}
    template = SelfAssessmentTemplate.objects.latest()
    ratings = _ratings(rng, len(las), years, [area["key"] for area in template.areas])

    # Self-assessments, submitted in March of their year (R17).
    assessments: dict[tuple[int, int], SelfAssessment] = {}
    chosen: dict[tuple[int, int], list[Topic]] = {}
    revisions = []
    for year in years:
        for la in _active(las, datetime.date(year, 3, 31)):
            i, people = index[la.pk], cast[la.pk]
            picks = rng.sample(TOPICS, 4)
            chosen[la.pk, year] = picks
            content = empty(template.structure)
            rated = ratings[i, year]
            for area in template.structure["areas"]:
                content[rating_key(area["key"])] = rated.get(area["key"], 2)
                content[f"commentary_{area['key']}"] = (
                    f"Rated {rated.get(area['key'], 2)} on the evidence of this year's audits."
                )
            for n, topic in enumerate(picks[:3], start=1):
                content[f"weakness_{n}_narrative"] = topic.weakness
                content[f"weakness_{n}_evidence"] = "Quarterly audit report; performance data."
            content["strength_1_narrative"] = "Stable senior leadership with a clear plan."
            content["strength_1_evidence"] = "Improvement plan and its quarterly reviews."
            content["lines_of_enquiry"] = "\n".join(t.kloe for t in picks)
            content["period_covered"] = f"April {year - 1} to March {year}"
            content["contact_name"] = people.dcs.full_name
            content["contact_email"] = people.dcs.email
            content["signed_name"] = people.dcs.full_name
            content["signed_position"] = "Director of Children's Services"
            content["narrative"] = "Completed by the senior leadership team with partners."
            signed_on = working_days_from(datetime.date(year, 3, 10) + _days(i % 10), 1)[0]
            submitted_at = _at(signed_on, 15)
            assessment = SelfAssessment(
                local_authority=la,
                year=year,
                template=template,
                state=SelfAssessmentState.SUBMITTED,
                revision=2,
                signed_on=signed_on,
                submitted_by=people.dcs,
                submitted_at=submitted_at,
                started_by=people.dcs,
                started_at=submitted_at - datetime.timedelta(days=30),
                updated_by=people.dcs,
                updated_at=submitted_at,
                **columns(template.structure, content),
            )
            assessments[la.pk, year] = assessment
    _create_dated(SelfAssessment, list(assessments.values()), "started_at")
    # Its revisions as the services keep them: started, then submitted as it stood (R33).
    for assessment in assessments.values():
        started = empty(template.structure)
        started["contact_name"] = assessment.started_by.full_name
        started["contact_email"] = assessment.started_by.email
        revisions += [
            SelfAssessmentRevision(
                self_assessment=assessment,
                number=1,
                saved_by=assessment.started_by,
                saved_at=assessment.started_at,
                content=started,
            ),
            SelfAssessmentRevision(
                self_assessment=assessment,
                number=2,
                saved_by=assessment.submitted_by,
                saved_at=assessment.submitted_at,
                content=content_of(assessment),
            ),
        ]
    SelfAssessmentRevision.objects.bulk_create(revisions)
    made["self-assessments"] = len(assessments)

    # Reviews: two SAVs of every LA in three years, a PCTR once in three (R10, R11).
    plans: list[_Plan] = []
    for year in years:
        active = _active(las, datetime.date(year, 7, 1))
        count = len(active)
        if count < 3:
            continue
        for n, la in enumerate(active):
            i = index[la.pk]
            # Two SAVs in three years (the 18-month interval) and one PCTR (R10, R11).
            kinds = [ReviewKind.SAV] if (year + i) % 3 != 2 else []
            kinds += [ReviewKind.PCTR] if (year + i) % 3 == 0 else []
            for kind in kinds:
                pctr = kind == ReviewKind.PCTR
                lead_la = active[(n + (1 if pctr else 2)) % count]
                qa_la = active[(n + (2 if pctr else 1)) % count]
                plan = _review_plan(
                    rng=rng,
                    kind=kind,
                    year=year,
                    slot=(i + (0 if pctr else 2)) % 4,
                    host=la,
                    lead_la=lead_la,
                    qa_la=qa_la,
                    cast=cast,
                    assessments=assessments,
                    chosen=chosen,
                )
                if plan is not None and _issue_day(plan.review) < before:
                    plans.append(plan)
    _reviews_write(plans, made, coordinator=coordinator)
    _desk_analysis_write(plans, made)
    finding_of = _feedback_write(rng, plans, made, ratings=ratings, index=index)
    _letters_write(plans, made, region=region, pdfs=pdfs, finding_of=finding_of)
    _tags_write(plans, made, themes=themes, coordinator=coordinator, finding_of=finding_of)
    _progress_write(rng, plans, made, assessments=assessments, cast=cast)
    return dict(made)

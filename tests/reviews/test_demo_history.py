"""The demo's past (``load_demo``): five years of self-assessments and of reviews with
final letters, themes, the team's views and the host's progress, counted back from the
day it is loaded (R28, R38–R40), keeping what R23, R29 and R30 demand; and the benchmark
region made by the same builder (``intelligence_bench_data``)."""

import datetime
import io
from collections import Counter

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count

from emslirp.demo import DemoDays, demo_email
from emslirp.models import LocalAuthority, PostKind, Region, User
from reviews.demo_history import history_window
from reviews.intelligence.models import ActionProgress, Progress, ThemeTag
from reviews.letter.models import Letter, LetterPdf, LetterState
from reviews.letter.selectors import AGREEMENT_HEADINGS, letter_misstated_actions
from reviews.review.models import Review, ReviewKind, ReviewState, TeamMember
from reviews.review.permissions import review_access
from reviews.self_assessment.models import SelfAssessment, SelfAssessmentState
from reviews.workbook.feedback_record import verbal_feedback_record
from reviews.workbook.models import AgreedAction, Finding, Hypothesis, Method, TeamAreaView

# An autumn day and a winter one, years apart: the history follows the day it is loaded.
DAYS = [datetime.date(2026, 11, 27), datetime.date(2029, 2, 13)]


def _history(today):
    years, before = history_window(today)
    issued_before = Review.objects.filter(
        letter__state=LetterState.FINAL, letter__issued_at__date__lt=before
    )
    return years, before, issued_before


@pytest.mark.parametrize("day", DAYS, ids=str)
def test_the_demo_has_five_years_of_history_before_the_day_it_is_loaded(east_midlands, on_day, day):
    on_day(day)
    call_command("load_demo", stdout=io.StringIO())
    years, before, history = _history(day)
    assert years == [day.year - 5, day.year - 4, day.year - 3, day.year - 2, day.year - 1]
    assert before < DemoDays(day).cycle_from
    # Every LA of today has a submitted self-assessment each year (those created on
    # 1 April 2021, from then on); none of today's year, which the LAs still owe.
    las = LocalAuthority.objects.filter(region=east_midlands).active_on(day)
    expected = {
        (la.name, year)
        for la in las
        for year in years
        if la.active_from <= datetime.date(year, 3, 31)
    }
    assessments = SelfAssessment.objects.select_related("local_authority")
    assert {(s.local_authority.name, s.year) for s in assessments} == expected
    assert set(assessments.values_list("state", flat=True)) == {SelfAssessmentState.SUBMITTED}
    # Ratings move: some LAs' average rises over the years and some falls.
    first, last = years[0] + 1, years[-1]
    average = {
        (s.local_authority_id, s.year): sum(a["rating"] for a in s.areas.values()) / 9
        for s in assessments
    }
    moves = [
        average[la.pk, last] - average[la.pk, first]
        for la in las
        if (la.pk, first) in average and (la.pk, last) in average
    ]
    assert max(moves) >= 1 and min(moves) <= -1

    # Reviews of both kinds in each of the years whose letters were issued before the
    # current cycle; every one of them is over, with its final letter.
    by_year = Counter((r.onsite_from.year, r.kind) for r in history)
    for year in years[:-1]:
        assert by_year[year, ReviewKind.SAV] >= 5 and by_year[year, ReviewKind.PCTR] >= 2
    assert history.count() >= 35
    assert set(history.values_list("state", flat=True)) == {ReviewState.AFTER_VISIT}
    assert not history.filter(onsite_to__gte=before).exists()

    # Findings with their evidence; actions the host agreed, did not, or has not said;
    # themes on findings and actions; the team's view of the areas; progress of each kind
    # on agreed actions, and agreed actions with no report yet.
    findings = Finding.objects.filter(hypothesis__review__in=history)
    assert findings.count() >= 80 and not findings.filter(evidence="").exists()
    investigated = Hypothesis.objects.filter(review__in=history, decision="investigate")
    assert Method.objects.filter(hypothesis__in=investigated).values(
        "hypothesis"
    ).distinct().count() == (investigated.count())
    actions = AgreedAction.objects.filter(review__in=history)
    assert set(actions.values_list("host_agrees", flat=True)) == {True, False, None}
    assert not actions.filter(findings__isnull=True).exists()
    tags = ThemeTag.objects.filter(review__in=history)
    assert tags.filter(finding__isnull=False).count() == findings.count()
    assert tags.filter(action__isnull=False).count() == actions.filter(is_priority=True).count()
    assert tags.values("theme").distinct().count() >= 10
    assert set(
        TeamAreaView.objects.filter(review__in=history).values_list("rating", flat=True)
    ) == {1, 2, 3, 4}
    progress = ActionProgress.objects.filter(action__review__in=history)
    assert set(progress.values_list("status", flat=True)) == set(Progress.values)
    assert not progress.exclude(action__host_agrees=True).exists()
    assert actions.filter(host_agrees=True, progress__isnull=True).exists()
    # A host reports in a later PCTR's desk analysis, never in a SAV's: it is not theirs (R30).
    assert progress.filter(review__kind="pctr").exists()
    assert not progress.filter(review__kind="sav").exists()
    for report in progress.select_related("action__review__letter", "self_assessment", "review"):
        assert report.recorded_at > report.action.review.letter.issued_at
        assert report.recorded_at.date() <= day
        later = report.self_assessment or report.review
        assert later is not None
        if report.review is not None:
            assert report.review.host_id == report.action.review.host_id
            assert report.review.onsite_from > report.action.review.onsite_to

    # Today's demo is as it was: the reviews of the current cycle alone have teams
    # beyond their lead, QA and data specialist, and none of the history is in the cycle.
    assert not history.filter(starts_on__gte=DemoDays(day).cycle_from).exists()
    assert (
        not TeamMember.objects.filter(review__in=history)
        .exclude(role__in=["lead", "qa", "data_specialist"])
        .exists()
    )


@pytest.mark.parametrize("day", DAYS[:1], ids=str)
def test_the_demo_history_keeps_the_letter_and_confidentiality_rules(east_midlands, on_day, day):
    on_day(day)
    call_command("load_demo", stdout=io.StringIO())
    _, _, history = _history(day)
    # Every final letter of the demo (history and today's) was proofread, shared and
    # issued in turn, within its due days, with its final PDF asked for once, and lists
    # an action under the heading that calls it agreed only where the host agreed it (R23).
    letters = Letter.objects.filter(state=LetterState.FINAL).select_related("review")
    assert letters.count() == history.count() + 1
    agreed_heading = AGREEMENT_HEADINGS[True]
    for letter in letters:
        assert letter.drafted_at < letter.approved_at < letter.shared_at < letter.issued_at
        record = verbal_feedback_record(letter.review)
        assert letter_misstated_actions(body=letter.body, record=record) == []
        under = ""
        listed = {}
        for line in letter.body.splitlines():
            if line.strip().endswith(":"):
                under = line.strip()
            elif line.strip():
                listed[line.strip()] = under
        for action in record.priority_actions:
            headings = {h for text, h in listed.items() if action.text in text}
            assert headings == {AGREEMENT_HEADINGS[action.host_agrees]}
            assert (agreed_heading in headings) is (action.host_agrees is True)
    final_pdfs = LetterPdf.objects.filter(is_final=True).values("letter").annotate(n=Count("pk"))
    assert {row["letter"]: row["n"] for row in final_pdfs} == dict.fromkeys(
        letters.values_list("pk", flat=True), 1
    )
    assert not LetterPdf.objects.filter(is_final=True, html="").exists()

    # Each hypothesis names the weakness or line of enquiry of the host's self-assessment
    # it came from, in that self-assessment's words (R40).
    for hypothesis in Hypothesis.objects.filter(review__in=history).select_related("review"):
        if not hypothesis.source_kind:
            continue
        review = hypothesis.review
        source = (
            SelfAssessment.objects.filter(
                local_authority=review.host, submitted_at__date__lt=review.starts_on
            )
            .order_by("-year")
            .first()
        )
        if hypothesis.source_kind == "weakness":
            words = source.weaknesses[hypothesis.source_number - 1]["narrative"]
        else:
            kloes = [line for line in source.lines_of_enquiry.splitlines() if line.strip()]
            words = kloes[hypothesis.source_number - 1]
        assert hypothesis.source_text == words

    # R29/R30: an uninvolved LA's DCS sees nothing of a past SAV; of a SAV still to come,
    # the host sees at most its window, never its team (the demo's agreed SAV).
    uninvolved = 0
    for sav in history.filter(kind=ReviewKind.SAV).select_related("host__region"):
        assert sav.ends_on < day and sav.state == ReviewState.AFTER_VISIT
        involved = {sav.host_id, sav.lead_local_authority_id, sav.qa_local_authority_id}
        other = LocalAuthority.objects.active_on(day).exclude(pk__in=involved).first()
        outsider = User.objects.get(email=demo_email(PostKind.DCS, other.name))
        if TeamMember.objects.filter(review=sav, person=outsider).exists():
            continue
        assert not review_access(outsider, sav, on=day).sees_review
        uninvolved += 1
    assert uninvolved >= 30
    coming = Review.objects.filter(kind=ReviewKind.SAV, starts_on__gt=day, team__isnull=False)
    for sav in coming.distinct():
        host = User.objects.get(email=demo_email(PostKind.DCS, sav.host.name))
        assert not review_access(host, sav, on=day).sees_team
        assert not Hypothesis.objects.filter(
            review=sav, review__state=ReviewState.AFTER_VISIT
        ).exists()


def test_the_demo_history_is_loaded_once(east_midlands, on_day):
    on_day(DAYS[0])
    call_command("load_demo", stdout=io.StringIO())
    counts = (Review.objects.count(), Letter.objects.count(), ThemeTag.objects.count())
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert (Review.objects.count(), Letter.objects.count(), ThemeTag.objects.count()) == counts


def test_bench_data_makes_a_small_region_with_the_same_builder(db, on_day):
    on_day(DAYS[0])
    out = io.StringIO()
    call_command("intelligence_bench_data", las=4, years=3, stdout=out)
    region = Region.objects.get(name="Benchmark region")
    las = LocalAuthority.objects.filter(region=region)
    assert las.count() == 4
    assert SelfAssessment.objects.filter(local_authority__region=region).count() == 12
    reviews = Review.objects.filter(host__region=region)
    # Each LA: two SAVs in three years, one PCTR.
    assert Counter(r.kind for r in reviews) == {ReviewKind.SAV: 8, ReviewKind.PCTR: 4}
    assert Letter.objects.filter(review__host__region=region, state="final").count() == (
        reviews.count()
    )
    assert ThemeTag.objects.filter(review__host__region=region).exists()
    assert TeamAreaView.objects.filter(review__host__region=region).exists()
    assert ActionProgress.objects.filter(action__review__host__region=region).exists()
    # Without --pdfs no PDF is asked for.
    assert not LetterPdf.objects.filter(letter__review__host__region=region).exists()
    printed = out.getvalue()
    assert "Benchmark region: 4 LAs, 3 years to 27 November 2026." in printed
    assert f"{reviews.count()} reviews" in printed and "12 self-assessments" in printed
    assert "Took " in printed
    with pytest.raises(CommandError, match="exists already"):
        call_command("intelligence_bench_data", las=4, years=3, stdout=io.StringIO())


def test_bench_data_refuses_a_region_too_small_for_a_review(db):
    with pytest.raises(CommandError, match="at least three"):
        call_command("intelligence_bench_data", las=2, stdout=io.StringIO())
    assert not Region.objects.filter(name="Benchmark region").exists()


def test_bench_data_with_pdfs_keeps_each_final_letters_html_for_the_worker(db, on_day):
    on_day(DAYS[0])
    call_command("intelligence_bench_data", las=3, years=1, pdfs=True, stdout=io.StringIO())
    letters = Letter.objects.filter(review__host__region__name="Benchmark region")
    assert letters.exists()
    pdfs = LetterPdf.objects.filter(letter__in=letters, is_final=True)
    assert sorted(pdfs.values_list("letter", flat=True)) == sorted(
        letters.values_list("pk", flat=True)
    )
    assert not pdfs.filter(html="").exists()

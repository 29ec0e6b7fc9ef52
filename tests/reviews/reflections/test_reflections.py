"""Reflection and evaluation (R27, R29): the team on site and the host DCS write about
themselves, each colleague on site and the process, until the closing day; the composite
appears only once it can no longer change (the day after reflections close) and three
people other than the reader have submitted, each part of it only if three people other
than the reader wrote in it, and never says who wrote what; a post that comes too late is
shown back unsaved; the QA sees who has completed and when, never a word of it; nobody
else sees anything."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accreditation.models import Accreditation, Role
from accreditation.services import accreditation_status_set
from reviews.reflections import selectors
from reviews.reflections import services as service
from reviews.reflections.models import PeerFeedback, Reflection
from reviews.review import services
from reviews.review.models import Review, ReviewState, TeamRole
from tests.reviews.review.test_teams import accredited
from tests.reviews.visited import visited

WRITERS = ("lead", "data", "member", "host_dcs")
NOBODY = ("coordinator", "host_ad", "host_data", "uninvolved")
D = datetime.date
# The visited PCTR's last on-site day is Wednesday 18 November 2026; ten working days on,
# counted by hand (19, 20, 23, 24, 25, 26, 27, 30 November, 1, 2 December): no bank
# holiday falls between.
PCTR_CLOSES = D(2026, 12, 2)
# The SAV's visit ends a day earlier, on Tuesday 17 November.
SAV_CLOSES = D(2026, 12, 1)


def world(region, coordinator, kind="pctr", *, state=ReviewState.AFTER_VISIT):
    """The visited review with two more people on site for a PCTR (one for a SAV, which
    has two safeguarding experts): ``m2`` and, on a PCTR, ``m3``."""
    review, people = visited(region, coordinator, kind, state=state)
    role = Role.PCTR_MEMBER if kind == "pctr" else Role.SAV_MEMBER
    extra = [("m2", "Nottingham City", "Nia Second")]
    if kind == "pctr":
        extra.append(("m3", "Leicester City", "Theo Third"))
    for key, la_name, name in extra:
        people[key] = accredited(region, la_name, role, name=name)
        services.team_assign(
            review=review, person=people[key], role=TeamRole.MEMBER, by=people["lead"]
        )
    return review, people


def answers(tag: str, *, suitability=4, leadership=3) -> dict:
    """Every answer, each text marked with ``tag`` so that a page can be searched for it."""
    texts = {field: f"{tag} {field.replace('_', ' ')}." for field in selectors.TEXT_FIELDS}
    return {**texts, "suitability": suitability, "leadership_development": leadership}


def peers(review, writer, tag: str) -> dict:
    return {
        c.person.pk: {
            "strengths": f"{tag} praises {c.person.full_name}.",
            "development": f"{tag} would push {c.person.full_name}.",
        }
        for c in selectors.reflection_colleagues(review=review, writer=writer)
    }


def write(review, person, tag, *, submit=True, **scales):
    service.reflection_save(
        review=review,
        by=person,
        answers=answers(tag, **scales),
        peer_feedback=peers(review, person, tag),
    )
    if submit:
        service.reflection_submit(review=review, by=person)


def _composite_html(response) -> str:
    """The composite part of the page: from its heading to the reader's own reflection."""
    html = response.content.decode()
    return html[html.index("<h1") : html.index("Your own reflection")]


# Who writes, and about whom ------------------------------------------------------------


@pytest.mark.parametrize("kind", ["pctr", "sav"])
def test_the_team_on_site_and_the_host_dcs_write_and_nobody_else(east_midlands, coordinator, kind):
    review, people = visited(east_midlands, coordinator, kind)
    for who in WRITERS:
        write(review, people[who], who, submit=False)
    assert sorted(
        Reflection.objects.filter(review=review).values_list("person__full_name", flat=True)
    ) == sorted(people[w].full_name for w in WRITERS)
    for who in ("qa", *NOBODY):
        with pytest.raises(PermissionDenied):
            service.reflection_save(review=review, by=people[who], answers={}, peer_feedback={})
        with pytest.raises(PermissionDenied):
            service.reflection_submit(review=review, by=people[who])
    assert Reflection.objects.filter(review=review).count() == len(WRITERS)


def test_each_writes_about_everyone_else_on_site_and_the_host_about_all(east_midlands, coordinator):
    review, people = world(east_midlands, coordinator)
    names = lambda who: [  # noqa: E731
        c.person.full_name
        for c in selectors.reflection_colleagues(review=review, writer=people[who])
    ]
    assert names("host_dcs") == ["Lee Lead", "Dai Ta", "Mo Member", "Nia Second", "Theo Third"]
    assert names("member") == ["Lee Lead", "Dai Ta", "Nia Second", "Theo Third"]
    assert names("lead") == ["Dai Ta", "Mo Member", "Nia Second", "Theo Third"]


def test_the_form_names_each_colleague_and_labels_the_scales_ends(
    client, east_midlands, coordinator
):
    review, people = visited(east_midlands, coordinator)
    client.force_login(people["member"])
    response = client.get(reverse("reviews:reflection", args=[review.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    legends = re.findall(r'<h3 class="govuk-fieldset__heading">\s*([^<]+?)\s*</h3>', html)
    assert legends[:2] == ["Lee Lead (Lead DCS)", "Dai Ta (Data specialist)"]
    assert "Strengths of Lee Lead" in html and "Areas for development of Dai Ta" in html
    assert "Mo Member" not in html  # nothing about themselves as a colleague
    radios = re.findall(
        r'govuk-radios__label" for="id_(\w+)_(\d)">\s*([^<]+?)\s*</label>',
        html,
    )
    assert [(f, n, label) for f, n, label in radios if n in "15"] == [
        ("suitability", "1", "1: poor"),
        ("suitability", "5", "5: excellent"),
        ("leadership_development", "1", "1: not helpful"),
        ("leadership_development", "5", "5: very helpful"),
    ]
    buttons = re.findall(r'<button[^>]*name="(\w+)"[^>]*>\s*([^<]+?)\s*</button>', html)
    assert buttons == [("save", "Save as draft"), ("submit", "Submit")]


def test_a_colleague_not_on_the_team_is_refused_and_nothing_is_saved(east_midlands, coordinator):
    review, people = visited(east_midlands, coordinator)
    for stranger in ("uninvolved", "qa", "member"):  # not on site, off site, oneself
        with pytest.raises(ValidationError, match="not on the team"):
            service.reflection_save(
                review=review,
                by=people["member"],
                answers=answers("Mine"),
                peer_feedback={people[stranger].pk: {"strengths": "Kind.", "development": ""}},
            )
    assert Reflection.objects.filter(review=review).count() == 0
    assert PeerFeedback.objects.count() == 0


def test_a_text_too_long_is_refused_at_its_field_and_nothing_is_saved(east_midlands, coordinator):
    review, people = visited(east_midlands, coordinator)
    feedback = peers(review, people["member"], "Mine")
    lead = people["lead"].pk
    feedback[lead]["development"] = "x" * (service.MAX_CHARACTERS + 1)
    with pytest.raises(ValidationError) as caught:
        service.reflection_save(
            review=review,
            by=people["member"],
            answers={**answers("Mine"), "suitability": 7},
            peer_feedback=feedback,
        )
    assert caught.value.message_dict == {
        f"peer_{lead}_development": ["This can be at most 5,000 characters; it has 5,001."],
        "suitability": ["Choose a number from 1 to 5."],
    }
    assert Reflection.objects.filter(review=review).count() == 0


def test_a_draft_keeps_everything_and_a_second_save_replaces_it_whole(east_midlands, coordinator):
    review, people = visited(east_midlands, coordinator)
    member = people["member"]
    write(review, member, "First", submit=False, suitability=None)
    feedback = peers(review, member, "Second")
    del feedback[people["data"].pk]  # nothing more to say about them
    service.reflection_save(
        review=review,
        by=member,
        answers={"self_strengths": "  Listening.  "},
        peer_feedback=feedback,
    )
    own = selectors.reflection_of(review=review, person=member)
    assert (own.self_strengths, own.main_learning, own.suitability, own.submitted_at) == (
        "Listening.",
        "",
        None,
        None,
    )
    assert {
        (f.colleague.full_name, f.strengths, f.development) for f in own.peer_by_colleague.values()
    } == {("Lee Lead", "Second praises Lee Lead.", "Second would push Lee Lead.")}


# Submitting ----------------------------------------------------------------------------


def test_submit_needs_both_scales_each_marked_at_its_field(east_midlands, coordinator):
    review, people = visited(east_midlands, coordinator)
    with pytest.raises(ValidationError) as caught:
        service.reflection_submit(review=review, by=people["lead"])  # nothing saved yet
    assert set(caught.value.message_dict) == {"suitability", "leadership_development"}
    write(review, people["lead"], "Lead", submit=False, suitability=5, leadership=None)
    with pytest.raises(ValidationError) as caught:
        service.reflection_submit(review=review, by=people["lead"])
    assert caught.value.message_dict == {
        "leadership_development": [
            "Choose how useful the review was to your development as a leader, from 1 to 5, "
            "to submit."
        ]
    }
    assert Reflection.objects.get(person=people["lead"]).submitted_at is None


def _posted(review, writer, tag, **overrides) -> dict:
    data = {k: "" if v is None else str(v) for k, v in answers(tag).items()}
    for pk, texts in peers(review, writer, tag).items():
        for part, text in texts.items():
            data[f"peer_{pk}_{part}"] = text
    return {**data, **overrides}


def test_a_refused_submit_keeps_what_was_typed_and_marks_each_scale(
    client, east_midlands, coordinator
):
    review, people = visited(east_midlands, coordinator)
    client.force_login(people["data"])
    url = reverse("reviews:reflection", args=[review.pk])
    data = _posted(review, people["data"], "Typed", suitability="", leadership_development="")
    response = client.post(url, {**data, "submit": ""})
    assert response.status_code == 400
    html = response.content.decode()
    for message in (
        "Choose how well the review served its purpose, from 1 to 5, to submit.",
        "Choose how useful the review was to your development as a leader, from 1 to 5, to submit.",
    ):
        assert html.count(message) == 2  # in the summary and at the field
    assert (
        'id="id_suitability_1_error"' in html
        and html.startswith("<!DOCTYPE")
        and ("<title>Error: Your reflection" in html)
    )
    assert "Typed main learning." in html and f"Typed praises {people['lead'].full_name}." in html
    saved = Reflection.objects.get(person=people["data"])
    assert (saved.main_learning, saved.submitted_at) == ("Typed main learning.", None)


def test_submitted_it_is_read_only_for_its_writer(client, east_midlands, coordinator):
    review, people = visited(east_midlands, coordinator)
    client.force_login(people["data"])
    url = reverse("reviews:reflection", args=[review.pk])
    response = client.post(url, {**_posted(review, people["data"], "Final"), "submit": ""})
    assert response.status_code == 302
    page = client.get(url)
    html = page.content.decode()
    assert page.context["form"] is None
    assert "Save as draft" not in html and "Final main learning." in html
    client.post(url, {**_posted(review, people["data"], "Changed"), "save": ""})
    with pytest.raises(ValidationError, match="can no longer be changed"):
        write(review, people["data"], "Changed", submit=False)
    assert Reflection.objects.get(person=people["data"]).main_learning == "Final main learning."


def test_a_post_after_submitting_in_another_tab_shows_what_was_typed_escaped(
    client, east_midlands, coordinator
):
    review, people = visited(east_midlands, coordinator)
    write(review, people["data"], "Sent")
    client.force_login(people["data"])
    url = reverse("reviews:reflection", args=[review.pk])
    typed = _posted(review, people["data"], "<b>Other tab</b>")
    response = client.post(url, {**typed, "save": ""})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Your reflection is submitted: it can no longer change." in html
    unsaved = html[html.index('id="unsaved" open>') :]
    unsaved = unsaved[: unsaved.index("</details>")]
    assert "&lt;b&gt;Other tab&lt;/b&gt; main learning." in unsaved
    assert "<b>Other tab" not in html
    assert "Strengths of Lee Lead" in unsaved
    assert Reflection.objects.get(person=people["data"]).main_learning == "Sent main learning."


def test_reflections_open_once_the_visit_is_over(client, east_midlands, coordinator):
    review, people = visited(east_midlands, coordinator, state=ReviewState.ON_SITE)
    with pytest.raises(ValidationError, match="open once the visit is over"):
        write(review, people["lead"], "Early", submit=False)
    client.force_login(people["lead"])
    response = client.get(reverse("reviews:reflection", args=[review.pk]))
    assert response.context["form"] is None
    assert "Reflections open once the visit is over." in response.content.decode()


# Who sees what (R29) -------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["pctr", "sav"])
def test_who_may_not_see_the_reflections(client, east_midlands, coordinator, kind):
    review, people = visited(east_midlands, coordinator, kind)
    for who in WRITERS[:3]:
        write(review, people[who], f"Secret of {who}")
    pages = {
        name: reverse(f"reviews:{name}", args=[review.pk])
        for name in ("reflection", "reflections_composite", "reflections_completion")
    }
    expected = {
        "coordinator": (403, 403, 403),
        "host_ad": (403, 403, 403),
        "host_data": (403, 403, 403),
        "uninvolved": (404, 404, 404),
        "qa": (403, 403, 200),
        "lead": (200, 200, 403),
        "data": (200, 200, 403),
        "member": (200, 200, 403),
        "host_dcs": (200, 200, 403),
    }
    for who, statuses in expected.items():
        client.force_login(people[who])
        got = tuple(client.get(url).status_code for url in pages.values())
        assert got == statuses, who
        if 200 not in got:
            for url in pages.values():
                assert client.post(url, {"save": ""}).status_code == statuses[0], who
    assert Reflection.objects.filter(review=review).count() == 3


# The composite (R27) -------------------------------------------------------------------


def _composite(client, review, person):
    client.force_login(person)
    response = client.get(reverse("reviews:reflections_composite", args=[review.pk]))
    assert response.status_code == 200
    return response


def test_three_others_are_not_enough_while_someone_asked_has_not_submitted(
    client, east_midlands, coordinator, on_day
):
    # Six are asked: five on site and the host DCS. Were the composite shown now, the
    # lead could read it again once Theo Third submits and tell which texts are his.
    review, people = world(east_midlands, coordinator)
    for who in ("lead", "data", "member", "m2"):
        write(review, people[who], f"Written by {who}")
    write(review, people["m3"], "Draft by m3", submit=False)
    for day in (D(2026, 11, 27), PCTR_CLOSES):  # to the closing day itself
        on_day(day)
        response = _composite(client, review, people["lead"])
        composite = response.context["composite"]
        assert (composite.shown, composite.others, composite.asked, composite.asked_answered) == (
            False,
            3,
            6,
            4,
        )
        html = response.content.decode()
        assert (
            "Not shown yet: 4 of the 6 people asked to reflect have submitted, you included."
            in (html)
        )
        assert "needed" not in html  # three others have: only the wait is left
        assert (
            "Reflections close at the end of Wednesday 2 December 2026: the team's "
            "reflections will appear on <strong>Thursday 3 December 2026</strong>, if at least "
            "3 people other than you have submitted by then."
        ) in html
        assert "Written by" not in _composite_html(response)
        assert composite.about == composite.comments == []
        assert composite.self_strengths is None


def test_everyone_asked_submitting_does_not_show_it_before_the_close(
    client, east_midlands, coordinator, on_day
):
    # R27: who is asked changes with the team. Were it shown once all six had submitted,
    # a member added later would hide it and bring it back with their words in it.
    review, people = world(east_midlands, coordinator)
    for who in ("lead", "data", "member", "m2", "m3", "host_dcs"):
        write(review, people[who], f"Written by {who}")
    for day in (D(2026, 11, 27), PCTR_CLOSES):
        on_day(day)
        response = _composite(client, review, people["lead"])
        composite = response.context["composite"]
        assert (composite.shown, composite.asked, composite.asked_answered) == (False, 6, 6)
        html = response.content.decode()
        assert "Not shown yet: 6 of the 6 people asked to reflect have submitted" in html
        assert "will appear on <strong>Thursday 3 December 2026</strong>" in html
        assert "Written by" not in _composite_html(response)
    on_day(PCTR_CLOSES + datetime.timedelta(days=1))
    response = _composite(client, review, people["lead"])
    composite = response.context["composite"]
    assert (composite.shown, composite.closed, composite.answered) == (True, True, 6)
    html = _composite_html(response)
    assert (
        "6 reflections submitted, yours included; reflections closed at the end of Wednesday "
        "2 December 2026, so nothing more will be added."
    ) in html
    for who in ("lead", "data", "member", "m2", "m3", "host_dcs"):
        assert f"Written by {who} main learning." in html


def test_a_member_added_after_the_close_changes_nothing_anyone_wrote(
    client, east_midlands, coordinator, on_day
):
    review, people = world(east_midlands, coordinator)
    for who in ("lead", "data", "member", "m2", "m3", "host_dcs"):
        write(review, people[who], f"Written by {who}")
    on_day(PCTR_CLOSES + datetime.timedelta(days=1))
    before = _composite(client, review, people["lead"]).context["composite"]
    late = accredited(east_midlands, "Lincolnshire", Role.PCTR_MEMBER, name="Lu Late")
    services.team_assign(review=review, person=late, role=TeamRole.MEMBER, by=people["lead"])
    with pytest.raises(ValidationError, match="closed on Wednesday 2 December 2026"):
        write(review, late, "Written by late")
    after = _composite(client, review, people["lead"]).context["composite"]
    assert after.shown and (after.asked, after.asked_answered) == (7, 6)
    assert (after.comments, after.self_strengths, after.scales) == (
        before.comments,
        before.self_strengths,
        before.scales,
    )
    assert [a for a in after.about if a.person != late] == before.about
    (newcomer,) = (a for a in after.about if a.person == late)
    assert (newcomer.person, newcomer.shown, newcomer.strengths) == (late, False, None)


def test_once_closed_the_composite_appears_to_each_reader_with_three_others(
    client, east_midlands, coordinator, on_day
):
    review, people = world(east_midlands, coordinator)
    for who in ("lead", "data", "member"):
        write(review, people[who], f"Written by {who}")
    write(review, people["m2"], "Draft by m2", submit=False)
    on_day(PCTR_CLOSES + datetime.timedelta(days=1))
    # Those who submitted have two others each: still too few, for good.
    response = _composite(client, review, people["lead"])
    assert (response.context["composite"].shown, response.context["composite"].others) == (
        False,
        2,
    )
    html = response.content.decode()
    assert (
        "Reflections closed at the end of Wednesday 2 December 2026, but only 2 people other "
        "than you submitted. With fewer than 3, answers could be traced to whoever wrote them"
    ) in html
    assert "Written by" not in _composite_html(response)
    # Those who did not submit have three others: the composite, without the draft. Of
    # the three who did, each was written about by only the other two: withheld.
    for who in ("m2", "host_dcs"):
        response = _composite(client, review, people[who])
        composite = response.context["composite"]
        assert (composite.shown, composite.others, composite.answered) == (True, 3, 3), who
        html = _composite_html(response)
        assert "3 reflections submitted; reflections closed at the end of Wednesday 2" in html
        assert "Written by member main learning." in html and "Draft by m2" not in html
        shown = {a.person.full_name: a.shown for a in composite.about}
        assert shown == {
            "Lee Lead": False,
            "Dai Ta": False,
            "Mo Member": False,
            "Nia Second": True,
            "Theo Third": True,
        }, who
        assert "praises Lee Lead" not in html and "Written by lead praises Theo Third." in html
        own = response.content.decode().split("Your own reflection")[1]
        assert "You did not submit yours before reflections closed" in own


def test_fewer_than_three_others_never_see_the_composite(
    client, east_midlands, coordinator, on_day
):
    review, people = visited(east_midlands, coordinator)
    for who in ("lead", "data"):
        write(review, people[who], f"Written by {who}")
    for day in (D(2026, 11, 27), PCTR_CLOSES + datetime.timedelta(days=1), D(2027, 6, 1)):
        on_day(day)
        for who, others in (("lead", 1), ("member", 2), ("host_dcs", 2)):
            response = _composite(client, review, people[who])
            composite = response.context["composite"]
            assert (composite.shown, composite.others) == (False, others), (day, who)
            assert "Written by" not in _composite_html(response)
    response = _composite(client, review, people["lead"])
    assert "only 1 person other than you" in response.content.decode()


# The closing day (R27) -----------------------------------------------------------------


def test_reflections_close_ten_working_days_after_the_last_on_site_day(east_midlands, coordinator):
    assert selectors.REFLECTION_WORKING_DAYS == 10
    review, _people = visited(east_midlands, coordinator)
    assert selectors.reflections_close_on(review) == PCTR_CLOSES
    sav, _people = visited(east_midlands, coordinator, "sav")
    assert selectors.reflections_close_on(sav) == SAV_CLOSES
    assert selectors.reflections_close_on(Review(onsite_to=None)) is None
    assert not selectors.reflections_closed(review, on=PCTR_CLOSES)
    assert selectors.reflections_closed(review, on=PCTR_CLOSES + datetime.timedelta(days=1))


def test_the_closing_day_skips_the_christmas_bank_holidays(
    client, east_midlands, coordinator, on_day
):
    review, people = visited(east_midlands, coordinator)
    # A visit ending on Wednesday 16 December 2026. Counted by hand: Thu 17 (1), Fri 18
    # (2), Mon 21 (3), Tue 22 (4), Wed 23 (5), Thu 24 (6); Christmas Day on Friday 25 and
    # Boxing Day's substitute on Monday 28 are bank holidays; Tue 29 (7), Wed 30 (8),
    # Thu 31 (9); New Year's Day on Friday 1 January 2027 is one too; Mon 4 January (10).
    Review.objects.filter(pk=review.pk).update(
        onsite_from=D(2026, 12, 14), onsite_to=D(2026, 12, 16)
    )
    review.refresh_from_db()
    assert selectors.reflections_close_on(review) == D(2027, 1, 4)
    on_day(D(2027, 1, 4))
    write(review, people["lead"], "Last day", submit=False)
    on_day(D(2027, 1, 5))
    with pytest.raises(ValidationError, match="closed on Monday 4 January 2027"):
        service.reflection_submit(review=review, by=people["lead"])
    client.force_login(people["lead"])
    html = client.get(reverse("reviews:reflection", args=[review.pk])).content.decode()
    assert "Reflections closed at the end of Monday 4 January 2027." in html


def test_saving_and_submitting_are_refused_after_the_closing_day(
    client, east_midlands, coordinator, on_day
):
    review, people = visited(east_midlands, coordinator)
    write(review, people["member"], "Before", submit=False)
    on_day(PCTR_CLOSES)  # the closing day itself is still open
    write(review, people["lead"], "On the day")
    on_day(PCTR_CLOSES + datetime.timedelta(days=1))
    message = (
        "Reflections closed on Wednesday 2 December 2026: nothing more can be saved or submitted."
    )
    for who in ("member", "data", "lead"):  # a draft, nothing yet, submitted
        with pytest.raises(ValidationError) as caught:
            write(review, people[who], "After", submit=False)
        assert caught.value.messages == [message]
        with pytest.raises(ValidationError) as caught:
            service.reflection_submit(review=review, by=people[who])
        assert caught.value.messages == [message]
    # Through the page: no form, the closing day said, and a post changes nothing.
    client.force_login(people["member"])
    url = reverse("reviews:reflection", args=[review.pk])
    response = client.get(url)
    assert response.context["form"] is None
    html = response.content.decode()
    assert "Save as draft" not in html
    assert (
        "Reflections closed at the end of Wednesday 2 December 2026. Yours was not submitted"
        in (html)
    )
    assert "Before main learning." in html.split("Your draft")[1]  # theirs to read
    response = client.post(url, {**_posted(review, people["member"], "After"), "submit": ""})
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    unsaved = html[html.index('<details class="govuk-details" id="unsaved" open>') :]
    unsaved = unsaved[: unsaved.index("</details>")]
    assert "What you typed, not saved" in unsaved
    assert "After main learning." in unsaved and "After praises Lee Lead." in unsaved
    assert message not in client.get(url).content.decode()  # said once
    assert {
        (r.person.full_name, r.main_learning, r.submitted_at is not None)
        for r in Reflection.objects.filter(review=review)
    } == {
        ("Mo Member", "Before main learning.", False),
        ("Lee Lead", "On the day main learning.", True),
    }


def test_the_form_and_the_completion_page_give_the_closing_day(client, east_midlands, coordinator):
    review, people = visited(east_midlands, coordinator)
    client.force_login(people["member"])
    html = client.get(reverse("reviews:reflection", args=[review.pk])).content.decode()
    assert (
        "Reflections close at the end of <strong>Wednesday 2 December 2026</strong>. Submit "
        "yours by then"
    ) in html
    client.force_login(people["qa"])
    html = client.get(reverse("reviews:reflections_completion", args=[review.pk])).content.decode()
    assert (
        "Reflections close at the end of <strong>Wednesday 2 December 2026</strong>, 10 working "
        "days after the last on-site day."
    ) in html


def test_the_composite_holds_every_submitted_text_in_order_and_no_writer(
    client, east_midlands, coordinator, on_day
):
    review, people = world(east_midlands, coordinator)
    # Tags whose alphabetical order is not the order of writing.
    tags = {"member": "Delta", "host_dcs": "Alpha", "lead": "Charlie", "data": "Bravo"}
    scales = {"member": (5, 2), "host_dcs": (4, 2), "lead": (4, 5), "data": (1, 3)}
    for who, tag in tags.items():
        write(review, people[who], tag, suitability=scales[who][0], leadership=scales[who][1])
    write(review, people["m2"], "Zulu draft", submit=False)
    on_day(PCTR_CLOSES + datetime.timedelta(days=1))  # four of six, and closed
    client.force_login(people["m3"])
    response = client.get(reverse("reviews:reflections_composite", args=[review.pk]))
    composite = response.context["composite"]
    assert composite.shown
    html = _composite_html(response)

    writers = [people[w] for w in tags]
    by_subject = {a.person.full_name: a for a in composite.about}
    assert list(by_subject) == ["Lee Lead", "Dai Ta", "Mo Member", "Nia Second", "Theo Third"]
    for subject in by_subject.values():
        about = [(w, tags[k]) for k, w in zip(tags, writers, strict=True) if w != subject.person]
        name = subject.person.full_name
        assert subject.strengths == sorted(f"{t} praises {name}." for _w, t in about)
        assert subject.development == sorted(f"{t} would push {name}." for _w, t in about)
    assert composite.self_strengths == [f"{t} self strengths." for t in sorted(tags.values())]
    assert composite.self_development == [f"{t} self development." for t in sorted(tags.values())]
    comments = {q.field: texts for q, texts in composite.comments}
    assert comments["main_learning"] == [f"{t} main learning." for t in sorted(tags.values())]
    assert set(comments) == set(selectors.TEXT_FIELDS) - set(selectors.SELF_FIELDS)
    summary = {
        s.question.field: (s.answers, s.mean, [c for _p, c in s.distribution])
        for s in composite.scales
    }
    assert summary == {
        "suitability": (4, Decimal("3.5"), [1, 0, 0, 2, 1]),
        "leadership_development": (4, Decimal("3.0"), [0, 2, 1, 0, 1]),
    }

    # Every submitted text is on the page, in alphabetical order within its list.
    for field in selectors.TEXT_FIELDS:
        positions = [html.index(f"{t} {field.replace('_', ' ')}.") for t in sorted(tags.values())]
        assert positions == sorted(positions), field
    # No draft, and no writer: the writers appear only as the people written about, in
    # their own heading, and the host DCS, who is written about by nobody, not at all.
    assert "Zulu draft" not in html
    for writer in writers:
        assert " by " + writer.full_name not in html
    assert "Hana Host" not in html
    for name in ("Lee Lead", "Dai Ta", "Mo Member"):
        headings = re.findall(rf"<h3[^>]*>{name} \(", html)
        assert len(headings) == 1
        # Beyond their heading, a name is only ever inside texts about that person.
        assert html.count(name) == 1 + 2 * sum(1 for w in writers if w.full_name != name)


def test_the_reader_sees_their_own_reflection_apart_as_theirs(
    client, east_midlands, coordinator, on_day
):
    review, people = visited(east_midlands, coordinator)
    for who in WRITERS:
        write(review, people[who], f"Own {who}")
    on_day(PCTR_CLOSES + datetime.timedelta(days=1))
    client.force_login(people["lead"])
    response = client.get(reverse("reviews:reflections_composite", args=[review.pk]))
    html = response.content.decode()
    own = html[html.index("Your own reflection") :]
    assert "Own lead main learning." in own and "Own data main learning." not in own
    assert "Own lead praises Dai Ta." in own


def test_what_was_typed_reaches_the_composite_escaped(client, east_midlands, coordinator, on_day):
    review, people = visited(east_midlands, coordinator)
    for who in WRITERS:
        write(review, people[who], f"<script>alert('{who}')</script>")
    on_day(PCTR_CLOSES + datetime.timedelta(days=1))
    client.force_login(people["lead"])
    html = client.get(reverse("reviews:reflections_composite", args=[review.pk])).content.decode()
    assert "<script>alert(" not in html
    assert "&lt;script&gt;alert(&#x27;data&#x27;)&lt;/script&gt; main learning." in html


def test_each_part_is_shown_only_if_three_others_wrote_in_it(
    client, east_midlands, coordinator, on_day
):
    # R27: the four asked all submit, so each reader has three others, yet the texts
    # about Dai Ta come, for the lead, from only Mo Member and Hana Host: shown, the lead
    # would know each of them wrote one of the two.
    review, people = visited(east_midlands, coordinator)
    for who in ("lead", "member"):
        write(review, people[who], f"Written by {who}")
    # Only two others say anything about the length, or of their own development, or
    # of the lead's development.
    for who in ("data", "host_dcs"):
        feedback = peers(review, people[who], f"Written by {who}")
        feedback[people["lead"].pk]["development"] = ""
        service.reflection_save(
            review=review,
            by=people[who],
            answers={**answers(f"Written by {who}"), "length_comments": "", "self_development": ""},
            peer_feedback=feedback,
        )
        service.reflection_submit(review=review, by=people[who])
    on_day(PCTR_CLOSES + datetime.timedelta(days=1))
    response = _composite(client, review, people["lead"])
    composite = response.context["composite"]
    assert (composite.shown, composite.others) == (True, 3)
    about = {a.person.full_name: a for a in composite.about}
    assert (about["Dai Ta"].shown, about["Dai Ta"].strengths) == (False, None)
    assert (about["Mo Member"].shown, about["Mo Member"].development) == (False, None)
    lead = about["Lee Lead"]
    assert lead.shown and lead.development is None
    assert lead.strengths == [
        f"Written by {w} praises Lee Lead." for w in ("data", "host_dcs", "member")
    ]
    assert composite.self_development is None and len(composite.self_strengths) == 4
    comments = {q.field: texts for q, texts in composite.comments}
    assert comments["length_comments"] is None and len(comments["main_learning"]) == 4
    assert [s.answers for s in composite.scales] == [4, 4]  # every submitted one answers
    html = _composite_html(response)
    assert "praises Dai Ta" not in html and "would push Mo Member" not in html
    assert "would push Lee Lead" not in html and "self development" not in html
    assert "length comments" not in html
    assert html.count("Too few colleagues wrote about them") == 2
    assert html.count("Too few people other than you wrote here") == 3
    # The member reads only what was said of them: three wrote it, none of them the
    # member; of the lead and of Dai Ta, only two others wrote.
    composite = _composite(client, review, people["member"]).context["composite"]
    assert {a.person.full_name: a.shown for a in composite.about} == {
        "Lee Lead": False,
        "Dai Ta": False,
        "Mo Member": True,
    }
    assert composite.about[2].development == [
        f"Written by {w} would push Mo Member." for w in ("data", "host_dcs", "lead")
    ]


# The QA's completion page (R27) --------------------------------------------------------


def test_the_qa_sees_who_has_completed_and_when_never_what(client, east_midlands, coordinator):
    review, people = world(east_midlands, coordinator)
    for who in ("lead", "host_dcs"):
        write(review, people[who], f"Confidential {who}")
    write(review, people["member"], "Confidential draft member", submit=False)
    client.force_login(people["qa"])
    response = client.get(reverse("reviews:reflections_completion", args=[review.pk]))
    rows = [(r.name, r.role_name, r.submitted_at is not None) for r in response.context["rows"]]
    assert rows == [
        ("Lee Lead", "Lead DCS", True),
        ("Dai Ta", "Data specialist", False),
        ("Mo Member", "Core team member", False),
        ("Nia Second", "Core team member", False),
        ("Theo Third", "Core team member", False),
        ("Hana Host", "Host DCS", True),
    ]
    html = response.content.decode()
    assert "2 of 6 submitted." in html
    assert html.count("Not yet") == 4 and html.count(">Yes<") == 2
    assert "Confidential" not in html
    for field in selectors.TEXT_FIELDS:
        assert field.replace("_", " ") + "." not in html
    assert "praises" not in html and "would push" not in html


# Query counts --------------------------------------------------------------------------


def _submit_by(review, people, keys):
    for key in keys:
        write(review, people[key], f"Pinned {key}")


@pytest.mark.parametrize("count", [1, 3])
def test_the_composite_page_not_shown_query_count_is_pinned(
    client, east_midlands, coordinator, count, django_assert_num_queries
):
    review, people = world(east_midlands, coordinator)
    _submit_by(review, people, ("lead", "data", "member")[:count])
    client.force_login(people["m3"])
    with django_assert_num_queries(12):
        response = client.get(reverse("reviews:reflections_composite", args=[review.pk]))
    composite = response.context["composite"]
    assert (composite.others, composite.shown) == (count, False)


@pytest.mark.parametrize("count", [3, 5])
def test_the_composite_page_query_count_is_pinned(
    client, east_midlands, coordinator, count, django_assert_num_queries, on_day
):
    review, people = world(east_midlands, coordinator)
    _submit_by(review, people, ("lead", "data", "member", "m2", "host_dcs")[:count])
    on_day(PCTR_CLOSES + datetime.timedelta(days=1))
    client.force_login(people["m3"])
    with django_assert_num_queries(14):
        response = client.get(reverse("reviews:reflections_composite", args=[review.pk]))
    composite = response.context["composite"]
    assert (composite.answered, composite.shown) == (count, True)


@pytest.mark.parametrize("count", [1, 3])
def test_the_completion_page_query_count_is_pinned(
    client, east_midlands, coordinator, count, django_assert_num_queries
):
    review, people = world(east_midlands, coordinator)
    _submit_by(review, people, ("lead", "data", "host_dcs")[:count])
    client.force_login(people["qa"])
    with django_assert_num_queries(11):
        response = client.get(reverse("reviews:reflections_completion", args=[review.pk]))
    assert sum(1 for r in response.context["rows"] if r.submitted_at) == count


def test_a_past_review_is_written_at_a_moment_inside_its_window(east_midlands, coordinator, on_day):
    # How the demo loads reflections on reviews long over: ``at`` is when each acted.
    review, people = visited(east_midlands, coordinator)
    on_day(D(2027, 3, 1))
    tz = datetime.UTC
    inside = datetime.datetime(2026, 12, 2, 16, 0, tzinfo=tz)
    service.reflection_save(
        review=review, by=people["data"], answers=answers("Then"), peer_feedback={}, at=inside
    )
    service.reflection_submit(review=review, by=people["data"], at=inside)
    assert Reflection.objects.get(person=people["data"]).submitted_at == inside
    with pytest.raises(ValidationError, match="closed on Wednesday 2 December 2026"):
        service.reflection_save(
            review=review,
            by=people["lead"],
            answers={},
            peer_feedback={},
            at=datetime.datetime(2026, 12, 3, 9, 0, tzinfo=tz),
        )


# Keeping accreditation (R8) -----------------------------------------------------------


def test_a_reflection_missed_by_its_closing_day_flags_the_accreditation_once(
    east_midlands, coordinator, on_day, client
):
    review, people = world(east_midlands, coordinator)
    write(review, people["lead"], "Lead")
    write(review, people["m2"], "Second")
    write(review, people["m3"], "Third", submit=False)
    on_day(PCTR_CLOSES)  # the closing day itself: nobody is flagged yet
    assert service.reflections_missed_flag(on=PCTR_CLOSES) == 0
    day_after = PCTR_CLOSES + datetime.timedelta(days=1)
    on_day(day_after)
    # Not submitted: the data specialist, the member, and m3, whose draft counts for
    # nothing.
    assert service.reflections_missed_flag(on=day_after) == 3
    flagged = Accreditation.objects.filter(status=Accreditation.Status.FLAGGED)
    assert sorted((a.person.full_name, a.role) for a in flagged) == sorted(
        [
            (people["data"].full_name, Role.DATA_SPECIALIST),
            (people["member"].full_name, Role.PCTR_MEMBER),
            (people["m3"].full_name, Role.PCTR_MEMBER),
        ]
    )
    reason = (
        "Reflection on the Peer Challenge Team Review of Rutland not submitted by 2 December 2026."
    )
    assert {a.status_reason for a in flagged} == {reason}
    assert {a.status_changed_on for a in flagged} == {day_after}
    # Running again flags nobody twice; the lead and m2, who submitted, are untouched.
    assert service.reflections_missed_flag(on=day_after) == 0
    assert Accreditation.objects.get(person=people["lead"]).status == "current"
    # Put right by the coordinator, it is not flagged again for the same review.
    member = Accreditation.objects.get(person=people["member"])
    accreditation_status_set(
        accreditation=member, status="current", reason="Written since.", by=coordinator
    )
    assert service.reflections_missed_flag(on=day_after + datetime.timedelta(days=1)) == 0
    # The coordinator's home page asks for their decision once the time to put it right
    # has passed (twenty working days), and not before.
    client.force_login(coordinator)
    titles = [i["title"] for i in client.get(reverse("home")).context["needs_you"]]
    assert not [t for t in titles if t.startswith("Decide on")]
    on_day(D(2027, 1, 15))
    client.force_login(coordinator)
    items = client.get(reverse("home")).context["needs_you"]
    decide = [i for i in items if i["title"].startswith("Decide on")]
    assert [(i["title"], i["overdue"]) for i in decide] == [
        ("Decide on 2 flagged accreditations not put right in time", True)
    ]
    assert decide[0]["url"].endswith("?status__exact=flagged")
    page = client.get(decide[0]["url"]).content.decode()
    assert reason in page  # who is flagged, and why

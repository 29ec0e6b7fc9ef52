"""The outbox of reminders (R37): each sent once per (deadline, recipient, step), at the
step whose day has come, in plain text and HTML; stopping when the work is done; SAV
secrecy in every e-mail (R30); the coordinator's page and "remind now"; the sweep's
query count, the same for 10 reviews and for 1,000."""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from emslirp import reminders
from emslirp.deadlines import KINDS, open_deadlines
from emslirp.models import PostKind, Reminder, ReminderState, User
from reviews.letter.models import LetterState
from reviews.review.models import Review, ReviewState, TeamMember, TeamRole
from tests.calendar_planner.people import holder, review
from tests.emslirp.conftest import TODAY
from tests.factories import ExpressionOfInterestFactory, PostFactory, UserFactory
from tests.reviews.letter.test_letters import at_state
from tests.reviews.workbook.test_hypotheses import team_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reviews_day")]
D = datetime.date
UTC = datetime.UTC
# The sweep's queries: two or three per kind of deadline, the outbox's insert, the rows
# waiting to be handed out, and their hand-out time.
QUERIES = 28


def at(day: datetime.date, hour: int = 9) -> datetime.datetime:
    """``hour`` o'clock in London on ``day``."""
    return timezone.make_aware(datetime.datetime(day.year, day.month, day.day, hour))


def sweep(day=TODAY, hour=9):
    """One sweep on ``day``, and the sends it hands out run (in-process)."""
    return reminders.reminders_sweep(now=at(day, hour))


def sent(kind=None):
    rows = Reminder.objects.filter(state=ReminderState.SENT).select_related("recipient")
    if kind:
        rows = rows.filter(kind=kind)
    return sorted((r.kind, r.recipient.full_name, r.step) for r in rows)


def mail_to(person):
    return [m for m in mail.outbox if m.to == [person.email]]


# Sweeping and sending -----------------------------------------------------------------


def test_a_sweep_sends_each_due_reminder_once_and_a_second_sweep_nothing(
    pctr, django_capture_on_commit_callbacks
):
    _subject, _people = pctr
    with django_capture_on_commit_callbacks(execute=True):
        first = sweep()
    assert sent("letter_due") == [("letter_due", "Lee Lead", -3)]
    assert sent("reflection") == [
        ("reflection", name, -5) for name in ("Dai Ta", "Hana Host", "Lee Lead", "Mo Member")
    ]
    count = len(mail.outbox)
    assert count == first.created == Reminder.objects.filter(state="sent").count()
    with django_capture_on_commit_callbacks(execute=True):
        second = sweep(hour=15)
    assert (second.created, second.handed_out) == (0, [])
    assert len(mail.outbox) == count
    # The rows are what makes them once only: a sweep that cannot see what it sent would
    # send them all again.
    assert Reminder.objects.count() == count


def test_the_next_step_goes_on_its_day_and_only_the_latest_step_reached(
    pctr, on_day, django_capture_on_commit_callbacks
):
    _subject, people = pctr
    with django_capture_on_commit_callbacks(execute=True):
        sweep(D(2026, 11, 26))  # the day before the letter's first step
    assert sent("letter_due") == []
    for day in (
        TODAY,
        D(2026, 12, 2),  # the due day
        # Not swept for a week: only the latest step reached goes, not the one it missed.
        D(2026, 12, 10),
    ):
        on_day(day)
        with django_capture_on_commit_callbacks(execute=True):
            sweep(day)
    assert sent("letter_due") == [
        ("letter_due", "Lee Lead", -3),
        ("letter_due", "Lee Lead", 0),
        ("letter_due", "Lee Lead", 5),
    ]
    overdue = mail_to(people["lead"])[-1]
    assert overdue.subject == "Overdue: a final feedback letter, due 2 December 2026"
    assert "Issue the final feedback letter of the PCTR of Rutland." in overdue.body
    assert "now 6 working days late" in overdue.body


def test_reminders_stop_once_the_work_is_done(pctr, django_capture_on_commit_callbacks):
    subject, people = pctr
    with django_capture_on_commit_callbacks(execute=True):
        sweep(TODAY)
    at_state(subject, people, LetterState.FINAL)
    with django_capture_on_commit_callbacks(execute=True):
        sweep(D(2026, 12, 2))
    assert sent("letter_due") == [("letter_due", "Lee Lead", -3)]


def test_a_reminder_waiting_when_the_work_is_done_is_cancelled_not_sent(pctr):
    subject, people = pctr
    reminders.reminders_sweep(now=at(TODAY), hand_out=False)
    waiting = Reminder.objects.get(kind="letter_due")
    assert waiting.state == ReminderState.PENDING
    at_state(subject, people, LetterState.FINAL)
    mail.outbox.clear()
    assert reminders.reminder_send(pk=waiting.pk, now=at(TODAY)) == "cancelled"
    assert mail.outbox == []
    waiting.refresh_from_db()
    assert waiting.state == ReminderState.CANCELLED


def test_a_second_delivery_of_a_sent_reminder_sends_nothing(pctr):
    reminders.reminders_sweep(now=at(TODAY), hand_out=False)
    row = Reminder.objects.get(kind="letter_due")
    assert reminders.reminder_send(pk=row.pk, now=at(TODAY)) == "sent"
    assert reminders.reminder_send(pk=row.pk, now=at(TODAY)) == "skipped"
    assert reminders.reminder_send(pk=row.pk + 10_000, now=at(TODAY)) == "skipped"
    assert len([m for m in mail.outbox if "final feedback letter" in m.subject]) == 1


def test_an_earlier_step_still_waiting_when_a_later_one_is_made_is_not_sent(pctr):
    reminders.reminders_sweep(now=at(TODAY), hand_out=False)
    reminders.reminders_sweep(now=at(D(2026, 12, 2)), hand_out=False)
    early, due = Reminder.objects.filter(kind="letter_due").order_by("step")
    assert (early.step, due.step) == (-3, 0)
    assert reminders.reminder_send(pk=early.pk, now=at(D(2026, 12, 2))) == "cancelled"
    assert reminders.reminder_send(pk=due.pk, now=at(D(2026, 12, 2))) == "sent"


def test_a_person_who_left_the_post_or_whose_account_is_closed_is_not_reminded(pctr):
    subject, people = pctr
    people["data"].is_active = False
    people["data"].save()
    reminders.reminders_sweep(now=at(TODAY), hand_out=False)
    assert not Reminder.objects.filter(recipient=people["data"]).exists()
    # The host's DCS post changes hands after the row was made: the row is not sent to the
    # one who left, and the successor is asked at the next sweep (R3).
    row = Reminder.objects.get(kind="reflection", recipient=people["host_dcs"])
    people["host_dcs"].posts.update(ended_on=TODAY - datetime.timedelta(days=1))
    successor = holder(subject.host.region, PostKind.DCS, "Rutland", name="Nell Successor")
    assert reminders.reminder_send(pk=row.pk, now=at(TODAY)) == "cancelled"
    reminders.reminders_sweep(now=at(TODAY), hand_out=False)
    assert Reminder.objects.filter(kind="reflection", recipient=successor).exists()


def test_the_sweep_runs_on_london_dates_across_the_clock_change(east_midlands, la):
    """A step due on Monday 30 March 2026 goes at 00:30 that Monday in London (BST), when
    it is still Sunday in UTC, and not at 23:30 on the Sunday."""
    holder(east_midlands, PostKind.DCS, "Rutland", name="Sue Sponsor")
    # Sent on Monday 16 March 2026: due ten working days later, Monday 30 March.
    ExpressionOfInterestFactory(
        submitted=True,
        local_authority=la("Rutland"),
        submitted_at=datetime.datetime(2026, 3, 16, 10, tzinfo=UTC),
    )

    def steps():
        return sorted(Reminder.objects.filter(kind="eoi_sponsor").values_list("step", flat=True))

    sunday_night = datetime.datetime(2026, 3, 29, 22, 30, tzinfo=UTC)  # 23:30 BST Sunday
    reminders.reminders_sweep(now=sunday_night, hand_out=False)
    assert steps() == [-3]
    monday = datetime.datetime(2026, 3, 29, 23, 30, tzinfo=UTC)  # 00:30 BST Monday
    reminders.reminders_sweep(now=monday, hand_out=False)
    assert steps() == [-3, 0]


def test_a_refused_send_is_counted_retried_and_given_up_and_blocks_nothing(
    pctr, settings, monkeypatch
):
    from django.core.mail import EmailMultiAlternatives

    _subject, people = pctr
    bad = people["data"].email
    real_send = EmailMultiAlternatives.send

    def send(message, *args, **kwargs):
        if message.to == [bad]:
            raise OSError("550 mailbox unavailable")
        return real_send(message, *args, **kwargs)

    monkeypatch.setattr(EmailMultiAlternatives, "send", send)
    settings.REMINDER_MAX_ATTEMPTS = 2
    settings.REMINDER_REQUEUE_AFTER = datetime.timedelta(0)
    call_command("sweep_reminders", stdout=io.StringIO())
    row = Reminder.objects.get(recipient=people["data"])
    assert (row.state, row.attempts) == (ReminderState.PENDING, 1)
    assert "550 mailbox unavailable" in row.failure
    # Everyone else's went, before and after it in the outbox.
    others = Reminder.objects.exclude(recipient=people["data"])
    assert {r.state for r in others} == {ReminderState.SENT}
    call_command("sweep_reminders", stdout=io.StringIO())
    row.refresh_from_db()
    assert (row.state, row.attempts) == (ReminderState.FAILED, 2)
    out = io.StringIO()
    call_command("sweep_reminders", stdout=out)
    row.refresh_from_db()
    assert row.attempts == 2  # given up: not tried again
    assert "0 refused" in out.getvalue()


def test_the_command_sweeps_and_sends_in_its_own_process_for_cron(pctr, capsys):
    call_command("sweep_reminders")
    first = capsys.readouterr().out
    assert "reminders added" in first
    count = Reminder.objects.filter(state="sent").count()
    assert count > 0
    assert f"{count} sent" in first
    call_command("sweep_reminders")
    assert "0 reminders added; 0 sent" in capsys.readouterr().out


# The e-mail -----------------------------------------------------------------------------


def test_the_email_says_what_is_due_by_when_with_a_link_in_text_and_html(
    pctr, settings, django_capture_on_commit_callbacks
):
    subject, people = pctr
    with django_capture_on_commit_callbacks(execute=True):
        sweep()
    [message] = [m for m in mail_to(people["lead"]) if "letter" in m.subject]
    url = settings.BASE_URL + reverse("reviews:letter", args=[subject.pk])
    assert message.subject == "Reminder: a final feedback letter, due by 2 December 2026"
    assert "Issue the final feedback letter of the PCTR of Rutland." in message.body
    assert "This is due by Wednesday 2 December 2026." in message.body
    assert url in message.body
    [(html, kind)] = message.alternatives
    assert kind == "text/html"
    assert f'<a href="{url}">' in html
    assert "Wednesday 2 December 2026" in html
    row = Reminder.objects.get(kind="letter_due")
    assert message.extra_headers["Message-ID"] == f"<reminder-{row.pk}@emslirp.localhost>"
    assert row.sent_to == people["lead"].email


def test_a_sav_host_dcs_is_told_the_window_only_and_nobody_else_at_the_host_anything(
    east_midlands, coordinator, la, django_capture_on_commit_callbacks
):
    """R30: before the visit, of the host LA only its DCS learns a SAV is coming, and only
    its window: never its dates or its team, in any reminder."""
    from reviews.workbook.services import deployment as services
    from reviews.workbook.services import hypotheses
    from tests.reviews.workbook.test_hypotheses import DRAFTS

    sav = review(east_midlands, "sav", "Rutland", D(2027, 1, 1), "Derby City", "Lincolnshire")
    people = team_for(east_midlands, sav, coordinator, "sav")
    hypotheses.hypotheses_save(review=sav, drafts=DRAFTS, by=people["lead"])
    services.review_onsite_set(review=sav, first_day=D(2027, 1, 12), by=coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        sweep(D(2026, 11, 20))  # the information set's step, ten working days before
        sweep(D(2027, 1, 8))  # the conference call's step, two working days before
    [told] = [m for m in mail.outbox if "information set" in m.body]
    # The subject line, which a phone or a shared inbox shows, says nothing of a visit.
    assert told.subject == (
        "Reminder: information your local authority is asked for, due by 1 December 2026"
    )
    assert told.to == [people["host_dcs"].email]
    text = told.body + told.alternatives[0][0]
    assert "Jan–Feb 2027" in text
    for secret in ("12 January", "13 January", "January 12", "Lee Lead", "Mo Member"):
        assert secret not in text
    host = {people[w].email for w in ("host_dcs", "host_ad", "host_data")}
    call = [m for m in mail.outbox if "conference call" in m.subject]
    assert sorted(m.to[0] for m in call) == sorted(
        people[w].email for w in ("lead", "data", "member", "qa")
    )
    # The host's 2nd-tier lead is reminded of the self-assessment, as every year, and of
    # nothing that tells of a visit; the DCS of the window alone.
    to_host = [m for m in mail.outbox if m.to[0] in host]
    assert {m.to[0] for m in to_host} == {people["host_dcs"].email, people["host_ad"].email}
    for message in to_host:
        if message is told:
            continue
        text = message.subject + message.body + message.alternatives[0][0]
        assert "visit" not in text.lower()
        assert "SAV" not in text
        assert "January" not in text


# Remind now and the coordinator's page -----------------------------------------------------


def test_the_coordinator_reminds_by_hand_once_a_day_each(
    pctr, coordinator, la, django_capture_on_commit_callbacks
):
    subject, people = pctr
    rutland = f"{la('Rutland').pk}/2026"
    assert subject.host == la("Rutland")
    with django_capture_on_commit_callbacks(execute=True):
        count = reminders.reminders_send_now(
            kind="self_assessment", subject=rutland, by=coordinator, now=at(TODAY)
        )
    assert count == 2
    assert sorted(r.recipient.full_name for r in Reminder.objects.filter(step__isnull=True)) == [
        "Al Host",
        "Hana Host",
    ]
    message = mail_to(people["host_ad"])[-1]
    assert "Coral Ordinator asked for this reminder to be sent." in message.body
    with pytest.raises(reminders.ReminderRefused, match="already reminded"):
        reminders.reminders_send_now(
            kind="self_assessment", subject=rutland, by=coordinator, now=at(TODAY, 15)
        )
    # The next day they may again.
    with django_capture_on_commit_callbacks(execute=True):
        again = reminders.reminders_send_now(
            kind="self_assessment", subject=rutland, by=coordinator, now=at(D(2026, 11, 30))
        )
    assert again == 2


def test_only_a_coordinator_reminds_and_one_answer_for_done_absent_and_elsewhere(
    pctr, other_region_coordinator, coordinator
):
    """R2, R30: another region's coordinator cannot tell by trying whether a deadline
    exists there (a SAV's conference call names its first day)."""
    subject, people = pctr
    refusals = set()
    for by, kind, key in [
        # Not the coordinator: nobody else reminds of a letter by hand.
        (people["lead"], "letter_due", str(subject.pk)),
        (people["qa"], "letter_due", str(subject.pk)),
        (people["host_dcs"], "letter_due", str(subject.pk)),
        (other_region_coordinator, "letter_due", str(subject.pk)),  # exists, elsewhere
        (other_region_coordinator, "letter_due", str(subject.pk + 99)),  # never was
        (coordinator, "letter_due", str(subject.pk + 99)),
        (coordinator, "conference_call", f"{subject.pk}/not-a-date"),
        # Another spelling of an open deadline's subject is not another deadline.
        (coordinator, "letter_due", f"0{subject.pk}"),
        (coordinator, "letter_due", f"{subject.pk}/x"),
        (coordinator, "no_such_kind", "1"),
    ]:
        with pytest.raises(reminders.ReminderRefused) as refused:
            reminders.reminders_send_now(kind=kind, subject=key, by=by)
        refusals.add(str(refused.value))
    at_state(subject, people, LetterState.FINAL)
    with pytest.raises(reminders.ReminderRefused) as refused:
        reminders.reminders_send_now(kind="letter_due", subject=str(subject.pk), by=coordinator)
    refusals.add(str(refused.value))
    assert len(refusals) == 1
    assert not Reminder.objects.exists()


def test_the_qa_reminds_by_hand_those_yet_to_reflect_and_nobody_else_may(
    client, pctr, coordinator, django_capture_on_commit_callbacks
):
    """R27: the QA, who sees who has completed, may remind those who have not."""
    from tests.reviews.reflections.test_reflections import write

    subject, people = pctr
    write(subject, people["member"], "member")
    url = reverse("reviews:reflections_remind", args=[subject.pk])
    completion = reverse("reviews:reflections_completion", args=[subject.pk])
    client.force_login(people["qa"])
    html = client.get(completion).content.decode()
    assert "Remind those who have not submitted" in html
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, follow=True)
    assert "A reminder is on its way to 3 people." in response.content.decode()
    reminded = Reminder.objects.filter(step__isnull=True, requested_by=people["qa"])
    assert sorted(r.recipient.full_name for r in reminded) == ["Dai Ta", "Hana Host", "Lee Lead"]
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        people[w].email for w in ("data", "host_dcs", "lead")
    )
    assert "Quinn Assure asked for this reminder to be sent." in mail.outbox[0].body
    response = client.post(url, follow=True)
    assert "Everyone was already reminded of it by hand today." in response.content.decode()
    # Nobody else: not the coordinator (R29 gives them nothing of reflections), the lead,
    # a member or the host.
    for who in ("lead", "member", "host_dcs", "coordinator"):
        client.force_login(people[who])
        assert client.post(url).status_code == 403
        assert "Remind those who have not" not in client.get(completion).content.decode()
        with pytest.raises(reminders.ReminderRefused):
            reminders.reminders_send_now(kind="reflection", subject=str(subject.pk), by=people[who])
    assert Reminder.objects.filter(step__isnull=True).count() == 3


def test_the_coordinator_neither_follows_nor_reminds_of_reflections_or_proofreading(
    client, pctr, coordinator, django_capture_on_commit_callbacks
):
    """R29: the coordinator has nothing of another's reflection (the QA sees completion)
    nor of a draft letter."""
    subject, people = pctr
    at_state(subject, people, LetterState.WITH_QA)
    with django_capture_on_commit_callbacks(execute=True):
        sweep()
    assert Reminder.objects.filter(kind__in=["reflection", "qa_proofread"]).exists()
    client.force_login(coordinator)
    html = client.get(reverse("reminders")).content.decode()
    assert "Issue the final feedback letter of the PCTR of Rutland" in html
    # (Quinn Assure and Lee Lead are DCSs, listed for their own LAs' self-assessments.)
    for hidden in ("Write your reflection", "Proofread", "Mo Member", "Dai Ta"):
        assert hidden not in html
    for kind in ("reflection", "qa_proofread"):
        deadline = next(d for d in open_deadlines(on=TODAY) if d.kind == kind)
        with pytest.raises(reminders.ReminderRefused):
            reminders.reminders_send_now(kind=kind, subject=deadline.subject, by=coordinator)


def test_the_page_shows_the_regions_deadlines_who_was_reminded_and_the_outbox(
    client, pctr, coordinator, django_capture_on_commit_callbacks
):
    subject, _people = pctr
    with django_capture_on_commit_callbacks(execute=True):
        sweep()
    client.force_login(coordinator)
    html = client.get(reverse("reminders")).content.decode()
    assert "Issue the final feedback letter of the PCTR of Rutland" in html
    sent_at = timezone.localtime(Reminder.objects.get(kind="letter_due").sent_at)
    assert f"Lee Lead: reminded {sent_at:%-d %B %Y, %H:%M}" in html
    assert "3 working days before the due date" in html
    assert "Remind now" in html
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("reminders_remind_now"),
            {"kind": "letter_due", "subject": str(subject.pk)},
            follow=True,
        )
    assert "A reminder is on its way to 1 person." in response.content.decode()
    assert "asked for by Coral Ordinator" in response.content.decode()
    response = client.post(
        reverse("reminders_remind_now"),
        {"kind": "letter_due", "subject": str(subject.pk)},
        follow=True,
    )
    assert "Everyone was already reminded of it by hand today." in response.content.decode()
    response = client.post(
        reverse("reminders_remind_now"), {"kind": "letter_due", "subject": "0"}, follow=True
    )
    assert "Nothing waits for that any more that you can remind of" in response.content.decode()


def test_nobody_but_a_coordinator_opens_the_page_and_none_sees_another_regions(
    client, pctr, other_region_coordinator
):
    subject, people = pctr
    for who in ("lead", "qa", "host_dcs", "member", "uninvolved"):
        client.force_login(people[who])
        assert client.get(reverse("reminders")).status_code == 403
        response = client.post(
            reverse("reminders_remind_now"), {"kind": "letter_due", "subject": str(subject.pk)}
        )
        assert response.status_code == 403
    client.force_login(other_region_coordinator)
    html = client.get(reverse("reminders")).content.decode()
    assert "Rutland" not in html
    assert "Nothing in your region is waiting for anyone." in html
    # Refused as if it did not exist: the same answer as for work done or never there.
    response = client.post(
        reverse("reminders_remind_now"),
        {"kind": "letter_due", "subject": str(subject.pk)},
        follow=True,
    )
    assert "Nothing waits for that any more that you can remind of" in response.content.decode()
    assert not Reminder.objects.exists()


@pytest.mark.parametrize("reviews", [1, 3])
def test_the_page_query_count_is_pinned(
    client, east_midlands, coordinator, reviews, django_assert_num_queries
):
    lead = UserFactory(full_name="Lee Lead")
    made = [
        review(east_midlands, "pctr", host, D(2026, 10, 1), "Derby City", "Lincolnshire")
        for host in ("Rutland", "Leicestershire", "Nottinghamshire")[:reviews]
    ]
    for r in made:
        Review.objects.filter(pk=r.pk).update(
            state=ReviewState.AFTER_VISIT, onsite_from=D(2026, 11, 16), onsite_to=D(2026, 11, 18)
        )
        TeamMember.objects.create(
            review=r,
            person=lead,
            role=TeamRole.LEAD,
            local_authority=r.lead_local_authority,
            assigned_by=coordinator,
        )
    reminders.reminders_sweep(now=at(TODAY), hand_out=False)
    client.force_login(coordinator)
    # session, user, their regions; the deadlines (a fixed number); who was reminded;
    # the outbox's count and page
    with django_assert_num_queries(23):
        response = client.get(reverse("reminders"))
    assert (
        len([r for r in response.context["rows"] if r["deadline"].kind == "letter_due"]) == reviews
    )


# The home page ------------------------------------------------------------------------------


def test_home_lists_the_same_deadlines_most_urgent_first(client, pctr):
    _subject, people = pctr
    client.force_login(people["lead"])
    items = client.get(reverse("home")).context["needs_you"]
    # The lead is also Derby City's DCS, whose self-assessment was due on 31 March.
    assert [(i["title"], i["due"], i.get("overdue")) for i in items] == [
        ("Start the self-assessment of Derby City for 2026", D(2026, 3, 31), True),
        # No longer "Form the team": the visit is over.
        ("Issue the final feedback letter of the PCTR of Rutland", D(2026, 12, 2), False),
        ("Write your reflection on the PCTR of Rutland", D(2026, 12, 2), False),
    ]
    client.force_login(people["host_dcs"])
    html = client.get(reverse("home")).content.decode()
    # The host's self-assessment was due on 31 March: overdue, so first.
    first = html.index("Start the self-assessment of Rutland for 2026")
    assert first < html.index("Write your reflection on the PCTR of Rutland")
    assert "overdue</strong> since 31 March 2026" in html


# The sweep does not grow with the reviews ------------------------------------------------------


def _seed_every_kind(region, coordinator, count: int) -> None:
    """``count`` of each kind of deadline, in bulk: reviews after their visit (a letter due,
    reflections outstanding, an incident awaiting the host, a letter with the QA), PCTRs
    whose hypotheses wait for the host, SAVs whose information set and conference call are
    coming, applications awaiting their sponsor, flagged accreditations, and every LA's
    self-assessment."""
    from accreditation.models import Accreditation, ExpressionOfInterest
    from reviews.letter.models import Letter, LetterEvent
    from reviews.workbook.models import Hypothesis
    from safeguarding.models import CriticalIncident
    from tests.factories import AccreditationFactory

    las = list(region.local_authorities.order_by("name"))
    people = User.objects.bulk_create(
        User(email=f"bulk{n}@example.org", full_name=f"Bulk {n}") for n in range(3 * count + 20)
    )
    leads, applicants, flagged = people[:10], people[20 : 20 + count], people[-count:]
    for la in las:
        PostFactory(holder=UserFactory(), kind=PostKind.DCS, local_authority=la)
    now = timezone.now()

    def reviews(kind, state, start, end, onsite):
        made = Review.objects.bulk_create(
            Review(
                kind=kind,
                host=las[n % len(las)],
                starts_on=start,
                ends_on=end,
                state=state,
                onsite_from=onsite[0] if onsite else None,
                onsite_to=onsite[1] if onsite else None,
            )
            for n in range(count)
        )
        TeamMember.objects.bulk_create(
            TeamMember(
                review=r,
                person=leads[(n + shift) % 10],
                role=role,
                local_authority=las[(n + shift + 1) % len(las)],
                assigned_by=coordinator,
            )
            for n, r in enumerate(made)
            for shift, role in ((0, TeamRole.LEAD), (5, TeamRole.QA))
        )
        return made

    after = reviews(
        "pctr",
        ReviewState.AFTER_VISIT,
        D(2026, 10, 1),
        D(2026, 12, 31),
        (D(2026, 11, 16), D(2026, 11, 18)),
    )
    CriticalIncident.objects.bulk_create(
        CriticalIncident(
            review=r,
            local_authority_name="LA",
            host_dcs_name="DCS",
            lead_name="Lead",
            review_dates="",
            incident="i",
            nature="n",
            evidence="e",
            identified_at=now,
            identified_by=leads[0],
            initial_action="a",
            raised_by=leads[0],
            raised_at=now,
            raised_with_host_at=now,
        )
        for r in after
    )
    letters = Letter.objects.bulk_create(
        Letter(
            review=r,
            state="with_qa",
            subject="s",
            body="b",
            drafted_by=leads[0],
            drafted_at=now,
            updated_at=now,
        )
        for r in after
    )
    LetterEvent.objects.bulk_create(
        LetterEvent(letter=x, before="draft", after="with_qa", by=leads[0], at=now) for x in letters
    )
    preparing = reviews("pctr", ReviewState.PREPARING, D(2027, 1, 1), D(2027, 3, 31), None)
    Hypothesis.objects.bulk_create(
        Hypothesis(review=r, number=1, text="h", proposal="investigate", written_by=leads[0])
        for r in preparing
    )
    reviews(
        "sav",
        ReviewState.PREPARING,
        D(2027, 1, 1),
        D(2027, 2, 28),
        (D(2027, 1, 12), D(2027, 1, 13)),
    )
    ExpressionOfInterest.objects.bulk_create(
        ExpressionOfInterestFactory.build(
            applicant=a, local_authority=las[n % len(las)], submitted=True, submitted_at=now
        )
        for n, a in enumerate(applicants)
    )
    Accreditation.objects.bulk_create(
        AccreditationFactory.build(
            person=p, status="flagged", status_reason="Missed training.", status_changed_on=TODAY
        )
        for p in flagged
    )


@pytest.mark.parametrize("count", [10, 1000])
def test_the_sweep_query_count_is_the_same_for_10_and_1000_of_each_kind(
    east_midlands, coordinator, count, django_assert_num_queries
):
    _seed_every_kind(east_midlands, coordinator, count)
    found = open_deadlines(on=TODAY)
    kinds = {d.kind for d in found}
    assert kinds == set(KINDS)
    # Every kind has ``count`` deadlines (self-assessments: one per LA).
    for kind in KINDS:
        assert len([d for d in found if d.kind == kind]) == (
            10 if kind == "self_assessment" else count
        )
    # The database's side of the sweep: its hand-outs to the broker run after it commits.
    with django_assert_num_queries(QUERIES):
        result = reminders.reminders_sweep(now=at(TODAY), hand_out=True)
    assert result.created == Reminder.objects.count()
    assert len(result.handed_out) == result.created


def test_a_reminder_met_while_notices_are_held_waits_and_goes_after(pctr):
    """While the demo loads nobody is e-mailed; the reminders it meets are not lost."""
    from emslirp.notices import notices_held

    reminders.reminders_sweep(now=at(TODAY), hand_out=False)
    row = Reminder.objects.get(kind="letter_due")
    mail.outbox.clear()
    with notices_held():
        assert reminders.reminder_send(pk=row.pk, now=at(TODAY)) == "held"
    row.refresh_from_db()
    assert row.state == ReminderState.PENDING
    assert mail.outbox == []
    assert reminders.reminder_send(pk=row.pk, now=at(TODAY)) == "sent"
    assert len(mail.outbox) == 1


def test_two_hand_reminders_at_one_instant_each_hand_out_only_their_own(pctr, coordinator, la):
    other = UserFactory(full_name="Cora Second", is_staff=True, region=coordinator.region)
    PostFactory(coordinator=True, holder=other, region=coordinator.region)
    rutland = f"{la('Rutland').pk}/2026"
    moment = at(TODAY)
    # The first coordinator reminds the host's DCS and 2nd-tier lead; the second, at the
    # same instant, finds them reminded today and is refused: it hands out nothing of
    # the first's.
    assert (
        reminders.reminders_send_now(
            kind="self_assessment", subject=rutland, by=coordinator, now=moment
        )
        == 2
    )
    with pytest.raises(reminders.ReminderRefused, match="already reminded"):
        reminders.reminders_send_now(kind="self_assessment", subject=rutland, by=other, now=moment)
    assert Reminder.objects.filter(step__isnull=True).count() == 2
    assert set(Reminder.objects.values_list("requested_by", flat=True)) == {coordinator.pk}


def test_the_coordinator_is_refused_at_the_page_for_reflections_and_proofreading(
    client, pctr, coordinator
):
    subject, people = pctr
    at_state(subject, people, LetterState.WITH_QA)
    client.force_login(coordinator)
    for deadline in open_deadlines(on=TODAY):
        if deadline.kind not in ("reflection", "qa_proofread"):
            continue
        response = client.post(
            reverse("reminders_remind_now"),
            {"kind": deadline.kind, "subject": deadline.subject},
            follow=True,
        )
        assert "Nothing waits for that any more" in response.content.decode()
    assert not Reminder.objects.exists()


def test_the_collectors_name_whom_the_apps_own_rules_name(pctr, east_midlands, la):
    """The reminders and the pages cannot disagree: the reflection deadline waits for those
    ``reflections_asked`` names who have not submitted; the sponsor's for whoever
    ``eois_awaiting_sponsor`` gives the application to; the self-assessment's for whoever
    ``self_assessment_local_authorities`` lets write it."""
    from accreditation.selectors import eois_awaiting_sponsor
    from reviews.reflections.selectors import reflections_asked
    from reviews.self_assessment.permissions import self_assessment_local_authorities
    from tests.reviews.reflections.test_reflections import write

    subject, people = pctr
    write(subject, people["member"], "member")
    application = ExpressionOfInterestFactory(submitted=True, local_authority=la("Rutland"))
    found = open_deadlines(on=TODAY)

    [reflection] = [d for d in found if d.kind == "reflection"]
    asked = {p.pk for p, _role in reflections_asked(review=subject, on=TODAY)}
    assert {p.pk for p in reflection.recipients} == asked - {people["member"].pk}

    [sponsor] = [d for d in found if d.kind == "eoi_sponsor"]
    everyone = list(User.objects.all())
    assert {p.pk for p in sponsor.recipients} == {
        p.pk for p in everyone if application in eois_awaiting_sponsor(sponsor=p, on=TODAY)
    }

    for deadline in [d for d in found if d.kind == "self_assessment"]:
        la_pk = int(deadline.subject.split("/")[0])
        writers = {
            p.pk
            for p in everyone
            if self_assessment_local_authorities(p, on=TODAY).filter(pk=la_pk).exists()
        }
        assert {p.pk for p in deadline.recipients} == writers, deadline.title

"""When the final letter is due (R23, R36): the 10th (PCTR) or 5th (SAV) working day after
the last on-site day, weekends and England and Wales bank holidays counted out. Each
expected day below is counted by hand, the count written beside it."""

import datetime

import pytest
from django.urls import reverse

from reviews.letter.selectors import letter_due_on
from reviews.review.models import Review
from tests.reviews.letter.test_letters import at_state, feedback_given
from tests.reviews.visited import visited

D = datetime.date


@pytest.mark.parametrize(
    ("kind", "last_day", "due"),
    [
        # Thu 17 Dec 2026, PCTR: Fri 18 (1), Mon 21 (2), Tue 22 (3), Wed 23 (4), Thu 24 (5);
        # Fri 25 Christmas Day, Sat 26 and Sun 27, Mon 28 (Boxing Day falls on a Saturday,
        # so the bank holiday is the Monday); Tue 29 (6), Wed 30 (7), Thu 31 (8); Fri 1 Jan
        # New Year's Day; Mon 4 (9), Tue 5 January 2027 (10).
        ("pctr", D(2026, 12, 17), D(2027, 1, 5)),
        # Wed 23 Dec 2026, SAV: Thu 24 (1); 25 and 28 bank holidays; Tue 29 (2), Wed 30 (3),
        # Thu 31 (4); 1 Jan a bank holiday; Mon 4 January 2027 (5).
        ("sav", D(2026, 12, 23), D(2027, 1, 4)),
        # Wed 24 Mar 2027, SAV: Thu 25 (1); Fri 26 Good Friday, Mon 29 Easter Monday;
        # Tue 30 (2), Wed 31 (3), Thu 1 Apr (4), Fri 2 April 2027 (5).
        ("sav", D(2027, 3, 24), D(2027, 4, 2)),
        # Thu 25 Mar 2027, the day before Good Friday, SAV: Tue 30 (1), Wed 31 (2),
        # Thu 1 (3), Fri 2 (4), Mon 5 April 2027 (5).
        ("sav", D(2027, 3, 25), D(2027, 4, 5)),
        # Thu 25 Mar 2027, PCTR: Tue 30 (1), Wed 31 (2), Thu 1 (3), Fri 2 (4), Mon 5 (5),
        # Tue 6 (6), Wed 7 (7), Thu 8 (8), Fri 9 (9), Mon 12 April 2027 (10).
        ("pctr", D(2027, 3, 25), D(2027, 4, 12)),
        # Wed 18 Nov 2026, PCTR, no bank holiday: Thu 19 (1) … Fri 27 (7), Mon 30 (8),
        # Tue 1 Dec (9), Wed 2 December 2026 (10).
        ("pctr", D(2026, 11, 18), D(2026, 12, 2)),
        # Fri 23 Apr 2027, SAV: Mon 26 (1) … Fri 30 (5); the May bank holiday is Mon 3 May.
        ("sav", D(2027, 4, 23), D(2027, 4, 30)),
        # Fri 30 Apr 2027, SAV: Mon 3 May bank holiday; Tue 4 (1) … Fri 7 (4), Mon 10 May (5).
        ("sav", D(2027, 4, 30), D(2027, 5, 10)),
    ],
)
def test_the_final_letter_is_due_after_counting_working_days(kind, last_day, due):
    assert letter_due_on(Review(kind=kind, onsite_to=last_day)) == due


def test_no_due_date_before_the_on_site_days_are_set():
    assert letter_due_on(Review(kind="pctr", onsite_to=None)) is None


def _due_row(client, person, review) -> str:
    client.force_login(person)
    page = client.get(reverse("reviews:letter", args=[review.pk])).content.decode()
    start = page.index('id="letter-due"')
    return page[start : page.index("</dd>", start)]


def test_the_letter_page_shows_the_due_date_and_whether_it_is_overdue(
    client, east_midlands, coordinator, on_day
):
    review, people = visited(east_midlands, coordinator, "pctr")  # last day Wed 18 Nov
    feedback_given(review, people)
    row = _due_row(client, people["lead"], review)
    assert "Wednesday 2 December 2026" in row
    assert "Overdue" not in row
    on_day(D(2026, 12, 2))
    assert "Overdue" not in _due_row(client, people["lead"], review)
    on_day(D(2026, 12, 4))  # Thu 3 and Fri 4 past the due day
    row = _due_row(client, people["lead"], review)
    assert "Overdue</strong> by 2 working days" in row


def test_a_sav_letter_is_due_in_five_working_days_and_one_issued_late_says_so(
    client, east_midlands, coordinator, django_capture_on_commit_callbacks
):
    review, people = visited(east_midlands, coordinator, "sav")  # last day Tue 17 Nov
    feedback_given(review, people)
    # Wed 18 (1), Thu 19 (2), Fri 20 (3), Mon 23 (4), Tue 24 November 2026 (5); today is
    # Fri 27 November: Wed 25, Thu 26 and Fri 27 late.
    row = _due_row(client, people["qa"], review)
    assert "Tuesday 24 November 2026" in row
    assert "Overdue</strong> by 3 working days" in row
    with django_capture_on_commit_callbacks(execute=True):
        letter = at_state(review, people, "final")
    assert letter.issued_at is not None
    row = _due_row(client, people["member"], review)
    assert "Overdue" not in row
    assert "issued 3 working days late" in row

"""The GOV.UK date input: a date typed as day, month and year, each message at the field
naming the date and what is wrong, what was typed kept."""

import datetime

import pytest
from django import forms
from django.utils import timezone

from emslirp.fields import DayMonthYearField, DayMonthYearTimeField, date_example
from tests.dates import date_input, moment_input


@pytest.fixture(autouse=True)
def _after_the_moments_typed(on_day):
    # The moments typed below are in 2026 and must have passed: the clock is moved past
    # them, whatever day the suite runs on (CI's random day included).
    on_day(datetime.date(2026, 12, 4))


class VisitForm(forms.Form):
    first_day = DayMonthYearField(label="First on-site day", what="the first on-site day")


def form(typed: str) -> VisitForm:
    return VisitForm(date_input("first_day", typed))


def test_a_date_typed_in_three_boxes_is_that_date():
    typed = VisitForm({"first_day_0": " 9 ", "first_day_1": "2", "first_day_2": "2027 "})
    assert typed.is_valid(), typed.errors
    assert typed.cleaned_data["first_day"] == datetime.date(2027, 2, 9)
    padded = form("09 02 2027")
    assert padded.is_valid()
    assert padded.cleaned_data["first_day"] == datetime.date(2027, 2, 9)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("  ", "Enter the first on-site day"),
        ("9  2027", "The first on-site day must include a month"),
        (" 2 2027", "The first on-site day must include a day"),
        ("9 2 ", "The first on-site day must include a year"),
        ("31 2 2027", "The first on-site day must be a real date"),
        ("9 13 2027", "The first on-site day must be a real date"),
        ("9 Feb 2027", "The first on-site day must be a real date"),
        ("9 2 27", "The year of the first on-site day must include 4 numbers"),
    ],
)
def test_a_date_missing_a_part_or_not_real_is_told_at_its_field(typed, message):
    refused = form(typed)
    assert not refused.is_valid()
    assert refused.errors["first_day"] == [message]
    # What was typed is drawn again, box by box.
    assert refused["first_day"].value() == typed.split(" ")


@pytest.mark.parametrize(
    ("typed", "box"), [("9  2027", 1), ("31 2 2027", 0), ("9 2 27", 2), (" 2 2027", 0)]
)
def test_the_error_summary_leads_to_the_box_at_fault(typed, box):
    refused = form(typed)
    assert not refused.is_valid()
    boxes = [b.widget.errors for b in refused.fields["first_day"].fields]
    assert [n for n, errors in enumerate(boxes) if errors] == [box]


def test_two_forms_do_not_share_a_boxs_message():
    assert not form("9  2027").is_valid()
    again = form("9 2 2027")
    assert again.is_valid()
    assert [box.widget.errors for box in again.fields["first_day"].fields] == [[], [], []]


def test_the_boxes_are_drawn_as_the_design_system_draws_them():
    html = str(VisitForm(initial={"first_day": datetime.date(2027, 2, 9)})["first_day"])
    assert 'class="govuk-date-input"' in html
    assert 'name="first_day_0" value="9"' in html
    assert 'name="first_day_2" value="2027"' in html
    assert html.count('inputmode="numeric"') == 3
    assert ">Day<" in html and ">Month<" in html and ">Year<" in html


def test_the_hint_gives_the_day_as_the_boxes_take_it():
    assert date_example(datetime.date(2027, 2, 9)) == "For example, 9 2 2027"


class MomentForm(forms.Form):
    seen_at = DayMonthYearTimeField(label="Date and time it was seen", when="it was seen")


def test_a_moment_is_a_date_and_a_time_in_local_time_and_never_still_to_come():
    """R25's record says when things happened: a time is asked for, in its own box."""
    typed = MomentForm(moment_input("seen_at", "17 11 2026 9:05"))
    assert typed.is_valid(), typed.errors
    assert typed.cleaned_data["seen_at"] == timezone.make_aware(
        datetime.datetime(2026, 11, 17, 9, 5)
    )
    later = timezone.localtime() + datetime.timedelta(hours=2)
    future = MomentForm(moment_input("seen_at", later))
    assert not future.is_valid()
    assert future.errors["seen_at"] == ["The date and time it was seen must be in the past"]


@pytest.mark.parametrize(
    ("typed", "box", "message"),
    [
        ("17 11 2026 ", 3, "Enter the time it was seen"),
        ("17 11 2026 9", 3, "The time it was seen must be a real time, for example 14:30"),
        ("17 11 2026 13pm", 3, "The time it was seen must be a real time, for example 14:30"),
        ("17  2026 9:05", 1, "The date and time it was seen must include a month"),
        ("30 2 2026 9:05", 0, "The date and time it was seen must be a real date"),
    ],
)
def test_a_moment_missing_a_part_is_told_at_the_box_at_fault(typed, box, message):
    refused = MomentForm(moment_input("seen_at", typed))
    assert not refused.is_valid()
    assert refused.errors["seen_at"] == [message]
    boxes = [b.widget.errors for b in refused.fields["seen_at"].fields]
    assert [n for n, errors in enumerate(boxes) if errors] == [box]


def test_a_recorded_moment_is_shown_back_box_by_box_in_local_time():
    # As the database gives it back: in UTC, 13:30, which is 14:30 in London's summer.
    moment = datetime.datetime(2026, 6, 17, 13, 30, tzinfo=datetime.UTC)
    shown = MomentForm(initial={"seen_at": moment})
    html = str(shown["seen_at"])
    for value in ("17", "6", "2026", "14:30"):
        assert f'value="{value}"' in html


def test_the_time_box_takes_the_longest_way_a_time_is_written():
    """A browser cuts what is typed at maxlength without a word: "12:30 p.m." must fit."""
    box = MomentForm().fields["seen_at"].widget.widgets[3]
    assert int(box.attrs["maxlength"]) >= len("12:30 p.m.")
    typed = MomentForm(moment_input("seen_at", "17 11 2026 12:30 p.m."))
    assert typed.is_valid(), typed.errors
    assert timezone.localtime(typed.cleaned_data["seen_at"]).time() == datetime.time(12, 30)


@pytest.mark.parametrize(
    "typed",
    ["99999999999999999999 1 2026 10:00", "1 99999999999999999999 2026 10:00", "123 1 2026 9:00"],
)
def test_a_number_too_large_for_a_date_is_not_a_real_date(typed):
    refused = MomentForm(moment_input("seen_at", typed))
    assert not refused.is_valid()
    assert refused.errors["seen_at"] == ["The date and time it was seen must be a real date"]


def test_a_time_the_clocks_skipped_is_refused_and_one_they_repeated_is_the_first():
    """29 March 2026: London's clocks went from 1am to 2am; 25 October: 2am back to 1am."""
    skipped = MomentForm(moment_input("seen_at", "29 3 2026 1:30"))
    assert not skipped.is_valid()
    assert skipped.errors["seen_at"] == [
        "The time it was seen must be a time that happened: the clocks went forward at 1am "
        "on 29 March 2026"
    ]
    repeated = MomentForm(moment_input("seen_at", "25 10 2026 1:30"))
    assert repeated.is_valid()
    assert repeated.cleaned_data["seen_at"].astimezone(datetime.UTC).hour == 0  # BST, the first

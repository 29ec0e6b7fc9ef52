"""The GOV.UK date input: a date typed as day, month and year, each message at the field
naming the date and what is wrong, what was typed kept."""

import datetime

import pytest
from django import forms

from emslirp.fields import DayMonthYearField, date_example
from tests.dates import date_input


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

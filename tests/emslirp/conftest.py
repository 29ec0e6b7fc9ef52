"""Fixtures of the deadline and reminder tests, which run on the reviews' day."""

import datetime

import pytest

# The visit of 16–18 November 2026 is over.
TODAY = datetime.date(2026, 11, 27)


@pytest.fixture
def reviews_day(on_day):
    """Today is TODAY for the code under test."""
    on_day(TODAY)


@pytest.fixture
def pctr(east_midlands, coordinator):
    """A PCTR of Rutland whose visit is over and whose verbal feedback was given."""
    from tests.reviews.letter.test_letters import feedback_given
    from tests.reviews.visited import visited

    subject, people = visited(east_midlands, coordinator, "pctr")
    feedback_given(subject, people)
    return subject, people

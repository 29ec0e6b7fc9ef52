import datetime

import pytest

# The reminders' tests run on the reviews' day: the visit of 16–18 November 2026 is over.
TODAY = datetime.date(2026, 11, 27)


@pytest.fixture(autouse=True)
def _today(on_day):
    on_day(TODAY)

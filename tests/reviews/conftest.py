import datetime

import pytest

# The reviews' tests run on one day: their reviews are in 2027, still to come.
TODAY = datetime.date(2026, 11, 27)


@pytest.fixture(autouse=True)
def _today(on_day):
    on_day(TODAY)

"""Event dates: the plain day-and-month reader must read dates exactly as dateparser does."""
import datetime as dt
import random

import pytest

from tacitus.events.dates import MONTHS, _dateparser_day, _day_month_year, resolve_date_text


def _random_dates(count: int, seed: int):
    rng = random.Random(seed)
    for _ in range(count):
        base = dt.date(2012, 1, 1) + dt.timedelta(days=rng.randrange(0, 5000))
        month = MONTHS[rng.randrange(12)]
        month = rng.choice([month, month.title(), month.upper()])
        day = rng.randrange(1, 32)
        day_text = rng.choice([str(day), f"{day:02d}", f"{day}th" if day > 3 else str(day)])
        year = rng.choice(["", f" {base.year}", f", {base.year - 1}", f" {base.year + 1}"])
        text = rng.choice([f"{day_text} {month}{year}", f"{month} {day_text}{year}"])
        yield text, base


@pytest.mark.parametrize("text,base", list(_random_dates(150, seed=11)))
def test_plain_dates_read_as_dateparser_reads_them(text, base):
    fast = _day_month_year(text, base)
    if fast is None:  # not a valid day ("31 April"): left to dateparser
        assert _dateparser_day(text, base) is None
    else:
        assert fast == _dateparser_day(text, base)


@pytest.mark.parametrize("text,base,expected", [
    ("March 16", dt.date(2020, 3, 10), dt.date(2019, 3, 16)),  # not yet this year: last year's
    ("16 March", dt.date(2020, 3, 16), dt.date(2020, 3, 16)),
    ("February 29", dt.date(2021, 3, 1), dt.date(2020, 2, 29)),  # the last leap year
    ("March 16, 2021", dt.date(2020, 1, 1), dt.date(2021, 3, 16)),  # a year given is kept
    ("31 April", dt.date(2020, 5, 1), None),
    ("on March 16", dt.date(2020, 5, 1), None),  # not plain: dateparser's to read
    ("Monday, March 16", dt.date(2020, 5, 1), None),
])
def test_plain_date_reader(text, base, expected):
    assert _day_month_year(text, base) == expected


def test_resolved_dates_stay_between_the_window_and_the_publication_date():
    assert resolve_date_text("March 16", "2020-05-01") == "2020-03-16"
    assert resolve_date_text("March 16, 2021", "2020-05-01") is None  # after publication
    assert resolve_date_text("March 16, 2017", "2020-05-01") is None  # too far back
    assert resolve_date_text("the 16th of March", "2020-05-01") == "2020-03-16"  # through dateparser

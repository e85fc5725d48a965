"""The date of an event: a date the sentence gives for it, relative to the document's date.

"On 16 March", "on Tuesday", "yesterday", "last week" resolve against the publication date; a date
that cannot be read to the day, or that lies after the publication date, leaves the document's date.
"""
from __future__ import annotations

import datetime as dt
import functools
import logging
import re

from spacy.tokens import Span, Token

log = logging.getLogger(__name__)
log.addHandler(logging.NullHandler())

WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
RELATIVE_DAYS = {"today": 0, "tonight": 0, "yesterday": 1}
# How far back a relative date may reach; past this it is more likely a background date.
MAX_DAYS_BACK = 400
MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
          "november", "december"]
_MONTH = "(" + "|".join(MONTHS) + ")"
# "16 March", "March 16", "16th March 2020", "March 16, 2020": most dates in news, read without dateparser
# (which takes about a millisecond a call) and exactly as dateparser reads them (tests/test_dates.py).
_DAY_MONTH_YEAR = re.compile(rf"(?:(\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH}|{_MONTH}\s+(\d{{1,2}})(?:st|nd|rd|th)?)"
                             rf"(?:,?\s+(\d{{4}}))?", re.IGNORECASE)


def _weekday_before(base: dt.date, weekday: int) -> dt.date:
    """The most recent such weekday on or before the base date (news says "on Tuesday" for this week)."""
    return base - dt.timedelta(days=(base.weekday() - weekday) % 7)


def _day_month_year(text: str, base: dt.date) -> dt.date | None:
    """A plain day-and-month date, in the year given or else the latest year that puts it on or before
    `base` (dateparser's PREFER_DATES_FROM=past); None when the text is not that plain or no such day exists."""
    match = _DAY_MONTH_YEAR.fullmatch(text.strip())
    if match is None:
        return None
    day_first, month_second, month_first, day_second, year = match.groups()
    month = MONTHS.index((month_second or month_first).lower()) + 1
    day = int(day_first or day_second)
    years = [int(year)] if year else range(base.year, base.year - 8, -1)  # back to the last 29 February
    for y in years:
        try:
            date = dt.date(y, month, day)
        except ValueError:
            continue
        if year or date <= base:
            return date
    return None


@functools.lru_cache(maxsize=4096)
def resolve_date_text(text: str, base_iso: str) -> str | None:
    """A day-precise ISO date for a date expression, or None."""
    base = dt.date.fromisoformat(base_iso)
    words = text.lower().replace(",", " ").split()
    for word in words:
        if word in RELATIVE_DAYS and len(words) <= 2:
            return (base - dt.timedelta(days=RELATIVE_DAYS[word])).isoformat()
        if word in WEEKDAYS and len(words) <= 3:
            return _weekday_before(base, WEEKDAYS.index(word)).isoformat()
    if not any(ch.isdigit() for ch in text):
        return None  # "last week", "this month": not to the day
    day = _day_month_year(text, base)
    if day is None:
        day = _dateparser_day(text, base)
    if day is None or day > base or (base - day).days > MAX_DAYS_BACK:
        return None
    return day.isoformat()


def _dateparser_day(text: str, base: dt.date) -> dt.date | None:
    import dateparser  # slow to import; only needed when a sentence has a date

    settings = {
        "RELATIVE_BASE": dt.datetime.combine(base, dt.time()),
        "PREFER_DATES_FROM": "past",
        "REQUIRE_PARTS": ["day", "month"],
        "RETURN_AS_TIMEZONE_AWARE": False,
    }
    try:
        parsed = dateparser.parse(text, languages=["en"], settings=settings)
    except Exception as exc:  # dateparser raises assorted errors on odd input
        log.debug("date %r not parsed: %s", text, exc)
        return None
    return parsed.date() if parsed is not None else None


def event_date(sentence: Span, trigger: Token, doc_date: str | None,
               date_entities: list[Span] | None = None) -> str | None:
    """The date the sentence gives for the event at `trigger`, else the document date.

    `date_entities`, the document's DATE entities when the caller has them, saves `sentence.ents`,
    which builds every entity of the whole document on each call.
    """
    if doc_date is None:
        return None
    if date_entities is None:
        dates = [ent for ent in sentence.ents if ent.label_ == "DATE"]
    else:
        dates = [ent for ent in date_entities if ent.start >= sentence.start and ent.end <= sentence.end]
    if not dates:
        return doc_date
    # Prefer a date attached to the trigger's own clause; else the sentence's only date.
    own = [ent for ent in dates if _governs(trigger, ent.root)]
    chosen = own[0] if own else (dates[0] if len(dates) == 1 else None)
    if chosen is None:
        return doc_date
    return resolve_date_text(chosen.text, doc_date) or doc_date


def _governs(trigger: Token, token: Token) -> bool:
    current = token
    for _ in range(4):
        if current.head is current:
            return False
        current = current.head
        if current == trigger:
            return True
        if current.pos_ == "VERB":
            return False
    return False

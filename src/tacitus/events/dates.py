"""The date of an event: a date the sentence gives for it, relative to the document's date.

"On 16 March", "on Tuesday", "yesterday", "last week" resolve against the publication date; a date
that cannot be read to the day, or that lies after the publication date, leaves the document's date.
"""
from __future__ import annotations

import datetime as dt
import functools
import logging

from spacy.tokens import Span, Token

log = logging.getLogger(__name__)
log.addHandler(logging.NullHandler())

WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
RELATIVE_DAYS = {"today": 0, "tonight": 0, "yesterday": 1}
# How far back a relative date may reach; past this it is more likely a background date.
MAX_DAYS_BACK = 400


def _weekday_before(base: dt.date, weekday: int) -> dt.date:
    """The most recent such weekday on or before the base date (news says "on Tuesday" for this week)."""
    return base - dt.timedelta(days=(base.weekday() - weekday) % 7)


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
    if parsed is None:
        return None
    day = parsed.date()
    if day > base or (base - day).days > MAX_DAYS_BACK:
        return None
    return day.isoformat()


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

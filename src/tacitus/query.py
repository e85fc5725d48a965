"""Questions over the event store: event time series for a dyad, and the most frequent dyads and codes.

Everything here reads the merged `events` table through `store.execute(sql, params)`, with every
user-given value bound as a parameter. Counts are of merged events (one event per date, source,
target and code), not of mentions.

A dyad is written "CHN-USA" (events either way between the two) or "CHN>USA" (source CHN, target
USA), and selects events as `EventStore.merged_events(dyad=...)` does (tacitus.store.dyad_condition).
"""
from __future__ import annotations

import datetime as dt
import logging
from typing import Any

log = logging.getLogger(__name__)

PERIODS = ("day", "week", "month", "year")
# date_trunc parts, chosen from this fixed table (never from user text). DuckDB's weeks start on
# Monday, as ISO weeks do.
_TRUNC = {"day": "'day'", "week": "'week'", "month": "'month'", "year": "'year'"}

_INTERNATIONAL = "('IGO', 'NGO', 'NGM', 'IMG', 'MNC', 'INT')"


def _actor_key(side: str) -> str:
    """SQL for an actor's aggregation key: its country, else its primary code (IGOWHO), else NULL."""
    return (f"coalesce({side}_country, CASE WHEN substr({side}_code, 1, 3) IN {_INTERNATIONAL} "
            f"THEN substr({side}_code, 1, 6) ELSE substr({side}_code, 1, 3) END)")


def _as_date(value: dt.date | str | None, what: str) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{what} {value!r} is not a date YYYY-MM-DD") from None


def _where(dyad: str | None, date_from: dt.date | str | None,
           date_to: dt.date | str | None) -> tuple[str, list[Any]]:
    """A WHERE clause (always starting with "WHERE") and its parameters.

    The dyad condition is the store's own (tacitus.store.dyad_condition), so `tacitus query` and
    `tacitus export` select the same events for the same --dyad.
    """
    from tacitus.store import dyad_condition

    clauses: list[str] = []
    params: list[Any] = []
    if dyad:
        condition, dyad_params = dyad_condition(dyad)
        clauses.append(condition)
        params += dyad_params
    start = _as_date(date_from, "from date")
    end = _as_date(date_to, "to date")
    if start is not None:
        clauses.append("date >= ?")
        params.append(start)
    if end is not None:
        clauses.append("date <= ?")
        params.append(end)
    return ("WHERE " + " AND ".join(clauses)) if clauses else "WHERE TRUE", params


def period_start(day: dt.date, by: str) -> dt.date:
    """The first day of the period (day, ISO week from Monday, month, year) that holds `day`."""
    if by == "day":
        return day
    if by == "week":
        return day - dt.timedelta(days=day.weekday())
    if by == "month":
        return day.replace(day=1)
    if by == "year":
        return day.replace(month=1, day=1)
    raise ValueError(f"unknown period {by!r}; choose one of {', '.join(PERIODS)}")


def _next_period(start: dt.date, by: str) -> dt.date:
    if by == "day":
        return start + dt.timedelta(days=1)
    if by == "week":
        return start + dt.timedelta(days=7)
    if by == "month":
        return dt.date(start.year + start.month // 12, start.month % 12 + 1, 1)
    return dt.date(start.year + 1, 1, 1)


def _empty_period(label: dt.date) -> dict[str, Any]:
    return {"period": label.isoformat(), "quad1": 0, "quad2": 0, "quad3": 0, "quad4": 0, "total": 0,
            "goldstein_mean": None, "goldstein_sum": 0.0}


def _to_date(value: Any) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def event_time_series(store: Any, dyad: str, by: str = "month", date_from: dt.date | str | None = None,
                      date_to: dt.date | str | None = None) -> list[dict[str, Any]]:
    """Per period, the dyad's merged events: counts per quad class, total, and Goldstein mean and sum.

    Rows: {"period": ISO first day of the period, "quad1".."quad4", "total", "goldstein_mean",
    "goldstein_sum"}, in time order. Every merged event counts once: the Goldstein mean and sum are
    not weighted by num_mentions (an event reported fifty times weighs as much as one reported once).
    Events without a date are left out. Periods without events are listed with zero counts and a
    None mean, from the first period (that of `date_from`, when given) to the last (that of `date_to`).
    """
    if by not in _TRUNC:
        raise ValueError(f"unknown period {by!r}; choose one of {', '.join(PERIODS)}")
    where, params = _where(dyad, date_from, date_to)
    sql = (
        f"SELECT CAST(date_trunc({_TRUNC[by]}, date) AS DATE) AS period, "
        "count(*) FILTER (WHERE quad = 1), count(*) FILTER (WHERE quad = 2), "
        "count(*) FILTER (WHERE quad = 3), count(*) FILTER (WHERE quad = 4), "
        "count(*), avg(goldstein), sum(goldstein) "
        f"FROM events {where} AND date IS NOT NULL GROUP BY period ORDER BY period"
    )
    found: dict[dt.date, dict[str, Any]] = {}
    for period, q1, q2, q3, q4, total, mean, total_goldstein in store.execute(sql, params):
        label = _to_date(period)
        found[label] = {"period": label.isoformat(), "quad1": int(q1), "quad2": int(q2), "quad3": int(q3),
                        "quad4": int(q4), "total": int(total), "goldstein_mean": round(float(mean), 4),
                        "goldstein_sum": round(float(total_goldstein), 4)}
    start = _as_date(date_from, "from date")
    end = _as_date(date_to, "to date")
    first = period_start(start, by) if start else min(found, default=None)
    last = period_start(end, by) if end else max(found, default=None)
    if first is None or last is None:
        return []
    rows = []
    current = first
    while current <= last:
        rows.append(found.get(current) or _empty_period(current))
        current = _next_period(current, by)
    return rows


def top_dyads(store: Any, n: int = 10, date_from: dt.date | str | None = None,
              date_to: dt.date | str | None = None) -> list[dict[str, Any]]:
    """The `n` directed dyads (source>target, by country or primary code) with the most merged events.

    Rows: {"dyad": "CHN>USA", "source", "target", "events", "mentions", "goldstein_mean"}, most events
    first (ties by dyad). Events missing a source or a target are not counted.
    """
    where, params = _where(None, date_from, date_to)
    source, target = _actor_key("source"), _actor_key("target")
    sql = (
        f"SELECT {source} AS s, {target} AS t, count(*) AS n, sum(num_mentions), avg(goldstein) "
        f"FROM events {where} AND {source} IS NOT NULL AND {target} IS NOT NULL "
        "GROUP BY s, t ORDER BY n DESC, s, t LIMIT ?"
    )
    return [
        {"dyad": f"{s}>{t}", "source": s, "target": t, "events": int(count), "mentions": int(mentions or 0),
         "goldstein_mean": round(float(mean), 4)}
        for s, t, count, mentions, mean in store.execute(sql, params + [max(0, int(n))])
    ]


def top_codes(store: Any, n: int = 10, dyad: str | None = None, date_from: dt.date | str | None = None,
              date_to: dt.date | str | None = None) -> list[dict[str, Any]]:
    """The `n` CAMEO codes with the most merged events (for a dyad, when given).

    Rows: {"code", "name", "quad", "goldstein", "events", "mentions"}, most events first (ties by code).
    """
    from tacitus.taxonomy import lookup

    where, params = _where(dyad, date_from, date_to)
    sql = (
        "SELECT code, count(*) AS n, sum(num_mentions), min(quad), min(goldstein) "
        f"FROM events {where} GROUP BY code ORDER BY n DESC, code LIMIT ?"
    )
    rows = []
    for code, count, mentions, quad, goldstein in store.execute(sql, params + [max(0, int(n))]):
        try:
            name = lookup(code).name
        except KeyError:
            name = None
        rows.append({"code": code, "name": name, "quad": quad, "goldstein": goldstein,
                     "events": int(count), "mentions": int(mentions or 0)})
    return rows

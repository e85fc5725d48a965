"""Time series and top lists over the merged events table."""
from __future__ import annotations

import datetime as dt

import duckdb
import pytest

from tacitus.query import event_time_series, period_start, top_codes, top_dyads

# The merged events table's columns, as the store's `events` table has them.
_COLUMNS = (
    '"event_id" VARCHAR, "date" DATE, "code" VARCHAR, "root" VARCHAR, "quad" INTEGER, "goldstein" DOUBLE, '
    '"plover" VARCHAR, "plover_mode" VARCHAR, "source_code" VARCHAR, "source_country" VARCHAR, '
    '"source_sectors" VARCHAR[], "source_name" VARCHAR, "target_code" VARCHAR, "target_country" VARCHAR, '
    '"target_sectors" VARCHAR[], "target_name" VARCHAR, "symmetric" BOOLEAN, "confidence" DOUBLE, '
    '"num_mentions" INTEGER, "num_sources" INTEGER, "num_articles" INTEGER, "first_doc_id" VARCHAR, '
    '"source_url" VARCHAR, "evidence" VARCHAR, "date_added" TIMESTAMP'
)


class SqlStore:
    """A DuckDB file with the merged events table, behind the store's execute() method."""

    def __init__(self, path):
        self.con = duckdb.connect(str(path))
        self.con.execute(f"CREATE TABLE events ({_COLUMNS})")
        self.count = 0

    def add(self, date, source, code, target, quad, goldstein, mentions=1):
        self.count += 1
        country = lambda c: None if c is None or c[:3] in ("IGO", "NGO") else c[:3]  # noqa: E731
        self.con.execute(
            "INSERT INTO events (event_id, date, code, root, quad, goldstein, source_code, source_country, "
            "target_code, target_country, num_mentions, \"symmetric\", confidence) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, false, 1.0)",
            [f"e{self.count}", date, code, code[:2], quad, goldstein, source, country(source), target,
             country(target), mentions],
        )

    def execute(self, sql, params=None):
        return self.con.execute(sql, params or []).fetchall()


@pytest.fixture
def store(tmp_path):
    s = SqlStore(tmp_path / "merged.duckdb")
    d = dt.date
    s.add(d(2020, 1, 6), "CHNGOV", "041", "USAGOV", 1, 1.0, mentions=4)
    s.add(d(2020, 1, 9), "USAGOV", "112", "CHNGOV", 3, -2.0)
    s.add(d(2020, 1, 31), "USA", "172", "CHNMIL", 4, -5.0)
    s.add(d(2020, 3, 2), "CHNGOV", "061", "USAGOV", 2, 8.0, mentions=2)
    s.add(d(2020, 3, 3), "CHNGOV", "112", "USAGOV", 3, -2.0)
    s.add(d(2020, 3, 3), "RUSGOV", "112", "USAGOV", 3, -2.0)  # another dyad
    s.add(d(2020, 3, 4), "CHNGOV", "041", "IGOWHO", 1, 1.0)
    s.add(None, "CHNGOV", "130", "USAGOV", 3, -4.4)  # no date: not in any period
    s.add(d(2020, 3, 5), "CHNGOV", "010", None, 1, 0.0)  # no target
    return s


def test_period_start():
    day = dt.date(2020, 3, 5)  # a Thursday
    assert period_start(day, "day") == day
    assert period_start(day, "week") == dt.date(2020, 3, 2)
    assert period_start(day, "month") == dt.date(2020, 3, 1)
    assert period_start(day, "year") == dt.date(2020, 1, 1)


def test_monthly_series_both_directions_fills_empty_months(store):
    rows = event_time_series(store, "CHN-USA", by="month")
    assert [r["period"] for r in rows] == ["2020-01-01", "2020-02-01", "2020-03-01"]
    jan, feb, mar = rows
    assert (jan["quad1"], jan["quad2"], jan["quad3"], jan["quad4"], jan["total"]) == (1, 0, 1, 1, 3)
    assert jan["goldstein_sum"] == pytest.approx(-6.0)
    assert jan["goldstein_mean"] == pytest.approx(-2.0)  # unweighted: 4 mentions count once
    assert feb["total"] == 0 and feb["goldstein_mean"] is None and feb["goldstein_sum"] == 0
    assert (mar["quad2"], mar["quad3"], mar["total"]) == (1, 1, 2)
    assert mar["goldstein_mean"] == pytest.approx(3.0)


def test_one_direction_only(store):
    rows = event_time_series(store, "USA>CHN", by="month")
    assert [(r["period"], r["total"]) for r in rows] == [("2020-01-01", 2)]
    assert rows[0]["quad3"] == 1 and rows[0]["quad4"] == 1
    reverse = event_time_series(store, "CHN>USA", by="year")
    assert [(r["period"], r["total"]) for r in reverse] == [("2020-01-01", 3)]


def test_a_dyad_is_checked_and_never_formatted_into_sql(store):
    for bad in ("CHN", "CHN-USA-RUS", "CH-USA", "'; DROP TABLE events; --"):
        with pytest.raises(ValueError):
            event_time_series(store, bad)
    assert store.execute("SELECT count(*) FROM events") == [(store.count,)]


def test_weekly_labels_are_mondays_and_range_limits(store):
    rows = event_time_series(store, "CHN-USA", by="week", date_from="2020-01-01", date_to="2020-01-20")
    assert rows[0]["period"] == "2019-12-30"  # the Monday of the week holding 1 January
    assert all(dt.date.fromisoformat(r["period"]).weekday() == 0 for r in rows)
    assert [r["total"] for r in rows] == [0, 2, 0, 0]  # 20 January, a Monday, opens a fourth week
    assert sum(r["total"] for r in rows) == 2  # the 31 January event is after the range


def test_daily_series_and_no_events(store):
    rows = event_time_series(store, "CHN-USA", by="day", date_from=dt.date(2020, 3, 1),
                             date_to=dt.date(2020, 3, 3))
    assert [(r["period"], r["total"]) for r in rows] == [("2020-03-01", 0), ("2020-03-02", 1), ("2020-03-03", 1)]
    assert event_time_series(store, "FRA-DEU") == []


def test_international_actor_dyad(store):
    rows = event_time_series(store, "CHN-IGOWHO", by="year")
    assert [r["quad1"] for r in rows] == [1]


def test_bad_period_or_date_is_an_error(store):
    with pytest.raises(ValueError):
        event_time_series(store, "CHN-USA", by="decade")
    with pytest.raises(ValueError):
        event_time_series(store, "CHN-USA", date_from="March")


def test_top_dyads(store):
    rows = top_dyads(store, n=3)
    assert rows[0]["dyad"] == "CHN>USA" and rows[0]["events"] == 4 and rows[0]["mentions"] == 8
    assert rows[1]["dyad"] == "USA>CHN" and rows[1]["events"] == 2
    assert len(rows) == 3
    assert all(r["events"] >= s["events"] for r, s in zip(rows, rows[1:]))
    later = top_dyads(store, date_from="2020-03-01")
    assert {r["dyad"] for r in later} == {"CHN>USA", "RUS>USA", "CHN>IGOWHO"}


def test_top_codes(store):
    rows = top_codes(store, n=2)
    assert [r["code"] for r in rows] == ["112", "041"]
    assert rows[0]["events"] == 3 and rows[1]["mentions"] == 5
    assert rows[0]["name"] and rows[0]["quad"] == 3
    one_way = top_codes(store, dyad="USA>CHN")
    assert sorted(r["code"] for r in one_way) == ["112", "172"]


def test_series_from_a_real_store_matches_its_merged_events(tmp_path):
    from tacitus.records import Actor, CodedDocument, Document, Event, Trigger
    from tacitus.store import open_store

    def event(doc_id, sentence, date, code, quad, goldstein, src, tgt):
        return Event(doc_id=doc_id, sentence=sentence, date=date, code=code, root=code[:2], quad=quad,
                     goldstein=goldstein, plover=None, plover_mode=None,
                     source=Actor(code=src, country=src[:3]), target=Actor(code=tgt, country=tgt[:3]),
                     trigger=Trigger("x", sentence, sentence + 1), rule="r", symmetric=False,
                     sentence_text="s", confidence=1.0)

    docs = [
        CodedDocument(Document("a", "text a", "2020-05-04"), [
            event("a", 0, "2020-05-04", "042", 1, 1.9, "CHNGOV", "USAGOV"),
            event("a", 1, "2020-05-04", "173", 4, -5.0, "USACOP", "CHN"),
        ]),
        # The same event reported again: merged, so it counts once.
        CodedDocument(Document("b", "text b", "2020-05-04"), [
            event("b", 3, "2020-05-04", "042", 1, 1.9, "CHNGOV", "USAGOV"),
        ]),
        CodedDocument(Document("c", "text c", "2020-06-20"), [
            event("c", 0, "2020-06-20", "112", 3, -2.0, "CHNGOV", "USAGOV"),
        ]),
    ]
    with open_store(tmp_path / "real.duckdb") as real:
        real.save_many(docs)
        rows = event_time_series(real, "CHN-USA", by="month")
        assert [(r["period"], r["quad1"], r["quad3"], r["quad4"], r["total"]) for r in rows] == [
            ("2020-05-01", 1, 0, 1, 2), ("2020-06-01", 0, 1, 0, 1)]
        assert rows[0]["goldstein_sum"] == pytest.approx(1.9 - 5.0)
        assert sum(r["total"] for r in rows) == len(list(real.merged_events(dyad="CHN-USA")))
        assert [r["total"] for r in event_time_series(real, "CHN>USA", by="year")] == [2]
        assert top_dyads(real, n=1)[0] == {"dyad": "CHN>USA", "source": "CHN", "target": "USA", "events": 2,
                                           "mentions": 3, "goldstein_mean": pytest.approx(-0.05)}

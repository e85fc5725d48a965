"""EventStore: mentions round trips, merged events, aliases, triage, ids, transactions, errors."""
from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import pytest

from tacitus.errors import StoreError
from tacitus.records import Actor, CodedDocument, Document, Event, Trigger
from tacitus.store import (
    MENTION_COLUMNS,
    MERGED_EVENT_COLUMNS,
    SCHEMA_VERSION,
    Alias,
    BatchWriter,
    TriageStatus,
    dyad_condition,
    event_id,
    event_json,
    event_row,
    mention_id,
    merged_event_id,
    open_store,
    parse_dyad,
    text_sha1,
)

TEXT = (
    "Lisbon, 3 May 2021\n"
    "Portugal's foreign minister met his Moroccan counterpart on Monday.\n"
    "The Moroccan delegation promised [to] increase fishing quotas."
)


def make_event(doc_id: str = "lisbon-01", sentence: int = 1, start: int = 47, **changes) -> Event:
    event = Event(
        doc_id=doc_id,
        sentence=sentence,
        date="2021-05-03",
        code="036",
        root="03",
        quad=1,
        goldstein=4.0,
        plover="CONSULT",
        plover_mode="visit",
        source=Actor(
            code="PRTGOV",
            country="PRT",
            sectors=["GOV"],
            name=None,
            text="Portugal's foreign minister",
            start=19,
            end=46,
            rule="compose",
        ),
        target=Actor(
            code="MARGOV",
            country="MAR",
            sectors=["GOV", "ELI"],
            name="Ministre marocain",
            text="his Moroccan counterpart",
            start=51,
            end=75,
            rule="memory",
        ),
        trigger=Trigger(text="met", start=start, end=start + 3),
        rule="consult.meet.subj-obj",
        symmetric=True,
        sentence_text="Portugal's foreign minister met his Moroccan counterpart on Monday.",
        confidence=0.85,
    )
    return replace(event, **changes)


def make_coded(
    doc_id: str = "lisbon-01", events: list[Event] | None = None, **doc
) -> CodedDocument:
    if events is None:
        events = [
            make_event(doc_id),
            make_event(
                doc_id,
                sentence=2,
                start=120,
                code="057",
                root="05",
                quad=1,
                goldstein=8.0,
                plover="AGREE",
                plover_mode=None,
                source=Actor(code="MAR", country="MAR", text="The Moroccan delegation"),
                target=None,
                trigger=Trigger(text="promised", start=110, end=118),
                rule="agree.promise",
                symmetric=False,
                date=None,
                sentence_text="The Moroccan delegation promised [to] increase fishing quotas. ñ",
                confidence=0.1 + 0.2,  # a float that only round-trips exactly as repr
            ),
        ]
    document = Document(id=doc_id, text=TEXT, date="2021-05-03", title="Talks", origin="in.txt")
    document = replace(document, **doc)
    return CodedDocument(document=document, events=events, model="en_core_web_sm 3.8.0")


def by_position(events: list[Event]) -> list[Event]:
    return sorted(events, key=lambda e: (e.doc_id, e.sentence, e.trigger.start))


@pytest.fixture
def store():
    with open_store(":memory:") as s:
        yield s


def merged(store, **filters) -> list[dict]:
    return list(store.merged_events(**filters))


# -- mentions --------------------------------------------------------------------------------


def test_round_trip_gives_back_equal_events(store):
    coded = make_coded()
    store.save(coded)
    assert store.mentions() == by_position(coded.events)
    assert store.mentions("lisbon-01") == by_position(coded.events)
    assert store.mentions("nowhere") == []
    assert store.events() == store.mentions()  # the name of the per-sentence records before schema 2
    assert store.count_documents() == 1
    assert store.count_mentions() == 2
    assert store.count_events() == 2


def test_mentions_are_ordered_by_document_sentence_and_trigger(store):
    late = make_event("b-doc", sentence=3, start=10)
    early = make_event("b-doc", sentence=0, start=90)
    middle = make_event("b-doc", sentence=3, start=2)
    store.save(make_coded("b-doc", events=[late, early, middle]))
    store.save(make_coded("a-doc", events=[make_event("a-doc", sentence=9)]))
    got = store.mentions()
    assert [(e.doc_id, e.sentence, e.trigger.start) for e in got] == [
        ("a-doc", 9, 47),
        ("b-doc", 0, 90),
        ("b-doc", 3, 2),
        ("b-doc", 3, 10),
    ]


def test_saving_twice_keeps_one_copy(store):
    store.save(make_coded())
    store.save(make_coded())
    assert store.count_documents() == 1
    assert store.count_mentions() == 2
    assert store.count_events() == 2
    assert store.document_ids() == {"lisbon-01"}


def test_saving_again_replaces_the_mentions(store):
    store.save(make_coded())
    only = make_event(code="040", root="04", rule="consult.other")
    store.save(make_coded(events=[only], title="Talks, updated"))
    assert store.mentions() == [only]
    assert store.count_mentions() == 1
    assert [e["code"] for e in merged(store)] == ["040"]


def test_same_document_twice_in_one_batch_is_stored_once(store):
    first = make_coded()
    second = make_coded(events=[make_event(code="042", root="04")])
    assert store.save_many([first, second]) == 2
    assert store.count_documents() == 1
    assert [e.code for e in store.mentions()] == ["042"]
    assert [e["code"] for e in merged(store)] == ["042"]


def test_a_document_without_events_is_recorded(store):
    store.save(make_coded("empty", events=[]))
    assert store.has_document("empty")
    assert not store.has_document("lisbon-01")
    assert store.count_mentions() == 0
    assert store.count_events() == 0


def test_second_open_of_the_file_sees_the_data(tmp_path: Path):
    path = tmp_path / "events.duckdb"
    coded = make_coded()
    with open_store(path) as first:
        first.save(coded)
        first.add_alias("copy-of-lisbon", "lisbon-01", "copies/lisbon.txt")
    with open_store(str(path)) as second:
        assert second.document_ids() == {"lisbon-01"}
        assert second.mentions() == by_position(coded.events)
        second.save(make_coded("other", events=[make_event("other")]))
    with open_store(path, read_only=True) as third:
        assert third.document_ids() == {"lisbon-01", "other"}
        assert third.count_mentions() == 3
        assert third.count_events() == 2  # "other" repeats lisbon-01's first event
        assert [(a.alias_id, a.doc_id) for a in third.aliases()] == [("copy-of-lisbon", "lisbon-01")]


def _columns(con, table: str) -> dict[str, str]:
    return dict(con.execute("SELECT column_name, data_type FROM duckdb_columns() "
                            "WHERE table_name = ? ORDER BY column_index", [table]).fetchall())


def test_schema_and_columns(tmp_path: Path):
    import duckdb

    path = tmp_path / "events.duckdb"
    with open_store(path) as store:
        store.save(make_coded())
    con = duckdb.connect(str(path), read_only=True)
    try:
        assert con.execute("SELECT schema_version FROM meta").fetchall() == [(SCHEMA_VERSION,)]
        assert SCHEMA_VERSION >= 2
        mentions = _columns(con, "mentions")
        assert list(mentions)[: len(MENTION_COLUMNS)] == list(MENTION_COLUMNS)
        assert list(mentions)[:3] == ["mention_id", "event_id", "doc_id"]
        assert mentions["date"] == "DATE"
        assert mentions["source_sectors"] == "VARCHAR[]"
        assert mentions["record"] == "JSON"
        row = con.execute("SELECT date, target_sectors, source_code FROM mentions "
                          "WHERE sentence = 1").fetchone()
        assert str(row[0]) == "2021-05-03"
        assert row[1] == ["GOV", "ELI"]
        assert row[2] == "PRTGOV"
        assert con.execute("SELECT date FROM mentions WHERE sentence = 2").fetchone() == (None,)
        doc = con.execute("SELECT text_sha1, model, date FROM documents").fetchone()
        assert len(doc[0]) == 40 and doc[1] == "en_core_web_sm 3.8.0"
        assert str(doc[2]) == "2021-05-03"

        events = _columns(con, "events")
        assert tuple(events) == MERGED_EVENT_COLUMNS
        # The contract the exports are written against.
        assert list(events) == [
            "event_id", "date", "code", "root", "quad", "goldstein", "plover", "plover_mode",
            "source_code", "source_country", "source_sectors", "source_name",
            "target_code", "target_country", "target_sectors", "target_name",
            "symmetric", "confidence", "num_mentions", "num_sources", "num_articles",
            "first_doc_id", "source_url", "evidence", "date_added",
        ]
        assert [events[c] for c in ("date", "quad", "goldstein", "source_sectors", "symmetric",
                                    "num_mentions", "date_added")] == [
            "DATE", "INTEGER", "DOUBLE", "VARCHAR[]", "BOOLEAN", "INTEGER", "TIMESTAMP"]
        assert list(_columns(con, "aliases")) == ["alias_id", "doc_id", "origin", "added_at"]
    finally:
        con.close()


def test_an_old_store_is_refused_untouched_with_a_way_out(tmp_path: Path):
    import duckdb

    path = tmp_path / "old.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE meta (schema_version INTEGER NOT NULL, created_at TIMESTAMP NOT NULL)")
    con.execute("INSERT INTO meta VALUES (1, now())")
    con.execute("CREATE TABLE events (event_id VARCHAR PRIMARY KEY, doc_id VARCHAR)")
    con.close()
    for read_only in (False, True):
        with pytest.raises(StoreError) as info:
            open_store(path, read_only=read_only)
        message = str(info.value)
        assert str(path) in message and "version 1" in message and "new file" in message
    con = duckdb.connect(str(path), read_only=True)
    try:
        tables = {row[0] for row in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    finally:
        con.close()
    assert tables == {"meta", "events"}


def test_a_date_that_is_not_iso_is_null_in_the_column_but_kept_in_the_record(store):
    odd = make_event(date="early May")
    store.save(make_coded(events=[odd], date="sometime"))
    assert store.mentions() == [odd]
    assert merged(store)[0]["date"] is None
    assert merged(store)[0]["event_id"] == merged_event_id(None, "PRTGOV", "MARGOV", "036")


# -- ids -------------------------------------------------------------------------------------


def test_mention_ids_are_deterministic_and_distinguish_mentions():
    a = make_event()
    assert mention_id(a) == mention_id(make_event())
    assert len(mention_id(a)) == 16 and int(mention_id(a), 16) >= 0
    # Fields outside the id do not change it ...
    assert mention_id(a) == mention_id(replace(a, confidence=0.2, rule="other", sentence_text="x"))
    # ... the ones in it do.
    different = [
        replace(a, doc_id="lisbon-02"),
        replace(a, sentence=2),
        replace(a, trigger=Trigger("met", 48, 51)),
        replace(a, trigger=Trigger("met", 47, 52)),
        replace(a, code="040"),
        replace(a, source=replace(a.source, code="PRT")),
        replace(a, target=None),
    ]
    ids = {mention_id(e) for e in different}
    assert len(ids) == len(different) and mention_id(a) not in ids


def test_event_ids_depend_on_date_actors_and_code_only():
    a = make_event()
    assert event_id(a) == merged_event_id("2021-05-03", "PRTGOV", "MARGOV", "036")
    assert event_id(a) == merged_event_id(date(2021, 5, 3), "PRTGOV", "MARGOV", "036")
    same = [replace(a, doc_id="elsewhere", sentence=7, trigger=Trigger("saw", 1, 4), confidence=0.3),
            replace(a, date="2021-05-03T10:00:00")]
    assert {event_id(e) for e in same} == {event_id(a)}
    different = [
        replace(a, date="2021-05-04"),
        replace(a, date=None),
        replace(a, source=replace(a.source, code="PRT")),
        replace(a, source=None),
        replace(a, target=None),
        replace(a, code="040"),
        # Source and target swapped is another event.
        replace(a, source=replace(a.target), target=replace(a.source)),
    ]
    ids = {event_id(e) for e in different}
    assert len(ids) == len(different) and event_id(a) not in ids
    # Missing parts hash as empty strings, kept apart by separators.
    assert merged_event_id(None, None, None, "036") == merged_event_id("", "", "", "036")
    assert merged_event_id(None, "AB", "C", "036") != merged_event_id(None, "A", "BC", "036")


def test_recoding_gives_the_same_ids(tmp_path: Path):
    path = tmp_path / "events.duckdb"
    ids = "SELECT mention_id, event_id FROM mentions ORDER BY mention_id"
    with open_store(path) as store:
        store.save(make_coded())
        before = (store.execute(ids), store.execute("SELECT event_id FROM events ORDER BY 1"))
        store.save(make_coded())
        after = (store.execute(ids), store.execute("SELECT event_id FROM events ORDER BY 1"))
    assert before == after
    assert {row[0] for row in after[0]} == {mention_id(e) for e in make_coded().events}
    assert {row[1] for row in after[0]} == {row[0] for row in after[1]} == {
        event_id(e) for e in make_coded().events}


# -- merged events ---------------------------------------------------------------------------


def test_the_same_event_in_several_documents_is_one_merged_event(store):
    store.save(make_coded("a", events=[make_event("a", confidence=0.5)], source="Lusa"))
    store.save(make_coded("b", events=[make_event("b", sentence=4, confidence=0.9)], source="Reuters",
                          url="https://example.org/b"))
    store.save(make_coded("c", events=[make_event("c", sentence=2), make_event("c", sentence=5, start=300)],
                          source="Lusa"))
    assert store.count_mentions() == 4
    [event] = merged(store)
    assert event["event_id"] == event_id(make_event())
    assert (event["num_mentions"], event["num_articles"], event["num_sources"]) == (4, 3, 2)
    assert event["confidence"] == 0.9
    assert event["first_doc_id"] == "a" and event["source_url"] == "a"  # a has no url
    assert event["evidence"] == make_event().sentence_text
    assert event["date"] == date(2021, 5, 3)
    assert (event["code"], event["root"], event["quad"], event["goldstein"]) == ("036", "03", 1, 4.0)
    assert (event["plover"], event["plover_mode"], event["symmetric"]) == ("CONSULT", "visit", True)
    assert (event["source_code"], event["source_country"], event["source_sectors"]) == ("PRTGOV", "PRT", ["GOV"])
    assert (event["target_code"], event["target_country"], event["target_sectors"]) == (
        "MARGOV", "MAR", ["GOV", "ELI"])
    assert event["source_name"] is None and event["target_name"] == "Ministre marocain"
    assert isinstance(event["date_added"], datetime)
    assert set(event) == set(MERGED_EVENT_COLUMNS)


def test_other_dates_codes_or_directions_are_other_events(store):
    a = make_event("a")
    events = [a, replace(a, sentence=2, date="2021-05-04"), replace(a, sentence=3, code="040", root="04"),
              replace(a, sentence=4, source=a.target, target=a.source)]
    store.save(make_coded("a", events=events))
    rows = merged(store)
    assert len(rows) == 4 and all(r["num_mentions"] == 1 for r in rows)
    assert [r["date"] for r in rows] == sorted(r["date"] for r in rows)


def test_sources_are_counted_by_outlet_then_url_host_then_document(store):
    event = make_event
    store.save_many([
        make_coded("a", events=[event("a")], url="https://www.example.org/news/1"),
        make_coded("b", events=[event("b")], url="https://www.example.org/news/2"),  # same host
        make_coded("c", events=[event("c")]),  # no source, no url: counts alone
        make_coded("d", events=[event("d")]),
        make_coded("e", events=[event("e")], source="Lusa", url="https://other.example/x"),
    ])
    [row] = merged(store)
    assert (row["num_articles"], row["num_sources"]) == (5, 4)
    assert row["first_doc_id"] == "a" and row["source_url"] == "https://www.example.org/news/1"


def test_first_document_is_the_earliest_stored(store):
    store.save(make_coded("z-late-name", events=[make_event("z-late-name", sentence=3,
                                                            sentence_text="First seen here.")]))
    store.save(make_coded("a-early-name", events=[make_event("a-early-name", sentence=0)]))
    [row] = merged(store)
    assert row["first_doc_id"] == "z-late-name" and row["evidence"] == "First seen here."
    # Within one batch, storing order is the order given.
    with open_store(":memory:") as other:
        other.save_many([make_coded("y", events=[make_event("y")]), make_coded("x", events=[make_event("x")])])
        assert merged(other)[0]["first_doc_id"] == "y"


def test_resaving_a_document_recomputes_its_events_and_keeps_date_added(store, monkeypatch):
    import tacitus.store

    clock = iter(datetime(2024, 1, 1, 12, 0, second) for second in range(60))
    monkeypatch.setattr(tacitus.store, "_utc_now", lambda: next(clock))
    store.save(make_coded("a", events=[make_event("a", confidence=0.4)], source="Lusa"))
    store.save(make_coded("b", events=[make_event("b", confidence=0.8)], source="Reuters"))
    [row] = merged(store)
    added = row["date_added"]
    assert (row["num_mentions"], row["num_sources"], row["confidence"]) == (2, 2, 0.8)

    # b is re-coded and no longer has the event: the event is recomputed from a alone.
    store.save(make_coded("b", events=[make_event("b", code="040", root="04")], source="Reuters"))
    rows = {r["code"]: r for r in merged(store)}
    assert (rows["036"]["num_mentions"], rows["036"]["num_sources"], rows["036"]["confidence"]) == (1, 1, 0.4)
    assert rows["036"]["date_added"] == added
    assert rows["040"]["date_added"] > added

    # a is re-coded without it too: the event is gone.
    store.save(make_coded("a", events=[], source="Lusa"))
    assert [r["code"] for r in merged(store)] == ["040"]
    assert store.execute("SELECT count(*) FROM mentions WHERE event_id = ?", [event_id(make_event())]) == [(0,)]


def test_merged_table_equals_a_recount_from_mentions(store):
    # Several batches touching the same events, with replacements in between.
    sources = ["Lusa", "Reuters", None]
    for n in range(9):
        doc_id, other_id = f"d{n}", f"d{(n * 5) % 9}"
        events = [make_event(doc_id, sentence=s, date=f"2021-05-0{1 + (n + s) % 3}") for s in range(n % 4)]
        other_events = [replace(e, doc_id=other_id) for e in events[:1]]
        store.save_many([make_coded(doc_id, events=events, source=sources[n % 3]),
                         make_coded(other_id, events=other_events, source="AFP")])
    recount = store.execute(
        "SELECT m.event_id, count(*), count(DISTINCT m.doc_id), "
        "count(DISTINCT coalesce(d.source, d.doc_id)), max(m.confidence) "
        "FROM mentions m JOIN documents d USING (doc_id) GROUP BY m.event_id ORDER BY 1")
    table = store.execute(
        "SELECT event_id, num_mentions, num_articles, num_sources, confidence FROM events ORDER BY 1")
    assert table == recount and len(table) > 1


def _rows(store, table: str) -> list[tuple]:
    """A table's rows, sorted, without its timestamp columns."""
    columns = [name for name, kind in store.execute(
        "SELECT column_name, data_type FROM duckdb_columns() WHERE table_name = ? ORDER BY column_index",
        [table]) if not kind.startswith("TIMESTAMP")]
    quoted = ", ".join(f'"{c}"' for c in columns)
    return store.execute(f"SELECT {quoted} FROM {table} ORDER BY ALL")


def _overlapping_documents() -> list[CodedDocument]:
    """Documents whose events overlap in every way the merged columns care about: outlets named,
    taken from url hosts or missing; names missing in the first mentions; several mentions of one
    event in a document; a first document whose id sorts last."""
    unnamed = Actor(code="PRTGOV", country="PRT", sectors=["GOV"], text="Lisbon")

    def events(doc_id: str, n: int) -> list[Event]:
        talks = make_event(doc_id, sentence=n % 3, start=40 + n, confidence=0.2 + n / 20,
                           source=unnamed if n < 3 else replace(unnamed, name="Ministro português"),
                           target=replace(make_event().target, name=None if n < 4 else f"Minister {n}"))
        later = replace(talks, sentence=7, date="2021-05-04" if n % 2 else None, code="040", root="04",
                        sentence_text=f"Sentence seven of {doc_id}.")
        return [talks, later] + ([replace(talks, sentence=9, trigger=Trigger("met", 400, 403))] if n % 3 == 0 else [])

    outlets = [dict(source="Lusa", url=""), dict(url="https://News.Example.org/a"), dict(),
               dict(url="https://news.example.org/b", source=""), dict(source="Lusa", url="http://x.example/"),
               dict(url="ftp-no-scheme"), dict()]
    names = ["zulu", "alpha", "mike", "bravo", "yankee", "charlie", "xray"]
    return [make_coded(name, events=events(name, n), **outlets[n]) for n, name in enumerate(names)]


def test_events_merged_in_one_batch_equal_events_merged_across_batches():
    # New events are merged from the rows of their batch, events already stored by a query over
    # all their mentions: both give the same table.
    documents = _overlapping_documents()
    with open_store(":memory:") as one_batch, open_store(":memory:") as one_by_one:
        one_batch.save_many(documents)
        for document in documents:
            one_by_one.save(document)
        assert _rows(one_batch, "events") == _rows(one_by_one, "events")
        assert _rows(one_batch, "mentions") == _rows(one_by_one, "mentions")
        rows = {r["code"]: r for r in merged(one_batch)}
        assert rows["036"]["num_mentions"] == 10 and rows["036"]["num_articles"] == 7
        # Lusa twice; news.example.org twice (host case aside); the rest one each.
        assert rows["036"]["num_sources"] == 5
        assert rows["036"]["first_doc_id"] == "zulu" and rows["036"]["source_url"] == ""  # an empty url is kept
        assert rows["036"]["source_name"] == "Ministro português"
        assert rows["036"]["target_name"] == "Minister 4"
        assert rows["036"]["confidence"] == max(0.2 + n / 20 for n in range(7))


def test_a_batch_of_new_replaced_and_overlapping_documents_keeps_events_in_step(store):
    documents = _overlapping_documents()
    zulu, _, mike, bravo, yankee = documents[:5]
    store.save_many(documents[:4])
    trimmed_zulu, trimmed_yankee = (replace(d, events=d.events[:1]) for d in (zulu, yankee))
    # Replaced documents (alpha loses its events), new ones, and yankee twice: the second copy
    # counts, in the place of the first.
    store.save_many([make_coded("alpha", events=[]), bravo, trimmed_yankee, *documents[5:], trimmed_zulu, yankee])
    with open_store(":memory:") as expected:  # the same documents in the same order, one at a time
        for document in [mike, make_coded("alpha", events=[]), bravo, yankee, *documents[5:], trimmed_zulu]:
            expected.save(document)
        assert _rows(store, "events") == _rows(expected, "events")
        assert _rows(store, "mentions") == _rows(expected, "mentions")
    assert [d for (d,) in store.execute("SELECT doc_id FROM documents ORDER BY seq")] == [
        "mike", "alpha", "bravo", "yankee", "charlie", "xray", "zulu"]
    recount = store.execute("SELECT event_id, count(*), count(DISTINCT doc_id), max(confidence) FROM mentions "
                            "GROUP BY event_id ORDER BY 1")
    assert store.execute("SELECT event_id, num_mentions, num_articles, confidence FROM events ORDER BY 1") == recount


def test_mention_columns_hold_the_values_of_event_row(store):
    odd = make_event(sentence=2, start=90, source=None, target=Actor(code="IGOUNO", country=None, sectors=[]),
                     date="3 May", plover=None, plover_mode=None)
    coded = make_coded(events=[make_event(), odd])
    store.save(coded)
    quoted = ", ".join(f'"{c}"' for c in MENTION_COLUMNS)
    rows = store.execute(f"SELECT {quoted} FROM mentions ORDER BY sentence")
    for event, row, day in zip(by_position(coded.events), rows, [date(2021, 5, 3), None]):
        assert dict(zip(MENTION_COLUMNS, row)) == {**event_row(event), "date": day}


def test_long_batches_are_replaced_and_triaged_like_short_ones(store):
    # More documents than the store looks up one by one (it joins the list against the table then).
    from tacitus.store import _IN_LIST_MAX

    count = _IN_LIST_MAX + 20
    store.save_many([make_coded(f"d{n:03d}", text=f"Text {n}.", events=[make_event(f"d{n:03d}")])
                     for n in range(count)])
    store.save_many([make_coded(f"d{n:03d}", text=f"Text {n}.",
                                events=[make_event(f"d{n:03d}", code="040", root="04")] if n % 2 else [])
                     for n in range(count)])
    assert store.count_documents() == count and store.count_mentions() == count // 2
    assert [(r["code"], r["num_articles"]) for r in merged(store)] == [("040", count // 2)]
    documents = [Document(id=f"d{n:03d}" if n < count else f"copy-{n}", text=f"Text {n % count}.")
                 for n in range(2 * count)] + [Document(id="fresh", text="Never seen.")]
    triages = store.triage_many(documents)
    assert [t.status for t in triages] == (
        [TriageStatus.STORED] * count + [TriageStatus.DUPLICATE] * count + [TriageStatus.NEW])
    assert [t.of for t in triages[count:-1]] == [f"d{n:03d}" for n in range(count)]


# -- reading merged events -------------------------------------------------------------------


def _dyad_store(store) -> None:
    def ev(doc: str, sentence: int, day: str, source: Actor | None, target: Actor | None) -> Event:
        return make_event(doc, sentence=sentence, date=day, source=source, target=target)

    chn, usa = Actor("CHNGOV", "CHN", ["GOV"]), Actor("USAGOV", "USA", ["GOV"])
    who, rus = Actor("IGOWHO", None, []), Actor("RUS", "RUS", [])
    kosovo_police = Actor("KSVCOP", "KSV", ["COP"])
    store.save(make_coded("d", events=[
        ev("d", 0, "2020-03-01", chn, usa),
        ev("d", 1, "2020-03-02", usa, chn),
        ev("d", 2, "2020-03-03", chn, rus),
        ev("d", 3, "2020-04-01", who, chn),
        ev("d", 4, "2020-04-02", kosovo_police, None),
        ev("d", 5, None, chn, usa),
    ]))


def test_merged_events_filter_by_date_and_dyad(store):
    _dyad_store(store)
    assert len(merged(store)) == 6
    assert merged(store)[-1]["date"] is None  # undated events come last
    march = merged(store, date_from="2020-03-01", date_to="2020-03-31")
    assert [str(r["date"]) for r in march] == ["2020-03-01", "2020-03-02", "2020-03-03"]
    assert len(merged(store, date_from=date(2020, 4, 1))) == 2
    both = merged(store, dyad="CHN-USA")
    assert {(r["source_code"], r["target_code"]) for r in both} == {("CHNGOV", "USAGOV"), ("USAGOV", "CHNGOV")}
    assert len(both) == 3
    assert [str(r["date"]) for r in merged(store, dyad="usa>chn")] == ["2020-03-02"]
    assert len(merged(store, dyad="CHN>USA", date_from="2020-01-01")) == 1
    # An international actor matches on its type, a country on its code's first letters.
    assert [r["source_code"] for r in merged(store, dyad="IGO>CHN")] == ["IGOWHO"]
    assert merged(store, dyad="KSV-CHN") == []
    assert merged(store, dyad="RUS-CHN")[0]["target_code"] == "RUS"


def test_bad_dyads_and_dates_are_refused(store):
    for bad in ("CHN", "CHN-USA-RUS", "C-USA", "CHN>", "CH1-USA"):
        with pytest.raises(ValueError, match="dyad"):
            merged(store, dyad=bad)
    with pytest.raises(ValueError, match="date"):
        merged(store, date_from="March 2020")
    assert parse_dyad(" chn > usagov ") == ("CHN", "USA", True)
    condition, params = dyad_condition("CHN-USA", "e")
    assert condition.count("?") == len(params) and "e.source_code" in condition


def test_merged_events_can_be_read_while_other_queries_run(store):
    _dyad_store(store)
    seen = []
    for row in store.merged_events():
        seen.append(row["event_id"])
        assert store.count_events() == 6
    assert len(seen) == 6


def test_execute_binds_parameters_and_reports_errors(store):
    _dyad_store(store)
    rows = store.execute("SELECT count(*) FROM events WHERE source_country = ? AND date < ?",
                         ["CHN", date(2020, 4, 1)])
    assert rows == [(2,)]
    with pytest.raises(StoreError, match="no_such_table"):
        store.execute("SELECT * FROM no_such_table")


def test_write_parquet_writes_the_query_rows(store, tmp_path: Path):
    _dyad_store(store)
    out = tmp_path / "it's events.parquet"
    store.write_parquet("SELECT event_id, code, source_sectors FROM events WHERE date >= ?", out, [date(2020, 4, 1)])
    back = store.execute("SELECT code, source_sectors FROM read_parquet(?) ORDER BY 1", [str(out)])
    assert len(back) == 2 and back[0][1] in (["COP"], [])


# -- aliases and triage ----------------------------------------------------------------------


def test_triage_tells_new_stored_and_duplicate(store):
    store.save(make_coded("first"))
    store.save(make_coded("second"))  # same text: stored anyway when saved directly
    same_text = Document(id="third", text=TEXT)
    triage = store.triage(same_text)
    assert triage.status is TriageStatus.DUPLICATE and triage.of == "first"
    assert len(triage.text_sha1) == 40
    stored = store.triage(Document(id="second", text="changed text"))
    assert stored.status is TriageStatus.STORED and stored.of is None
    new = store.triage(Document(id="fourth", text=TEXT + " More."))
    assert new.status is TriageStatus.NEW and new.of is None and new.text_sha1 != triage.text_sha1


def test_triage_many_judges_each_document_as_triage_does(store):
    store.save(make_coded("z-first", text="Shared text."))
    store.save(make_coded("a-second", text="Shared text."))  # the earliest stored counts, not the first id
    store.save(make_coded("own", text="Own text."))
    documents = [
        Document(id="own", text="Own text."),  # stored
        Document(id="own", text="Shared text."),  # the id is stored: that comes first
        Document(id="mirror", text="Shared text."),  # a duplicate of z-first
        Document(id="fresh", text="Fresh text."),
        Document(id="fresh-again", text="Fresh text."),  # not stored either: the caller tells these apart
    ]
    triages = store.triage_many(documents)
    assert triages == [store.triage(d) for d in documents]
    assert [(t.status, t.of) for t in triages] == [
        (TriageStatus.STORED, None), (TriageStatus.STORED, None), (TriageStatus.DUPLICATE, "z-first"),
        (TriageStatus.NEW, None), (TriageStatus.NEW, None)]
    assert [t.text_sha1 for t in triages] == [text_sha1(d.text) for d in documents]
    assert store.triage_many([]) == []


def test_threads_caps_duckdb_worker_threads(tmp_path: Path):
    with open_store(tmp_path / "one.duckdb", threads=1) as store:
        assert store.execute("SELECT current_setting('threads')") == [(1,)]
        store.save(make_coded())
        assert store.count_events() == 2


def test_aliases_are_recorded_once_and_keep_their_first_time(store, monkeypatch):
    import tacitus.store

    clock = iter(datetime(2024, 5, 1, 8, minute) for minute in range(60))
    monkeypatch.setattr(tacitus.store, "_utc_now", lambda: next(clock))
    store.save(make_coded("first"))
    store.add_alias("mirror/first.txt", "first", "mirror/first.txt")
    [alias] = store.aliases()
    store.add_alias("mirror/first.txt", "first", "mirror/first.txt")  # a re-run records it again
    assert store.aliases() == [alias] and store.count_aliases() == 1
    assert alias.alias_id == "mirror/first.txt" and alias.doc_id == "first"
    assert isinstance(alias.added_at, datetime)


def test_a_stored_document_cannot_be_an_alias_and_an_alias_coded_later_stops_being_one(store):
    store.save(make_coded("first"))
    with pytest.raises(StoreError, match="first"):
        store.add_alias("first", "other")
    store.add_alias("copy", "first")
    store.save(make_coded("copy", text=TEXT + " Now different."))
    assert store.aliases() == []
    assert store.document_ids() == {"first", "copy"}
    with pytest.raises(StoreError, match="alias"):
        store.save_many([make_coded("x")], aliases=[Alias("x", "first")])
    assert store.document_ids() == {"first", "copy"}


# -- transactions and batches ----------------------------------------------------------------


def test_an_exception_in_the_middle_of_a_batch_leaves_nothing_of_it(store):
    store.save(make_coded("kept"))
    before = merged(store)

    def batch() -> Iterator[CodedDocument]:
        yield make_coded("doomed-1")
        yield make_coded("kept", events=[])  # would have replaced the kept document's events
        raise RuntimeError("reader broke")

    with pytest.raises(RuntimeError, match="reader broke"):
        store.save_many(batch())
    assert store.document_ids() == {"kept"}
    assert store.count_mentions() == 2
    assert merged(store) == before
    # The store is still usable after the rollback.
    store.save(make_coded("after"))
    assert store.document_ids() == {"kept", "after"}
    assert {r["num_articles"] for r in merged(store)} == {2}


def test_a_database_error_rolls_back_and_names_the_document(store):
    bad = make_coded("bad", events=[make_event("bad", goldstein=None)])  # NOT NULL column
    with pytest.raises(StoreError, match="bad") as info:
        store.save_many([make_coded("good"), bad])
    assert ":memory:" in str(info.value)
    assert store.count_documents() == 0
    assert store.count_mentions() == 0
    assert store.count_events() == 0


def test_events_of_another_document_are_refused(store):
    with pytest.raises(StoreError, match="lisbon-01"):
        store.save(make_coded("lisbon-01", events=[make_event("elsewhere")]))
    assert store.count_documents() == 0


def test_duplicate_events_in_a_document_are_stored_once(store):
    store.save(make_coded(events=[make_event(), make_event(confidence=0.5)]))
    assert store.count_mentions() == 1
    assert merged(store)[0]["num_mentions"] == 1


def test_open_failures_name_the_path(tmp_path: Path):
    not_a_db = tmp_path / "notes.duckdb"
    not_a_db.write_text("these are plain notes, not a database\n" * 200)
    with pytest.raises(StoreError) as info:
        open_store(not_a_db)
    assert str(not_a_db) in str(info.value)
    missing_dir = tmp_path / "no" / "such" / "dir" / "events.duckdb"
    with pytest.raises(StoreError, match="no/such/dir"):
        open_store(missing_dir)
    with pytest.raises(StoreError):
        open_store(tmp_path / "absent.duckdb", read_only=True)


def test_closed_store_raises(tmp_path: Path):
    store = open_store(tmp_path / "x.duckdb")
    store.close()
    store.close()  # closing twice is harmless
    for call in (store.count_events, store.count_mentions, lambda: store.save(make_coded()),
                 lambda: store.merged_events(), lambda: store.execute("SELECT 1")):
        with pytest.raises(StoreError, match="closed"):
            call()


def test_a_batch_written_in_parts_is_still_one_transaction(store, monkeypatch):
    import tacitus.store

    monkeypatch.setattr(tacitus.store, "_FLUSH_EVENTS", 3)  # write after every second document
    store.save(make_coded("kept"))

    def batch() -> Iterator[CodedDocument]:
        for n in range(5):
            yield make_coded(f"doc-{n}")
        yield make_coded("doc-1", events=[make_event("doc-1", code="043", root="04")])
        raise RuntimeError("disk of documents unplugged")

    with pytest.raises(RuntimeError):
        store.save_many(batch())
    assert store.document_ids() == {"kept"}
    assert {r["num_articles"] for r in merged(store)} == {1}

    def good_batch() -> Iterator[CodedDocument]:
        for n in range(5):
            yield make_coded(f"doc-{n}")
        yield make_coded("doc-1", events=[make_event("doc-1", code="043", root="04")])

    assert store.save_many(good_batch()) == 6
    assert store.count_documents() == 6
    assert [e.code for e in store.mentions("doc-1")] == ["043"]
    assert store.count_mentions() == 2 * 5 + 1
    counts = {r["code"]: r["num_articles"] for r in merged(store)}
    assert counts == {"036": 5, "057": 5, "043": 1}  # doc-1's first copy was replaced in the batch


def test_batch_writer_commits_every_n_documents(tmp_path: Path):
    with open_store(tmp_path / "b.duckdb") as store, BatchWriter(store, max_documents=3, max_seconds=3600) as writer:
        for n in range(7):
            writer.add(make_coded(f"doc-{n}"))
            assert store.count_documents() == (n + 1) // 3 * 3
        writer.add_alias("copy", "doc-0")
    with open_store(tmp_path / "b.duckdb") as store:
        assert store.count_documents() == 7 and store.count_aliases() == 1
    assert (writer.documents, writer.mentions, writer.aliases) == (7, 14, 1)


def test_the_writer_stores_the_json_records_it_is_given(store):
    import io

    from tacitus.export import write_jsonl

    coded = make_coded()
    records = [event_json(event) for event in coded.events]
    printed = io.StringIO()
    write_jsonl(coded.events, printed)
    assert printed.getvalue() == "".join(f"{record}\n" for record in records)  # what --format jsonl prints
    given = [event_json(replace(event, rule="made.by.the.caller")) for event in coded.events]
    with BatchWriter(store) as writer:
        with pytest.raises(ValueError, match="1 records for 2 events"):
            writer.add(coded, given[:1])
        writer.add(coded, given)
    assert {json.loads(row[0])["rule"] for row in store.execute("SELECT record FROM mentions")} == {
        "made.by.the.caller"}


def test_batch_writer_commits_after_max_seconds(store):
    writer = BatchWriter(store, max_documents=1000, max_seconds=0)
    writer.add(make_coded("a"))
    assert store.count_documents() == 1


def test_batch_writer_keeps_complete_documents_when_interrupted(store):
    with pytest.raises(KeyboardInterrupt):
        with BatchWriter(store, max_documents=100, max_seconds=3600) as writer:
            writer.add(make_coded("a"))
            writer.add(make_coded("b"))
            raise KeyboardInterrupt
    assert store.document_ids() == {"a", "b"}
    assert writer.documents == 2

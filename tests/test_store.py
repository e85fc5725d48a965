"""EventStore: round trips, idempotence, deterministic ids, transactions, errors."""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from tacitus.errors import StoreError
from tacitus.records import Actor, CodedDocument, Document, Event, Trigger
from tacitus.store import EVENT_COLUMNS, event_id, open_store

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


def test_round_trip_gives_back_equal_events(store):
    coded = make_coded()
    store.save(coded)
    assert store.events() == by_position(coded.events)
    assert store.events("lisbon-01") == by_position(coded.events)
    assert store.events("nowhere") == []
    assert store.count_documents() == 1
    assert store.count_events() == 2


def test_events_are_ordered_by_document_sentence_and_trigger(store):
    late = make_event("b-doc", sentence=3, start=10)
    early = make_event("b-doc", sentence=0, start=90)
    middle = make_event("b-doc", sentence=3, start=2)
    store.save(make_coded("b-doc", events=[late, early, middle]))
    store.save(make_coded("a-doc", events=[make_event("a-doc", sentence=9)]))
    got = store.events()
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
    assert store.count_events() == 2
    assert store.document_ids() == {"lisbon-01"}


def test_saving_again_replaces_the_events(store):
    store.save(make_coded())
    only = make_event(code="040", root="04", rule="consult.other")
    store.save(make_coded(events=[only], title="Talks, updated"))
    assert store.events() == [only]
    assert store.count_events() == 1


def test_same_document_twice_in_one_batch_is_stored_once(store):
    first = make_coded()
    second = make_coded(events=[make_event(code="042", root="04")])
    assert store.save_many([first, second]) == 2
    assert store.count_documents() == 1
    assert [e.code for e in store.events()] == ["042"]


def test_a_document_without_events_is_recorded(store):
    store.save(make_coded("empty", events=[]))
    assert store.has_document("empty")
    assert not store.has_document("lisbon-01")
    assert store.count_events() == 0


def test_second_open_of_the_file_sees_the_data(tmp_path: Path):
    path = tmp_path / "events.duckdb"
    coded = make_coded()
    with open_store(path) as first:
        first.save(coded)
    with open_store(str(path)) as second:
        assert second.document_ids() == {"lisbon-01"}
        assert second.events() == by_position(coded.events)
        second.save(make_coded("other", events=[make_event("other")]))
    with open_store(path, read_only=True) as third:
        assert third.document_ids() == {"lisbon-01", "other"}
        assert third.count_events() == 3


def test_schema_and_columns(tmp_path: Path):
    import duckdb

    path = tmp_path / "events.duckdb"
    with open_store(path) as store:
        store.save(make_coded())
    con = duckdb.connect(str(path), read_only=True)
    try:
        assert con.execute("SELECT schema_version FROM meta").fetchall() == [(1,)]
        columns = dict(con.execute("SELECT column_name, data_type FROM duckdb_columns() "
                                   "WHERE table_name = 'events'").fetchall())
        assert list(columns)[: len(EVENT_COLUMNS)] == list(EVENT_COLUMNS)
        assert columns["date"] == "DATE"
        assert columns["source_sectors"] == "VARCHAR[]"
        assert columns["record"] == "JSON"
        row = con.execute("SELECT date, target_sectors, source_code FROM events "
                          "WHERE sentence = 1").fetchone()
        assert str(row[0]) == "2021-05-03"
        assert row[1] == ["GOV", "ELI"]
        assert row[2] == "PRTGOV"
        assert con.execute("SELECT date FROM events WHERE sentence = 2").fetchone() == (None,)
        doc = con.execute("SELECT text_sha1, model, date FROM documents").fetchone()
        assert len(doc[0]) == 40 and doc[1] == "en_core_web_sm 3.8.0"
        assert str(doc[2]) == "2021-05-03"
    finally:
        con.close()


def test_a_date_that_is_not_iso_is_null_in_the_column_but_kept_in_the_record(store):
    odd = make_event(date="early May")
    store.save(make_coded(events=[odd], date="sometime"))
    assert store.events() == [odd]


def test_event_ids_are_deterministic_and_distinguish_events():
    a = make_event()
    assert event_id(a) == event_id(make_event())
    assert len(event_id(a)) == 16 and int(event_id(a), 16) >= 0
    # Fields outside the id do not change it ...
    assert event_id(a) == event_id(replace(a, confidence=0.2, rule="other", sentence_text="x"))
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
    ids = {event_id(e) for e in different}
    assert len(ids) == len(different) and event_id(a) not in ids


def test_recoding_gives_the_same_ids(tmp_path: Path):
    path = tmp_path / "events.duckdb"
    with open_store(path) as store:
        store.save(make_coded())
        con = store._connection()
        before = con.execute("SELECT event_id FROM events ORDER BY event_id").fetchall()
        store.save(make_coded())
        after = con.execute("SELECT event_id FROM events ORDER BY event_id").fetchall()
    assert before == after
    assert {row[0] for row in after} == {event_id(e) for e in make_coded().events}


def test_an_exception_in_the_middle_of_a_batch_leaves_nothing_of_it(store):
    store.save(make_coded("kept"))

    def batch() -> Iterator[CodedDocument]:
        yield make_coded("doomed-1")
        yield make_coded("kept", events=[])  # would have replaced the kept document's events
        raise RuntimeError("reader broke")

    with pytest.raises(RuntimeError, match="reader broke"):
        store.save_many(batch())
    assert store.document_ids() == {"kept"}
    assert store.count_events() == 2
    # The store is still usable after the rollback.
    store.save(make_coded("after"))
    assert store.document_ids() == {"kept", "after"}


def test_a_database_error_rolls_back_and_names_the_document(store):
    bad = make_coded("bad", events=[make_event("bad", goldstein=None)])  # NOT NULL column
    with pytest.raises(StoreError, match="bad") as info:
        store.save_many([make_coded("good"), bad])
    assert ":memory:" in str(info.value)
    assert store.count_documents() == 0
    assert store.count_events() == 0


def test_events_of_another_document_are_refused(store):
    with pytest.raises(StoreError, match="lisbon-01"):
        store.save(make_coded("lisbon-01", events=[make_event("elsewhere")]))
    assert store.count_documents() == 0


def test_duplicate_events_in_a_document_are_stored_once(store):
    store.save(make_coded(events=[make_event(), make_event(confidence=0.5)]))
    assert store.count_events() == 1


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
    with pytest.raises(StoreError, match="closed"):
        store.count_events()
    with pytest.raises(StoreError, match="closed"):
        store.save(make_coded())


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

    def good_batch() -> Iterator[CodedDocument]:
        for n in range(5):
            yield make_coded(f"doc-{n}")
        yield make_coded("doc-1", events=[make_event("doc-1", code="043", root="04")])

    assert store.save_many(good_batch()) == 6
    assert store.count_documents() == 6
    assert [e.code for e in store.events("doc-1")] == ["043"]
    assert store.count_events() == 2 * 5 + 1

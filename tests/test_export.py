"""Exports: JSONL records, the terminal table, the flat CSV."""
from __future__ import annotations

import csv
import io
import json
import sys
import types

import pytest
from rich.console import Console

from tacitus.export import render_table, write_csv, write_jsonl
from tacitus.records import Actor, Event, Trigger
from tacitus.store import EVENT_COLUMNS, event_id


def threat_event() -> Event:
    return Event(
        doc_id="feed/2019/kyiv.html",
        sentence=4,
        date="2019-11-02",
        code="138",
        root="13",
        quad=4,
        goldstein=-7.0,
        plover="THREATEN",
        plover_mode="attack",
        source=Actor(
            code="RUSMIL",
            country="RUS",
            sectors=["MIL", "ELI"],
            name=None,
            text="Russian [naval] commanders",
            start=210,
            end=236,
            rule="compose",
        ),
        target=Actor(code="UKR", country="UKR", text="Kyiv", start=251, end=255),
        trigger=Trigger(text="warned of strikes on", start=237, end=257),
        rule="threaten.attack.warn-of",
        symmetric=False,
        sentence_text="Russian [naval] commanders warned of strikes on Kyiv — «soon».",
        confidence=0.6,
    )


def appeal_event() -> Event:
    return Event(
        doc_id="wire-77",
        sentence=0,
        date=None,
        code="020",
        root="02",
        quad=1,
        goldstein=3.0,
        plover=None,
        plover_mode=None,
        source=Actor(code="IGOUNO", country=None, sectors=[], text="The UN envoy"),
        target=None,
        trigger=Trigger(text="called for", start=13, end=23),
        rule="appeal.call-for",
        symmetric=False,
        sentence_text="The UN envoy called for calm.",
        confidence=0.75,
    )


EVENTS = [threat_event(), appeal_event()]


def test_jsonl_parses_back_to_the_same_events():
    out = io.StringIO()
    assert write_jsonl(EVENTS, out) == 2
    lines = out.getvalue().splitlines()
    assert len(lines) == 2
    records = [json.loads(line) for line in lines]
    assert records == [e.to_dict() for e in EVENTS]
    assert [Event.from_dict(r) for r in records] == EVENTS
    assert "«soon»" in lines[0]  # not escaped to \\u sequences


def test_jsonl_of_nothing_writes_nothing():
    out = io.StringIO()
    assert write_jsonl(iter([]), out) == 0
    assert out.getvalue() == ""


def render(events: list[Event]) -> str:
    # file=StringIO keeps the test output quiet; the recording still has everything.
    console = Console(record=True, width=200, file=io.StringIO())
    render_table(events, console)
    return console.export_text()


def test_table_contains_codes_mentions_and_rules():
    text = render(EVENTS)
    for expected in (
        "RUSMIL",
        "Russian [naval] commanders",  # brackets shown as text, not read as rich markup
        "138",
        "UKR",
        "warned of strikes on",
        "threaten.attack.warn-of",
        "0.60",
        "IGOUNO",
        "020",
        "appeal.call-for",
        "wire-77",
    ):
        assert expected in text, expected
    header = next(line for line in text.splitlines() if "sent" in line)
    positions = [header.index(c) for c in ("doc", "sent", "date", "source", "event", "target",
                                           "trigger", "rule", "conf")]
    assert positions == sorted(positions)


def test_table_names_events_from_the_taxonomy(monkeypatch):
    fake = types.ModuleType("tacitus.taxonomy")

    def lookup(code: str):
        if code == "138":
            return types.SimpleNamespace(name="a name only the fake knows")
        raise KeyError(code)

    fake.lookup = lookup
    monkeypatch.setitem(sys.modules, "tacitus.taxonomy", fake)
    text = render(EVENTS)
    assert "a name only the fake knows" in text
    assert "020" in text  # lookup failed: the bare code is still shown


def test_table_without_taxonomy_shows_bare_codes(monkeypatch):
    monkeypatch.setitem(sys.modules, "tacitus.taxonomy", None)  # makes the import fail
    text = render(EVENTS)
    assert "138" in text and "020" in text


def test_empty_table_renders():
    assert "0 event" in render([])


def test_csv_header_and_rows():
    out = io.StringIO(newline="")
    assert write_csv(EVENTS, out) == 2
    out.seek(0)
    rows = list(csv.reader(out))
    assert rows[0] == list(EVENT_COLUMNS)
    assert len(rows) == 3
    threat = dict(zip(rows[0], rows[1]))
    assert threat["event_id"] == event_id(EVENTS[0])
    assert threat["source_sectors"] == "MIL;ELI"
    assert threat["source_code"] == "RUSMIL"
    assert threat["target_sectors"] == ""
    assert threat["symmetric"] == "false"
    assert float(threat["goldstein"]) == -7.0
    assert threat["sentence_text"] == EVENTS[0].sentence_text
    appeal = dict(zip(rows[0], rows[2]))
    assert appeal["date"] == "" and appeal["plover"] == ""
    assert appeal["target_code"] == "" and appeal["source_country"] == ""
    assert int(appeal["trigger_start"]) == 13


@pytest.mark.parametrize("writer", [write_jsonl, write_csv])
def test_writers_accept_generators(writer):
    out = io.StringIO()
    assert writer((e for e in EVENTS), out) == 2

"""Exports of merged events: GDELT 2.0, ICEWS and POLECAT layouts, JSONL, CSV and Parquet."""
from __future__ import annotations

import csv
import datetime as dt
import io
import json

import duckdb
import pytest

from tacitus import export

from tacitus.actors.dictionary import INTERNATIONAL_TYPES, SECTORS
from tacitus.records import Actor, CodedDocument, Document, Event, Trigger
from tacitus.store import MERGED_EVENT_COLUMNS, open_store
from tacitus.taxonomy import lookup
from tacitus.export import (
    EXPORT_FORMATS,
    GDELT_COLUMNS,
    ICEWS_COLUMNS,
    MERGED_COLUMNS,
    POLECAT_COLUMNS,
    country_name,
    export_store,
    gdelt_event_id,
    gdelt_row,
    icews_row,
    is_root_event,
    polecat_row,
    sector_names,
    write_events,
)


def merged(**changes) -> dict:
    """A merged event as the store yields it: a navy's warning to a neighbour, reported three times."""
    event = {
        "event_id": "9f3a61c2d4e5b6a7",
        "date": dt.date(2021, 7, 4),
        "code": "138",
        "root": "13",
        "quad": 4,
        "goldstein": -7.0,
        "plover": "THREATEN",
        "plover_mode": None,
        "source_code": "CHNMIL",
        "source_country": "CHN",
        "source_sectors": ["MIL"],
        "source_name": None,
        "target_code": "PHLGOVMIL",
        "target_country": "PHL",
        "target_sectors": ["GOV", "MIL"],
        "target_name": "Delfin Lorenzana",
        "symmetric": False,
        "confidence": 0.7,
        "num_mentions": 3,
        "num_sources": 2,
        "num_articles": 2,
        "first_doc_id": "harbour/0007",
        "source_url": "https://news.example.org/harbour/7",
        "evidence": "The navy warned\tof\nconsequences",
        "date_added": dt.datetime(2021, 7, 5, 9, 8, 7),
    }
    event.update(changes)
    return event


def column(row: list[str], name: str) -> str:
    return row[GDELT_COLUMNS.index(name)]


# --- GDELT ---------------------------------------------------------------------------------------

def test_gdelt_columns_are_the_61_of_the_codebook_in_order():
    assert len(GDELT_COLUMNS) == 61 == len(set(GDELT_COLUMNS))
    # Positions a GDELT reader indexes by (0-based).
    assert GDELT_COLUMNS[0] == "GLOBALEVENTID"
    assert GDELT_COLUMNS[26] == "EventCode"
    assert GDELT_COLUMNS[31] == "NumMentions"
    assert GDELT_COLUMNS[34] == "AvgTone"
    assert GDELT_COLUMNS[59] == "DATEADDED"
    assert GDELT_COLUMNS[60] == "SOURCEURL"


def test_gdelt_row_fields_by_position():
    row = gdelt_row(merged())
    assert len(row) == 61 and all(isinstance(f, str) for f in row)
    assert row[1:4] == ["20210704", "202107", "2021"]
    assert row[4] == "2021.5041"  # 184 days of 365 gone by on 4 July
    assert row[5:8] == ["CHNMIL", "CHINA", "CHN"]
    assert row[12:15] == ["MIL", "", ""]
    assert row[15:18] == ["PHLGOVMIL", "DELFIN LORENZANA", "PHL"]
    assert row[22:25] == ["GOV", "MIL", ""]
    assert row[26:30] == ["138", "138", "13", "4"]
    assert float(row[30]) == -7.0
    assert row[31:34] == ["3", "2", "2"]
    assert row[34] == ""  # no tone
    assert set(row[35:59]) == {""}  # no geolocation yet
    assert row[59] == "20210705090807"
    assert row[60] == "https://news.example.org/harbour/7"


def test_event_code_keeps_its_leading_zero():
    row = gdelt_row(merged(code="041", root="04", quad=1, goldstein=1.0))
    assert column(row, "EventCode") == "041"
    assert column(row, "EventBaseCode") == "041"
    assert column(row, "EventRootCode") == "04"
    four_digit = gdelt_row(merged(code="0311", root="03"))
    assert (column(four_digit, "EventCode"), column(four_digit, "EventBaseCode")) == ("0311", "031")


def test_international_actor_gives_known_group_and_type():
    row = gdelt_row(merged(source_code="IGOWHO", source_country=None, source_sectors=[],
                           source_name="World Health Organization"))
    assert column(row, "Actor1Code") == "IGOWHO"
    assert column(row, "Actor1KnownGroupCode") == "WHO"
    assert column(row, "Actor1CountryCode") == ""
    assert column(row, "Actor1Type1Code") == "IGO"
    assert column(row, "Actor1Name") == "WORLD HEALTH ORGANIZATION"
    # A country actor has no known group.
    assert column(row, "Actor2KnownGroupCode") == ""


def test_sectors_come_from_the_code_when_the_list_is_missing():
    row = gdelt_row(merged(source_code="RUSGOVLEG", source_country="RUS", source_sectors=None))
    assert [column(row, f"Actor1Type{i}Code") for i in (1, 2, 3)] == ["GOV", "LEG", ""]


def test_missing_actor_and_date_leave_fields_empty_not_shifted():
    row = gdelt_row(merged(target_code=None, target_country=None, target_sectors=None, target_name=None,
                           date=None, date_added=None, source_url=None))
    assert len(row) == 61
    assert row[1:5] == ["", "", "", ""]
    assert row[15:25] == [""] * 10
    assert column(row, "DATEADDED") == ""
    assert column(row, "SOURCEURL") == "harbour/0007"  # the document id stands in for a URL


def test_global_event_id_is_stable_and_fits_64_bits():
    first = gdelt_event_id("9f3a61c2d4e5b6a7")
    assert first == int("9f3a61c2d4e5b6a", 16)
    assert first == gdelt_event_id("9f3a61c2d4e5b6a7")
    assert first != gdelt_event_id("9f3a61c2d4e5b6b7")
    odd = gdelt_event_id("not-hex-at-all")
    assert 0 <= odd < 2**63 and odd == gdelt_event_id("not-hex-at-all")


def test_is_root_event_marks_root_level_codes():
    assert [is_root_event(c) for c in ("04", "040", "041", "0311", "190", "195")] == [1, 1, 0, 0, 1, 0]


def test_dates_given_as_strings_work_too():
    row = gdelt_row(merged(date="2020-03-16", date_added="2020-03-17T01:02:03"))
    assert row[1] == "20200316" and column(row, "DATEADDED") == "20200317010203"


def test_gdelt_file_splits_into_61_columns_with_text_cleaned():
    events = [merged(), merged(event_id="00aa", code="041", source_name="A\tname\nwith breaks",
                               source_url="https://x.example/a b\tc")]
    out = io.StringIO()
    assert write_events(events, "gdelt", out) == 2
    lines = out.getvalue().split("\n")
    assert lines[-1] == "" and len(lines) == 3  # no header, one line per event
    rows = [line.split("\t") for line in lines[:-1]]
    assert all(len(r) == 61 for r in rows)
    assert rows[1][26] == "041" and rows[1][31] == "3" and rows[1][60] == "https://x.example/a b c"
    assert rows[1][6] == "A NAME WITH BREAKS"
    # A reader that names the columns in codebook order gets them back by name.
    named = [dict(zip(GDELT_COLUMNS, r)) for r in rows]
    assert named[0]["Actor2Name"] == "DELFIN LORENZANA" and named[1]["EventCode"] == "041"


# --- ICEWS ---------------------------------------------------------------------------------------

def test_icews_header_and_row():
    out = io.StringIO()
    write_events([merged(publisher="Harbour Post")], "icews", out)
    lines = out.getvalue().splitlines()
    assert lines[0].split("\t") == list(ICEWS_COLUMNS) and len(ICEWS_COLUMNS) == 20
    row = dict(zip(ICEWS_COLUMNS, lines[1].split("\t")))
    assert row["Source Country"] == "China"
    assert row["Target Country"] == "Philippines"
    assert row["Source Sectors"] == "Military"
    assert row["Target Sectors"] == "Government,Military"
    assert row["Source Name"] == "Military (China)"  # no person: sector and country
    assert row["Target Name"] == "Delfin Lorenzana"
    assert row["CAMEO Code"] == "138"
    assert row["Event Text"] and row["Event Text"][0].isupper() and not row["Event Text"].isupper()
    assert float(row["Intensity"]) == -7.0
    assert row["Story ID"] == "harbour/0007"
    assert row["Publisher"] == "Harbour Post"
    assert row["Event Date"] == "2021-07-04"
    assert row["Latitude"] == ""


def test_icews_root_code_name_is_in_sentence_case():
    row = icews_row(merged(code="01", root="01", quad=1, goldstein=0.0))
    assert row["Event Text"] and row["Event Text"] != row["Event Text"].upper()
    assert row["Event Text"][1:] == row["Event Text"][1:].lower()


def test_country_names_are_full_names():
    assert country_name("CHN") == "China"
    assert country_name("USA") == "United States"
    assert country_name("KOR") == "South Korea"  # not the catalogue form "Korea, Republic of"
    assert country_name("KSV") == "Kosovo"  # not in ISO 3166: from the project's own table
    assert country_name(None) == ""
    for code in ("IRN", "TZA", "PSE", "COD", "FSM", "BOL"):
        assert "," not in country_name(code) and country_name(code) != code


def test_every_sector_code_has_a_name():
    names = sector_names()
    assert SECTORS <= set(names)
    assert names["GOV"] == "Government" and names["MIL"] == "Military"
    assert INTERNATIONAL_TYPES <= set(names)
    assert export.INTERNATIONAL_TYPES == INTERNATIONAL_TYPES
    assert all(name.strip() == name and name for name in names.values())


# --- POLECAT -------------------------------------------------------------------------------------

def test_polecat_row_has_plover_columns():
    row = polecat_row(merged(plover="CONSULT", plover_mode="phone", code="041", quad=1, goldstein=1.0,
                             publisher="Wire", publication_date=dt.date(2021, 7, 5)))
    assert list(row) == list(POLECAT_COLUMNS)
    assert (row["Event Type"], row["Event Mode"], row["Quad Code"]) == ("CONSULT", "phone", "1")
    assert float(row["Event Intensity"]) == 1.0
    assert row["Actor Country"] == "CHN" and row["Primary Actor Sector"] == "Military"
    assert row["Recipient Sectors"] == "Government,Military"
    assert row["Source"] == "Wire" and row["Publication Date"] == "2021-07-05"
    assert row["Actor COW"] == "" and row["Latitude"] == ""


def test_polecat_file_has_header_and_empty_mode_for_roots_without_plover():
    out = io.StringIO()
    write_events([merged(code="020", root="02", plover=None, plover_mode=None)], "polecat", out)
    header, line = out.getvalue().splitlines()
    assert header.split("\t") == list(POLECAT_COLUMNS)
    row = dict(zip(POLECAT_COLUMNS, line.split("\t")))
    assert len(line.split("\t")) == len(POLECAT_COLUMNS)
    assert row["Event Type"] == "" and row["Event Mode"] == ""


# --- JSONL, CSV, Parquet -------------------------------------------------------------------------

def test_jsonl_one_event_per_line_with_iso_dates():
    out = io.StringIO()
    assert write_events([merged(), merged(event_id="b2")], "jsonl", out) == 2
    records = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [r["event_id"] for r in records] == ["9f3a61c2d4e5b6a7", "b2"]
    assert records[0]["date"] == "2021-07-04" and records[0]["date_added"] == "2021-07-05T09:08:07"
    assert records[0]["target_sectors"] == ["GOV", "MIL"]
    assert set(MERGED_COLUMNS) <= set(records[0])


def test_csv_header_is_the_merged_columns():
    out = io.StringIO(newline="")
    write_events([merged()], "csv", out)
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert rows[0] == list(MERGED_COLUMNS)
    row = dict(zip(rows[0], rows[1]))
    assert row["code"] == "138" and row["target_sectors"] == "GOV;MIL" and row["symmetric"] == "false"
    assert row["plover_mode"] == "" and row["evidence"] == "The navy warned\tof\nconsequences"


def test_parquet_round_trips_through_duckdb(tmp_path):
    path = tmp_path / "events.parquet"
    events = [merged(), merged(event_id="c3", code="041", date=None, source_sectors=[])]
    assert write_events(events, "parquet", path) == 2
    con = duckdb.connect()
    rows = con.execute("SELECT event_id, code, date, target_sectors, num_mentions, date_added "
                       "FROM read_parquet(?) ORDER BY event_id", [str(path)]).fetchall()
    assert rows[0][:5] == ("9f3a61c2d4e5b6a7", "138", dt.date(2021, 7, 4), ["GOV", "MIL"], 3)
    assert rows[0][5] == dt.datetime(2021, 7, 5, 9, 8, 7)
    assert rows[1][1] == "041" and rows[1][2] is None
    assert [p.name for p in tmp_path.iterdir()] == ["events.parquet"]  # no temporary file left


def test_parquet_of_no_events_is_a_valid_empty_file(tmp_path):
    path = tmp_path / "none.parquet"
    assert write_events([], "parquet", path) == 0
    assert duckdb.connect().execute("SELECT count(*) FROM read_parquet(?)", [str(path)]).fetchone() == (0,)


def test_parquet_needs_a_path_and_formats_are_checked():
    with pytest.raises(ValueError):
        write_events([merged()], "parquet", io.StringIO())
    with pytest.raises(ValueError):
        write_events([merged()], "xml", io.StringIO())


def test_text_formats_write_to_a_path(tmp_path):
    for fmt in EXPORT_FORMATS:
        path = tmp_path / f"out.{fmt}"
        assert write_events([merged()], fmt, path) == 1
        assert path.stat().st_size > 0


# --- from a store ----------------------------------------------------------------------------------

def coded(doc_id: str, text_date: str, events: list[tuple], source: str | None = None) -> CodedDocument:
    """A coded document; each event is (sentence, code, source code, target code)."""
    found = []
    for sentence, code, src, tgt in events:
        entry = lookup(code)
        found.append(Event(
            doc_id=doc_id, sentence=sentence, date=text_date, code=code, root=entry.root, quad=entry.quad,
            goldstein=entry.goldstein, plover=entry.plover, plover_mode=entry.plover_mode,
            source=Actor(code=src, country=src[:3], sectors=[src[i:i + 3] for i in range(3, len(src), 3)]),
            target=Actor(code=tgt, country=tgt[:3], sectors=[tgt[i:i + 3] for i in range(3, len(tgt), 3)]),
            trigger=Trigger(text="said", start=10 * sentence, end=10 * sentence + 4), rule="test.rule",
            symmetric=False, sentence_text=f"Sentence {sentence} of {doc_id}.", confidence=0.8))
    return CodedDocument(Document(id=doc_id, text=f"text of {doc_id}", date=text_date, source=source), found)


@pytest.fixture
def store(tmp_path):
    with open_store(tmp_path / "events.duckdb") as s:
        s.save_many([
            coded("wire-1", "2020-03-16", [(2, "041", "USAGOV", "CHNGOV"), (5, "112", "CHNGOV", "USAGOV")],
                  source="Harbour Post"),
            coded("wire-2", "2020-03-16", [(0, "112", "CHNGOV", "USAGOV")], source="Evening Ledger"),
            coded("wire-3", "2020-04-02", [(1, "036", "FRAGOV", "DEUGOV")]),
        ])
        yield s


def test_merged_columns_are_the_stores():
    assert MERGED_COLUMNS == MERGED_EVENT_COLUMNS


def test_export_store_adds_publisher_and_sentence_for_icews(store):
    out = io.StringIO()
    assert export_store(store, "icews", out) == store.count_events() == 3
    rows = [dict(zip(ICEWS_COLUMNS, line.split("\t"))) for line in out.getvalue().splitlines()[1:]]
    accuse = next(r for r in rows if r["CAMEO Code"] == "112")
    # Two mentions, merged: the first document stored tells the story.
    assert accuse["Story ID"] == "wire-1" and accuse["Publisher"] == "Harbour Post"
    assert accuse["Sentence Number"] == "6"  # sentence 5, counted from 1
    assert accuse["Source Country"] == "China" and accuse["Target Sectors"] == "Government"
    assert next(r for r in rows if r["CAMEO Code"] == "036")["Publisher"] == ""


def test_export_store_polecat_and_filters(store):
    out = io.StringIO()
    assert export_store(store, "polecat", out, dyad="CHN>USA") == 1
    row = dict(zip(POLECAT_COLUMNS, out.getvalue().splitlines()[1].split("\t")))
    assert row["Event Type"] == "ACCUSE" and row["Source"] == "Harbour Post"
    assert row["Publication Date"] == "2020-03-16"
    out = io.StringIO()
    assert export_store(store, "gdelt", out, date_from="2020-04-01") == 1
    fields = out.getvalue().rstrip("\n").split("\t")
    assert len(fields) == 61 and fields[26] == "036" and fields[31] == "1"


def test_export_store_gdelt_counts_mentions(store):
    out = io.StringIO()
    export_store(store, "gdelt", out, dyad="CHN-USA")
    rows = [line.split("\t") for line in out.getvalue().splitlines()]
    by_code = {r[26]: r for r in rows}
    assert set(by_code) == {"041", "112"}
    assert by_code["112"][31:34] == ["2", "2", "2"]  # two mentions, two outlets, two documents
    assert by_code["041"][31:34] == ["1", "1", "1"]

"""Output of events: `tacitus code`'s JSONL records, terminal table and flat CSV, and `tacitus export`'s
merged events as JSONL, CSV, Parquet and the GDELT 2.0, ICEWS and POLECAT column layouts."""
from __future__ import annotations

import calendar
import csv
import datetime as dt
import hashlib
import json
import logging
import os
import string
import uuid
from collections.abc import Callable, Iterable, Iterator
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, TextIO

from rich.console import Console
from rich.table import Table
from rich.text import Text

from tacitus.errors import DataFileError, StoreError, TacitusError
from tacitus.records import Actor, Event
from tacitus.store import EVENT_COLUMNS, event_json, event_row

log = logging.getLogger(__name__)


def write_jsonl(events: Iterable[Event], fp: TextIO) -> int:
    """Write one event record (Event.to_dict) per line; returns the number written."""
    count = 0
    for event in events:
        fp.write(event_json(event))  # the same line `tacitus code --format jsonl` prints and stores
        fp.write("\n")
        count += 1
    return count


def _csv_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ";".join(value)
    return value


def write_csv(events: Iterable[Event], fp: TextIO) -> int:
    """Write a header and one flat row per event, with the store's event columns.

    Sector lists are joined with ";", missing values are empty, booleans are true/false.
    Open `fp` with newline="" as the csv module expects. Returns the number of rows.
    """
    writer = csv.writer(fp)
    writer.writerow(EVENT_COLUMNS)
    count = 0
    for event in events:
        row = event_row(event)
        writer.writerow([_csv_value(row[name]) for name in EVENT_COLUMNS])
        count += 1
    return count


def _cameo_namer() -> Callable[[str], str | None]:
    """code -> short CAMEO name, or None when the taxonomy cannot say (cached per call)."""
    try:
        from tacitus.taxonomy import lookup  # imported late: the table is optional for exports
    except ImportError as exc:
        log.debug("no CAMEO taxonomy for names: %s", exc)
        return lambda code: None

    names: dict[str, str | None] = {}

    def name(code: str) -> str | None:
        if code not in names:
            try:
                names[code] = lookup(code).name
            except Exception as exc:  # any failure just means no name is shown
                log.debug("no CAMEO name for %r: %s", code, exc)
                names[code] = None
        return names[code]

    return name


def _actor_cell(actor: Actor | None) -> Text:
    # Text objects, not markup strings: news text may contain "[...]" that rich would parse.
    if actor is None:
        return Text("-", style="dim")
    cell = Text(actor.code or "?", style="bold")
    if actor.text:
        cell.append("\n")
        cell.append(actor.text, style="dim")
    return cell


WIDE_TABLE = 150  # below this terminal width the table leaves out mention text and rule ids


def render_table(events: list[Event], console: Console) -> None:
    """Print the events as a table: who did what to whom, with the trigger (and, when wide, the rule)."""
    cameo_name = _cameo_namer()
    wide = console.width >= WIDE_TABLE
    table = Table(show_lines=wide, caption=f"{len(events)} event(s)")
    table.add_column("doc:sent", overflow="fold")
    table.add_column("date", no_wrap=True)
    table.add_column("source", overflow="fold")
    table.add_column("event", overflow="fold")
    table.add_column("target", overflow="fold")
    table.add_column("trigger", overflow="fold")
    if wide:
        table.add_column("rule", overflow="fold")
    table.add_column("conf", justify="right")
    for event in events:
        event_cell = Text(event.code, style="bold")
        name = cameo_name(event.code)
        if name:
            event_cell.append(f" {name}")
        row = [
            Text(f"{event.doc_id}:{event.sentence}"),
            Text(event.date or "-"),
            _actor_cell(event.source) if wide else Text(_short_actor(event.source)),
            event_cell,
            _actor_cell(event.target) if wide else Text(_short_actor(event.target)),
            Text(event.trigger.text),
        ]
        if wide:
            row.append(Text(event.rule))
        row.append(f"{event.confidence:.2f}")
        table.add_row(*row)
    console.print(table)


def _short_actor(actor: Actor | None) -> str:
    return (actor.code or "?") if actor is not None else "-"


# --- merged events: flat files and the GDELT, ICEWS and POLECAT layouts ------------------------------
#
# The converters below are pure functions over the merged-event dicts that EventStore.merged_events()
# yields (keys: MERGED_COLUMNS). A dict may carry three optional extra keys (with_document_details
# fills them in): "publisher" (the first document's source), "publication_date" (its date) and
# "sentence" (the first mention's sentence number in it, from 0).

MERGED_COLUMNS: tuple[str, ...] = (
    "event_id", "date", "code", "root", "quad", "goldstein", "plover", "plover_mode",
    "source_code", "source_country", "source_sectors", "source_name",
    "target_code", "target_country", "target_sectors", "target_name",
    "symmetric", "confidence", "num_mentions", "num_sources", "num_articles",
    "first_doc_id", "source_url", "evidence", "date_added",
)
# DuckDB types of MERGED_COLUMNS, for the Parquet file.
_MERGED_TYPES: dict[str, str] = {
    "date": "DATE", "quad": "INTEGER", "goldstein": "DOUBLE", "source_sectors": "VARCHAR[]",
    "target_sectors": "VARCHAR[]", "symmetric": "BOOLEAN", "confidence": "DOUBLE",
    "num_mentions": "INTEGER", "num_sources": "INTEGER", "num_articles": "INTEGER", "date_added": "TIMESTAMP",
}

_GDELT_ACTOR = ("Code", "Name", "CountryCode", "KnownGroupCode", "EthnicCode", "Religion1Code", "Religion2Code",
                "Type1Code", "Type2Code", "Type3Code")
_GDELT_GEO = ("Geo_Type", "Geo_FullName", "Geo_CountryCode", "Geo_ADM1Code", "Geo_ADM2Code", "Geo_Lat",
              "Geo_Long", "Geo_FeatureID")
# GDELT 2.0 event table columns, in codebook order.
GDELT_COLUMNS: tuple[str, ...] = (
    ("GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate")
    + tuple(f"Actor1{c}" for c in _GDELT_ACTOR)
    + tuple(f"Actor2{c}" for c in _GDELT_ACTOR)
    + ("IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale",
       "NumMentions", "NumSources", "NumArticles", "AvgTone")
    + tuple(f"Actor1{c}" for c in _GDELT_GEO)
    + tuple(f"Actor2{c}" for c in _GDELT_GEO)
    + tuple(f"Action{c}" for c in _GDELT_GEO)
    + ("DATEADDED", "SOURCEURL")
)

ICEWS_COLUMNS: tuple[str, ...] = (
    "Event ID", "Event Date", "Source Name", "Source Sectors", "Source Country", "Event Text", "CAMEO Code",
    "Intensity", "Target Name", "Target Sectors", "Target Country", "Story ID", "Sentence Number", "Publisher",
    "City", "District", "Province", "Country", "Latitude", "Longitude",
)

POLECAT_COLUMNS: tuple[str, ...] = (
    "Event ID", "Event Date", "Event Type", "Event Mode", "Event Intensity", "Quad Code", "Contexts",
    "Actor Name", "Actor Country", "Actor COW", "Primary Actor Sector", "Actor Sectors", "Actor Title",
    "Actor Name Raw", "Wikipedia Actor ID",
    "Recipient Name", "Recipient Country", "Recipient COW", "Primary Recipient Sector", "Recipient Sectors",
    "Recipient Title", "Recipient Name Raw", "Wikipedia Recipient ID",
    "Placename", "City", "District", "Province", "Country", "Latitude", "Longitude", "GeoNames ID",
    "Raw Placename", "Feature Type",
    "Source", "Publication Date", "Story People", "Story Organizations", "Story Locations", "Language", "Version",
)

EXPORT_FORMATS: tuple[str, ...] = ("jsonl", "csv", "parquet", "gdelt", "icews", "polecat")

# As tacitus.actors.dictionary.INTERNATIONAL_TYPES; not imported from there, as that module loads spaCy.
INTERNATIONAL_TYPES = frozenset({"IGO", "NGO", "NGM", "IMG", "MNC", "INT"})


@cache
def sector_names() -> dict[str, str]:
    """Sector and international-type code -> name, from the packaged `data/sectors.tsv`."""
    text = resources.files("tacitus").joinpath("data", "sectors.tsv").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    if not lines or lines[0].split("\t") != ["code", "name"]:
        raise DataFileError("sectors.tsv: the first row should be the header code<TAB>name")
    names: dict[str, str] = {}
    for number, line in enumerate(lines[1:], start=2):
        parts = line.split("\t")
        if len(parts) != 2 or not parts[0] or not parts[1]:
            raise DataFileError(f"sectors.tsv: row {number} should be code<TAB>name: {line!r}")
        names[parts[0]] = parts[1]
    return names


@cache
def _supplement_names() -> dict[str, str]:
    """Country code -> the first name the project's country supplement gives it (countries.jsonl)."""
    text = resources.files("tacitus").joinpath("data", "actors", "countries.jsonl").read_text(encoding="utf-8")
    names: dict[str, str] = {}
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        try:
            record = json.loads(line)
        except ValueError:
            continue  # the actor loader reports malformed lines; here a name is only nice to have
        code, given = record.get("code"), record.get("names") or []
        plain = [n for n in given if "," not in n and not n.isupper()]  # "Palestine", not "PRC"
        if isinstance(code, str) and plain:
            names.setdefault(code, plain[0])
    return names


@cache
def country_name(code: str | None) -> str:
    """A country's short English name for exports ("CHN" -> "China", "KOR" -> "South Korea").

    pycountry's common name, else its name unless it is a catalogue form with a comma ("Korea, Republic
    of"), else the first plain name in the project's countries.jsonl, else the official name, else the code.
    """
    if not code:
        return ""
    import pycountry  # imported late: only the ICEWS/POLECAT/GDELT exports need it

    country = pycountry.countries.get(alpha_3=code)
    if country is not None:
        common = getattr(country, "common_name", None)
        if common:
            return common
        if "," not in country.name:
            return country.name
    supplement = _supplement_names().get(code)
    if supplement:
        return supplement
    official = getattr(country, "official_name", None) if country is not None else None
    if official:
        return official.removeprefix("the ")
    return country.name if country is not None else code


def _text(value: Any) -> str:
    """A value as one field of a tab-separated row: no tabs or line breaks, None as empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    text = value if isinstance(value, str) else str(value)
    return " ".join(text.split()) if any(c in text for c in "\t\r\n\v\f\x1c\x1d\x1e\x85\u2028\u2029") else text


def _as_date(value: Any) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        log.debug("not a date: %r", value)
        return None


def _as_datetime(value: Any) -> dt.datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    try:
        return dt.datetime.fromisoformat(str(value))
    except ValueError:
        log.debug("not a timestamp: %r", value)
        return None


def _iso(value: Any) -> Any:
    """Dates and timestamps as ISO strings (JSON and CSV cells); anything else unchanged."""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def gdelt_event_id(event_id: str) -> int:
    """GLOBALEVENTID: the integer value of the first 15 hex digits of the event id.

    15 hex digits are 60 bits, so the number fits GDELT's signed 64-bit INTEGER column, and the same
    event always gets the same number. An id that is not hexadecimal is hashed (SHA-1) first.
    """
    head = event_id[:15]
    if len(head) == 15 and all(c in string.hexdigits for c in head):
        return int(head, 16)
    return int(hashlib.sha1(event_id.encode("utf-8")).hexdigest()[:15], 16)


def _actor_types(code: str | None, sectors: list[str] | None) -> list[str]:
    """GDELT type codes of an actor: an international type first (IGO for IGOWHO), then its sectors."""
    types: list[str] = []
    if code and code[:3] in INTERNATIONAL_TYPES:
        types.append(code[:3])
    if sectors is None and code:
        from tacitus.actors.dictionary import split_code

        sectors = split_code(code)[1]
    types.extend(sectors or [])
    return types


def _known_group(code: str | None) -> str:
    """The 3-letter group after an international type: IGOWHO -> WHO; empty for country codes."""
    if code and code[:3] in INTERNATIONAL_TYPES and len(code) >= 6:
        return code[3:6]
    return ""


def _gdelt_actor(event: dict[str, Any], side: str) -> list[str]:
    code = event.get(f"{side}_code")
    country = event.get(f"{side}_country")
    name = event.get(f"{side}_name") or (country_name(country) if country else "")
    types = (_actor_types(code, event.get(f"{side}_sectors")) + ["", "", ""])[:3]
    return [_text(code), _text(name.upper()), _text(country), _known_group(code), "", "", ""] + types


def is_root_event(code: str) -> int:
    """IsRootEvent as Tacitus fills it: 1 when the code is its root's own code ("04" or "040"), else 0.

    GDELT's flag means "reported in the lead paragraph"; Tacitus does not track paragraphs, so the
    column says instead whether the event is coded at its root's general level.
    """
    return 1 if len(code) == 2 or (len(code) == 3 and code.endswith("0")) else 0


def _number(value: Any) -> str:
    """A number as text; floats keep their point ("1.0"), as GDELT's FLOAT columns do."""
    return "" if value is None or value == "" else str(value)


def gdelt_row(event: dict[str, Any]) -> list[str]:
    """One merged event as the 61 fields of a GDELT 2.0 event row (GDELT_COLUMNS order), all strings.

    Geolocation columns and AvgTone are empty (Tacitus neither geolocates nor measures tone), as are
    the ethnic and religion codes. Dates are empty for an event without a date. SOURCEURL is the first
    document's URL, else its document id.
    """
    date = _as_date(event.get("date"))
    if date is not None:
        days_in_year = 366 if calendar.isleap(date.year) else 365
        dates = [date.strftime("%Y%m%d"), date.strftime("%Y%m"), str(date.year),
                 f"{date.year + (date.timetuple().tm_yday - 1) / days_in_year:.4f}"]
    else:
        dates = ["", "", "", ""]
    code = str(event.get("code") or "")
    added = _as_datetime(event.get("date_added"))
    row = (
        [str(gdelt_event_id(str(event["event_id"])))] + dates
        + _gdelt_actor(event, "source") + _gdelt_actor(event, "target")
        + [str(is_root_event(code)) if code else "", code, code[:3], code[:2],
           _number(event.get("quad")), _number(event.get("goldstein")),
           _number(event.get("num_mentions")), _number(event.get("num_sources")), _number(event.get("num_articles")),
           ""]  # AvgTone
        + [""] * (3 * len(_GDELT_GEO))
        + [added.strftime("%Y%m%d%H%M%S") if added else "",
           _text(event.get("source_url") or event.get("first_doc_id"))]
    )
    assert len(row) == len(GDELT_COLUMNS)
    return row


def _sector_list(event: dict[str, Any], side: str) -> list[str]:
    """Sector names of one side, an international type (IGO...) included, in code order."""
    names = sector_names()
    return [names.get(code, code) for code in _actor_types(event.get(f"{side}_code"), event.get(f"{side}_sectors"))]


def _actor_label(event: dict[str, Any], side: str) -> str:
    """ICEWS-style actor name: the person or organisation, else "Sector (Country)", else the country."""
    name = event.get(f"{side}_name")
    if name:
        return name
    country = country_name(event.get(f"{side}_country"))
    sectors = _sector_list(event, side)
    if sectors and country:
        return f"{sectors[0]} ({country})"
    return country or (event.get(f"{side}_code") or "")


@cache
def _event_text(code: str) -> str:
    """The CAMEO name of a code, in sentence case ("MAKE PUBLIC STATEMENT" -> "Make public statement")."""
    from tacitus.taxonomy import lookup

    try:
        name = lookup(code).name
    except KeyError:
        log.debug("no CAMEO name for %r", code)
        return ""
    return name[:1] + name[1:].lower() if name.isupper() else name


def _sentence_number(sentence: Any) -> str:
    # Tacitus numbers sentences from 0; ICEWS counts them from 1.
    return str(int(sentence) + 1) if isinstance(sentence, int) else ""


def icews_row(event: dict[str, Any]) -> dict[str, str]:
    """One merged event as an ICEWS row (ICEWS_COLUMNS), with full country names and sector names.

    Story ID is the first document's id; Sentence Number the first mention's sentence counted from 1
    (the dict's "sentence" counts from 0, as Tacitus does), when the dict carries one; Publisher the
    first document's source when known ("publisher").
    Place columns are empty.
    """
    date = _as_date(event.get("date"))
    row = {
        "Event ID": _text(event.get("event_id")),
        "Event Date": date.isoformat() if date else "",
        "Source Name": _text(_actor_label(event, "source")),
        "Source Sectors": _text(",".join(_sector_list(event, "source"))),
        "Source Country": _text(country_name(event.get("source_country"))),
        "Event Text": _text(_event_text(str(event.get("code") or ""))),
        "CAMEO Code": _text(event.get("code")),
        "Intensity": _number(event.get("goldstein")),
        "Target Name": _text(_actor_label(event, "target")),
        "Target Sectors": _text(",".join(_sector_list(event, "target"))),
        "Target Country": _text(country_name(event.get("target_country"))),
        "Story ID": _text(event.get("first_doc_id")),
        "Sentence Number": _sentence_number(event.get("sentence")),
        "Publisher": _text(event.get("publisher")),
    }
    return {column: row.get(column, "") for column in ICEWS_COLUMNS}


def polecat_row(event: dict[str, Any]) -> dict[str, str]:
    """One merged event as a POLECAT-style row (POLECAT_COLUMNS): PLOVER type and mode, quad, intensity.

    Actor/Recipient Country hold the ISO alpha-3 code (KSV for Kosovo); sector columns hold sector
    names. What Tacitus does not know (COW codes, titles, Wikipedia ids, places, story-level lists)
    is empty. Language is "en"; Version names the Tacitus release that wrote the file.
    """
    from tacitus import __version__

    date = _as_date(event.get("date"))
    published = _as_date(event.get("publication_date"))
    row: dict[str, str] = {
        "Event ID": _text(event.get("event_id")),
        "Event Date": date.isoformat() if date else "",
        "Event Type": _text(event.get("plover")),
        "Event Mode": _text(event.get("plover_mode")),
        "Event Intensity": _number(event.get("goldstein")),
        "Quad Code": _number(event.get("quad")),
        "Source": _text(event.get("publisher")),
        "Publication Date": published.isoformat() if published else "",
        "Language": "en",
        "Version": f"tacitus {__version__}",
    }
    for side, prefix in (("source", "Actor"), ("target", "Recipient")):
        sectors = _sector_list(event, side)
        row[f"{prefix} Name"] = _text(_actor_label(event, side))
        row[f"{prefix} Country"] = _text(event.get(f"{side}_country"))
        row[f"Primary {prefix} Sector"] = _text(sectors[0] if sectors else "")
        row[f"{prefix} Sectors"] = _text(",".join(sectors))
    return {column: row.get(column, "") for column in POLECAT_COLUMNS}


def _write_tsv(rows: Iterable[list[str]], fp: TextIO, header: tuple[str, ...] | None) -> int:
    # Plain joins, no csv quoting: every field has been cleaned of tabs and line breaks.
    if header is not None:
        fp.write("\t".join(header) + "\n")
    count = 0
    for row in rows:
        fp.write("\t".join(row) + "\n")
        count += 1
    return count


def _merged_csv_value(value: Any) -> Any:
    return _csv_value(_iso(value))


def _write_merged_csv(events: Iterable[dict[str, Any]], fp: TextIO) -> int:
    writer = csv.writer(fp)
    writer.writerow(MERGED_COLUMNS)
    count = 0
    for event in events:
        writer.writerow([_merged_csv_value(event.get(name)) for name in MERGED_COLUMNS])
        count += 1
    return count


def _write_merged_jsonl(events: Iterable[dict[str, Any]], fp: TextIO) -> int:
    count = 0
    for event in events:
        fp.write(json.dumps({key: _iso(value) for key, value in event.items()}, ensure_ascii=False))
        fp.write("\n")
        count += 1
    return count


_PARQUET_BATCH = 10_000  # rows inserted into the in-memory table at a time


def _write_parquet(events: Iterable[dict[str, Any]], path: str | Path) -> int:
    """Merged events to a Parquet file through an in-memory DuckDB table (no pyarrow needed).

    DuckDB writes to a temporary name in the target folder that Tacitus chooses, then the file is
    renamed: no user text goes into SQL, and a failed export leaves no half-written file behind.
    """
    import duckdb

    target = Path(path)
    types = [_MERGED_TYPES.get(name, "VARCHAR") for name in MERGED_COLUMNS]
    columns = ", ".join(f'"{name}" {sql_type}' for name, sql_type in zip(MERGED_COLUMNS, types))
    insert = "INSERT INTO merged SELECT * FROM (SELECT {})".format(
        ", ".join(f"unnest(?::{sql_type}[])" for sql_type in types))
    tmp_name = f".tacitus-export-{os.getpid()}-{uuid.uuid4().hex[:8]}.parquet"
    tmp = target.parent / tmp_name
    count = 0
    con = duckdb.connect(":memory:")
    try:
        con.execute(f"CREATE TABLE merged ({columns})")

        def flush(batch: list[dict[str, Any]]) -> None:
            if batch:
                con.execute(insert, [[e.get(name) for e in batch] for name in MERGED_COLUMNS])

        batch: list[dict[str, Any]] = []
        for event in events:
            batch.append(event)
            count += 1
            if len(batch) >= _PARQUET_BATCH:
                flush(batch)
                batch = []
        flush(batch)
        # COPY takes no bound parameter for its file name: the path is quoted, quotes doubled.
        quoted = str(tmp.resolve()).replace("'", "''")
        con.execute(f"COPY merged TO '{quoted}' (FORMAT PARQUET)")
    except duckdb.Error as exc:
        tmp.unlink(missing_ok=True)
        raise StoreError(f"{target}: could not write Parquet: {exc}") from exc
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    finally:
        con.close()
    os.replace(tmp, target)
    return count


def write_events(events: Iterable[dict[str, Any]], fmt: str, out: TextIO | str | Path) -> int:
    """Write merged events (dicts with MERGED_COLUMNS) in one of EXPORT_FORMATS; returns the count.

    jsonl: one event per line (dates ISO); csv: header + MERGED_COLUMNS, sectors joined with ";";
    gdelt: GDELT 2.0's 61 tab-separated columns, no header; icews, polecat: tab-separated with a header
    row; parquet: a Parquet file (`out` must then be a path). `out` is an open text file or a path.
    """
    if fmt not in EXPORT_FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; choose one of {', '.join(EXPORT_FORMATS)}")
    if fmt == "parquet":
        if not isinstance(out, (str, Path)):
            raise ValueError("parquet needs a file path, not an open stream")
        return _write_parquet(events, out)
    if isinstance(out, (str, Path)):
        with open(out, "w", encoding="utf-8", newline="") as fp:
            return write_events(events, fmt, fp)
    if fmt == "jsonl":
        return _write_merged_jsonl(events, out)
    if fmt == "csv":
        return _write_merged_csv(events, out)
    if fmt == "gdelt":
        return _write_tsv((gdelt_row(e) for e in events), out, None)
    if fmt == "icews":
        return _write_tsv((list(icews_row(e).values()) for e in events), out, ICEWS_COLUMNS)
    return _write_tsv((list(polecat_row(e).values()) for e in events), out, POLECAT_COLUMNS)


_DETAILS_CHUNK = 1000  # events looked up per query for publishers and sentence numbers

# Per merged event: the first document's source and date, and the first mention's sentence there.
# Parameters: the events' ids and their first documents' ids, as two lists.
_DETAILS_SQL = """
SELECT e.event_id, any_value(d.source), any_value(d.date), min(m.sentence)
FROM (SELECT unnest(?::VARCHAR[]) AS event_id, unnest(?::VARCHAR[]) AS first_doc_id) e
LEFT JOIN documents d ON d.doc_id = e.first_doc_id
LEFT JOIN mentions m ON m.event_id = e.event_id AND m.doc_id = e.first_doc_id
GROUP BY e.event_id
"""


def with_document_details(store: Any, events: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """The events with "publisher", "publication_date" (the first document's source and date) and
    "sentence" (the first mention's sentence number in that document) added from the store.

    One query per chunk of events, run while merged_events() is being read (it reads through a
    cursor of its own). A store that cannot answer leaves the three empty, with one warning.
    """
    working = True
    for chunk in _chunks(events, _DETAILS_CHUNK):
        details: dict[str, tuple[Any, Any, Any]] = {}
        if working:
            try:
                rows = store.execute(_DETAILS_SQL, [[e["event_id"] for e in chunk],
                                                    [e.get("first_doc_id") for e in chunk]])
                details = {event_id: (source, date, sentence) for event_id, source, date, sentence in rows}
            except TacitusError as exc:
                log.warning("exported without publishers or sentence numbers: %s", exc)
                working = False
        for event in chunk:
            source, published, sentence = details.get(event["event_id"], (None, None, None))
            yield {**event, "publisher": source, "publication_date": published, "sentence": sentence}


def _chunks(items: Iterable[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    chunk: list[dict[str, Any]] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def export_store(store: Any, fmt: str, out: TextIO | str | Path, date_from: dt.date | str | None = None,
                 date_to: dt.date | str | None = None, dyad: str | None = None) -> int:
    """Write the store's merged events (optionally a date range and a dyad) in `fmt`; returns the count.

    ICEWS and POLECAT rows also get the publisher, publication date and sentence number
    (with_document_details).
    """
    events: Iterable[dict[str, Any]] = store.merged_events(date_from=date_from, date_to=date_to, dyad=dyad)
    if fmt in ("icews", "polecat"):
        events = with_document_details(store, events)
    return write_events(events, fmt, out)

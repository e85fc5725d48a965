"""The event store: coded documents, their event mentions and the merged events in a DuckDB file.

Everything DuckDB-specific lives here; the rest of Tacitus only calls EventStore's methods.

Tables (the GDELT events/mentions split):
- `documents`: one row per coded document (`seq` is its storing order, 1, 2, ... across runs).
- `mentions`: one row per event coded in a sentence, with its evidence. `mention_id` is a hash of
  what identifies the mention (document, sentence, trigger, code, actors), so re-coding gives the
  same ids; the full record (Event.to_dict) is kept as JSON so `mentions()` gives back exactly what
  was saved.
- `events`: mentions merged into one event per (date, source code, target code, CAMEO code) across
  documents, Phoenix's one-a-day rule, with the number of mentions, sources and documents. Kept in
  step with `mentions` inside the same transaction that changes them.
- `aliases`: ids of documents whose text was identical to a stored one, so were not coded again.

The store is idempotent: saving a document again replaces its row and mentions, and the merged
events they touch are recomputed from `mentions`, in one transaction. `BatchWriter` groups documents
into one transaction per batch, so a killed run loses at most its last, uncommitted batch.

Writing a batch of new documents, the usual case, takes a few statements and does not read
`mentions`: the documents and aliases it might replace are looked up in their tables' indexes,
and an event first met in the batch is merged from the batch's own rows. Only events stored
before, and those of replaced documents, are recomputed from `mentions` in SQL.
"""
from __future__ import annotations

import hashlib
import json
import logging
import re
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timezone
from enum import Enum
from operator import itemgetter
from pathlib import Path
from types import TracebackType
from typing import Any

import duckdb

from tacitus.errors import StoreError
from tacitus.records import CodedDocument, Document, Event

log = logging.getLogger(__name__)

# 2: `events` split into `mentions` and merged `events`; `aliases`; documents.seq.
SCHEMA_VERSION = 2

# Columns as (name, type, constraint). Names are always quoted in SQL ("symmetric" is a
# reserved word in DuckDB), and the types double as casts when whole columns are inserted.
_DOCUMENT_SCHEMA: tuple[tuple[str, str, str], ...] = (
    ("doc_id", "VARCHAR", "PRIMARY KEY"),
    ("text_sha1", "VARCHAR", "NOT NULL"),
    ("date", "DATE", ""),
    ("url", "VARCHAR", ""),
    ("title", "VARCHAR", ""),
    ("source", "VARCHAR", ""),
    ("origin", "VARCHAR", ""),
    ("model", "VARCHAR", ""),
    ("seq", "BIGINT", "NOT NULL"),  # storing order; the "first" document of an event is the lowest
    ("coded_at", "TIMESTAMP", "NOT NULL"),  # UTC
)
_MENTION_SCHEMA: tuple[tuple[str, str, str], ...] = (
    ("mention_id", "VARCHAR", "PRIMARY KEY"),
    ("event_id", "VARCHAR", "NOT NULL"),  # the merged event this mention belongs to
    ("doc_id", "VARCHAR", "NOT NULL"),
    ("sentence", "INTEGER", "NOT NULL"),
    ("date", "DATE", ""),
    ("code", "VARCHAR", "NOT NULL"),
    ("root", "VARCHAR", "NOT NULL"),
    ("quad", "INTEGER", "NOT NULL"),
    ("goldstein", "DOUBLE", "NOT NULL"),
    ("plover", "VARCHAR", ""),
    ("plover_mode", "VARCHAR", ""),
    ("source_code", "VARCHAR", ""),
    ("source_country", "VARCHAR", ""),
    ("source_sectors", "VARCHAR[]", ""),
    ("source_name", "VARCHAR", ""),
    ("source_text", "VARCHAR", ""),
    ("target_code", "VARCHAR", ""),
    ("target_country", "VARCHAR", ""),
    ("target_sectors", "VARCHAR[]", ""),
    ("target_name", "VARCHAR", ""),
    ("target_text", "VARCHAR", ""),
    ("trigger_text", "VARCHAR", "NOT NULL"),
    ("trigger_start", "INTEGER", "NOT NULL"),
    ("trigger_end", "INTEGER", "NOT NULL"),
    ("rule", "VARCHAR", "NOT NULL"),
    ("symmetric", "BOOLEAN", "NOT NULL"),
    ("confidence", "DOUBLE", "NOT NULL"),
    ("sentence_text", "VARCHAR", "NOT NULL"),
    ("record", "JSON", "NOT NULL"),  # the full Event.to_dict(), so mentions round-trip exactly
)
# A merged event carries these mention columns, taken from its first mention (names and confidence:
# from all of them); declared once, in _MENTION_SCHEMA.
_MERGED_FROM_MENTION = (
    "date", "code", "root", "quad", "goldstein", "plover", "plover_mode",
    "source_code", "source_country", "source_sectors", "source_name",
    "target_code", "target_country", "target_sectors", "target_name",
    "symmetric", "confidence",  # confidence: the highest of its mentions
)
_EVENT_SCHEMA: tuple[tuple[str, str, str], ...] = (
    ("event_id", "VARCHAR", "PRIMARY KEY"),
    *(column for name in _MERGED_FROM_MENTION for column in _MENTION_SCHEMA if column[0] == name),
    ("num_mentions", "INTEGER", "NOT NULL"),
    ("num_sources", "INTEGER", "NOT NULL"),  # distinct outlets (documents.source, else url host, else doc)
    ("num_articles", "INTEGER", "NOT NULL"),  # distinct documents
    ("first_doc_id", "VARCHAR", "NOT NULL"),
    ("source_url", "VARCHAR", "NOT NULL"),  # url of the first document, else its doc_id
    ("evidence", "VARCHAR", "NOT NULL"),  # sentence of the first mention
    ("date_added", "TIMESTAMP", "NOT NULL"),  # UTC, when the event was first stored
)
_ALIAS_SCHEMA: tuple[tuple[str, str, str], ...] = (
    ("alias_id", "VARCHAR", "PRIMARY KEY"),
    ("doc_id", "VARCHAR", "NOT NULL"),  # the stored document with the same text
    ("origin", "VARCHAR", ""),
    ("added_at", "TIMESTAMP", "NOT NULL"),  # UTC
)

# The flat mention columns (all but the JSON record), in table order. write_csv in
# tacitus.export writes the same columns, so the CSV and the table agree.
MENTION_COLUMNS: tuple[str, ...] = tuple(name for name, _, _ in _MENTION_SCHEMA[:-1])
# Before schema 2 the per-sentence rows were called events; the name stays for callers of that age.
EVENT_COLUMNS = MENTION_COLUMNS
# The columns of the merged `events` table, in table order.
MERGED_EVENT_COLUMNS: tuple[str, ...] = tuple(name for name, _, _ in _EVENT_SCHEMA)


def _create_table(table: str, schema: tuple[tuple[str, str, str], ...]) -> str:
    columns = ",\n".join(
        f'    "{name}" {sql_type} {constraint}'.rstrip() for name, sql_type, constraint in schema
    )
    return f"CREATE TABLE IF NOT EXISTS {table} (\n{columns}\n);\n"


_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS meta (\n"
    "    schema_version INTEGER NOT NULL,\n"
    "    created_at TIMESTAMP NOT NULL  -- UTC\n"
    ");\n"
    + _create_table("documents", _DOCUMENT_SCHEMA)
    + _create_table("mentions", _MENTION_SCHEMA)
    + _create_table("events", _EVENT_SCHEMA)
    + _create_table("aliases", _ALIAS_SCHEMA)
    # Triage looks up the text hashes of the input documents, a chunk at a time.
    + "CREATE INDEX IF NOT EXISTS documents_by_text ON documents (text_sha1);\n"
)


def _insert_columns(table: str, schema: tuple[tuple[str, str, str], ...]) -> str:
    """INSERT of many rows as one statement: one list parameter per column, unnested together.

    Binding whole columns is ~50x faster than executemany over rows in DuckDB's Python API.
    """
    lists = ", ".join(f"unnest(?::{sql_type}[])" for _, sql_type, _ in schema)
    return f"INSERT INTO {table} SELECT * FROM (SELECT {lists})"


def _quoted(names: Iterable[str], prefix: str = "") -> str:
    return ", ".join(f'{prefix}"{name}"' for name in names)


# Up to this many values, `IN (?, ?, ...)` with one parameter per value: DuckDB looks each up in
# the column's index, at a cost that does not grow with the table. A longer list is one list
# parameter joined against the column (a scan of the table): binding many single parameters costs
# more than scanning a table of some ten thousand rows.
_IN_LIST_MAX = 64


def _in(column: str, values: list[str]) -> tuple[str, list[Any]]:
    """The condition `column IN values` and its parameters (FALSE for no values)."""
    if not values:
        return "FALSE", []
    if len(values) <= _IN_LIST_MAX:
        return f"{column} IN ({', '.join('?' * len(values))})", list(values)
    return f"{column} IN (SELECT unnest(?::VARCHAR[]))", [list(values)]


_INSERT_DOCUMENTS = _insert_columns("documents", _DOCUMENT_SCHEMA)
# Where each flat mention column is in the JSON record (Event.to_dict). The INSERT of mentions
# binds the ids, the date and the record, and DuckDB reads the other columns out of the record:
# converting Python values one by one is most of what storing costs, and this binds a seventh
# of them. (The date is bound: a date that is not ISO is NULL in the column, see _as_date.)
_RECORD_PATHS: dict[str, str] = {
    "doc_id": "$.doc_id", "sentence": "$.sentence", "code": "$.code", "root": "$.root", "quad": "$.quad",
    "goldstein": "$.goldstein", "plover": "$.plover", "plover_mode": "$.plover_mode",
    **{f"{side}_{field}": f"$.{side}.{field}" for side in ("source", "target")
       for field in ("code", "country", "sectors", "name", "text")},
    "trigger_text": "$.trigger.text", "trigger_start": "$.trigger.start", "trigger_end": "$.trigger.end",
    "rule": "$.rule", "symmetric": "$.symmetric", "confidence": "$.confidence",
    "sentence_text": "$.sentence_text",
}


def _insert_mentions() -> str:
    """INSERT of a batch of mentions from four list parameters: mention ids, event ids, dates, records."""
    scalar_paths = [path for name, path in _RECORD_PATHS.items() if not name.endswith("_sectors")]
    columns = []
    for name, sql_type, _ in _MENTION_SCHEMA:
        if name in ("mention_id", "event_id", "date", "record"):
            columns.append(f'b."{name}"')
        elif sql_type.endswith("[]"):  # a list: the JSON array itself, cast to a list
            columns.append(f"CAST(json_extract(b.record, '{_RECORD_PATHS[name]}') AS {sql_type})")
        else:
            columns.append(f"CAST(b.v[{scalar_paths.index(_RECORD_PATHS[name]) + 1}] AS {sql_type})")
    paths = ", ".join(f"'{path}'" for path in scalar_paths)
    bound = ("SELECT unnest(?::VARCHAR[]) AS mention_id, unnest(?::VARCHAR[]) AS event_id, "
             "unnest(?::DATE[]) AS \"date\", unnest(?::VARCHAR[]) AS record")
    return (f"INSERT INTO mentions SELECT {', '.join(columns)} "
            f"FROM (SELECT *, json_extract_string(record, [{paths}]) AS v FROM ({bound})) b")


_INSERT_MENTIONS = _insert_mentions()
_INSERT_EVENTS = _insert_columns("events", _EVENT_SCHEMA)
_UPSERT_ALIASES = (
    "INSERT INTO aliases SELECT * FROM (SELECT unnest(?::VARCHAR[]), unnest(?::VARCHAR[]), "
    "unnest(?::VARCHAR[]), unnest(?::TIMESTAMP[])) "
    # A known alias keeps the time it was first recorded.
    "ON CONFLICT (alias_id) DO UPDATE SET doc_id = excluded.doc_id, origin = excluded.origin"
)
# Rows buffered before they are written; a batch bigger than this is written in parts,
# still inside its one transaction.
_FLUSH_EVENTS = 20_000

_MENTION_ORDER = "doc_id, sentence, trigger_start, trigger_end, code, mention_id"

# An outlet for documents that name none: the host of their url, else the document itself.
_URL_HOST = r"^[A-Za-z][A-Za-z0-9+.-]*://(?:[^/?#@]*@)?([^/?#:]+)"
_SOURCE_KEY = (
    "COALESCE(NULLIF(d.source, ''), "
    f"NULLIF(lower(regexp_extract(d.url, '{_URL_HOST}', 1)), ''), d.doc_id)"
)

# Merged events recomputed from their mentions. Parameters: the event ids, then the ids and
# date_added of the events as stored before (kept), then the time for new events.
# "First" mention: earliest stored document (documents.seq), then doc_id, sentence, trigger.
_FIRST_COLUMNS = (
    "date", "code", "root", "quad", "goldstein", "plover", "plover_mode",
    "source_code", "source_country", "source_sectors",
    "target_code", "target_country", "target_sectors", "symmetric",
)
_RECOMPUTE_EVENTS = f"""
INSERT INTO events ({_quoted(MERGED_EVENT_COLUMNS)})
WITH ranked AS (
    SELECT m.*, d.url AS doc_url, {_SOURCE_KEY} AS source_key,
           row_number() OVER (PARTITION BY m.event_id
                              ORDER BY d.seq, m.doc_id, m.sentence, m.trigger_start, m.mention_id) AS mention_rank
    FROM mentions m JOIN documents d ON d.doc_id = m.doc_id
    WHERE m.event_id IN (SELECT unnest(?::VARCHAR[]))
),
totals AS (
    SELECT event_id,
           max(confidence) AS confidence,
           count(*) AS num_mentions,
           count(DISTINCT source_key) AS num_sources,
           count(DISTINCT doc_id) AS num_articles,
           arg_min(source_name, mention_rank) FILTER (WHERE source_name IS NOT NULL) AS source_name,
           arg_min(target_name, mention_rank) FILTER (WHERE target_name IS NOT NULL) AS target_name
    FROM ranked GROUP BY event_id
),
kept AS (
    SELECT unnest(?::VARCHAR[]) AS event_id, unnest(?::TIMESTAMP[]) AS date_added
)
SELECT f.event_id, {_quoted(_FIRST_COLUMNS[:10], "f.")}, t.source_name,
       {_quoted(_FIRST_COLUMNS[10:13], "f.")}, t.target_name, f."symmetric",
       t.confidence, t.num_mentions, t.num_sources, t.num_articles,
       f.doc_id, COALESCE(f.doc_url, f.doc_id), f.sentence_text,
       COALESCE(k.date_added, ?::TIMESTAMP)
FROM ranked f JOIN totals t ON t.event_id = f.event_id LEFT JOIN kept k ON k.event_id = f.event_id
WHERE f.mention_rank = 1
"""


# -- ids ---------------------------------------------------------------------------------------


def _hash_id(parts: Iterable[str]) -> str:
    # A unit separator between fields keeps ("ab", "c") and ("a", "bc") apart.
    return hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]


def text_sha1(text: str) -> str:
    """The SHA-1 (hex) of a document text: what makes two documents duplicates."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def mention_id(event: Event) -> str:
    """A stable id for one coded event in a sentence: 16 hex digits of a SHA-1.

    Hashed fields: doc_id, sentence, trigger start and end, CAMEO code, source code, target code.
    """
    return _hash_id((
        event.doc_id,
        str(event.sentence),
        str(event.trigger.start),
        str(event.trigger.end),
        event.code,
        (event.source.code or "") if event.source else "",
        (event.target.code or "") if event.target else "",
    ))


def event_json(event: Event) -> str:
    """An event's record as one line of JSON: what `tacitus code --format jsonl` prints for it and
    what the store keeps in mentions.record."""
    return json.dumps(event.to_dict(), ensure_ascii=False)


def merged_event_id(date_: str | date | None, source_code: str | None, target_code: str | None,
                    code: str) -> str:
    """The id of the merged event for a date, source code, target code and CAMEO code.

    16 hex digits of a SHA-1 over the ISO date, the codes and the CAMEO code; None counts as "".
    """
    day = date_.isoformat() if isinstance(date_, date) else (date_ or "")
    return _hash_id((day, source_code or "", target_code or "", code))


def event_id(event: Event) -> str:
    """The id of the merged event a coded event belongs to (see merged_event_id).

    The date is the event's date as the store keeps it: a date that is not ISO counts as none.
    """
    return merged_event_id(
        _parse_date(event.date),
        event.source.code if event.source else None,
        event.target.code if event.target else None,
        event.code,
    )


# -- rows --------------------------------------------------------------------------------------


def event_row(event: Event) -> dict[str, Any]:
    """The flat mention columns of one event (MENTION_COLUMNS, without the JSON record).

    Dates stay as the strings the event carries.
    """
    return dict(zip(MENTION_COLUMNS, _mention_values(event, mention_id(event), event_id(event), event.date)))


def _mention_values(event: Event, mention: str, merged: str, day: Any) -> list[Any]:
    """The values of the flat mention columns, in MENTION_COLUMNS order, for an event whose mention
    id, merged event id and date column are given (the store parses the date; exports keep it)."""
    source, target, trigger = event.source, event.target, event.trigger
    return [
        mention, merged, event.doc_id, event.sentence, day,
        event.code, event.root, event.quad, event.goldstein, event.plover, event.plover_mode,
        source.code if source else None, source.country if source else None,
        list(source.sectors) if source else None, source.name if source else None, source.text if source else None,
        target.code if target else None, target.country if target else None,
        list(target.sectors) if target else None, target.name if target else None, target.text if target else None,
        trigger.text, trigger.start, trigger.end, event.rule, event.symmetric, event.confidence,
        event.sentence_text,
    ]


def _parse_date(value: str | None) -> date | None:
    """An ISO date (or datetime) string as a date; None when it is empty or not ISO."""
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        pass
    try:
        return datetime.fromisoformat(value).date()
    except ValueError:
        return None


def _as_date(value: str | None, what: str) -> date | None:
    """An ISO date string as a date for a DATE column; None (with a warning) when it is not one.

    The original string is still kept in the event's JSON record.
    """
    parsed = _parse_date(value)
    if parsed is None and value:
        log.warning("%s: date %r is not an ISO date; stored as NULL", what, value)
    return parsed


def _utc_now() -> datetime:
    # TIMESTAMP columns are naive; the values are UTC by convention.
    return datetime.now(timezone.utc).replace(tzinfo=None)


def _as_columns(
    rows: list[list[Any]], schema: tuple[tuple[str, str, str], ...]
) -> list[list[Any]]:
    """Rows turned into one list per column, for the unnest INSERTs."""
    columns = [list(column) for column in zip(*rows)]
    return columns or [[] for _ in schema]


def _document_row(coded: CodedDocument) -> list[Any]:
    """A documents row; seq (index 8) is filled in when the row is written."""
    doc = coded.document
    return [
        doc.id,
        text_sha1(doc.text),
        _as_date(doc.date, f"document {doc.id!r}"),
        doc.url,
        doc.title,
        doc.source,
        doc.origin,
        coded.model,
        0,
        _utc_now(),
    ]


_SEQ = 8


def _mention_rows(coded: CodedDocument, path: str, records: Sequence[str] | None = None) -> list[list[Any]]:
    """The mentions rows of a document (MENTION_COLUMNS, then the JSON record).

    The values of event_row, as lists (this runs for every stored event), with the date parsed.
    `records` are the events' event_json() when the caller has made them already.
    """
    doc_id = coded.document.id
    rows = []
    seen: set[str] = set()
    for n, event in enumerate(coded.events):
        if event.doc_id != doc_id:
            raise StoreError(
                f"{path}: event of document {event.doc_id!r} listed under document {doc_id!r}"
            )
        mention = mention_id(event)
        if mention in seen:
            # Same document, sentence, trigger, code and actors: the same event twice.
            log.debug("document %r: duplicate event %s dropped", doc_id, mention)
            continue
        seen.add(mention)
        day = _as_date(event.date, f"document {doc_id!r} event {mention}")
        merged = merged_event_id(day, event.source.code if event.source else None,
                                 event.target.code if event.target else None, event.code)
        row = _mention_values(event, mention, merged, day)
        row.append(event_json(event) if records is None else records[n])
        rows.append(row)
    return rows


# A lone mention gives all of a merged event's _MERGED_FROM_MENTION columns; of many mentions, the
# first gives them (then names and confidence are replaced).
_from_mention = itemgetter(*(MENTION_COLUMNS.index(name) for name in _MERGED_FROM_MENTION))
_M_ID, _M_EVENT, _M_DOC, _M_SENTENCE, _M_START, _M_TEXT = (
    MENTION_COLUMNS.index(name)
    for name in ("mention_id", "event_id", "doc_id", "sentence", "trigger_start", "sentence_text"))
_M_SOURCE_NAME, _M_TARGET_NAME, _M_CONFIDENCE = (
    MENTION_COLUMNS.index(name) for name in ("source_name", "target_name", "confidence"))
_D_URL = [name for name, _, _ in _DOCUMENT_SCHEMA].index("url")
# The values of a mention row that _INSERT_MENTIONS binds (the record is the row's last value).
_BOUND_MENTION_COLUMNS = (*(MENTION_COLUMNS.index(name) for name in ("mention_id", "event_id", "date")),
                          len(MENTION_COLUMNS))


def _merge_new_events(groups: dict[str, list[list[Any]]], documents: dict[str, list[Any]],
                      source_keys: dict[str, str], now: datetime) -> list[list[Any]]:
    """Rows of the merged `events` table for events none of whose mentions is stored yet.

    `groups` are the mention rows of each such event (all of its mentions, all in this batch),
    `documents` the batch's documents rows by doc_id, with their seq, and `source_keys` the
    outlet of each document that shares an event with another document. The same values as
    _RECOMPUTE_EVENTS gives (a test checks that), without a query.
    """

    def rank(row: list[Any]) -> tuple[Any, ...]:  # the order of _RECOMPUTE_EVENTS' mention_rank
        return documents[row[_M_DOC]][_SEQ], row[_M_DOC], row[_M_SENTENCE], row[_M_START], row[_M_ID]

    def first_named(rows: list[list[Any]], column: int) -> str | None:
        return next((row[column] for row in rows if row[column] is not None), None)

    merged = []
    for event, rows in groups.items():
        if len(rows) == 1:
            first = rows[0]
            values = [event, *_from_mention(first), 1, 1, 1]
        else:
            rows = sorted(rows, key=rank)
            first = rows[0]
            docs = {row[_M_DOC] for row in rows}
            named = dict(zip(_MERGED_FROM_MENTION, _from_mention(first)))
            named["source_name"] = first_named(rows, _M_SOURCE_NAME)
            named["target_name"] = first_named(rows, _M_TARGET_NAME)
            named["confidence"] = max(row[_M_CONFIDENCE] for row in rows)
            sources = len({source_keys[d] for d in docs}) if len(docs) > 1 else 1
            values = [event, *named.values(), len(rows), sources, len(docs)]
        url = documents[first[_M_DOC]][_D_URL]
        source_url = url if url is not None else first[_M_DOC]
        merged.append([*values, first[_M_DOC], source_url, first[_M_TEXT], now])
    return merged


@dataclass(frozen=True)
class Alias:
    """Another id of a stored document: an input whose text was identical to it."""

    alias_id: str
    doc_id: str
    origin: str = ""
    added_at: datetime | None = None  # UTC; set when stored


class _Pending:
    """Rows of a batch not yet written, by doc_id; a document met again replaces its rows."""

    def __init__(self) -> None:
        self.documents: dict[str, list[Any]] = {}
        self.mentions: dict[str, list[list[Any]]] = {}
        self.aliases: dict[str, Alias] = {}
        self.mention_count = 0

    def add(self, coded: CodedDocument, path: str, records: Sequence[str] | None = None) -> None:
        doc_id = coded.document.id
        rows = _mention_rows(coded, path, records)
        self.mention_count += len(rows) - len(self.mentions.get(doc_id, []))
        self.documents[doc_id] = _document_row(coded)
        self.mentions[doc_id] = rows
        self.aliases.pop(doc_id, None)  # a stored document is not an alias

    def add_alias(self, alias: Alias) -> None:
        if alias.alias_id in self.documents:
            raise StoreError(f"{alias.alias_id!r} is a document of this batch, not an alias")
        self.aliases[alias.alias_id] = alias

    def clear(self) -> None:
        self.documents.clear()
        self.mentions.clear()
        self.aliases.clear()
        self.mention_count = 0


# -- triage ------------------------------------------------------------------------------------


class TriageStatus(Enum):
    NEW = "new"  # not stored: code it
    STORED = "stored"  # this id is already stored: skip it when resuming
    DUPLICATE = "duplicate"  # same text as a stored document under another id: record an alias


@dataclass(frozen=True)
class Triage:
    """What to do with an input document, given the store. `of` is the stored doc_id of a DUPLICATE."""

    status: TriageStatus
    text_sha1: str
    of: str | None = None


def _dyad_side(token: str, dyad: str) -> str:
    code = token.strip().upper()
    if not re.fullmatch(r"[A-Z]{3}[A-Z0-9]*", code):
        raise ValueError(f"dyad {dyad!r}: {token.strip()!r} is not an actor code such as CHN or IGO")
    return code[:3]


def parse_dyad(dyad: str) -> tuple[str, str, bool]:
    """"CHN-USA" -> ("CHN", "USA", False): either direction; "CHN>USA" -> ("CHN", "USA", True).

    Each side is reduced to its first three letters (country or international type).
    Raises ValueError for anything else.
    """
    directed = ">" in dyad
    parts = dyad.split(">" if directed else "-")
    if len(parts) != 2:
        raise ValueError(f"dyad {dyad!r}: expected two actor codes as CHN-USA or CHN>USA")
    return _dyad_side(parts[0], dyad), _dyad_side(parts[1], dyad), directed


def dyad_condition(dyad: str, table: str = "") -> tuple[str, list[str]]:
    """A SQL condition (with ? parameters) selecting a dyad's rows of `events` or `mentions`.

    A side matches an actor whose country, or the first three letters of whose code, is the
    dyad's code. `table` is an optional alias prefix such as "e".
    """
    first, second, directed = parse_dyad(dyad)
    p = f"{table}." if table else ""

    def side(which: str) -> str:
        return f"({p}{which}_country = ? OR left({p}{which}_code, 3) = ?)"

    one_way = f"({side('source')} AND {side('target')})"
    if directed:
        return one_way, [first, first, second, second]
    return f"({one_way} OR {one_way})", [first, first, second, second, second, second, first, first]


# -- the store ---------------------------------------------------------------------------------


class EventStore:
    """Coded documents, mentions and merged events in one DuckDB database.

    Calls are serialised by a lock, so threads may share a store (a thread that triages input
    while another saves); a transaction is never interleaved with another call.
    """

    def __init__(self, path: str | Path, connection: duckdb.DuckDBPyConnection) -> None:
        self.path = str(path)
        self._con: duckdb.DuckDBPyConnection | None = connection
        self._lock = threading.RLock()

    # -- lifecycle ---------------------------------------------------------------------------

    def close(self) -> None:
        with self._lock:
            if self._con is not None:
                con, self._con = self._con, None
                try:
                    con.close()
                except duckdb.Error as exc:
                    raise StoreError(f"{self.path}: could not close the event store: {exc}") from exc

    def __enter__(self) -> "EventStore":
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        state = "open" if self._con is not None else "closed"
        return f"EventStore({self.path!r}, {state})"

    def _connection(self) -> duckdb.DuckDBPyConnection:
        if self._con is None:
            raise StoreError(f"{self.path}: the event store is closed")
        return self._con

    # -- writing -----------------------------------------------------------------------------

    def save(self, coded: CodedDocument) -> None:
        """Store one document and its events, replacing any earlier copy, in one transaction."""
        self.save_many([coded])

    def save_many(self, coded_docs: Iterable[CodedDocument], aliases: Iterable[Alias] = ()) -> int:
        """Store documents, their mentions and aliases in one transaction; returns the documents saved.

        A document saved before, or met again in the same batch, is replaced, and the merged
        events its old and new mentions belong to are recomputed. If anything fails midway,
        including the iterable itself raising, nothing of this batch is kept.
        DuckDB errors become StoreError; other exceptions pass through unchanged.
        """
        saved, _ = self._save(coded_docs, aliases)
        return saved

    def _save(self, coded_docs: Iterable[CodedDocument], aliases: Iterable[Alias],
              records: Sequence[Sequence[str] | None] | None = None) -> tuple[int, int]:
        """save_many's work; returns (documents, mentions) written. `records` holds, for each
        document, its events' event_json() or None (see _mention_rows)."""
        with self._lock:
            return self._save_locked(coded_docs, aliases, records)

    def _save_locked(self, coded_docs: Iterable[CodedDocument], aliases: Iterable[Alias],
                     records: Sequence[Sequence[str] | None] | None) -> tuple[int, int]:
        con = self._connection()
        try:
            con.begin()
        except duckdb.Error as exc:
            raise StoreError(f"{self.path}: could not start a transaction: {exc}") from exc
        pending = _Pending()
        saved = mentions = 0
        try:
            for n, coded in enumerate(coded_docs):
                pending.add(coded, self.path, None if records is None else records[n])
                saved += 1
                if pending.mention_count >= _FLUSH_EVENTS:
                    mentions += self._flush(con, pending)
            for alias in aliases:
                pending.add_alias(alias)
            mentions += self._flush(con, pending)
            con.commit()
        except duckdb.Error as exc:  # the commit itself
            self._rollback(con)
            raise StoreError(f"{self.path}: could not commit: {exc}") from exc
        except BaseException:
            self._rollback(con)
            raise
        log.debug("%s: saved %d document(s), %d mention(s)", self.path, saved, mentions)
        return saved, mentions

    def add_alias(self, alias_id: str, doc_id: str, origin: str = "") -> None:
        """Record `alias_id` as another name of the stored document `doc_id`, in one transaction."""
        self.save_many([], [Alias(alias_id, doc_id, origin)])

    def _flush(self, con: duckdb.DuckDBPyConnection, pending: _Pending) -> int:
        """Write the buffered rows inside the open transaction; returns the mentions written."""
        doc_ids = list(pending.documents)
        mention_rows = [row for rows in pending.mentions.values() for row in rows]
        try:
            if doc_ids:
                self._write_documents(con, doc_ids, list(pending.documents.values()), mention_rows)
            if pending.aliases:
                self._write_aliases(con, list(pending.aliases.values()))
        except duckdb.Error as exc:
            shown = ", ".join(repr(d) for d in doc_ids[:3]) + (", ..." if len(doc_ids) > 3 else "")
            what = f"document(s) {shown}" if doc_ids else "aliases"
            raise StoreError(f"{self.path}: could not save {what}: {exc}") from exc
        pending.clear()
        return len(mention_rows)

    def _write_documents(self, con: duckdb.DuckDBPyConnection, doc_ids: list[str],
                         document_rows: list[list[Any]], mention_rows: list[list[Any]]) -> None:
        # Only documents stored before have rows to replace; for new ones (the usual case when
        # coding) there is nothing to look up or delete in mentions.
        ids_in, params = _in("doc_id", doc_ids)
        replaced = [row[0] for row in
                    con.execute(f"SELECT doc_id FROM documents WHERE {ids_in}", params).fetchall()]
        old_events: set[str] = set()
        if replaced:
            ids_in, params = _in("doc_id", replaced)
            old_events = {row[0] for row in con.execute(
                f"SELECT DISTINCT event_id FROM mentions WHERE {ids_in}", params).fetchall()}
            for table in ("mentions", "documents"):
                con.execute(f"DELETE FROM {table} WHERE {ids_in}", params)
        aliases_in, params = _in("alias_id", doc_ids)
        con.execute(f"DELETE FROM aliases WHERE {aliases_in}", params)
        last_seq = con.execute("SELECT coalesce(max(seq), 0) FROM documents").fetchone()[0]
        for n, row in enumerate(document_rows, start=1):
            row[_SEQ] = last_seq + n
        con.execute(_INSERT_DOCUMENTS, _as_columns(document_rows, _DOCUMENT_SCHEMA))
        if mention_rows:
            con.execute(_INSERT_MENTIONS, [[row[i] for row in mention_rows] for i in _BOUND_MENTION_COLUMNS])
        self._update_events(con, old_events, mention_rows, document_rows)

    def _update_events(self, con: duckdb.DuckDBPyConnection, old_events: set[str],
                       mention_rows: list[list[Any]], document_rows: list[list[Any]]) -> None:
        """Bring the merged events of the replaced and the new mentions in step with `mentions`.

        An event already in `events` (or one the replaced documents had) is recomputed in SQL,
        over all of its mentions; an event first met in this batch has all of its mentions here,
        and is merged from these rows.
        """
        groups: dict[str, list[list[Any]]] = {}  # event_id -> its mention rows in this batch
        for row in mention_rows:
            groups.setdefault(row[_M_EVENT], []).append(row)
        affected = sorted(old_events | groups.keys())
        if not affected:
            return
        ids_in, params = _in("event_id", affected)
        stored = {row[0] for row in
                  con.execute(f"SELECT event_id FROM events WHERE {ids_in}", params).fetchall()}
        now = _utc_now()
        again = [event for event in affected if event in stored or event in old_events]
        if again:
            self._recompute_events(con, again, now)
        new = {event: groups[event] for event in affected if event not in stored and event not in old_events}
        if new:
            # Documents that share an event: whether they count as one outlet or two is up to
            # their outlet (_SOURCE_KEY), asked of DuckDB so that it is the same as in SQL.
            shared: set[str] = set()
            for rows in new.values():
                docs = {row[_M_DOC] for row in rows}
                if len(docs) > 1:
                    shared |= docs
            source_keys: dict[str, str] = {}
            if shared:
                docs_in, params = _in("d.doc_id", sorted(shared))
                source_keys = dict(con.execute(
                    f"SELECT d.doc_id, {_SOURCE_KEY} FROM documents d WHERE {docs_in}", params).fetchall())
            documents = {row[0]: row for row in document_rows}
            rows = _merge_new_events(new, documents, source_keys, now)
            con.execute(_INSERT_EVENTS, _as_columns(rows, _EVENT_SCHEMA))

    def _recompute_events(self, con: duckdb.DuckDBPyConnection, event_ids: list[str], now: datetime) -> None:
        """Rebuild the merged events with these ids from `mentions`; gone when no mention is left."""
        ids_in, params = _in("event_id", event_ids)
        kept = con.execute(f"SELECT event_id, date_added FROM events WHERE {ids_in}", params).fetchall()
        if kept:
            kept_in, params = _in("event_id", [k[0] for k in kept])
            con.execute(f"DELETE FROM events WHERE {kept_in}", params)
        con.execute(_RECOMPUTE_EVENTS, [event_ids, [k[0] for k in kept], [k[1] for k in kept], now])

    def _write_aliases(self, con: duckdb.DuckDBPyConnection, aliases: list[Alias]) -> None:
        ids_in, params = _in("doc_id", [a.alias_id for a in aliases])
        stored = {row[0] for row in
                  con.execute(f"SELECT doc_id FROM documents WHERE {ids_in}", params).fetchall()}
        if stored:
            raise StoreError(f"{self.path}: {sorted(stored)[0]!r} is a stored document, not an alias")
        now = _utc_now()
        con.execute(_UPSERT_ALIASES, [[a.alias_id for a in aliases], [a.doc_id for a in aliases],
                                      [a.origin for a in aliases], [a.added_at or now for a in aliases]])

    def _rollback(self, con: duckdb.DuckDBPyConnection) -> None:
        try:
            con.rollback()
        except duckdb.Error as exc:  # the transaction may already be gone after a failed commit
            log.debug("%s: rollback failed: %s", self.path, exc)

    # -- triage ------------------------------------------------------------------------------

    def triage(self, document: Document) -> Triage:
        """NEW, STORED (this id is stored) or DUPLICATE (its text is stored under another id)."""
        return self.triage_many([document])[0]

    def triage_many(self, documents: Sequence[Document]) -> list[Triage]:
        """triage() of each document, in order, with two index lookups per slice of documents
        instead of two queries per document.

        Each document is judged against the store as it is now, not against the others of the list
        (a caller that codes them tells duplicates among them apart itself).
        """
        triages: list[Triage] = []
        for start in range(0, len(documents), _IN_LIST_MAX):
            triages.extend(self._triage_slice(documents[start:start + _IN_LIST_MAX]))
        return triages

    def _triage_slice(self, documents: Sequence[Document]) -> list[Triage]:
        hashes = [text_sha1(document.text) for document in documents]
        ids_in, id_params = _in("doc_id", list(dict.fromkeys(d.id for d in documents)))
        hashes_in, hash_params = _in("text_sha1", list(dict.fromkeys(hashes)))
        with self._lock:  # both answers from the same state of the store
            stored = {row[0] for row in
                      self._query(f"SELECT doc_id FROM documents WHERE {ids_in}", id_params)}
            # No ORDER BY/LIMIT in SQL: with them DuckDB scans the table instead of using the index.
            same = self._query(f"SELECT text_sha1, seq, doc_id FROM documents WHERE {hashes_in}", hash_params)
        first: dict[str, tuple[int, str]] = {}  # text hash -> (seq, doc_id) of its earliest stored document
        for sha1, seq, doc_id in same:
            if sha1 not in first or (seq, doc_id) < first[sha1]:
                first[sha1] = (seq, doc_id)
        triages = []
        for document, sha1 in zip(documents, hashes):
            if document.id in stored:
                triages.append(Triage(TriageStatus.STORED, sha1))
            elif sha1 in first:
                triages.append(Triage(TriageStatus.DUPLICATE, sha1, of=first[sha1][1]))
            else:
                triages.append(Triage(TriageStatus.NEW, sha1))
        return triages

    # -- reading -----------------------------------------------------------------------------

    def _query(self, sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
        return self.execute(sql, params)

    def execute(self, sql: str, params: list[Any] | dict[str, Any] | None = None) -> list[tuple[Any, ...]]:
        """Run SQL over the tables (documents, mentions, events, aliases) and return all rows.

        Bind values as parameters (? or $name), never by formatting them into `sql`.
        """
        with self._lock:
            try:
                return self._connection().execute(sql, params if params is not None else []).fetchall()
            except duckdb.Error as exc:
                raise StoreError(f"{self.path}: query failed: {exc}") from exc

    def write_parquet(self, sql: str, out: str | Path, params: list[Any] | None = None) -> None:
        """Write the rows of a query to a Parquet file (DuckDB's COPY; no pyarrow needed)."""
        target = str(out).replace("'", "''")
        with self._lock:
            try:
                self._connection().execute(f"COPY ({sql}) TO '{target}' (FORMAT PARQUET)", params or [])
            except duckdb.Error as exc:
                raise StoreError(f"{self.path}: could not write {out}: {exc}") from exc

    def has_document(self, doc_id: str) -> bool:
        return bool(self._query("SELECT 1 FROM documents WHERE doc_id = ?", [doc_id]))

    def document_ids(self) -> set[str]:
        return {row[0] for row in self._query("SELECT doc_id FROM documents")}

    def mentions(self, doc_id: str | None = None) -> list[Event]:
        """Stored mentions, rebuilt from their JSON records, by doc_id, sentence and trigger start."""
        if doc_id is None:
            rows = self._query(f"SELECT record FROM mentions ORDER BY {_MENTION_ORDER}")
        else:
            rows = self._query(
                f"SELECT record FROM mentions WHERE doc_id = ? ORDER BY {_MENTION_ORDER}", [doc_id]
            )
        return [Event.from_dict(json.loads(row[0])) for row in rows]

    def events(self, doc_id: str | None = None) -> list[Event]:
        """The per-sentence event records, as before schema 2: the same as mentions()."""
        return self.mentions(doc_id)

    def merged_events(self, date_from: str | date | None = None, date_to: str | date | None = None,
                      dyad: str | None = None) -> Iterator[dict[str, Any]]:
        """Rows of the merged `events` table as dicts (MERGED_EVENT_COLUMNS), by date then event_id.

        date_from/date_to are inclusive ISO dates (events without a date are left out when
        either is given); dyad is "CHN-USA" (either direction) or "CHN>USA" (source to target),
        see dyad_condition. Rows are read in chunks, so a large table is not loaded at once.
        Raises ValueError for a malformed dyad or date.
        """
        conditions, params = [], []
        if date_from is not None:
            conditions.append("date >= ?")
            params.append(_filter_date(date_from))
        if date_to is not None:
            conditions.append("date <= ?")
            params.append(_filter_date(date_to))
        if dyad:
            condition, dyad_params = dyad_condition(dyad)
            conditions.append(condition)
            params.extend(dyad_params)
        where = f"WHERE {' AND '.join(conditions)}" if conditions else ""
        sql = f"SELECT {_quoted(MERGED_EVENT_COLUMNS)} FROM events {where} ORDER BY date NULLS LAST, event_id"
        # A cursor of its own, so other queries on the store may run while this one is read.
        with self._lock:
            try:
                cursor = self._connection().cursor()
                cursor.execute(sql, params)
            except duckdb.Error as exc:
                raise StoreError(f"{self.path}: query failed: {exc}") from exc
        return self._rows(cursor)

    def _rows(self, cursor: duckdb.DuckDBPyConnection) -> Iterator[dict[str, Any]]:
        try:
            while True:
                try:
                    chunk = cursor.fetchmany(1000)
                except duckdb.Error as exc:
                    raise StoreError(f"{self.path}: query failed: {exc}") from exc
                if not chunk:
                    return
                for row in chunk:
                    yield dict(zip(MERGED_EVENT_COLUMNS, row))
        finally:
            cursor.close()

    def aliases(self) -> list[Alias]:
        """Every recorded alias, by alias_id."""
        return [Alias(*row) for row in self._query(
            "SELECT alias_id, doc_id, origin, added_at FROM aliases ORDER BY alias_id")]

    def count_documents(self) -> int:
        return int(self._query("SELECT count(*) FROM documents")[0][0])

    def count_mentions(self) -> int:
        return int(self._query("SELECT count(*) FROM mentions")[0][0])

    def count_events(self) -> int:
        """The number of merged events (see count_mentions for the coded events in sentences)."""
        return int(self._query("SELECT count(*) FROM events")[0][0])

    def count_aliases(self) -> int:
        return int(self._query("SELECT count(*) FROM aliases")[0][0])


def _filter_date(value: str | date) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{value!r} is not a date YYYY-MM-DD") from None


# -- batches -----------------------------------------------------------------------------------


# A commit costs some 15 ms whatever its size (DuckDB writes and syncs its log): batches of a few
# hundred documents keep that near 1% of coding, and a killed run loses at most a few seconds' work.
COMMIT_DOCUMENTS = 256
COMMIT_SECONDS = 5.0


class BatchWriter:
    """Saves coded documents and aliases one transaction per batch: every `max_documents`
    documents or `max_seconds` seconds, whichever comes first, and on close.

    Used as a context manager it also commits what it holds when the block ends with an
    exception (Ctrl-C included), so only complete documents are stored and an interrupted run
    loses at most its uncommitted batch. Counts what it committed in `documents`, `mentions`
    and `aliases`.
    """

    def __init__(self, store: EventStore, max_documents: int = COMMIT_DOCUMENTS,
                 max_seconds: float = COMMIT_SECONDS) -> None:
        self.store = store
        self.max_documents = max(1, max_documents)
        self.max_seconds = max_seconds
        self.documents = self.mentions = self.aliases = 0
        self._coded: list[CodedDocument] = []
        self._records: list[Sequence[str] | None] = []  # per held document, see add()
        self._aliases: list[Alias] = []
        self._started = time.monotonic()
        self._lock = threading.RLock()

    def add(self, coded: CodedDocument, records: Sequence[str] | None = None) -> None:
        """Hold a coded document for the next commit. `records`, when given, are its events'
        event_json(), in order (a caller that printed them spares the store making them again)."""
        if records is not None and len(records) != len(coded.events):
            raise ValueError(f"document {coded.document.id!r}: {len(records)} records for "
                             f"{len(coded.events)} events")
        with self._lock:
            self._hold()
            self._coded.append(coded)
            self._records.append(records)
            self._maybe_commit()

    def add_alias(self, alias_id: str, doc_id: str, origin: str = "") -> None:
        """Hold an alias for the next commit (an alias alone does not start one: it may be
        recorded while its document is still being coded)."""
        with self._lock:
            self._hold()
            self._aliases.append(Alias(alias_id, doc_id, origin))

    def _hold(self) -> None:
        if not self._coded and not self._aliases:
            self._started = time.monotonic()

    def _maybe_commit(self) -> None:
        if (len(self._coded) >= self.max_documents
                or time.monotonic() - self._started >= self.max_seconds):
            self.commit()

    def commit(self) -> None:
        """Write what is held in one transaction (nothing happens when nothing is held)."""
        with self._lock:
            if not self._coded and not self._aliases:
                return
            coded, records, aliases = self._coded, self._records, self._aliases
            self._coded, self._records, self._aliases = [], [], []
            documents, mentions = self.store._save(coded, aliases, records)
            self.documents += documents
            self.mentions += mentions
            self.aliases += len(aliases)
        log.info("%s: committed %d document(s), %d alias(es); %d document(s) this run",
                 self.store.path, documents, len(aliases), self.documents)

    def __enter__(self) -> "BatchWriter":
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if exc_type is None or not isinstance(exc, StoreError):
            # A failing store is not asked again; anything else still keeps the coded documents.
            self.commit()


# -- opening -----------------------------------------------------------------------------------


def _init_schema(con: duckdb.DuckDBPyConnection, path: str) -> None:
    if _has_meta(con):  # an existing store: check its version before touching anything
        _check_version(con, path)
    con.begin()
    try:
        con.execute(_SCHEMA)
        if not con.execute("SELECT 1 FROM meta").fetchall():
            con.execute("INSERT INTO meta VALUES (?, ?)", [SCHEMA_VERSION, _utc_now()])
        con.commit()
    except BaseException:
        con.rollback()
        raise
    _check_version(con, path)


def _has_meta(con: duckdb.DuckDBPyConnection) -> bool:
    return bool(con.execute(
        "SELECT 1 FROM duckdb_tables() WHERE table_name = 'meta' AND schema_name = 'main'"
    ).fetchall())


def _check_version(con: duckdb.DuckDBPyConnection, path: str) -> None:
    versions = [row[0] for row in con.execute("SELECT schema_version FROM meta").fetchall()]
    if versions == [SCHEMA_VERSION]:
        return
    if len(versions) == 1 and versions[0] < SCHEMA_VERSION:
        raise StoreError(
            f"{path}: event store written by an older Tacitus (schema version {versions[0]}); "
            f"this Tacitus uses version {SCHEMA_VERSION}. Re-code the documents into a new file "
            f"(tacitus code ... --db NEW.duckdb)"
        )
    raise StoreError(
        f"{path}: event store schema version {versions or 'missing'}; "
        f"this Tacitus reads version {SCHEMA_VERSION}"
    )


def open_store(path: str | Path, read_only: bool = False, threads: int | None = None) -> EventStore:
    """Open (creating if needed) the event store at `path`; ":memory:" gives a throwaway store.

    With read_only=True the file must already be a Tacitus store; nothing is created.
    `threads` caps DuckDB's worker threads (default: one per core). A process that codes while
    it stores wants 1: its statements are small and gain nothing from parallel workers, and with
    several workers a `tacitus code` run took ~5% more CPU time in all, most of it system time
    (DuckDB's memory taken from and given back to the system over and over).
    """
    where = str(path)
    try:
        con = duckdb.connect(where, read_only=read_only)
    except duckdb.Error as exc:
        raise StoreError(f"{where}: cannot open the event store: {exc}") from exc
    try:
        if threads is not None:
            con.execute(f"SET threads = {max(1, int(threads))}")
        if read_only:
            _check_version(con, where)
        else:
            _init_schema(con, where)
    except duckdb.Error as exc:
        con.close()
        raise StoreError(f"{where}: not a usable event store: {exc}") from exc
    except BaseException:
        con.close()
        raise
    return EventStore(where, con)

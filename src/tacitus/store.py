"""The event store: coded documents and their events in an embedded DuckDB file.

Everything DuckDB-specific lives here; the rest of Tacitus only calls EventStore's methods.
The store is idempotent: saving a document again replaces its row and its events in one
transaction, and event ids are derived from what the event says, so re-coding gives the same ids.
Each event's full record (Event.to_dict) is kept as JSON next to the flat columns, so that
`events()` gives back exactly what was saved while SQL users get plain columns to query.
"""
from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterable
from datetime import date, datetime, timezone
from pathlib import Path
from types import TracebackType
from typing import Any

import duckdb

from tacitus.errors import StoreError
from tacitus.records import Actor, CodedDocument, Event

log = logging.getLogger(__name__)

SCHEMA_VERSION = 1

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
    ("coded_at", "TIMESTAMP", "NOT NULL"),  # UTC
)
_EVENT_SCHEMA: tuple[tuple[str, str, str], ...] = (
    ("event_id", "VARCHAR", "PRIMARY KEY"),
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
    ("record", "JSON", "NOT NULL"),  # the full Event.to_dict(), so events round-trip exactly
)

# The flat event columns (all but the JSON record), in table order. write_csv in
# tacitus.export writes the same columns, so the CSV and the table agree.
EVENT_COLUMNS: tuple[str, ...] = tuple(name for name, _, _ in _EVENT_SCHEMA[:-1])


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
    + _create_table("events", _EVENT_SCHEMA)
)


def _insert_columns(table: str, schema: tuple[tuple[str, str, str], ...]) -> str:
    """INSERT of many rows as one statement: one list parameter per column, unnested together.

    Binding whole columns is ~50x faster than executemany over rows in DuckDB's Python API.
    """
    lists = ", ".join(f"unnest(?::{sql_type}[])" for _, sql_type, _ in schema)
    return f"INSERT INTO {table} SELECT * FROM (SELECT {lists})"


_INSERT_DOCUMENTS = _insert_columns("documents", _DOCUMENT_SCHEMA)
_INSERT_EVENTS = _insert_columns("events", _EVENT_SCHEMA)
# Rows buffered before they are written; a batch bigger than this is written in parts,
# still inside its one transaction.
_FLUSH_EVENTS = 20_000

_EVENT_ORDER = "doc_id, sentence, trigger_start, trigger_end, code, event_id"


def event_id(event: Event) -> str:
    """A stable id for an event: the first 16 hex digits of a SHA-1 over what the event says.

    Hashed fields: doc_id, sentence, trigger start and end, CAMEO code, source code, target code.
    A unit separator between fields keeps ("ab", "c") and ("a", "bc") apart.
    """
    parts = (
        event.doc_id,
        str(event.sentence),
        str(event.trigger.start),
        str(event.trigger.end),
        event.code,
        (event.source.code or "") if event.source else "",
        (event.target.code or "") if event.target else "",
    )
    return hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]


def event_row(event: Event) -> dict[str, Any]:
    """The flat columns of one event (EVENT_COLUMNS, without the JSON record), dates as strings."""

    def actor_fields(prefix: str, actor: Actor | None) -> dict[str, Any]:
        return {
            f"{prefix}_code": actor.code if actor else None,
            f"{prefix}_country": actor.country if actor else None,
            f"{prefix}_sectors": list(actor.sectors) if actor else None,
            f"{prefix}_name": actor.name if actor else None,
            f"{prefix}_text": actor.text if actor else None,
        }

    row: dict[str, Any] = {
        "event_id": event_id(event),
        "doc_id": event.doc_id,
        "sentence": event.sentence,
        "date": event.date,
        "code": event.code,
        "root": event.root,
        "quad": event.quad,
        "goldstein": event.goldstein,
        "plover": event.plover,
        "plover_mode": event.plover_mode,
        **actor_fields("source", event.source),
        **actor_fields("target", event.target),
        "trigger_text": event.trigger.text,
        "trigger_start": event.trigger.start,
        "trigger_end": event.trigger.end,
        "rule": event.rule,
        "symmetric": event.symmetric,
        "confidence": event.confidence,
        "sentence_text": event.sentence_text,
    }
    return row


def _as_date(value: str | None, what: str) -> date | None:
    """An ISO date string as a date for a DATE column; None (with a warning) when it is not one.

    The original string is still kept in the event's JSON record.
    """
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        pass
    try:
        return datetime.fromisoformat(value).date()
    except ValueError:
        log.warning("%s: date %r is not an ISO date; stored as NULL", what, value)
        return None


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
    doc = coded.document
    return [
        doc.id,
        hashlib.sha1(doc.text.encode("utf-8")).hexdigest(),
        _as_date(doc.date, f"document {doc.id!r}"),
        doc.url,
        doc.title,
        doc.source,
        doc.origin,
        coded.model,
        _utc_now(),
    ]


def _event_rows(coded: CodedDocument, path: str) -> list[list[Any]]:
    doc_id = coded.document.id
    rows = []
    seen: set[str] = set()
    for event in coded.events:
        if event.doc_id != doc_id:
            raise StoreError(
                f"{path}: event of document {event.doc_id!r} listed under document {doc_id!r}"
            )
        row = event_row(event)
        if row["event_id"] in seen:
            # Same document, sentence, trigger, code and actors: the same event twice.
            log.debug("document %r: duplicate event %s dropped", doc_id, row["event_id"])
            continue
        seen.add(row["event_id"])
        row["date"] = _as_date(event.date, f"document {doc_id!r} event {row['event_id']}")
        record = json.dumps(event.to_dict(), ensure_ascii=False)
        rows.append([row[name] for name in EVENT_COLUMNS] + [record])
    return rows


class _Pending:
    """Rows of a batch not yet written, by doc_id; a document met again replaces its rows."""

    def __init__(self) -> None:
        self.documents: dict[str, list[Any]] = {}
        self.events: dict[str, list[list[Any]]] = {}
        self.event_count = 0

    def add(self, coded: CodedDocument, path: str) -> None:
        doc_id = coded.document.id
        rows = _event_rows(coded, path)
        self.event_count += len(rows) - len(self.events.get(doc_id, []))
        self.documents[doc_id] = _document_row(coded)
        self.events[doc_id] = rows

    def clear(self) -> None:
        self.documents.clear()
        self.events.clear()
        self.event_count = 0


class EventStore:
    """Coded documents and events in one DuckDB database. Not safe to share between threads."""

    def __init__(self, path: str | Path, connection: duckdb.DuckDBPyConnection) -> None:
        self.path = str(path)
        self._con: duckdb.DuckDBPyConnection | None = connection

    # -- lifecycle ---------------------------------------------------------------------------

    def close(self) -> None:
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

    def save_many(self, coded_docs: Iterable[CodedDocument]) -> int:
        """Store documents and their events in one transaction; returns how many were saved.

        A document saved before, or met again in the same batch, is replaced. If anything fails
        midway, including the iterable itself raising, nothing of this batch is kept.
        DuckDB errors become StoreError; other exceptions pass through unchanged.
        """
        con = self._connection()
        try:
            con.begin()
        except duckdb.Error as exc:
            raise StoreError(f"{self.path}: could not start a transaction: {exc}") from exc
        pending = _Pending()
        saved = 0
        try:
            for coded in coded_docs:
                pending.add(coded, self.path)
                saved += 1
                if pending.event_count >= _FLUSH_EVENTS:
                    self._flush(con, pending)
            self._flush(con, pending)
            con.commit()
        except BaseException:
            self._rollback(con)
            raise
        log.debug("%s: saved %d document(s)", self.path, saved)
        return saved

    def _flush(self, con: duckdb.DuckDBPyConnection, pending: "_Pending") -> None:
        """Write the buffered documents, replacing stored copies, inside the open transaction."""
        if not pending.documents:
            return
        doc_ids = list(pending.documents)
        event_rows = [row for rows in pending.events.values() for row in rows]
        try:
            for table in ("events", "documents"):
                con.execute(
                    f"DELETE FROM {table} WHERE doc_id IN (SELECT unnest(?::VARCHAR[]))", [doc_ids]
                )
            document_rows = list(pending.documents.values())
            con.execute(_INSERT_DOCUMENTS, _as_columns(document_rows, _DOCUMENT_SCHEMA))
            if event_rows:
                con.execute(_INSERT_EVENTS, _as_columns(event_rows, _EVENT_SCHEMA))
        except duckdb.Error as exc:
            shown = ", ".join(repr(d) for d in doc_ids[:3]) + (", ..." if len(doc_ids) > 3 else "")
            raise StoreError(f"{self.path}: could not save document(s) {shown}: {exc}") from exc
        pending.clear()

    def _rollback(self, con: duckdb.DuckDBPyConnection) -> None:
        try:
            con.rollback()
        except duckdb.Error as exc:  # the transaction may already be gone after a failed commit
            log.debug("%s: rollback failed: %s", self.path, exc)

    # -- reading -----------------------------------------------------------------------------

    def _query(self, sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
        try:
            return self._connection().execute(sql, params or []).fetchall()
        except duckdb.Error as exc:
            raise StoreError(f"{self.path}: query failed: {exc}") from exc

    def has_document(self, doc_id: str) -> bool:
        return bool(self._query("SELECT 1 FROM documents WHERE doc_id = ?", [doc_id]))

    def document_ids(self) -> set[str]:
        return {row[0] for row in self._query("SELECT doc_id FROM documents")}

    def events(self, doc_id: str | None = None) -> list[Event]:
        """Stored events, rebuilt from their JSON records, by doc_id, sentence and trigger start."""
        if doc_id is None:
            rows = self._query(f"SELECT record FROM events ORDER BY {_EVENT_ORDER}")
        else:
            rows = self._query(
                f"SELECT record FROM events WHERE doc_id = ? ORDER BY {_EVENT_ORDER}", [doc_id]
            )
        return [Event.from_dict(json.loads(row[0])) for row in rows]

    def count_documents(self) -> int:
        return int(self._query("SELECT count(*) FROM documents")[0][0])

    def count_events(self) -> int:
        return int(self._query("SELECT count(*) FROM events")[0][0])


def _init_schema(con: duckdb.DuckDBPyConnection, path: str) -> None:
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


def _check_version(con: duckdb.DuckDBPyConnection, path: str) -> None:
    versions = [row[0] for row in con.execute("SELECT schema_version FROM meta").fetchall()]
    if versions != [SCHEMA_VERSION]:
        raise StoreError(
            f"{path}: event store schema version {versions or 'missing'}; "
            f"this Tacitus reads version {SCHEMA_VERSION}"
        )


def open_store(path: str | Path, read_only: bool = False) -> EventStore:
    """Open (creating if needed) the event store at `path`; ":memory:" gives a throwaway store.

    With read_only=True the file must already be a Tacitus store; nothing is created.
    """
    where = str(path)
    try:
        con = duckdb.connect(where, read_only=read_only)
    except duckdb.Error as exc:
        raise StoreError(f"{where}: cannot open the event store: {exc}") from exc
    try:
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

"""JSON Lines (.jsonl): one document per line, streamed so that memory stays constant.

Fields: `text` (required), `id`, `date`, `url`, `title`, `source`, or the names a `ColumnMapping`
gives them; anything else (a gold file's `events`, `sentence_class`, ...) is ignored. A record
without an id gets the hash of its text. A bad line yields one failure and reading goes on.
"""
from __future__ import annotations

import json
import logging
from typing import Any, Iterable, Iterator

from tacitus.documents.base import (
    DEFAULT_COLUMNS,
    UTF8_BOM,
    UTF16_BOMS,
    BadInput,
    ColumnMapping,
    FileInput,
    normalise_newlines,
    parse_date,
    text_hash_id,
)
from tacitus.records import Document, ReadFailure

logger = logging.getLogger(__name__)

OPTIONAL_TEXT_FIELDS = ("url", "title", "source")


def read_jsonl_file(source: FileInput) -> Iterator[Document | ReadFailure]:
    try:
        with source.open() as f:
            yield from read_jsonl_lines(
                f, origin=source.origin, default_date=source.default_date, columns=source.columns
            )
    except OSError as e:
        yield source.failure(f"cannot read: {e.strerror or e}")


def read_jsonl_lines(
    lines: Iterable[bytes],
    *,
    origin: str,
    default_date: str | None,
    columns: ColumnMapping = DEFAULT_COLUMNS,
) -> Iterator[Document | ReadFailure]:
    """Documents from raw JSONL lines; `origin` names the input in messages ("path" -> "path:N")."""
    records = 0
    for number, raw in enumerate(lines, start=1):
        if number == 1 and raw.startswith(UTF8_BOM):
            raw = raw[len(UTF8_BOM):]
        if records == 0 and (raw.startswith(UTF16_BOMS) or b"\x00" in raw):
            # Every line would fail alike; say once what the file is instead.
            yield ReadFailure(origin, "not UTF-8 text (binary data, or UTF-16/32): JSON Lines must be UTF-8")
            return
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as e:
            records += 1
            yield ReadFailure(origin, f"not valid UTF-8 (byte offset {e.start} in the line)", number)
            continue
        if not line.strip():
            continue
        records += 1
        try:
            yield record_document(
                line, origin=f"{origin}:{number}", default_date=default_date, columns=columns
            )
        except BadInput as e:
            yield ReadFailure(origin, str(e), number)
    if records == 0:
        yield ReadFailure(origin, "empty document: no JSON lines")


def record_document(
    line: str, *, origin: str, default_date: str | None, columns: ColumnMapping = DEFAULT_COLUMNS
) -> Document:
    """One Document from one JSONL line. Raises BadInput when the line is not a usable record."""
    try:
        record = json.loads(line.rstrip())
    except json.JSONDecodeError as e:
        raise BadInput(f"malformed JSON: {e.msg} (column {e.colno})") from None
    except RecursionError:  # [[[[... nested deeper than the parser's stack
        raise BadInput("malformed JSON: nested too deeply") from None
    except ValueError as e:  # e.g. an integer longer than Python converts
        raise BadInput(f"malformed JSON: {e}") from None
    if not isinstance(record, dict):
        raise BadInput(f"expected a JSON object, not {_json_type(record)}")

    text = record.get(columns.text)
    if text is None:
        raise BadInput(f"missing {columns.text!r}")
    if not isinstance(text, str):
        raise BadInput(f"{columns.text!r} must be a string, not {_json_type(text)}")
    if not text.strip():
        raise BadInput(f"empty {columns.text!r}")
    text = normalise_newlines(text)

    date = record.get(columns.date)
    optional = {name: _optional_text(record, getattr(columns, name)) for name in OPTIONAL_TEXT_FIELDS}
    return Document(
        id=_record_id(record.get(columns.id), text, columns.id),
        text=text,
        date=parse_date(date) if date is not None else default_date,
        origin=origin,
        **optional,
    )


def _record_id(value: Any, text: str, field: str) -> str:
    if value is None:
        return text_hash_id(text)
    # bool is an int in Python, but `true` is no id
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise BadInput(f"{field!r} must be a string or a number, not {_json_type(value)}")
    doc_id = str(value)
    if not doc_id.strip():
        raise BadInput(f"empty {field!r}")
    return doc_id


def _optional_text(record: dict[str, Any], field: str) -> str | None:
    value = record.get(field)
    if value is None or isinstance(value, str):
        return value or None
    logger.debug("ignoring non-string %r field: %r", field, value)
    return None


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    names = {dict: "an object", list: "an array", str: "a string"}
    return names.get(type(value), type(value).__name__)

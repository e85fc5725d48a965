"""JSON Lines (.jsonl): one document per line, streamed so that memory stays constant.

Fields: `text` (required), `id`, `date`, `url`, `title`, `source`; anything else (a gold file's
`events`, `sentence_class`, ...) is ignored. A bad line yields one failure and reading goes on.
"""
from __future__ import annotations

import json
import logging
from typing import Any, Iterable, Iterator

from tacitus.documents.base import (
    UTF8_BOM,
    BadInput,
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
            yield from read_jsonl_lines(f, origin=source.origin, default_date=source.default_date)
    except OSError as e:
        yield source.failure(f"cannot read: {e.strerror or e}")


def read_jsonl_lines(
    lines: Iterable[bytes], *, origin: str, default_date: str | None
) -> Iterator[Document | ReadFailure]:
    """Documents from raw JSONL lines; `origin` names the input in messages ("path" -> "path:N")."""
    records = 0
    for number, raw in enumerate(lines, start=1):
        if number == 1 and raw.startswith(UTF8_BOM):
            raw = raw[len(UTF8_BOM):]
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
            yield record_document(line, origin=f"{origin}:{number}", default_date=default_date)
        except BadInput as e:
            yield ReadFailure(origin, str(e), number)
    if records == 0:
        yield ReadFailure(origin, "empty document: no JSON lines")


def record_document(line: str, *, origin: str, default_date: str | None) -> Document:
    """One Document from one JSONL line. Raises BadInput when the line is not a usable record."""
    try:
        record = json.loads(line.rstrip())
    except json.JSONDecodeError as e:
        raise BadInput(f"malformed JSON: {e.msg} (column {e.colno})") from None
    if not isinstance(record, dict):
        raise BadInput(f"expected a JSON object, not {_json_type(record)}")

    text = record.get("text")
    if text is None:
        raise BadInput("missing 'text'")
    if not isinstance(text, str):
        raise BadInput(f"'text' must be a string, not {_json_type(text)}")
    if not text.strip():
        raise BadInput("empty 'text'")
    text = normalise_newlines(text)

    date = record.get("date")
    optional = {name: _optional_text(record, name) for name in OPTIONAL_TEXT_FIELDS}
    return Document(
        id=_record_id(record.get("id"), text),
        text=text,
        date=parse_date(date) if date is not None else default_date,
        origin=origin,
        **optional,
    )


def _record_id(value: Any, text: str) -> str:
    if value is None:
        return text_hash_id(text)
    # bool is an int in Python, but `true` is no id
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise BadInput(f"'id' must be a string or a number, not {_json_type(value)}")
    doc_id = str(value)
    if not doc_id.strip():
        raise BadInput("empty 'id'")
    return doc_id


def _optional_text(record: dict[str, Any], name: str) -> str | None:
    value = record.get(name)
    if value is None or isinstance(value, str):
        return value or None
    logger.debug("ignoring non-string %r field: %r", name, value)
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

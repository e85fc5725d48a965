"""Tables (.csv, .tsv): one document per row, with a header row that names the columns.

A `ColumnMapping` says which column holds the text (required) and which the id, date, url, title and
source (each optional). Header names match exactly, else ignoring case and surrounding spaces. Rows
are streamed (a quoted cell may span lines); messages give the physical line a row starts on.

- no text column in the header: one failure for the file, naming the columns it has;
- a row with an empty text cell, a bad date, invalid UTF-8 or broken quoting: one failure naming its
  line, and reading goes on;
- an empty id cell: the id is the hash of the text; an empty date cell: the default date.

Text is UTF-8 (a UTF-8 BOM is dropped); a file with a UTF-16 BOM, as spreadsheet programs write
"Unicode text", is read as UTF-16.
"""
from __future__ import annotations

import csv
import io
import logging
import re
import sys
from dataclasses import dataclass
from typing import BinaryIO, Iterator

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

# A news article in one cell is far above the csv module's default limit of 128 KiB.
FIELD_SIZE_LIMIT = min(sys.maxsize, 2**31 - 1)

# How many header names a failure message lists before it stops.
MAX_LISTED_COLUMNS = 20

# Undecodable bytes are kept as lone surrogates (errors="surrogateescape") so that one bad row fails
# alone; no valid text contains these code points.
_ESCAPED_BYTE = re.compile("[\udc80-\udcff]")

_OTHER_DELIMITERS = {",": ";|\t", "\t": ",;|"}


def read_csv_file(source: FileInput) -> Iterator[Document | ReadFailure]:
    yield from _read_table_file(source, delimiter=",")


def read_tsv_file(source: FileInput) -> Iterator[Document | ReadFailure]:
    yield from _read_table_file(source, delimiter="\t")


def _read_table_file(source: FileInput, *, delimiter: str) -> Iterator[Document | ReadFailure]:
    try:
        with source.open() as f:
            yield from read_table(f, source=source, delimiter=delimiter)
    except OSError as e:
        yield source.failure(f"cannot read: {e.strerror or e}")


def read_table(stream: BinaryIO, *, source: FileInput, delimiter: str) -> Iterator[Document | ReadFailure]:
    """Documents from the rows of a delimited table, streamed from a binary stream."""
    if csv.field_size_limit() < FIELD_SIZE_LIMIT:
        csv.field_size_limit(FIELD_SIZE_LIMIT)
    encoding, lines = _text_lines(stream)
    reader = csv.reader(lines, delimiter=delimiter)
    header: _Header | None = None
    rows = 0
    while True:
        first_line = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as e:
            yield source.failure(f"malformed row: {e}", first_line)
            continue
        except _NotText as e:
            yield source.failure(str(e))
            return
        except UnicodeDecodeError:  # only the UTF-16 path decodes strictly, and cannot resume
            yield source.failure(f"not valid {encoding}; reading stopped", first_line)
            return
        if not any(cell.strip() for cell in row):
            continue  # blank line
        if header is None:
            try:
                header = _Header.parse(row, source.columns, delimiter)
            except BadInput as e:
                yield source.failure(str(e))
                return
            continue
        rows += 1
        try:
            yield header.document(row, source=source, line=first_line, encoding=encoding)
        except BadInput as e:
            yield source.failure(str(e), first_line)
    if header is None:
        yield source.failure("empty document: no header row")
    elif rows == 0:
        yield source.failure("empty document: a header row but no rows")


def _text_lines(stream: BinaryIO) -> tuple[str, Iterator[str]]:
    """(encoding, lines of text) of a binary stream, for the csv module."""
    head = stream.peek(4)[:4] if hasattr(stream, "peek") else b""
    if head.startswith(UTF16_BOMS):
        # newline="" keeps line ends inside quoted cells for the csv module, as its docs ask.
        return "UTF-16", io.TextIOWrapper(stream, encoding="utf-16", newline="")  # type: ignore[arg-type]
    return "UTF-8", _utf8_lines(stream)


class _NotText(BadInput):
    """The file as a whole is not a text table (each row would fail alike)."""


def _utf8_lines(stream: BinaryIO) -> Iterator[str]:
    for number, raw in enumerate(stream, start=1):
        if number == 1:
            if b"\x00" in raw:
                raise _NotText("binary data, not text (or UTF-16/32 without a byte order mark)")
            raw = raw.removeprefix(UTF8_BOM)
        yield raw.decode("utf-8", "surrogateescape")


@dataclass(frozen=True)
class _Header:
    """Where each document field is in a row: column index, or None when the table has no such column."""

    indexes: dict[str, int | None]
    names: dict[str, str]  # document field -> the column name as the mapping gives it

    @classmethod
    def parse(cls, row: list[str], columns: ColumnMapping, delimiter: str) -> "_Header":
        if _ESCAPED_BYTE.search("".join(row)) or "\x00" in "".join(row):
            raise BadInput("header row is not UTF-8 text")
        indexes = {part: _column_index(row, name) for part, name in columns.items()}
        names = dict(columns.items())
        if indexes["text"] is None:
            listed = _list_columns(row, delimiter)
            raise BadInput(f"no text column {columns.text!r}; the columns are {listed}")
        for part, name in names.items():
            if indexes[part] is None and name != getattr(DEFAULT_COLUMNS, part):
                logger.warning("no %s column %r in the header; the columns are %s", part, name,
                               _list_columns(row, delimiter))
        return cls(indexes, names)

    def document(self, row: list[str], *, source: FileInput, line: int, encoding: str) -> Document:
        cells = {part: self._cell(row, part) for part in self.indexes}
        if any(_ESCAPED_BYTE.search(cell) for cell in cells.values()):
            raise BadInput(f"not valid {encoding}")
        text = normalise_newlines(cells["text"])
        if not text.strip():
            raise BadInput(f"empty text in column {self.names['text']!r}")
        doc_id = cells["id"].strip() or text_hash_id(text)
        date = cells["date"].strip()
        return Document(
            id=doc_id,
            text=text,
            date=parse_date(date) if date else source.default_date,
            url=cells["url"].strip() or None,
            title=" ".join(cells["title"].split()) or None,
            source=cells["source"].strip() or None,
            origin=f"{source.origin}:{line}",
        )

    def _cell(self, row: list[str], part: str) -> str:
        index = self.indexes[part]
        if index is None or index >= len(row):  # a short row: missing cells are empty
            return ""
        return row[index]


def _column_index(header: list[str], name: str) -> int | None:
    """The first column called `name`; failing that, the first one equal to it ignoring case and spaces."""
    if name in header:
        return header.index(name)
    wanted = name.strip().casefold()
    for index, column in enumerate(header):
        if column.strip().casefold() == wanted:
            return index
    return None


def _list_columns(header: list[str], delimiter: str) -> str:
    listed = ", ".join(repr(column) for column in header[:MAX_LISTED_COLUMNS])
    if len(header) > MAX_LISTED_COLUMNS:
        listed += f", ... ({len(header)} in all)"
    if len(header) == 1:
        # One column holding the whole header line: probably another delimiter.
        others = [d for d in _OTHER_DELIMITERS.get(delimiter, "") if d in header[0]]
        if others:
            listed += f" (is the file delimited by {others[0]!r}?)"
    return listed

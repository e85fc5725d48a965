"""What every reader shares: the input it is given, text decoding, dates and ids.

A reader is a function `FileInput -> Iterator[Document | ReadFailure]`. Readers never raise for bad
input: inside a reader, helpers raise `BadInput` and the reader turns it into a `ReadFailure`.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Callable, Iterable, Iterator

from tacitus.documents.compression import open_decompressed
from tacitus.errors import InputError
from tacitus.records import Document, ReadFailure

logger = logging.getLogger(__name__)

UTF8_BOM = b"\xef\xbb\xbf"
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")

# Failure messages are one line on stderr; a bad value quoted in one must not flood the terminal.
MAX_MESSAGE_CHARS = 500

# Below this share of control characters a stray form feed or escape code does not make a file binary.
MAX_CONTROL_CHAR_SHARE = 0.05
_CONTROL_CHARS = re.compile(r"[\x01-\x08\x0e-\x1f\x7f]")  # C0 controls except \t \n \v \f \r

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class BadInput(Exception):
    """An input (or one record of it) cannot become a Document; the message says why, in one line."""


class NotUtf8(BadInput):
    """Bytes that are not valid UTF-8 (a reader that knows another declared charset may retry)."""


@dataclass(frozen=True)
class ColumnMapping:
    """Which column (CSV/TSV) or field (JSONL) holds each part of a document.

    Only `text` is required in the input; the others may be absent. Build one from command-line
    options with `ColumnMapping.from_options(text=None, id="doc_no", ...)` (None keeps the default).
    """

    text: str = "text"
    id: str = "id"
    date: str = "date"
    url: str = "url"
    title: str = "title"
    source: str = "source"

    def __post_init__(self) -> None:
        for part in dataclasses.fields(self):
            name = getattr(self, part.name)
            if not isinstance(name, str) or not name.strip():
                raise InputError(f"column for {part.name!r} must be a non-empty name, not {name!r}")

    @classmethod
    def from_options(cls, **names: str | None) -> "ColumnMapping":
        """A mapping from optional overrides (e.g. CLI options); None means "the default name"."""
        return cls(**{part: name for part, name in names.items() if name is not None})

    def items(self) -> Iterable[tuple[str, str]]:
        """(document field, column name) pairs, text first."""
        return ((part.name, getattr(self, part.name)) for part in dataclasses.fields(self))


DEFAULT_COLUMNS = ColumnMapping()


@dataclass(frozen=True)
class FileInput:
    """One file to read, as the dispatcher found it."""

    path: Path  # where to open it
    origin: str  # how messages and Document.origin name it: the path as the user wrote it
    doc_id: str  # the id of a single-document file (path-derived, see DESIGN.md)
    default_date: str | None  # for documents that carry no date of their own
    compression: str | None = None  # a name from COMPRESSION_SUFFIXES: open() decompresses it
    columns: ColumnMapping = field(default=DEFAULT_COLUMNS)  # for table and record formats

    def open(self) -> BinaryIO:
        """The file's bytes, decompressed and streamed. Damaged compressed data raises OSError."""
        raw = self.path.open("rb")
        if self.compression is None:
            return raw
        return open_decompressed(raw, self.compression)

    def read_bytes(self) -> bytes:
        with self.open() as f:
            return f.read()

    def failure(self, message: str, line: int | None = None) -> ReadFailure:
        return ReadFailure(path=self.origin, message=message, line=line)


Reader = Callable[[FileInput], Iterator[Document | ReadFailure]]


def decode_text(data: bytes) -> str:
    """Strict UTF-8 text from bytes, BOM stripped, line ends normalised to \\n.

    Text with a UTF-16 byte order mark (Windows' "Unicode" text) is decoded as UTF-16.
    Raises BadInput for binary data and invalid UTF-8 (with the byte offset of the first bad byte).
    """
    if data.startswith(UTF16_BOMS):
        return _decode_utf16(data)
    if b"\x00" in data:
        raise BadInput("binary data, not text")
    offset = 0
    if data.startswith(UTF8_BOM):
        data = data[len(UTF8_BOM):]
        offset = len(UTF8_BOM)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise NotUtf8(f"not valid UTF-8 (byte offset {e.start + offset})") from None
    if text and len(_CONTROL_CHARS.findall(text)) > MAX_CONTROL_CHAR_SHARE * len(text):
        raise BadInput("binary data, not text")
    return normalise_newlines(text)


def _decode_utf16(data: bytes) -> str:
    try:
        text = data.decode("utf-16")  # the BOM says which byte order, and is dropped
    except UnicodeDecodeError as e:
        raise BadInput(f"not valid UTF-16 (byte offset {e.start})") from None
    if "\x00" in text or (text and len(_CONTROL_CHARS.findall(text)) > MAX_CONTROL_CHAR_SHARE * len(text)):
        raise BadInput("binary data, not text")
    return normalise_newlines(text)


def decode_with_charsets(data: bytes, charsets: Iterable[str]) -> str:
    """`decode_text`, and when the bytes are not UTF-8, the first of `charsets` that decodes them."""
    try:
        return decode_text(data)
    except NotUtf8 as utf8_error:
        for charset in charsets:
            try:
                return normalise_newlines(data.decode(charset))
            except (LookupError, UnicodeDecodeError):
                continue
        raise utf8_error from None


def normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def check_not_empty(text: str) -> None:
    if not text.strip():
        raise BadInput("empty document")


def parse_date(value: object) -> str:
    """An ISO date YYYY-MM-DD from a date or an ISO datetime (cut to its own calendar date).

    Raises BadInput when `value` is not such a string.
    """
    if isinstance(value, str):
        value = value.strip()
        if _ISO_DATE.match(value):
            rest = value[10:]
            try:
                day = dt.date.fromisoformat(value[:10])
                if rest:
                    if rest[0] not in "T ":
                        raise ValueError(value)
                    dt.datetime.fromisoformat(value)
            except ValueError:
                pass
            else:
                return day.isoformat()
    raise BadInput(f"invalid date {value!r}: expected YYYY-MM-DD or an ISO datetime")


def optional_date(value: str | None, what: str) -> str | None:
    """A date a source may or may not give well (a page's own date, a WARC-Date): None when it is
    missing or not a date, which is logged, since the reader then falls back to another date."""
    if not value:
        return None
    try:
        return parse_date(value)
    except BadInput:
        logger.debug("ignoring %s %r", what, value)
        return None


def text_hash_id(text: str) -> str:
    """The id of a record that has none: "sha1:" and the first 16 hex digits of its text's SHA-1.

    The hash is of the text as the reader gives it (UTF-8, line ends normalised), so the same text
    gets the same id whatever file, format or compression it came in.
    """
    return "sha1:" + hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def one_line(message: str) -> str:
    """A failure message as one line of bounded length."""
    message = " ".join(message.split())
    if len(message) > MAX_MESSAGE_CHARS:
        message = message[: MAX_MESSAGE_CHARS - 1] + "\u2026"
    return message

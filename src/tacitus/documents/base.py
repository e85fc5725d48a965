"""What every reader shares: the input it is given, text decoding, dates and ids.

A reader is a function `FileInput -> Iterator[Document | ReadFailure]`. Readers never raise for bad
input: inside a reader, helpers raise `BadInput` and the reader turns it into a `ReadFailure`.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Callable, Iterator

from tacitus.records import Document, ReadFailure

UTF8_BOM = b"\xef\xbb\xbf"

# Below this share of control characters a stray form feed or escape code does not make a file binary.
MAX_CONTROL_CHAR_SHARE = 0.05
_CONTROL_CHARS = re.compile(r"[\x01-\x08\x0e-\x1f\x7f]")  # C0 controls except \t \n \v \f \r

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class BadInput(Exception):
    """An input (or one record of it) cannot become a Document; the message says why, in one line."""


class NotUtf8(BadInput):
    """Bytes that are not valid UTF-8 (a reader that knows another declared charset may retry)."""


@dataclass(frozen=True)
class FileInput:
    """One file to read, as the dispatcher found it."""

    path: Path  # where to open it
    origin: str  # how messages and Document.origin name it: the path as the user wrote it
    doc_id: str  # the id of a single-document file (path-derived, see DESIGN.md)
    default_date: str | None  # for documents that carry no date of their own

    def open(self) -> BinaryIO:
        # One place to open inputs, so that a compressed-file reader only has to change this.
        return self.path.open("rb")

    def read_bytes(self) -> bytes:
        with self.open() as f:
            return f.read()

    def failure(self, message: str, line: int | None = None) -> ReadFailure:
        return ReadFailure(path=self.origin, message=message, line=line)


Reader = Callable[[FileInput], Iterator[Document | ReadFailure]]


def decode_text(data: bytes) -> str:
    """Strict UTF-8 text from bytes, BOM stripped, line ends normalised to \\n.

    Raises BadInput for binary data and invalid UTF-8 (with the byte offset of the first bad byte).
    """
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


def text_hash_id(text: str) -> str:
    """The id of a record that has none: first 16 hex digits of the SHA-1 of its UTF-8 text."""
    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]

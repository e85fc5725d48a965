"""Standard input ("-"): JSONL when the first non-blank character is "{", else one text document."""
from __future__ import annotations

import itertools
import logging
from typing import Iterator, TextIO

from tacitus.documents.base import DEFAULT_COLUMNS, UTF8_BOM, BadInput, ColumnMapping
from tacitus.documents.jsonl import read_jsonl_lines
from tacitus.documents.text import text_document
from tacitus.records import Document, ReadFailure

logger = logging.getLogger(__name__)

STDIN_ORIGIN = "<stdin>"
STDIN_ID = "stdin"


def read_stdin(
    stream: TextIO, *, default_date: str | None, columns: ColumnMapping = DEFAULT_COLUMNS
) -> Iterator[Document | ReadFailure]:
    try:
        lines = _byte_lines(stream)
        # Look ahead to the first non-blank line to choose the format, then stream the rest.
        head: list[bytes] = []
        for raw in lines:
            head.append(raw)
            if (raw.removeprefix(UTF8_BOM) if len(head) == 1 else raw).strip():
                break
        first = b"".join(head).removeprefix(UTF8_BOM).lstrip()
        all_lines = itertools.chain(head, lines)
        if first.startswith(b"{"):
            logger.debug("reading stdin as JSONL")
            yield from read_jsonl_lines(
                all_lines, origin=STDIN_ORIGIN, default_date=default_date, columns=columns
            )
        else:
            data = b"".join(all_lines)
            yield text_document(
                data, doc_id=STDIN_ID, origin=STDIN_ORIGIN, default_date=default_date
            )
    except BadInput as e:
        yield ReadFailure(STDIN_ORIGIN, str(e))
    except (OSError, UnicodeDecodeError) as e:  # a text stream may decode (and fail) before we see bytes
        yield ReadFailure(STDIN_ORIGIN, f"cannot read: {e}")


def _byte_lines(stream: TextIO) -> Iterator[bytes]:
    """The stream's lines as bytes, from its binary buffer when it has one, so that we decode them."""
    buffer = getattr(stream, "buffer", None)
    if buffer is not None:
        yield from buffer
        return
    for line in stream:
        try:
            yield line.encode("utf-8", "surrogateescape")  # gives back bytes a lenient decoder kept
        except UnicodeEncodeError:
            yield line.encode("utf-8", "surrogatepass")  # lone surrogates: invalid, reported later

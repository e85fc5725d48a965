"""Plain-text documents (.txt, and files of unknown type given directly).

The text is kept exactly as in the file, except for the BOM and line ends, because every later stage
reports character offsets into it.
"""
from __future__ import annotations

import logging
from typing import Iterator

from tacitus.documents.base import BadInput, FileInput, check_not_empty, decode_text
from tacitus.records import Document, ReadFailure

logger = logging.getLogger(__name__)


def text_document(data: bytes, *, doc_id: str, origin: str, default_date: str | None) -> Document:
    """One Document from the bytes of a text file. Raises BadInput when they are not usable text."""
    text = decode_text(data)
    check_not_empty(text)
    return Document(id=doc_id, text=text, date=default_date, origin=origin)


def read_text_file(source: FileInput) -> Iterator[Document | ReadFailure]:
    try:
        data = source.read_bytes()
        yield text_document(
            data, doc_id=source.doc_id, origin=source.origin, default_date=source.default_date
        )
    except BadInput as e:
        yield source.failure(str(e))
    except OSError as e:
        yield source.failure(f"cannot read: {e.strerror or e}")

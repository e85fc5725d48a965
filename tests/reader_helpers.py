"""Helpers shared by the reader tests (not a test module)."""
from __future__ import annotations

import hashlib
from pathlib import Path

from tacitus.documents import read_documents
from tacitus.records import Document, ReadFailure

GOOD_TEXT = "Envoys of two neighbouring states met at the border on Friday.\n"


def read_all(*paths: str | Path, **kwargs) -> list[Document | ReadFailure]:
    return list(read_documents([str(p) for p in paths], **kwargs))


def documents(items: list) -> list[Document]:
    return [item for item in items if isinstance(item, Document)]


def failures(items: list) -> list[ReadFailure]:
    return [item for item in items if isinstance(item, ReadFailure)]


def sha1_id(text: str) -> str:
    return "sha1:" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path

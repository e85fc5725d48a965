"""Document readers: files, directories and stdin in, `Document`s (and `ReadFailure`s) out.

`read_documents` dispatches on the file extension through `READERS`; each kind of input has its own
module (text, html, jsonl, stdin). To add a kind, write a `Reader` (a function from a `FileInput` to
documents and failures) and register its extensions in `READERS`.

Bad input never raises: each bad file (or JSONL line) yields one `ReadFailure` and reading goes on.
"""
from __future__ import annotations

import logging
import os
import stat
import sys
from pathlib import Path
from typing import Iterable, Iterator, TextIO

from tacitus.documents.base import BadInput, FileInput, Reader, parse_date
from tacitus.documents.html import read_html_file
from tacitus.documents.jsonl import read_jsonl_file
from tacitus.documents.stdin import read_stdin
from tacitus.documents.text import read_text_file
from tacitus.errors import InputError
from tacitus.records import Document, ReadFailure

__all__ = ["READERS", "FileInput", "Reader", "read_documents"]

logger = logging.getLogger(__name__)

STDIN_PATH = "-"

# File extension (lower case) -> reader. Directories are searched for these extensions only.
READERS: dict[str, Reader] = {
    ".txt": read_text_file,
    ".html": read_html_file,
    ".htm": read_html_file,
    ".jsonl": read_jsonl_file,
}


def read_documents(
    paths: Iterable[str], *, date: str | None = None, stdin: TextIO | None = None
) -> Iterator[Document | ReadFailure]:
    """Documents from files, directories (recursively, in sorted order) and "-" (stdin), in order.

    `date` (YYYY-MM-DD) is the publication date of documents that carry none of their own.
    Raises InputError only for a malformed `date`; bad inputs become ReadFailures.
    """
    default_date = _default_date(date)  # checked now, not when the first document is pulled
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    return _read_inputs(paths, default_date, stdin)


def _default_date(date: str | None) -> str | None:
    if date is None:
        return None
    try:
        return parse_date(date)
    except BadInput as e:
        raise InputError(f"default document date: {e}") from None


def _read_inputs(
    paths: Iterable[str], default_date: str | None, stdin: TextIO | None
) -> Iterator[Document | ReadFailure]:
    for given in paths:
        given = os.fspath(given)
        if given == STDIN_PATH:
            yield from read_stdin(stdin if stdin is not None else sys.stdin, default_date=default_date)
        else:
            yield from _read_path(given, default_date)


def _read_path(given: str, default_date: str | None) -> Iterator[Document | ReadFailure]:
    try:
        mode = os.stat(given).st_mode
    except (FileNotFoundError, NotADirectoryError):
        yield ReadFailure(given, "no such file or directory")
        return
    except (OSError, ValueError) as e:  # ValueError: a NUL byte in the path
        yield ReadFailure(given, f"cannot access: {getattr(e, 'strerror', None) or e}")
        return
    if stat.S_ISDIR(mode):
        yield from _read_directory(given, default_date)
    elif stat.S_ISREG(mode):
        yield from _read_given_file(given, default_date)
    else:
        yield ReadFailure(given, "not a regular file or directory")


def _read_given_file(given: str, default_date: str | None) -> Iterator[Document | ReadFailure]:
    path = Path(given)
    source = FileInput(path=path, origin=given, doc_id=path.stem, default_date=default_date)
    reader = READERS.get(path.suffix.lower())
    if reader is not None:
        yield from reader(source)
        return
    # Named explicitly, so the user wants it read: try it as plain text.
    logger.debug("%s: unknown extension %r, reading as plain text", given, path.suffix)
    for item in read_text_file(source):
        if isinstance(item, ReadFailure):
            item.message += f" (unsupported file type {path.suffix or 'without extension'!r})"
        yield item


def _read_directory(given: str, default_date: str | None) -> Iterator[Document | ReadFailure]:
    found = False
    for item in _walk(given, (), set()):
        if isinstance(item, ReadFailure):
            yield item
            continue
        found = True
        path, parts = item
        source = FileInput(
            path=Path(path),
            origin=path,
            doc_id="/".join((*parts[:-1], Path(parts[-1]).stem)),
            default_date=default_date,
        )
        yield from READERS[Path(path).suffix.lower()](source)
    if not found:
        kinds = ", ".join(READERS)
        yield ReadFailure(given, f"no readable documents ({kinds}) in directory")


def _walk(
    directory: str, parts: tuple[str, ...], seen: set[str]
) -> Iterator[tuple[str, tuple[str, ...]] | ReadFailure]:
    """(path, path parts relative to the given directory) of each readable file, in sorted order."""
    real = os.path.realpath(directory)
    if real in seen:  # a symbolic link back up the tree
        logger.debug("%s: already visited, skipping", directory)
        return
    seen.add(real)
    try:
        with os.scandir(directory) as listing:
            entries = sorted(listing, key=lambda entry: entry.name)
    except OSError as e:
        yield ReadFailure(directory, f"cannot list directory: {e.strerror or e}")
        return
    for entry in entries:
        if entry.name.startswith("."):
            logger.debug("%s: hidden, skipping", entry.path)
            continue
        try:
            is_dir, is_file = entry.is_dir(), entry.is_file()
        except OSError:
            is_dir = is_file = False
        if is_dir:
            yield from _walk(entry.path, (*parts, entry.name), seen)
        elif is_file and os.path.splitext(entry.name)[1].lower() in READERS:
            yield entry.path, (*parts, entry.name)
        else:
            logger.debug("%s: not a document type we read, skipping", entry.path)

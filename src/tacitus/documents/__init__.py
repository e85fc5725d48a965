"""Document readers: files, directories and stdin in, `Document`s (and `ReadFailure`s) out.

Kinds of input, by file extension (case does not matter):

- `.txt`: one document, the text as it is; `.html`/`.htm`: main text, title and date (trafilatura);
- `.jsonl`: one document per line; `.csv`/`.tsv`: one document per row under a header row;
- `.warc`/`.arc` (and `.warc.gz`/`.arc.gz`): each HTML or plain-text response of a web crawl;
- any of these compressed as `.gz`, `.bz2`, `.xz` or `.zst` (`reports.jsonl.zst`, `page.html.gz`),
  decompressed as they are read; directories (recursively) and `-` for stdin (JSONL or text).

`read_documents(paths, date=None, columns=None)` dispatches through `READERS`; each kind has its own
module. To add a kind, write a `Reader` (a function from a `FileInput` to documents and failures) and
register its extensions in `READERS`.

Column mapping: `columns=ColumnMapping(text="body", id="doc_no", date="published")` names the columns
(CSV/TSV) or fields (JSONL) that hold each part of a document; the defaults are `text`, `id`, `date`,
`url`, `title`, `source`. The command line's `--text-col`, `--id-col`, `--date-col`, `--url-col`,
`--title-col` and `--source-col` build one with `ColumnMapping.from_options(text=..., id=..., ...)`.

Document ids (DESIGN.md): the record's own id (JSONL/CSV id column); else, for a file that is one
document, its path relative to the path given, without extensions (`a/b` for `corpus/a/b.html.gz`
given as `corpus`); else (a record of an archive or table without ids) "sha1:" and 16 hex digits of
the hash of its text. WARC records take their target URI as id.

Bad input never raises: each bad file (or JSONL line, CSV row, WARC record) yields one `ReadFailure`
with a one-line message naming the file (and line or offset), and reading goes on.
"""
from __future__ import annotations

import logging
import os
import stat
import sys
from pathlib import Path
from typing import Iterable, Iterator, TextIO

from tacitus.documents.base import (
    DEFAULT_COLUMNS,
    BadInput,
    ColumnMapping,
    FileInput,
    Reader,
    one_line,
    parse_date,
)
from tacitus.documents.compression import COMPRESSION_SUFFIXES
from tacitus.documents.html import read_html_file
from tacitus.documents.jsonl import read_jsonl_file
from tacitus.documents.stdin import read_stdin
from tacitus.documents.table import read_csv_file, read_tsv_file
from tacitus.documents.text import read_text_file
from tacitus.documents.warc import read_warc_file
from tacitus.errors import InputError
from tacitus.records import Document, ReadFailure

__all__ = ["READERS", "ColumnMapping", "FileInput", "Reader", "file_kind", "read_documents"]

logger = logging.getLogger(__name__)

STDIN_PATH = "-"

# File extension (lower case) -> reader. Directories are searched for these extensions only, each
# also compressed. A two-part extension (".warc.gz") is a kind of its own: warcio reads the gzip
# members of a web archive itself, and its offsets are offsets in the file.
READERS: dict[str, Reader] = {
    ".txt": read_text_file,
    ".html": read_html_file,
    ".htm": read_html_file,
    ".jsonl": read_jsonl_file,
    ".csv": read_csv_file,
    ".tsv": read_tsv_file,
    ".warc": read_warc_file,
    ".arc": read_warc_file,
    ".warc.gz": read_warc_file,
    ".arc.gz": read_warc_file,
}


def read_documents(
    paths: Iterable[str],
    *,
    date: str | None = None,
    stdin: TextIO | None = None,
    columns: ColumnMapping | None = None,
) -> Iterator[Document | ReadFailure]:
    """Documents from files, directories (recursively, in sorted order) and "-" (stdin), in order.

    `date` (YYYY-MM-DD) is the publication date of documents that carry none of their own.
    `columns` says which CSV/TSV columns and JSONL fields hold text, id, date, url, title and source.
    Raises InputError only for a malformed `date`; bad inputs become ReadFailures.
    """
    default_date = _default_date(date)  # checked now, not when the first document is pulled
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    return _read_inputs(paths, default_date, stdin, columns or DEFAULT_COLUMNS)


def file_kind(name: str) -> tuple[str, str | None] | None:
    """(READERS key, compression or None) of a file name, or None when no reader knows it.

    "a.jsonl.zst" -> (".jsonl", "zstd"); "crawl.warc.gz" -> (".warc.gz", None); "a.gz" -> None.
    """
    lower = name.lower()
    for extension in READERS:
        if extension.count(".") > 1 and lower.endswith(extension) and len(lower) > len(extension):
            return extension, None
    stem, extension = os.path.splitext(lower)
    compression = COMPRESSION_SUFFIXES.get(extension)
    if compression is not None:
        stem, extension = os.path.splitext(stem)
    if extension in READERS:
        return extension, compression
    return None


def _strip_kind(name: str) -> str:
    """A file name without its document extension and compression suffix ("a.html.gz" -> "a")."""
    stem, extension = os.path.splitext(name)
    if extension.lower() in COMPRESSION_SUFFIXES:
        stem = os.path.splitext(stem)[0]
    return stem or name


def _default_date(date: str | None) -> str | None:
    if date is None:
        return None
    try:
        return parse_date(date)
    except BadInput as e:
        raise InputError(f"default document date: {e}") from None


def _read_inputs(
    paths: Iterable[str], default_date: str | None, stdin: TextIO | None, columns: ColumnMapping
) -> Iterator[Document | ReadFailure]:
    for given in paths:
        given = os.fspath(given)
        if given == STDIN_PATH:
            stream = stdin if stdin is not None else sys.stdin
            yield from _guarded(
                read_stdin(stream, default_date=default_date, columns=columns), "<stdin>"
            )
        else:
            yield from _read_path(given, default_date, columns)


def _guarded(items: Iterator[Document | ReadFailure], origin: str) -> Iterator[Document | ReadFailure]:
    """A reader's output with one-line messages; an exception from a reader ends that file only."""
    try:
        for item in items:
            if isinstance(item, ReadFailure):
                item.message = one_line(item.message)
            yield item
    except Exception as e:  # a reader bug must not end the batch; the debug log has the traceback
        logger.debug("%s: reader failed", origin, exc_info=True)
        yield ReadFailure(origin, one_line(f"unexpected error while reading: {type(e).__name__}: {e}"))


def _read_path(
    given: str, default_date: str | None, columns: ColumnMapping
) -> Iterator[Document | ReadFailure]:
    try:
        mode = os.stat(given).st_mode
    except (FileNotFoundError, NotADirectoryError):
        yield ReadFailure(given, "no such file or directory")
        return
    except (OSError, ValueError) as e:  # ValueError: a NUL byte in the path
        yield ReadFailure(given, f"cannot access: {getattr(e, 'strerror', None) or e}")
        return
    if stat.S_ISDIR(mode):
        yield from _read_directory(given, default_date, columns)
    elif stat.S_ISREG(mode):
        yield from _read_given_file(given, default_date, columns)
    else:
        yield ReadFailure(given, "not a regular file or directory")


def _read_given_file(
    given: str, default_date: str | None, columns: ColumnMapping
) -> Iterator[Document | ReadFailure]:
    path = Path(given)
    kind = file_kind(path.name)
    unsupported: str | None = None  # the extension of a file no reader knows
    if kind is not None:
        extension, compression = kind
        reader = READERS[extension]
    else:
        # Named explicitly, so the user wants it read: try it as plain text (decompressed if it says so).
        stem, unsupported = os.path.splitext(path.name)
        compression = COMPRESSION_SUFFIXES.get(unsupported.lower())
        if compression is not None:
            unsupported = os.path.splitext(stem)[1] + unsupported
        reader = read_text_file
        logger.debug("%s: unknown extension %r, reading as plain text", given, unsupported)
    source = FileInput(path=path, origin=given, doc_id=_strip_kind(path.name), default_date=default_date,
                       compression=compression, columns=columns)
    for item in _guarded(reader(source), given):
        if unsupported is not None and isinstance(item, ReadFailure):
            item.message += f" (unsupported file type {unsupported or 'without extension'!r})"
        yield item


def _read_directory(
    given: str, default_date: str | None, columns: ColumnMapping
) -> Iterator[Document | ReadFailure]:
    found = False
    for item in _walk(given, (), set()):
        if isinstance(item, ReadFailure):
            yield item
            continue
        found = True
        path, parts, (extension, compression) = item
        source = FileInput(
            path=Path(path),
            origin=path,
            doc_id="/".join((*parts[:-1], _strip_kind(parts[-1]))),
            default_date=default_date,
            compression=compression,
            columns=columns,
        )
        yield from _guarded(READERS[extension](source), path)
    if not found:
        kinds = ", ".join(extension for extension in READERS if extension.count(".") == 1)
        compressed = ", ".join(COMPRESSION_SUFFIXES)
        yield ReadFailure(given, f"no readable documents ({kinds}; or compressed: {compressed}) in directory")


def _walk(
    directory: str, parts: tuple[str, ...], seen: set[str]
) -> Iterator[tuple[str, tuple[str, ...], tuple[str, str | None]] | ReadFailure]:
    """(path, path parts relative to the given directory, file kind) of each readable file, sorted."""
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
        kind = file_kind(entry.name) if is_file else None
        if is_dir:
            yield from _walk(entry.path, (*parts, entry.name), seen)
        elif kind is not None:
            yield entry.path, (*parts, entry.name), kind
        else:
            logger.debug("%s: not a document type we read, skipping", entry.path)

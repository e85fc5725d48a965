"""Web archives (.warc, .arc, and their per-record gzip forms .warc.gz, .arc.gz), through warcio.

Each successful (2xx) `response` or `resource` record of HTML becomes a document through the HTML
reader's extraction; plain text becomes a document as it is. Other records (requests, metadata,
warcinfo, revisits, images, PDFs, redirects, ...) are skipped, and counted in a debug log line.

- id and url: the record's target URI; a URI seen again in the same file gets `<uri>#2`, `#3`, ...
  (a record without a URI gets the hash of its text);
- date: the page's own date, else the date of WARC-Date (capture time), else the default date;
- origin: `path@offset`, the byte offset of the record in the file.

A record that cannot become a document (no main text, undecodable) is one failure naming its offset.
A truncated or damaged archive yields the documents before the damage, then one failure naming the
offset of the damaged record. A whole-file gzip (not one gzip member per record) is read too.
"""
from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field
from typing import BinaryIO, Iterator

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from tacitus.documents.base import (
    BadInput,
    FileInput,
    check_not_empty,
    decode_with_charsets,
    optional_date,
    text_hash_id,
)
from tacitus.documents.compression import open_decompressed
from tacitus.documents.html import html_document
from tacitus.records import Document, ReadFailure

logger = logging.getLogger(__name__)

DOCUMENT_RECORD_TYPES = ("response", "resource")
HTML_TYPES = ("text/html", "application/xhtml+xml")
TEXT_TYPES = ("text/plain",)
DRAIN_BYTES = 64 * 1024
# How warcio says that a .warc.gz is one gzip stream rather than one gzip member per record.
_WHOLE_FILE_GZIP = "non-chunked gzip"


class _Damaged(Exception):
    """The archive cannot be read past this point."""

    def __init__(self, where: str, message: str) -> None:
        super().__init__(message)
        self.where = where  # "byte offset N" of the record where reading stopped


@dataclass
class _ArchiveState:
    """What reading one archive file has seen so far (kept across the whole-file gzip retry)."""

    records: int = 0  # records read, of every type
    documents: int = 0
    uri_counts: Counter[str] = field(default_factory=Counter)
    skipped: Counter[str] = field(default_factory=Counter)

    def document_id(self, uri: str | None, text: str) -> str:
        if not uri:
            return text_hash_id(text)
        self.uri_counts[uri] += 1
        n = self.uri_counts[uri]
        return uri if n == 1 else f"{uri}#{n}"


def read_warc_file(source: FileInput) -> Iterator[Document | ReadFailure]:
    state = _ArchiveState()
    failed = True
    try:
        try:
            with source.open() as f:
                yield from _read_archive(f, source, state)
        except _Damaged as e:
            if _WHOLE_FILE_GZIP not in str(e) or source.compression is not None:
                raise
            # The whole file is one gzip stream: read it again decompressed, after what came through.
            logger.debug("%s: one gzip stream, not one member per record; rereading", source.origin)
            with open_decompressed(source.path.open("rb"), "gzip") as f:
                yield from _read_archive(f, source, state, skip=state.records, offsets="decompressed ")
        failed = False
    except _Damaged as e:
        yield source.failure(f"damaged or truncated archive at {e.where}: {e}")
    except OSError as e:
        yield source.failure(f"cannot read: {e.strerror or e}")
    if state.skipped:
        logger.debug("%s: skipped %d records (%s)", source.origin, sum(state.skipped.values()),
                     ", ".join(f"{kind}: {n}" for kind, n in state.skipped.most_common()))
    if state.records == 0 and not failed:
        yield source.failure("empty document: no archive records")


def _read_archive(
    stream: BinaryIO, source: FileInput, state: _ArchiveState, *, skip: int = 0, offsets: str = ""
) -> Iterator[Document | ReadFailure]:
    """Documents of the records after the first `skip`; raises _Damaged where reading must stop."""
    counted = _CountingStream(stream)
    archive = _ArchiveIterator(counted, arc2warc=True)
    records = iter(archive)
    seen = 0
    while True:
        offset = archive.offset
        try:
            record = next(records)
        except StopIteration:
            break
        except ArchiveLoadFailed as e:
            what = str(e) if seen or skip else f"not a WARC or ARC file ({e})"
            raise _Damaged(f"{offsets}byte offset {offset}", what) from None
        except Exception as e:  # warcio on damaged bytes: zlib errors, bad headers, AttributeError, ...
            logger.debug("%s: archive reading failed", source.origin, exc_info=True)
            message = f"unreadable record ({type(e).__name__}: {e})"
            raise _Damaged(f"{offsets}byte offset {offset}", message) from None
        offset = archive.offset
        where = f"{offsets}byte offset {offset}"
        seen += 1
        if seen <= skip:
            _drain(record)
            continue
        if not (record.rec_headers.get_header("Content-Length") or "").strip().isdigit():
            # Every WARC record has one (warcio gives ARC records one); without it, the header was cut.
            raise _Damaged(where, "a record header without a valid Content-Length")
        state.records += 1
        item = _record_item(record, source, state, offset, where)
        if _drain(record):
            raise _Damaged(where, "the record ends before its Content-Length")
        if item is not None:
            if isinstance(item, Document):
                state.documents += 1
            yield item
    if archive.member_cut:
        raise _Damaged(f"{offsets}byte offset {archive.offset}", "the last gzip member is cut off")
    # warcio ends quietly on a record cut off in its header: anything unread after the last whole
    # record is damage.
    counted.read_to_end()
    if counted.position > archive.offset:
        raise _Damaged(f"{offsets}byte offset {archive.offset}",
                       f"{counted.position - archive.offset} bytes that are not a whole record")


def _record_item(
    record, source: FileInput, state: _ArchiveState, offset: int, where: str
) -> Document | ReadFailure | None:
    """The document of one record, a failure, or None for a record that is not a document."""
    kind = _document_kind(record)
    if kind.startswith("skip:"):
        state.skipped[kind[5:]] += 1
        return None
    uri = record.rec_headers.get_header("WARC-Target-URI") or None
    where = f"record at {where}" + (f" ({uri})" if uri else "")
    try:
        payload = record.content_stream().read()
    except Exception as e:  # a broken chunked or gzip Content-Encoding: this record only
        return source.failure(f"{where}: cannot decode the payload: {type(e).__name__}: {e}")
    if kind == "unknown":
        kind = _sniff(payload)
        if kind is None:
            state.skipped["no content type"] += 1
            return None
    origin = f"{source.origin}@{offset}"
    date = optional_date(record.rec_headers.get_header("WARC-Date"), "WARC-Date") or source.default_date
    charsets = [charset] if (charset := _charset(_content_type(record))) else []
    try:
        if kind == "html":
            document = html_document(payload, doc_id="", origin=origin, default_date=date, url=uri,
                                     charsets=charsets)
        else:
            text = decode_with_charsets(payload, charsets)
            check_not_empty(text)
            document = Document(id="", text=text, date=date, url=uri, origin=origin)
    except BadInput as e:
        if uri:
            state.document_id(uri, "")  # the URI's number is taken even so: ids do not depend on failures
        return source.failure(f"{where}: {e}")
    document.id = state.document_id(uri, document.text)
    return document


def _document_kind(record) -> str:
    """"html", "text", "unknown" (no content type: sniff the payload) or "skip:<reason>"."""
    if record.rec_type not in DOCUMENT_RECORD_TYPES:
        return f"skip:{record.rec_type}"
    if record.rec_type == "response":
        http = record.http_headers
        if http is None:  # dns:, whois: and other non-HTTP captures
            return "skip:response without HTTP headers"
        status = http.get_statuscode() or ""
        if not status.startswith("2"):
            return f"skip:HTTP status {status or 'missing'}"
    mime = _content_type(record).split(";", 1)[0].strip().lower()
    if not mime:
        return "unknown"
    if mime in HTML_TYPES:
        return "html"
    if mime in TEXT_TYPES:
        return "text"
    return f"skip:{mime}"


def _content_type(record) -> str:
    headers = record.http_headers if record.rec_type == "response" else record.rec_headers
    return (headers.get_header("Content-Type") if headers is not None else None) or ""


def _charset(content_type: str) -> str | None:
    for parameter in content_type.split(";")[1:]:
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "charset" and value.strip().strip("\"'"):
            return value.strip().strip("\"'")
    return None


def _sniff(payload: bytes) -> str | None:
    start = payload[:512].lstrip().lower()
    return "html" if start.startswith((b"<!doctype html", b"<html")) else None




def _drain(record) -> bool:
    """Read the rest of a record's block; True when the file ended before the block's length."""
    raw = record.raw_stream
    while raw.read(DRAIN_BYTES):
        pass
    return getattr(raw, "limit", 0) > 0  # warcio's LimitReader counts down the bytes still due


class _ArchiveIterator(ArchiveIterator):
    """warcio's iterator, noting whether the gzip member it was in when the file ended was whole.

    warcio stops quietly at the end of the file, even inside a gzip member; its `close()` is called
    right then, before the decompressor is dropped.
    """

    member_cut = False

    def close(self) -> None:
        reader = self.reader
        decompressor = getattr(reader, "decompressor", None)
        if decompressor is not None and reader.num_block_read > 0 and not getattr(decompressor, "eof", True):
            self.member_cut = True
        super().close()


class _CountingStream:
    """A read-only stream that knows how many bytes were read from it (warcio's offsets use tell)."""

    def __init__(self, stream: BinaryIO) -> None:
        self._stream = stream
        self.position = 0

    def read(self, size: int = -1) -> bytes:
        data = self._stream.read(size)
        self.position += len(data)
        return data

    def tell(self) -> int:
        return self.position

    def read_to_end(self) -> None:
        while self.read(DRAIN_BYTES):
            pass

    def close(self) -> None:
        pass  # the caller's `with` closes the file


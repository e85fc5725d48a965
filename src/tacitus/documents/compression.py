"""Streamed decompression of gzip, bzip2, xz and zstd files, for every reader.

`open_decompressed` wraps a binary file in a buffered reader of its decompressed bytes. Damaged or
truncated compressed data raises `CompressedDataError` (an OSError, which every reader already turns
into a one-line failure), whatever exception the decompressor itself raised.
"""
from __future__ import annotations

import bz2
import gzip
import io
import logging
import lzma
from typing import BinaryIO, Callable

import zstandard

logger = logging.getLogger(__name__)

# File suffix (lower case) -> compression name.
COMPRESSION_SUFFIXES: dict[str, str] = {".gz": "gzip", ".bz2": "bzip2", ".xz": "xz", ".zst": "zstd"}

CHUNK_BYTES = 64 * 1024


class CompressedDataError(OSError):
    """The compressed data is damaged or ends before its end-of-stream marker."""


def open_decompressed(raw: BinaryIO, compression: str) -> BinaryIO:
    """A buffered binary stream of `raw`'s decompressed bytes; closing it closes `raw`.

    Multi-member gzip, multi-stream bzip2/xz and multi-frame zstd files are read to their end.
    """
    try:
        opener = _OPENERS[compression]
    except KeyError:
        raw.close()
        raise ValueError(f"unknown compression {compression!r}") from None
    return io.BufferedReader(_CheckedStream(opener(raw), compression, raw), buffer_size=CHUNK_BYTES)


class _CheckedStream(io.RawIOBase):
    """Reads a decompressing file object and turns any decompression error into CompressedDataError."""

    def __init__(self, inner: BinaryIO, compression: str, raw: BinaryIO) -> None:
        self._inner = inner
        self._compression = compression
        self._raw = raw

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[override]
        try:
            data = self._inner.read(len(buffer))
        except CompressedDataError:
            raise
        except OSError as e:
            if e.errno is not None:  # a real I/O error, not a complaint about the data
                raise
            raise self._damaged(e) from None
        except Exception as e:  # EOFError, zlib.error, LZMAError, ZstdError, ...: bad data
            logger.debug("decompression failed", exc_info=True)
            raise self._damaged(e) from None
        n = len(data)
        buffer[:n] = data
        return n

    def _damaged(self, error: Exception) -> CompressedDataError:
        detail = str(error) or type(error).__name__
        return CompressedDataError(f"damaged or truncated {self._compression} data: {detail}")

    def close(self) -> None:
        if not self.closed:
            try:
                self._inner.close()
            finally:
                self._raw.close()
        super().close()


class _ZstdReader(io.RawIOBase):
    """zstd frames, one after another, with truncation detected.

    zstandard's own stream_reader ends quietly when a frame is cut short; a partial document would be
    read as a whole one, so frames are fed to a decompressobj here and a frame left open is an error.
    """

    def __init__(self, raw: BinaryIO) -> None:
        self._raw = raw
        self._context = zstandard.ZstdDecompressor()
        self._frame = None  # the decompressobj of the frame being read, None between frames
        self._pending = b""
        self._position = 0
        self._at_end = False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[override]
        while self._position >= len(self._pending):
            if self._at_end:
                return 0
            self._pending, self._position = self._decompress_chunk(), 0
        n = min(len(buffer), len(self._pending) - self._position)
        buffer[:n] = self._pending[self._position:self._position + n]
        self._position += n
        return n

    def _decompress_chunk(self) -> bytes:
        data = self._raw.read(CHUNK_BYTES)
        if not data:
            self._at_end = True
            if self._frame is not None:
                raise EOFError("compressed file ended before the end-of-stream marker was reached")
            return b""
        out = []
        while data:
            if self._frame is None:
                self._frame = self._context.decompressobj()
            out.append(self._frame.decompress(data))
            if self._frame.eof:
                data = self._frame.unused_data
                self._frame = None
            else:
                data = b""
        return b"".join(out)


_OPENERS: dict[str, Callable[[BinaryIO], BinaryIO]] = {
    "gzip": lambda raw: gzip.GzipFile(fileobj=raw, mode="rb"),
    "bzip2": lambda raw: bz2.BZ2File(raw, mode="rb"),
    "xz": lambda raw: lzma.LZMAFile(raw, mode="rb"),
    "zstd": _ZstdReader,
}

"""Fuzzing every reader: bad input of any kind fails alone, with a one-line message naming the file.

Each bad file is read in a batch before a good one: the good document must come through, and
nothing the bad file does (random bytes, cut-off archives and compressed streams, a huge line, the
wrong encoding) may raise out of read_documents or end the batch.
"""
from __future__ import annotations

import bz2
import gzip
import io
import json
import lzma
import tempfile
from pathlib import Path

import pytest
import zstandard
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from tacitus.documents import READERS, file_kind, read_documents
from tacitus.records import Document, ReadFailure

GOOD_TEXT = "Envoys of two neighbouring states met at the border on Friday.\n"

COMPRESSORS = {
    ".gz": gzip.compress,
    ".bz2": bz2.compress,
    ".xz": lzma.compress,
    ".zst": lambda data: zstandard.ZstdCompressor().compress(data),
}

# Every registered extension, and each single one compressed in every way: "x.jsonl", "x.jsonl.zst", ...
KINDS = sorted(READERS)
NAMES = [f"bad{kind}" for kind in KINDS] + [
    f"bad{kind}{suffix}" for kind in KINDS if kind.count(".") == 1 for suffix in COMPRESSORS
]

FUZZ = settings(max_examples=40, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def check_batch(bad: Path, good: Path) -> list[Document | ReadFailure]:
    """Read [bad, good]; the good document comes last, and all the rest is about `bad`."""
    items = list(read_documents([str(bad), str(good)]))
    assert items, "nothing came back"
    last = items[-1]
    assert isinstance(last, Document) and last.text == GOOD_TEXT and last.id == "good", items[-3:]
    for item in items[:-1]:
        assert isinstance(item, (Document, ReadFailure)), item
        if isinstance(item, ReadFailure):
            assert item.path == str(bad)
            text = str(item)
            assert text.startswith(str(bad)) and "\n" not in text and "Traceback" not in text, text
            assert item.message.strip()
            assert "unexpected error" not in item.message, text  # the readers' safety net caught a bug
        else:
            assert item.text.strip() and item.id
    return items


def write_pair(directory: Path, name: str, content: bytes) -> tuple[Path, Path]:
    bad = directory / name
    bad.write_bytes(content)
    good = directory / "good.txt"
    good.write_text(GOOD_TEXT, encoding="utf-8")
    return bad, good


def compress_for(name: str, data: bytes) -> bytes:
    for suffix, compress in COMPRESSORS.items():
        if name.endswith(suffix) and not name.endswith((".warc.gz", ".arc.gz")):
            return compress(data)
    return data


def kind_of(name: str) -> str:
    """The document kind of a file name: ".csv" for "bad.csv.bz2", ".warc" for "bad.warc.gz"."""
    kind = file_kind(name)
    assert kind is not None, name
    return kind[0].removesuffix(".gz")


def warc(body: bytes, records: int = 3, gzip_members: bool = False, content_type: str = "text/html") -> bytes:
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=gzip_members)
    for n in range(records):
        http = StatusAndHeaders("200 OK", [("Content-Type", content_type)], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(
            f"https://news.example/{n}", "response", payload=io.BytesIO(body), http_headers=http))
    return out.getvalue()


def sample(kind: str, text: str) -> str:
    """A well-formed document of `kind` carrying `text` (as a str: the test picks the encoding)."""
    if kind == ".jsonl":
        return json.dumps({"id": "s1", "text": text}, ensure_ascii=False) + "\n"
    if kind in (".csv", ".tsv"):
        sep = "," if kind == ".csv" else "\t"
        cell = '"' + text.replace('"', '""') + '"'
        return f"id{sep}text\ns1{sep}{cell}\n"
    if kind in (".html", ".htm", ".warc", ".arc"):
        return (f"<html><head><title>{text[:40]}</title></head><body><article><p>{text}</p>"
                "</article></body></html>")
    return text


# --- random bytes -----------------------------------------------------------------------------


@FUZZ
@given(name=st.sampled_from(NAMES), content=st.binary(max_size=3000))
def test_random_bytes_at_every_reader(name: str, content: bytes):
    with tempfile.TemporaryDirectory() as directory:
        check_batch(*write_pair(Path(directory), name, content))


@FUZZ
@given(name=st.sampled_from(NAMES), content=st.binary(max_size=2000))
def test_random_bytes_inside_a_valid_compressed_stream(name: str, content: bytes):
    with tempfile.TemporaryDirectory() as directory:
        check_batch(*write_pair(Path(directory), name, compress_for(name, content)))


# --- cut-off compressed streams and archives ---------------------------------------------------


def test_every_name_has_a_sample_that_reads():
    """The fuzz tests below start from inputs that are good before they are damaged."""
    text = "The council of Lakeview condemned the attack on the ferry and demanded an inquiry."
    with tempfile.TemporaryDirectory() as directory:
        for name in NAMES:
            kind = kind_of(name)
            data = warc(sample(kind, text).encode()) if kind in (".warc", ".arc") else sample(kind, text).encode()
            bad, good = write_pair(Path(directory), name, compress_for(name, data))
            items = check_batch(bad, good)
            assert len(items) >= 2 and all(isinstance(i, Document) for i in items), (name, items)


@FUZZ
@given(
    name=st.sampled_from([n for n in NAMES if n.endswith(tuple(COMPRESSORS))]),
    keep=st.floats(min_value=0.0, max_value=0.999),
)
def test_truncated_compressed_streams(name: str, keep: float):
    kind = kind_of(name)
    lines = [f"Record {n} says the talks went on into the night." for n in range(200)]
    if kind in (".warc", ".arc"):
        # one record: a cut exactly between two records would leave a whole, shorter archive
        data = warc(sample(kind, " ".join(lines)).encode(), records=1, gzip_members=name.endswith(".gz"))
    elif kind == ".jsonl":
        data = "".join(sample(kind, line) for line in lines).encode()
    else:
        data = sample(kind, "\n".join(lines)).encode()
    packed = compress_for(name, data)
    # Cut at least into the data: warcio does not check a gzip member's 8-byte trailer, and a
    # WARC missing only that has lost nothing.
    cut = packed[: min(int(len(packed) * keep), len(packed) - 64)]
    with tempfile.TemporaryDirectory() as directory:
        items = check_batch(*write_pair(Path(directory), name, cut))
    assert any(isinstance(i, ReadFailure) for i in items[:-1]), "a cut stream must be reported"


WARC_BODY = sample(".warc", "The minister received the ambassador and they discussed the harbour treaty at length.")


@FUZZ
@given(gzip_members=st.booleans(), keep=st.floats(min_value=0.0, max_value=1.0))
def test_truncated_warcs(gzip_members: bool, keep: float):
    records = [warc(WARC_BODY.encode(), records=1, gzip_members=gzip_members) for _ in range(4)]
    data = b"".join(records)
    ends = [sum(len(r) for r in records[: n + 1]) for n in range(len(records))]
    name = "bad.warc.gz" if gzip_members else "bad.warc"
    size = int(len(data) * keep)
    with tempfile.TemporaryDirectory() as directory:
        items = check_batch(*write_pair(Path(directory), name, data[:size]))
    docs = [i for i in items[:-1] if isinstance(i, Document)]
    failures = [i for i in items[:-1] if isinstance(i, ReadFailure)]
    # the documents that come are whole and in order; the damage is at most one failure, at the end
    assert len({d.text for d in docs}) <= 1
    assert sum(end <= size for end in ends) <= len(docs) <= sum(end - 64 < size for end in ends)
    assert len(failures) <= 1 and (not failures or items[-2] is failures[0])
    # A WARC has no end marker: a cut between records (or in the blank lines and gzip trailer that
    # close one) cannot be seen. Any other cut is reported.
    if size == 0 or all(abs(size - end) > 64 for end in ends):
        assert failures, size


# --- wrong encodings --------------------------------------------------------------------------

ENCODINGS = {
    "latin-1": lambda s: s.encode("latin-1", "replace"),
    "utf-16 with BOM": lambda s: s.encode("utf-16"),
    "utf-16-le without BOM": lambda s: s.encode("utf-16-le"),
    "utf-16-be without BOM": lambda s: s.encode("utf-16-be"),
    "invalid utf-8": lambda s: s.encode("utf-8").replace(b"e", b"\xe9\xff", 1),
}


@FUZZ
@given(
    name=st.sampled_from(NAMES),
    encoding=st.sampled_from(sorted(ENCODINGS)),
    text=st.text(alphabet=st.characters(codec="latin-1", exclude_categories=("Cs",)), min_size=1, max_size=200),
)
def test_wrong_encodings_at_every_reader(name: str, encoding: str, text: str):
    kind = kind_of(name)
    body = ENCODINGS[encoding](sample(kind, "The envoy said: " + text))
    data = warc(body, records=2) if kind in (".warc", ".arc") else body
    with tempfile.TemporaryDirectory() as directory:
        check_batch(*write_pair(Path(directory), name, compress_for(name, data)))


# --- one huge line ----------------------------------------------------------------------------

HUGE_CHARS = 20_000_000


@pytest.mark.parametrize("name", ["huge.csv", "junk.jsonl.gz"])
def test_one_huge_line(tmp_path: Path, name: str):
    """20 MB on one line: a CSV cell far over the csv module's default limit; JSON that is not."""
    words = "word " * (HUGE_CHARS // 5)
    if name.startswith("junk"):
        content = compress_for(name, ("{" + words).encode())
    else:
        content = sample(kind_of(name), words).encode()
    bad, good = write_pair(tmp_path, name, content)
    items = check_batch(bad, good)
    if name.startswith("junk"):
        assert isinstance(items[0], ReadFailure) and len(str(items[0])) < 1000
    else:
        assert isinstance(items[0], Document) and len(items[0].text) >= HUGE_CHARS - 10

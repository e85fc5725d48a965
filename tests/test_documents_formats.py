"""Corpus readers: WARC/ARC, CSV/TSV with a column mapping, compressed files, ids, streaming memory."""
from __future__ import annotations

import bz2
import gzip
import io
import json
import logging
import lzma
import re
import tracemalloc
from pathlib import Path

import pytest
import zstandard
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from tacitus.documents import ColumnMapping, read_documents
from tacitus.errors import InputError
from tacitus.records import Document, ReadFailure

from reader_helpers import GOOD_TEXT, documents, failures, read_all, sha1_id, write

HASH_ID = re.compile(r"sha1:[0-9a-f]{16}")

COMPRESSORS = {
    ".gz": gzip.compress,
    ".bz2": bz2.compress,
    ".xz": lzma.compress,
    ".zst": lambda data: zstandard.ZstdCompressor().compress(data),
}

PROSE = (
    "The defence ministers of Norland and Sudavia agreed on Tuesday to open a hotline between "
    "their armies and to meet again before the end of the year."
)


@pytest.fixture
def good(tmp_path: Path) -> Path:
    return write(tmp_path / "after" / "good.txt", GOOD_TEXT)


def assert_good_last(items: list) -> None:
    assert isinstance(items[-1], Document) and items[-1].text == GOOD_TEXT, items


def page(title: str, paragraph: str, extra_head: str = "") -> str:
    return (
        f"<html><head><title>{title}</title>{extra_head}</head><body>"
        "<nav><a href='/'>Home</a> | <a href='/world'>World</a></nav>"
        f"<article><h1>{title}</h1><p>{paragraph}</p></article>"
        "<footer>Copyright the publisher</footer></body></html>"
    )


# --- WARC / ARC -------------------------------------------------------------------------------


class Warc:
    """A WARC built record by record, remembering where each record starts."""

    def __init__(self, gzip_members: bool = False) -> None:
        self.gzip_members = gzip_members
        self.records: list[bytes] = []

    def _add(self, build) -> None:
        buffer = io.BytesIO()
        writer = WARCWriter(buffer, gzip=self.gzip_members)
        writer.write_record(build(writer))
        self.records.append(buffer.getvalue())

    def response(self, uri: str, body: bytes, content_type: str | None = "text/html; charset=utf-8",
                 status: str = "200 OK", date: str = "2021-09-14T08:30:00Z") -> "Warc":
        headers = [("Content-Type", content_type)] if content_type else []
        http = StatusAndHeaders(status, headers, protocol="HTTP/1.1")
        self._add(lambda w: w.create_warc_record(
            uri, "response", payload=io.BytesIO(body), http_headers=http,
            warc_headers_dict={"WARC-Date": date}))
        return self

    def request(self, uri: str) -> "Warc":
        http = StatusAndHeaders("GET / HTTP/1.1", [("Host", "news.example")], is_http_request=True)
        self._add(lambda w: w.create_warc_record(uri, "request", payload=io.BytesIO(b""), http_headers=http))
        return self

    def metadata(self, uri: str) -> "Warc":
        self._add(lambda w: w.create_warc_record(
            uri, "metadata", payload=io.BytesIO(b"outlinks: none\n"),
            warc_content_type="application/warc-fields"))
        return self

    def resource(self, uri: str, body: bytes, content_type: str) -> "Warc":
        self._add(lambda w: w.create_warc_record(
            uri, "resource", payload=io.BytesIO(body), warc_content_type=content_type,
            warc_headers_dict={"WARC-Date": "2022-02-02T00:00:00Z"}))
        return self

    def offsets(self) -> list[int]:
        starts, position = [], 0
        for record in self.records:
            starts.append(position)
            position += len(record)
        return starts

    def bytes(self) -> bytes:
        return b"".join(self.records)


def crawl() -> Warc:
    return (
        Warc()
        .request("https://news.example/talks")
        .response("https://news.example/talks", page("Talks Resume", PROSE).encode())
        .response("https://news.example/logo.png", b"\x89PNG\r\n\x1a\n\x00\x00", content_type="image/png")
        .metadata("https://news.example/talks")
        .response("https://news.example/statement.txt", b"The ministry rejected the claims on Monday.\n",
                  content_type="text/plain")
        .response("https://news.example/missing", page("Not Found", PROSE).encode(), status="404 Not Found")
        .resource("urn:note:1", b"A note kept as a resource record, in plain text.", "text/plain")
    )


def test_warc_html_and_text_responses_become_documents_other_records_are_skipped(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
):
    warc = crawl()
    path = write(tmp_path / "crawl.warc", warc.bytes())
    with caplog.at_level(logging.DEBUG, logger="tacitus.documents.warc"):
        items = read_all(path, date="1999-01-01")
    assert all(isinstance(i, Document) for i in items), items
    assert [d.id for d in items] == [
        "https://news.example/talks", "https://news.example/statement.txt", "urn:note:1"
    ]
    html, text, resource = items
    assert html.url == html.id
    assert html.title == "Talks Resume"
    assert html.text.split("\n") == ["Talks Resume", PROSE]  # through the HTML extraction: no nav/footer
    assert html.date == "2021-09-14"  # WARC-Date beats the default date
    assert text.text == "The ministry rejected the claims on Monday.\n" and text.title is None
    assert resource.date == "2022-02-02"
    offsets = warc.offsets()
    assert [d.origin for d in items] == [f"{path}@{offsets[1]}", f"{path}@{offsets[4]}", f"{path}@{offsets[6]}"]
    # request, image, metadata and the 404 page were skipped, and counted
    (summary,) = [r.getMessage() for r in caplog.records if "skipped" in r.getMessage()]
    assert "skipped 4 records" in summary
    for kind in ("request", "image/png", "metadata", "404"):
        assert kind in summary


def test_warc_page_date_wins_over_capture_date_and_repeated_uri_gets_a_number(tmp_path: Path):
    dated = page("Treaty Signed", PROSE, '<meta property="article:published_time" content="2018-07-03">')
    warc = Warc(gzip_members=True)
    for n in range(3):
        warc.response("https://news.example/live", page(f"Update {n}", PROSE).encode())
    warc.response("https://news.example/treaty", dated.encode())
    items = read_all(write(tmp_path / "crawl.warc.gz", warc.bytes()))
    assert [d.id for d in items] == [
        "https://news.example/live", "https://news.example/live#2", "https://news.example/live#3",
        "https://news.example/treaty",
    ]
    assert all(d.url == d.id.split("#")[0] for d in items)
    assert [d.date for d in items] == ["2021-09-14"] * 3 + ["2018-07-03"]


def test_warc_http_charset_decodes_a_legacy_page(tmp_path: Path):
    body = page("R\u00e9union au sommet", "Les ministres se sont r\u00e9unis \u00e0 Gen\u00e8ve pour "
                "pr\u00e9parer le sommet de la semaine prochaine avec leurs homologues.").encode("cp1252")
    warc = Warc().response("https://presse.example/a", body, content_type="text/html; charset=windows-1252")
    (doc,) = read_all(write(tmp_path / "fr.warc", warc.bytes()))
    assert "r\u00e9unis \u00e0 Gen\u00e8ve" in doc.text


def test_warc_page_without_main_text_fails_alone(tmp_path: Path):
    warc = (Warc().response("https://news.example/empty", b"<html><body><nav>Home</nav></body></html>")
            .response("https://news.example/talks", page("Talks", PROSE).encode()))
    path = write(tmp_path / "c.warc", warc.bytes())
    failure, doc = read_all(path)
    assert isinstance(failure, ReadFailure) and failure.path == str(path)
    assert f"record at byte offset 0 (https://news.example/empty)" in failure.message
    assert "no main text" in failure.message
    assert doc.id == "https://news.example/talks"


@pytest.mark.parametrize("gzip_members", [False, True])
def test_truncated_warc_gives_the_documents_before_the_damage_then_one_failure(
    tmp_path: Path, good: Path, gzip_members: bool
):
    warc = Warc(gzip_members)
    for n in range(3):
        warc.response(f"https://news.example/{n}", page(f"Story {n}", PROSE).encode())
    data, offsets = warc.bytes(), warc.offsets()
    cut = offsets[2] + (offsets[2] - offsets[1]) // 2  # in the middle of the third record
    path = write(tmp_path / ("cut.warc.gz" if gzip_members else "cut.warc"), data[:cut])
    items = read_all(path, good)
    assert [d.id for d in documents(items[:-1])] == ["https://news.example/0", "https://news.example/1"]
    (failure,) = failures(items)
    assert failure.path == str(path) and f"byte offset {offsets[2]}" in failure.message
    assert_good_last(items)


def test_whole_file_gzip_warc_is_read_too(tmp_path: Path):
    warc = Warc()
    for n in range(3):
        warc.request(f"https://news.example/{n}").response(f"https://news.example/{n}",
                                                           page(f"Story {n}", PROSE).encode())
    items = read_all(write(tmp_path / "one-stream.warc.gz", gzip.compress(warc.bytes())))
    assert [d.id for d in items] == [f"https://news.example/{n}" for n in range(3)]


@pytest.mark.parametrize("suffix", [".bz2", ".xz", ".zst"])
def test_warc_in_other_compressions(tmp_path: Path, suffix: str):
    data = COMPRESSORS[suffix](crawl().bytes())
    items = read_all(write(tmp_path / f"crawl.warc{suffix}", data))
    assert [d.id for d in items] == [
        "https://news.example/talks", "https://news.example/statement.txt", "urn:note:1"
    ]


def test_arc_file(tmp_path: Path):
    body = page("Old Archive Page", PROSE).encode()
    http = b"HTTP/1.0 200 OK\r\nContent-Type: text/html\r\n\r\n" + body
    version = b"1 0 Test Crawl\nURL IP-address Archive-date Content-type Archive-length\n"
    arc = (b"filedesc://old.arc 0.0.0.0 20090511120000 text/plain %d\n" % len(version) + version + b"\n"
           + b"http://old.example/story 10.0.0.1 20090511120500 text/html %d\n" % len(http) + http + b"\n")
    for name, data in (("old.arc", arc), ("old.arc.gz", gzip.compress(arc))):
        (doc,) = read_all(write(tmp_path / name, data))
        assert (doc.id, doc.date, doc.title) == ("http://old.example/story", "2009-05-11", "Old Archive Page")


@pytest.mark.parametrize("content", [b"WARC/1.0\r\nnot really", b"just some words\n", b"\x1f\x8b\x08garbage"])
def test_not_an_archive_fails_with_the_file_named(tmp_path: Path, good: Path, content: bytes):
    bad = write(tmp_path / "bad.warc.gz", content)
    items = read_all(bad, good)
    (failure,) = failures(items)
    assert failure.path == str(bad) and "\n" not in failure.message
    assert_good_last(items)


def test_empty_warc_fails(tmp_path: Path):
    (failure,) = read_all(write(tmp_path / "empty.warc", b""))
    assert "empty" in failure.message


# --- CSV / TSV --------------------------------------------------------------------------------


def test_csv_with_custom_columns(tmp_path: Path):
    path = write(tmp_path / "press.csv", (
        "doc_no,published,body,headline,link,outlet,extra\n"
        'A-1,2020-03-16,"The minister condemned the strike.",Strike condemned,https://a.example/1,Gazette,x\n'
        '"A-2",2020-03-17T09:00:00,"First line of the story.\r\nSecond line, with a comma.",,,,\n'
    ))
    columns = ColumnMapping(text="body", id="doc_no", date="published", url="link", title="headline",
                            source="outlet")
    first, second = read_all(path, columns=columns)
    assert (first.id, first.date, first.text, first.title, first.url, first.source) == (
        "A-1", "2020-03-16", "The minister condemned the strike.", "Strike condemned",
        "https://a.example/1", "Gazette")
    assert (second.id, second.date) == ("A-2", "2020-03-17")
    assert second.text == "First line of the story.\nSecond line, with a comma."
    assert (second.title, second.url, second.source) == (None, None, None)
    assert [first.origin, second.origin] == [f"{path}:2", f"{path}:3"]


def test_csv_default_columns_match_ignoring_case_and_spaces(tmp_path: Path):
    path = write(tmp_path / "t.csv", "\ufeff Text ,ID,Date\nThe talks ended.,x1,2021-01-02\n")
    (doc,) = read_all(path)
    assert (doc.id, doc.text, doc.date) == ("x1", "The talks ended.", "2021-01-02")


def test_csv_bad_rows_fail_by_their_physical_line_and_the_rest_go_on(tmp_path: Path):
    path = write(tmp_path / "rows.csv", (
        "id,text,date\n"
        'r1,"A cell over\nthree\nlines.",2020-01-01\n'   # lines 2-4
        "r2,,2020-01-02\n"                                # line 5: empty text
        "\n"                                              # line 6: blank, skipped
        "r3,Dated badly.,16/03/2020\n"                    # line 7: bad date
        "r4,Fine.\n"                                      # line 8: short row, no date
    ))
    items = read_all(path, date="2000-05-05")
    assert [type(i) for i in items] == [Document, ReadFailure, ReadFailure, Document]
    assert items[0].text == "A cell over\nthree\nlines."
    assert (items[1].line, items[2].line) == (5, 7)
    assert "empty text in column 'text'" in items[1].message
    assert "invalid date '16/03/2020'" in items[2].message
    assert str(items[2]).startswith(f"{path}:7: ")
    assert (items[3].id, items[3].date, items[3].origin) == ("r4", "2000-05-05", f"{path}:8")


def test_csv_without_the_text_column_fails_once_naming_its_columns(tmp_path: Path, good: Path):
    bad = write(tmp_path / "no-text.csv", "id,headline,body\n1,a,b\n2,c,d\n")
    failure, after = read_all(bad, good)
    assert failure.path == str(bad) and failure.line is None
    assert "no text column 'text'" in failure.message
    assert "'id', 'headline', 'body'" in failure.message
    assert after.text == GOOD_TEXT


def test_csv_with_another_delimiter_gets_a_hint(tmp_path: Path):
    (failure,) = read_all(write(tmp_path / "semi.csv", "id;text\n1;Talks.\n"))
    assert "delimited by ';'" in failure.message


def test_csv_rows_without_ids_get_the_hash_of_their_text(tmp_path: Path):
    path = write(tmp_path / "t.csv", "text,id\nNo id here.,\nNor here.,  \n")
    assert [d.id for d in read_all(path)] == [sha1_id("No id here."), sha1_id("Nor here.")]


def test_csv_invalid_utf8_fails_for_its_row_only(tmp_path: Path):
    path = write(tmp_path / "t.csv", b"id,text\n1,Good.\n2,Caf\xe9 talks.\n3,Also good.\n")
    items = read_all(path)
    assert [type(i) for i in items] == [Document, ReadFailure, Document]
    assert items[1].line == 3 and "not valid UTF-8" in items[1].message


def test_csv_cell_larger_than_the_csv_module_default(tmp_path: Path):
    text = "The delegates spoke. " * 20_000  # ~420 kB, above the csv module's 128 kB default
    (doc,) = read_all(write(tmp_path / "big.csv", f'text\n"{text}"\n'))
    assert doc.text == text


@pytest.mark.parametrize(("content", "message"), [
    ("", "empty document"), ("text,id\n", "no rows"), ("\x00\x01,\x02\n", "binary data")])
def test_csv_empty_or_binary_fails_once(tmp_path: Path, good: Path, content: str, message: str):
    bad = write(tmp_path / "x.csv", content)
    failure, after = read_all(bad, good)
    assert failure.path == str(bad) and message in failure.message
    assert after.text == GOOD_TEXT


def test_tsv(tmp_path: Path):
    path = write(tmp_path / "wire.tsv", "id\ttext\tdate\nw1\tRebels, she said, \"withdrew\".\t2019-12-31\n")
    (doc,) = read_all(path)
    assert (doc.id, doc.text, doc.date) == ("w1", 'Rebels, she said, "withdrew".', "2019-12-31")


def test_utf16_tsv_as_spreadsheets_save_it(tmp_path: Path):
    table = "id\ttext\r\nu1\tLes ministres se sont r\u00e9unis.\r\n"
    (doc,) = read_all(write(tmp_path / "sheet.tsv", table.encode("utf-16")))  # with a BOM
    assert (doc.id, doc.text) == ("u1", "Les ministres se sont r\u00e9unis.")


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be"])
def test_utf16_text_with_a_byte_order_mark_is_decoded(tmp_path: Path, encoding: str):
    text = "Les ministres se sont r\u00e9unis.\r\nSecond line.\n"
    data = text.encode(encoding)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data  # the codec writes no BOM itself
    (doc,) = read_all(write(tmp_path / "note.txt", data))
    assert doc.text == "Les ministres se sont r\u00e9unis.\nSecond line.\n"
    (failure,) = read_all(write(tmp_path / "bad.txt", data[:-1]))
    assert "not valid UTF-16" in failure.message


def test_jsonl_with_a_column_mapping(tmp_path: Path):
    path = write(tmp_path / "m.jsonl", json.dumps(
        {"uid": "j1", "body": "Talks resumed.", "day": "2020-02-02", "text": "ignored"}) + "\n"
        + json.dumps({"body": "No uid."}) + "\n" + json.dumps({"text": "No body."}) + "\n")
    columns = ColumnMapping.from_options(text="body", id="uid", date="day", url=None)
    first, second, failure = read_all(path, columns=columns)
    assert (first.id, first.text, first.date) == ("j1", "Talks resumed.", "2020-02-02")
    assert second.id == sha1_id("No uid.")
    assert failure.line == 3 and "missing 'body'" in failure.message


def test_column_mapping_refuses_empty_names():
    assert ColumnMapping.from_options(text=None, id=None) == ColumnMapping()
    with pytest.raises(InputError, match="text"):
        ColumnMapping(text="")
    with pytest.raises(InputError, match="date"):
        ColumnMapping.from_options(date="  ")


def test_same_text_gets_the_same_hash_id_in_every_format(tmp_path: Path):
    text = "The two sides signed a ceasefire."
    csv_doc, = read_all(write(tmp_path / "a.csv", f"text\n{text}\n"))
    tsv_doc, = read_all(write(tmp_path / "a.tsv", f"text\n{text}\n"))
    jsonl_doc, = read_all(write(tmp_path / "a.jsonl", json.dumps({"text": text}) + "\n"))
    assert csv_doc.id == tsv_doc.id == jsonl_doc.id == sha1_id(text)
    assert HASH_ID.fullmatch(csv_doc.id)


# --- compression ------------------------------------------------------------------------------


def plain_inputs() -> dict[str, bytes]:
    return {
        "note.txt": GOOD_TEXT.encode(),
        "page.html": page("Border Talks", PROSE).encode(),
        "records.jsonl": b'{"id": "j1", "text": "Talks."}\n{"text": "No id."}\n',
        "table.csv": b"id,text\nc1,Talks.\n,No id.\n",
        "table.tsv": b"id\ttext\nt1\tTalks.\n",
    }


def summary(items: list) -> list[tuple]:
    return [(i.id, i.text, i.date, i.title) if isinstance(i, Document) else ("failure", i.message)
            for i in items]


@pytest.mark.parametrize("suffix", list(COMPRESSORS))
def test_every_reader_reads_compressed_files_with_the_same_result(tmp_path: Path, suffix: str):
    for name, data in plain_inputs().items():
        plain = summary(read_all(write(tmp_path / "plain" / name, data)))
        packed = summary(read_all(write(tmp_path / "packed" / (name + suffix), COMPRESSORS[suffix](data))))
        assert packed == plain and plain and plain[0][0] != "failure", name
    (doc,) = read_all(tmp_path / "packed" / f"page.html{suffix}")
    assert doc.id == "page"  # both extensions off the id


@pytest.mark.parametrize("suffix", list(COMPRESSORS))
def test_truncated_compressed_file_fails_and_batch_goes_on(tmp_path: Path, good: Path, suffix: str):
    lines = "".join(json.dumps({"id": f"r{n}", "text": f"Record number {n}."}) + "\n" for n in range(5000))
    data = COMPRESSORS[suffix](lines.encode())
    bad = write(tmp_path / f"cut.jsonl{suffix}", data[: len(data) * 2 // 3])
    items = read_all(bad, good)
    docs = documents(items[:-1])
    assert [d.id for d in docs] == [f"r{n}" for n in range(len(docs))]  # what came through is whole
    (failure,) = failures(items)
    assert failure.path == str(bad) and "damaged or truncated" in failure.message
    assert_good_last(items)


def test_directory_reads_compressed_files_with_relative_ids(tmp_path: Path):
    corpus = tmp_path / "corpus"
    write(corpus / "a" / "one.txt.gz", gzip.compress(b"First."))
    write(corpus / "b.html.bz2", bz2.compress(page("Border Talks", PROSE).encode()))
    write(corpus / "c.csv.xz", lzma.compress(b"id,text\nrow-1,Third.\n"))
    write(corpus / "d.warc.gz", Warc(True).response("https://x.example/", page("Fourth", PROSE).encode()).bytes())
    write(corpus / "e.jsonl.zst", COMPRESSORS[".zst"](b'{"text": "Fifth."}\n'))
    write(corpus / "skip.tar.gz", gzip.compress(b"not a document kind"))
    items = read_all(corpus)
    assert [d.id for d in items] == ["a/one", "b", "row-1", "https://x.example/", sha1_id("Fifth.")]


def test_compressed_file_of_unknown_kind_given_directly_is_read_as_text(tmp_path: Path):
    (doc,) = read_all(write(tmp_path / "notes.md.gz", gzip.compress(b"Plain notes.\n")))
    assert (doc.id, doc.text) == ("notes", "Plain notes.\n")


# --- streaming --------------------------------------------------------------------------------


# Far below the size of the inputs (17 MB and 5 MB of text): the readers hold one record at a time.
MAX_PEAK_BYTES = 5_000_000


@pytest.mark.parametrize(("name", "count"), [("big.jsonl", 100_000), ("big.csv.gz", 30_000)])
def test_large_inputs_are_streamed_in_constant_memory(tmp_path: Path, name: str, count: int):
    filler = "x" * 150
    path = tmp_path / name
    if name.endswith(".jsonl"):
        body = "".join(f'{{"id": "d{n}", "text": "Record {n} {filler}"}}\n' for n in range(count))
        path.write_text(body, encoding="utf-8")
    else:
        body = "id,text\n" + "".join(f"d{n},Record {n} {filler}\n" for n in range(count))
        path.write_bytes(gzip.compress(body.encode(), compresslevel=1))
    assert len(body) > MAX_PEAK_BYTES
    del body

    tracemalloc.start()
    try:
        read = 0
        last = None
        for item in read_documents([str(path)]):
            read += isinstance(item, Document)
            last = item
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert read == count and last.id == f"d{count - 1}"
    assert peak < MAX_PEAK_BYTES, f"peak traced memory {peak / 1e6:.1f} MB"

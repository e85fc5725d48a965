"""Document readers: .txt, .html, .jsonl, directories, stdin, and the failures of each."""
from __future__ import annotations

import io
import os
import shutil
from pathlib import Path

import pytest

from tacitus.documents import READERS, read_documents
from tacitus.documents.base import BadInput, parse_date
from tacitus.errors import InputError
from tacitus.records import Document, ReadFailure

from reader_helpers import GOOD_TEXT, documents, failures, read_all, sha1_id, write

DATA = Path(__file__).parent / "data" / "documents"


@pytest.fixture
def good(tmp_path: Path) -> Path:
    """A readable file to put after a bad one: the batch must go on to it."""
    return write(tmp_path / "after" / "good.txt", GOOD_TEXT)


def assert_one_failure_then_good(items: list, bad: Path, message: str) -> ReadFailure:
    assert len(items) == 2, items
    failure, after = items
    assert isinstance(failure, ReadFailure), failure
    assert failure.path == str(bad)
    assert message in failure.message
    assert str(bad) in str(failure)
    assert isinstance(after, Document) and after.id == "good" and after.text == GOOD_TEXT
    return failure


# --- .txt -------------------------------------------------------------------------------------


def test_txt_text_is_kept_exactly_with_id_origin_and_default_date():
    (doc,) = read_all(DATA / "note.txt", date="2023-01-31")
    assert isinstance(doc, Document)
    assert doc.text == (DATA / "note.txt").read_text(encoding="utf-8")  # blank line and final \n kept
    assert doc.id == "note"
    assert doc.origin == str(DATA / "note.txt")
    assert doc.date == "2023-01-31"


def test_txt_without_default_date_has_none(tmp_path: Path):
    (doc,) = read_all(write(tmp_path / "a.txt", GOOD_TEXT))
    assert doc.date is None


def test_txt_line_ends_normalised_and_bom_stripped(tmp_path: Path):
    path = write(tmp_path / "mixed.txt", b"\xef\xbb\xbfFirst line\r\nSecond line\rThird  line\n\tEnd ")
    (doc,) = read_all(path)
    assert doc.text == "First line\nSecond line\nThird  line\n\tEnd "


def test_file_given_directly_has_its_file_name_as_id(tmp_path: Path):
    path = write(tmp_path / "examples" / "000_abc.txt", GOOD_TEXT)
    (doc,) = read_all(path)
    assert doc.id == "000_abc"


def test_invalid_utf8_names_the_byte_offset_and_batch_goes_on(tmp_path: Path, good: Path):
    prefix = "Caf\u00e9 talks ".encode("utf-8")
    bad = write(tmp_path / "latin1.txt", prefix + b"\xe9t\xe9 r\xe9sum\xe9")
    items = read_all(bad, good)
    assert_one_failure_then_good(items, bad, f"not valid UTF-8 (byte offset {len(prefix)})")


def test_invalid_utf8_offset_counts_the_bom(tmp_path: Path):
    bad = write(tmp_path / "bom.txt", b"\xef\xbb\xbfab\xff")
    (failure,) = read_all(bad)
    assert failure.message == "not valid UTF-8 (byte offset 5)"


@pytest.mark.parametrize(
    "content",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00",  # NUL bytes
        "text with a NUL\x00 inside".encode("utf-8"),
        bytes(range(1, 9)) * 20 + b"mostly control codes",  # valid UTF-8, but not text
    ],
)
def test_binary_file_fails_and_batch_goes_on(tmp_path: Path, good: Path, content: bytes):
    bad = write(tmp_path / "image.txt", content)
    assert_one_failure_then_good(read_all(bad, good), bad, "binary data, not text")


@pytest.mark.parametrize("content", [b"", b"   \n\t\r\n  ", b"\xef\xbb\xbf\n"])
def test_empty_or_blank_file_fails_and_batch_goes_on(tmp_path: Path, good: Path, content: bytes):
    bad = write(tmp_path / "empty.txt", content)
    assert_one_failure_then_good(read_all(bad, good), bad, "empty document")


def test_unknown_extension_given_directly_is_read_as_text(tmp_path: Path):
    path = write(tmp_path / "statement.md", "The two sides issued a joint statement.\r\n")
    (doc,) = read_all(path)
    assert doc.id == "statement"
    assert doc.text == "The two sides issued a joint statement.\n"


def test_unknown_extension_given_directly_that_is_not_text_fails(tmp_path: Path, good: Path):
    bad = write(tmp_path / "report.pdf", b"%PDF-1.4\n\x00\x01\x02binary")
    failure = assert_one_failure_then_good(read_all(bad, good), bad, "binary data, not text")
    assert ".pdf" in failure.message


# --- paths ------------------------------------------------------------------------------------


def test_missing_path_fails_and_batch_goes_on(tmp_path: Path, good: Path):
    missing = tmp_path / "nowhere" / "gone.txt"
    failure = assert_one_failure_then_good(read_all(missing, good), missing, "no such file or directory")
    assert failure.line is None


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_path_that_is_neither_file_nor_directory_fails(tmp_path: Path, good: Path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    assert_one_failure_then_good(read_all(fifo, good), fifo, "not a regular file or directory")


def test_malformed_default_date_is_refused_at_once():
    with pytest.raises(InputError, match="16/03/2020"):
        read_documents(["anything.txt"], date="16/03/2020")  # raises before any reading


def test_reading_is_lazy_and_in_the_order_given(tmp_path: Path):
    a = write(tmp_path / "b_first.txt", "First.")
    b = write(tmp_path / "a_second.txt", "Second.")
    items = read_documents([str(a), str(tmp_path / "missing.txt"), str(b)])
    assert isinstance(next(items), Document)  # a generator: nothing read before it is asked for
    assert [type(item) for item in items] == [ReadFailure, Document]


# --- .html ------------------------------------------------------------------------------------


def test_html_main_text_drops_boilerplate_and_keeps_paragraph_lines():
    (doc,) = read_all(DATA / "article.html")
    assert isinstance(doc, Document), doc
    lines = doc.text.split("\n")
    dropped = ("Suggest To A Friend", "Share on", "Home", "Europe", "Copyright", "Privacy", "Sport")
    for boilerplate in dropped:
        assert boilerplate not in doc.text
    # one paragraph per line: the title line, then each <p> of the article on a line of its own
    assert len(lines) == 4
    assert lines[1].startswith("The foreign ministers of Norland")
    assert lines[1].endswith("more than ten years.")
    assert lines[2].startswith("Norland's minister said")
    assert lines[3].startswith("The Sudavian minister")


def test_html_title_and_metadata():
    (doc,) = read_all(DATA / "article.html", date="2000-01-01")
    assert doc.title == "Norland and Sudavia Sign Grey River Water Treaty"
    # the headline is already the first line: it must not be doubled
    assert doc.text.split("\n")[0] == doc.title
    assert doc.text.count(doc.title) == 1
    assert doc.date == "2021-06-14"  # the page's own date wins over the default
    assert doc.url == "https://gazette.example/world/grey-river-treaty"
    assert doc.source == "The Valley Gazette"
    assert doc.id == "article"


def test_html_title_missing_from_text_becomes_first_line():
    (doc,) = read_all(DATA / "readout.html")
    lines = doc.text.split("\n")
    assert lines[0] == "Deputy Foreign Minister Meets Special Envoy of Ostmark" == doc.title
    assert lines[1].startswith("On 1 November, Deputy Foreign Minister Arvo Lind met")
    assert len(lines) == 4
    assert doc.date == "2019-11-02"
    for boilerplate in ("Suggest To A Friend", "Print", "Home", "News and Events", "Copyright"):
        assert boilerplate not in doc.text


def test_html_without_date_takes_the_default():
    (doc,) = read_all(DATA / "undated.html", date="2024-02-29")
    assert doc.date == "2024-02-29"
    (doc,) = read_all(DATA / "undated.html")
    assert doc.date is None


def test_html_without_main_text_fails_and_batch_goes_on(tmp_path: Path, good: Path):
    bad = Path(shutil.copy(DATA / "navigation-only.html", tmp_path / "navigation-only.html"))
    assert_one_failure_then_good(read_all(bad, good), bad, "no main text")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty document"),
        (b"  \n ", "empty document"),
        (b"<html>\x00\x00\x00</html>", "binary data, not text"),
        (b"<html><body><p>Caf\xe9 talks</p></body></html>", "not valid UTF-8 (byte offset 18)"),
    ],
)
def test_html_text_failures(tmp_path: Path, good: Path, content: bytes, message: str):
    bad = write(tmp_path / "page.htm", content)
    assert_one_failure_then_good(read_all(bad, good), bad, message)


def test_html_in_declared_legacy_charset_is_decoded(tmp_path: Path):
    page = (
        '<html><head><meta charset="windows-1252"><title>Caf\u00e9 summit</title></head><body>'
        "<article><p>Ministers met at a caf\u00e9 in the old town on Sunday to prepare the summit.</p>"
        "</article></body></html>"
    )
    (doc,) = read_all(write(tmp_path / "legacy.html", page.encode("cp1252")))
    assert isinstance(doc, Document), doc
    assert "caf\u00e9 in the old town" in doc.text


def test_html_table_rows_become_lines_without_pipes(tmp_path: Path):
    page = (
        "<html><head><title>Layout</title></head><body><table><tr>"
        "<td>The minister received the ambassador on Friday and they discussed trade at length.</td>"
        "</tr><tr><td>The ambassador invited the minister to visit in the spring.</td></tr>"
        "</table></body></html>"
    )
    (doc,) = read_all(write(tmp_path / "layout.html", page))
    assert "|" not in doc.text
    assert doc.text.split("\n")[1:] == [
        "The minister received the ambassador on Friday and they discussed trade at length.",
        "The ambassador invited the minister to visit in the spring.",
    ]


# --- .jsonl -----------------------------------------------------------------------------------


def test_jsonl_good_bad_and_blank_lines():
    path = DATA / "records.jsonl"
    items = read_all(path, date="2022-01-01")
    origin = str(path)

    docs = documents(items)
    assert [d.id for d in docs] == [
        "rec-1",
        "42",  # a number id becomes a string
        sha1_id("A record without an id, dated with a time."),
        "rec-last",  # reading went on after every bad line
    ]
    assert [d.origin for d in docs] == [f"{origin}:1", f"{origin}:3", f"{origin}:4", f"{origin}:10"]

    first = docs[0]
    assert first.text == "The council of Lakeview condemned the attack on the ferry."
    assert (first.date, first.url, first.title, first.source) == (
        "2022-05-01",
        "https://news.example/1",
        "Council condemns attack",
        "Lakeview Herald",
    )
    assert docs[1].date == "2022-01-01"  # no date of its own: the default
    assert docs[2].date == "2022-05-03"  # an ISO datetime cut to its own date

    bad = failures(items)
    assert [(f.path, f.line) for f in bad] == [(origin, n) for n in (5, 6, 7, 8, 9)]
    expected = ["malformed JSON", "JSON object", "missing 'text'", "empty 'text'", "invalid date '3rd of"]
    for failure, words in zip(bad, expected):
        assert words in failure.message
    assert str(bad[0]).startswith(f"{origin}:5: ")

    def line_of(item: Document | ReadFailure) -> int | None:
        return item.line if isinstance(item, ReadFailure) else int(item.origin.rsplit(":", 1)[1])

    assert [line_of(i) for i in items] == [1, 3, 4, 5, 6, 7, 8, 9, 10]  # in file order


def test_jsonl_ignores_gold_fields_and_odd_optional_values(tmp_path: Path):
    path = write(
        tmp_path / "gold.jsonl",
        '{"id": "g1", "text": "Talks ended.", "events": [{"code": "041"}], "sentence_class": "x", '
        '"title": 7, "url": null}\n',
    )
    (doc,) = read_all(path)
    assert (doc.id, doc.text, doc.title, doc.url) == ("g1", "Talks ended.", None, None)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('{"id": true, "text": "x"}', "'id' must be a string or a number"),
        ('{"id": "", "text": "x"}', "empty 'id'"),
        ('{"text": 5}', "'text' must be a string"),
        ('{"text": "x", "date": "2020-02-30"}', "invalid date"),
        ('{"text": "x", "date": 20200216}', "invalid date"),
        ('"just a string"', "JSON object"),
    ],
)
def test_jsonl_bad_record_fails_for_its_line_only(tmp_path: Path, line: str, message: str):
    path = write(tmp_path / "x.jsonl", f'{{"text": "before"}}\n{line}\n{{"text": "after"}}\n')
    items = read_all(path)
    assert [type(i) for i in items] == [Document, ReadFailure, Document]
    assert items[1].line == 2 and message in items[1].message


def test_jsonl_invalid_utf8_line_fails_alone(tmp_path: Path):
    path = write(tmp_path / "x.jsonl", b'{"text": "ok"}\n{"text": "caf\xe9"}\n{"text": "also ok"}\n')
    items = read_all(path)
    assert [type(i) for i in items] == [Document, ReadFailure, Document]
    assert items[1].line == 2 and "not valid UTF-8" in items[1].message


def test_jsonl_crlf_bom_and_text_newlines(tmp_path: Path):
    content = b'\xef\xbb\xbf{"id": "a", "text": "Head\\r\\nBody"}\r\n\r\n{"id": "b", "text": "B"}\r\n'
    path = write(tmp_path / "x.jsonl", content)
    items = read_all(path)
    assert [(d.id, d.text) for d in items] == [("a", "Head\nBody"), ("b", "B")]
    assert items[1].origin.endswith(":3")


def test_jsonl_without_records_fails(tmp_path: Path, good: Path):
    bad = write(tmp_path / "none.jsonl", "\n  \n")
    assert_one_failure_then_good(read_all(bad, good), bad, "empty document")


def test_jsonl_id_hash_is_of_the_text(tmp_path: Path):
    texts = ["One text.", "Another text."]
    path = write(tmp_path / "x.jsonl", "".join(f'{{"text": "{t}"}}\n' for t in texts))
    assert [d.id for d in read_all(path)] == [sha1_id(t) for t in texts]


# --- directories ------------------------------------------------------------------------------


def test_directory_is_read_recursively_in_sorted_order_with_relative_ids(tmp_path: Path):
    corpus = tmp_path / "corpus"
    write(corpus / "b.txt", "Bee.")
    write(corpus / "a" / "b.html", (DATA / "undated.html").read_bytes())
    write(corpus / "a" / "a.TXT", "Upper-case extension.")
    write(corpus / "c" / "d" / "e.htm", (DATA / "readout.html").read_bytes())
    write(corpus / "z.jsonl", '{"id": "z-1", "text": "Zed."}\n{"text": "No id."}\n')
    # skipped: hidden files and folders, other extensions
    write(corpus / ".hidden.txt", "Hidden.")
    write(corpus / ".cache" / "x.txt", "Hidden folder.")
    write(corpus / "notes.md", "Not a document type.")
    write(corpus / "image.png", b"\x89PNG\x00")

    items = read_all(str(corpus) + "/")
    assert all(isinstance(i, Document) for i in items), items
    assert [d.id for d in items] == ["a/a", "a/b", "b", "c/d/e", "z-1", sha1_id("No id.")]
    assert items[0].origin == os.path.join(str(corpus) + "/", "a", "a.TXT")
    assert items[1].title == "Harbour Talks Resume"  # read by the HTML reader
    assert items[-1].origin.endswith("z.jsonl:2")


def test_directory_order_is_deterministic(tmp_path: Path):
    names = ["m.txt", "b.txt", "x/a.txt", "a.txt", "k/z.txt"]
    for name in names:
        write(tmp_path / "d" / name, name)
    first = [d.id for d in read_all(tmp_path / "d")]
    assert first == sorted(first) == ["a", "b", "k/z", "m", "x/a"]


def test_directory_failures_do_not_stop_it(tmp_path: Path):
    write(tmp_path / "d" / "1.txt", "")
    write(tmp_path / "d" / "2.txt", "Fine.")
    items = read_all(tmp_path / "d")
    assert [type(i) for i in items] == [ReadFailure, Document]
    assert items[0].path == str(tmp_path / "d" / "1.txt")


@pytest.mark.parametrize("skipped_only", [False, True])
def test_directory_without_documents_fails_once(tmp_path: Path, good: Path, skipped_only: bool):
    empty = tmp_path / "empty"
    empty.mkdir()
    if skipped_only:
        write(empty / "sub" / "readme.md", "Nothing to read here.")
        write(empty / ".secret.txt", "Hidden.")
    failure = assert_one_failure_then_good(read_all(empty, good), empty, "no readable documents")
    for kind in (".txt", ".html", ".jsonl", ".csv", ".tsv", ".warc", ".gz", ".zst"):
        assert kind in failure.message


def test_symlink_loop_in_directory_is_not_followed_forever(tmp_path: Path):
    write(tmp_path / "d" / "a.txt", "A.")
    try:
        os.symlink(tmp_path / "d", tmp_path / "d" / "loop")
    except (OSError, NotImplementedError):
        pytest.skip("no symbolic links here")
    assert [d.id for d in read_all(tmp_path / "d")] == ["a"]


def test_a_new_reader_is_one_registry_entry(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    def read_upper(source):
        yield Document(id=source.doc_id, text=source.read_bytes().decode().upper(), origin=source.origin)

    monkeypatch.setitem(READERS, ".shout", read_upper)
    write(tmp_path / "d" / "x.shout", "quiet words")
    (doc,) = read_all(tmp_path / "d")
    assert (doc.id, doc.text) == ("x", "QUIET WORDS")


# --- stdin ------------------------------------------------------------------------------------


def test_stdin_text_is_one_document():
    text = "Statement of the ministry\r\n\r\nThe ministry regrets the decision.\n"
    (doc,) = read_all("-", stdin=io.StringIO(text), date="2021-03-04")
    assert (doc.id, doc.origin, doc.date) == ("stdin", "<stdin>", "2021-03-04")
    assert doc.text == "Statement of the ministry\n\nThe ministry regrets the decision.\n"


def test_stdin_text_starting_with_blank_lines_is_kept_whole():
    (doc,) = read_all("-", stdin=io.StringIO("\n\n  Indented first line.\n"))
    assert doc.text == "\n\n  Indented first line.\n"


def test_stdin_jsonl_when_first_non_blank_character_is_a_brace():
    stream = io.StringIO('\n  \n {"id": "s1", "text": "First."}\nnot json\n{"text": "Third."}\n')
    items = read_all("-", stdin=stream)
    assert [type(i) for i in items] == [Document, ReadFailure, Document]
    assert items[0].id == "s1" and items[0].origin == "<stdin>:3"
    assert (items[1].path, items[1].line) == ("<stdin>", 4)
    assert items[2].id == sha1_id("Third.") and items[2].origin == "<stdin>:5"


def test_stdin_bytes_are_checked_like_files():
    stream = io.TextIOWrapper(io.BytesIO(b"\xef\xbb\xbfabc\xff"), encoding="utf-8")
    (failure,) = read_all("-", stdin=stream)
    assert (failure.path, failure.message) == ("<stdin>", "not valid UTF-8 (byte offset 6)")
    (failure,) = read_all("-", stdin=io.StringIO(" \n\t"))
    assert failure.message == "empty document"


def test_stdin_jsonl_is_streamed():
    """The first record comes out before the stream is read to its end (constant memory)."""

    class Stream:
        def __init__(self):
            self.lines_read = 0

        def __iter__(self):
            for n in range(1_000_000):
                self.lines_read += 1
                yield f'{{"id": {n}, "text": "Record {n}."}}\n'

    stream = Stream()
    items = read_documents(["-"], stdin=stream)
    assert next(items).id == "0"
    assert next(items).id == "1"
    assert stream.lines_read < 10


def test_stdin_between_files_keeps_the_batch_going(tmp_path: Path, good: Path):
    items = read_all("-", tmp_path / "missing.txt", good, stdin=io.StringIO("From stdin."))
    assert [type(i) for i in items] == [Document, ReadFailure, Document]


# --- dates ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2020-03-16", "2020-03-16"),
        ("2020-03-16T23:30:00", "2020-03-16"),
        ("2020-03-16T23:30:00+08:00", "2020-03-16"),  # the date as written, not moved to UTC
        ("2020-03-16T01:00:00Z", "2020-03-16"),
        ("2020-03-16 08:00", "2020-03-16"),
    ],
)
def test_parse_date_accepts_dates_and_iso_datetimes(value: str, expected: str):
    assert parse_date(value) == expected


@pytest.mark.parametrize(
    "value", ["2020-02-30", "16/03/2020", "2020-03", "20200316", "2020-03-16junk", "", None, 2020]
)
def test_parse_date_refuses_other_values(value):
    with pytest.raises(BadInput):
        parse_date(value)

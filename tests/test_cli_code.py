"""`tacitus code`: triage (resume, duplicates), batches, options and the closing summary."""
from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from rich.console import Console

from tacitus import cli
from tacitus.cli import main
from tacitus.records import Actor, CodedDocument, Event, Trigger
from tacitus.store import open_store

STORIES = {
    "berlin.txt": "Germany condemned the attack on Chinese diplomats.\n",
    "cairo.txt": "Egypt summoned the Turkish ambassador on Monday.\n",
    "kyiv.txt": "Ukraine accused Russia of shelling the power plant.\n",
}


@pytest.fixture
def runner():
    return CliRunner()


def _corpus(tmp_path: Path, stories: dict[str, str] = STORIES) -> Path:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name, text in stories.items():
        (corpus / name).write_text(text, encoding="utf-8")
    return corpus


def _summary(stderr: str) -> dict[str, int]:
    """The numbers of the summary's first line, by what they count."""
    line = next(line for line in stderr.splitlines() if "documents read" in line)
    found = re.findall(r"(\d+) (documents read|coded|skipped as already stored|skipped as duplicates|failed)", line)
    return {what: int(n) for n, what in found}


def _jsonl(output: str) -> list[dict]:
    return [json.loads(line) for line in output.splitlines() if line.startswith("{")]


def _store_rows(db: Path) -> dict[str, list[tuple]]:
    with open_store(db, read_only=True) as store:
        return {
            "documents": store.execute("SELECT doc_id, text_sha1, seq FROM documents ORDER BY doc_id"),
            "mentions": store.execute("SELECT mention_id, event_id, record FROM mentions ORDER BY mention_id"),
            "events": store.execute("SELECT * EXCLUDE (date_added) FROM events ORDER BY event_id"),
        }


@pytest.mark.slow
def test_summary_counts_what_was_read_coded_failed_and_stored(runner, tmp_path):
    corpus = _corpus(tmp_path)
    (corpus / "empty.txt").write_text("", encoding="utf-8")
    db = tmp_path / "events.duckdb"
    result = runner.invoke(main, ["code", str(corpus), "--date", "2021-02-03", "--db", str(db), "--format", "jsonl"])
    assert result.exit_code == 1, result.output  # a failed input
    counts = _summary(result.stderr)
    assert counts == {"documents read": 3, "coded": 3, "skipped as already stored": 0,
                      "skipped as duplicates": 0, "failed": 1}
    events = _jsonl(result.stdout)
    assert events
    assert f"{len(events)} events found, {len(events)} mentions stored" in result.stderr
    with open_store(db) as store:
        assert f"{store.count_events()} merged events" in result.stderr
        assert store.count_mentions() == len(events)
    reasons = [line for line in result.stderr.splitlines() if line.startswith("failed: 1 x")]
    assert len(reasons) == 1
    assert "model:" in result.stderr


@pytest.mark.slow
def test_a_second_run_resumes_and_recode_codes_again_with_the_same_ids(runner, tmp_path):
    corpus = _corpus(tmp_path)
    db = tmp_path / "events.duckdb"
    args = ["code", str(corpus), "--date", "2021-02-03", "--db", str(db), "--format", "jsonl"]
    first = runner.invoke(main, args)
    assert first.exit_code == 0, first.output
    stored = _store_rows(db)

    again = runner.invoke(main, args)
    assert again.exit_code == 0, again.output
    assert _summary(again.stderr)["coded"] == 0
    assert _summary(again.stderr)["skipped as already stored"] == len(STORIES)
    assert _jsonl(again.stdout) == []
    assert _store_rows(db) == stored

    recoded = runner.invoke(main, [*args, "--recode"])
    assert recoded.exit_code == 0, recoded.output
    assert _summary(recoded.stderr)["coded"] == len(STORIES)
    assert _jsonl(recoded.stdout) == _jsonl(first.stdout)
    rows = _store_rows(db)
    assert rows["mentions"] == stored["mentions"] and rows["events"] == stored["events"]
    assert [r[:2] for r in rows["documents"]] == [r[:2] for r in stored["documents"]]


@pytest.mark.slow
def test_duplicate_texts_are_coded_once_and_recorded_as_aliases(runner, tmp_path):
    stories = dict(STORIES)
    stories["copy-of-cairo.txt"] = stories["cairo.txt"]
    stories["zz-another-copy.txt"] = stories["cairo.txt"]
    corpus = _corpus(tmp_path, stories)
    db = tmp_path / "events.duckdb"
    args = ["code", str(corpus), "--date", "2021-02-03", "--db", str(db), "--format", "jsonl"]
    result = runner.invoke(main, args)
    assert result.exit_code == 0, result.output
    counts = _summary(result.stderr)
    assert (counts["coded"], counts["skipped as duplicates"]) == (3, 2)
    # Both copies came in the same run, before either was stored; the first in order is coded.
    assert {e["doc_id"] for e in _jsonl(result.stdout)} <= {"berlin", "cairo", "kyiv"}
    with open_store(db) as store:
        assert store.document_ids() == {"berlin", "cairo", "kyiv"}
        aliases = {(a.alias_id, a.doc_id) for a in store.aliases()}
        assert aliases == {("copy-of-cairo", "cairo"), ("zz-another-copy", "cairo")}
        assert all(a.origin.endswith(".txt") for a in store.aliases())

    # A new copy in a later run is found in the store; known aliases stay as they are.
    (corpus / "late-copy.txt").write_text(stories["kyiv.txt"], encoding="utf-8")
    again = runner.invoke(main, args)
    assert _summary(again.stderr)["skipped as duplicates"] == 3
    assert _summary(again.stderr)["coded"] == 0
    with open_store(db) as store:
        assert ("late-copy", "kyiv") in {(a.alias_id, a.doc_id) for a in store.aliases()}
        assert store.count_aliases() == 3 and store.count_documents() == 3


@pytest.mark.slow
def test_without_a_store_only_duplicates_within_the_run_are_skipped(runner, tmp_path):
    stories = {"a.txt": STORIES["cairo.txt"], "b.txt": STORIES["cairo.txt"], "c.txt": STORIES["kyiv.txt"]}
    corpus = _corpus(tmp_path, stories)
    for _ in range(2):
        result = runner.invoke(main, ["code", str(corpus), "--date", "2021-02-03", "--no-db", "--format", "jsonl"])
        assert result.exit_code == 0, result.output
        counts = _summary(result.stderr)
        assert (counts["coded"], counts["skipped as duplicates"], counts["skipped as already stored"]) == (2, 1, 0)
        assert "b" not in {e["doc_id"] for e in _jsonl(result.stdout)}
        assert "not stored (--no-db)" in result.stderr
    assert not (tmp_path / "tacitus.duckdb").exists()


@pytest.mark.slow
def test_column_options_read_a_csv_with_other_column_names(runner, tmp_path):
    table = tmp_path / "wire.csv"
    table.write_text("ref,published,body\n"
                     "w-1,2021-06-01,Egypt summoned the Turkish ambassador.\n"
                     "w-2,2021-06-02,Germany condemned the attack on Chinese diplomats.\n", encoding="utf-8")
    result = runner.invoke(main, ["code", str(table), "--text-col", "body", "--id-col", "ref",
                                  "--date-col", "published", "--no-db", "--format", "jsonl", "-q"])
    assert result.exit_code == 0, result.output
    events = _jsonl(result.stdout)
    assert {e["doc_id"] for e in events} == {"w-1", "w-2"}
    assert {e["date"] for e in events if e["doc_id"] == "w-2"} == {"2021-06-02"}
    missing = runner.invoke(main, ["code", str(table), "--no-db", "--format", "jsonl"])
    assert missing.exit_code == 1 and "text" in missing.stderr


# -- without the model: the coder replaced by a stand-in ---------------------------------------


def _fake_coded(document) -> CodedDocument:
    event = Event(doc_id=document.id, sentence=0, date="2021-02-03", code="036", root="03", quad=1, goldstein=4.0,
                  plover="CONSULT", plover_mode="visit", source=Actor("DEU", "DEU"), target=Actor("FRA", "FRA"),
                  trigger=Trigger("visited", 8, 15), rule="test.visit", symmetric=False,
                  sentence_text=document.text, confidence=0.5)
    return CodedDocument(document=document, events=[event], model="stand-in 0")


def test_options_reach_the_coder_and_ctrl_c_keeps_what_was_coded(runner, tmp_path, monkeypatch):
    import tacitus.pipeline

    seen = {}

    def interrupted_coder(documents, options):
        seen["options"] = options
        for n, document in enumerate(documents):
            if n == 2:
                raise KeyboardInterrupt
            yield _fake_coded(document)

    monkeypatch.setattr(tacitus.pipeline, "code_documents", interrupted_coder)
    corpus = _corpus(tmp_path)
    db = tmp_path / "events.duckdb"
    result = runner.invoke(main, ["code", str(corpus), "--db", str(db), "--jobs", "3", "--min-confidence", "0.25",
                                  "--commit-every", "100"])
    assert result.exit_code == 130, result.output
    assert (seen["options"].jobs, seen["options"].min_confidence) == (3, 0.25)
    assert "interrupted" in result.stderr and "model: stand-in 0" in result.stderr
    with open_store(db) as store:  # the batch held when Ctrl-C came was committed
        assert store.document_ids() == {"berlin", "cairo"}
        assert store.count_events() == 1
        [event] = store.merged_events()
        assert (event["num_articles"], event["num_mentions"]) == (2, 2)


def test_the_store_is_asked_a_chunk_at_a_time_with_the_same_outcome(runner, tmp_path, monkeypatch):
    import tacitus.pipeline

    monkeypatch.setattr(tacitus.pipeline, "code_documents",
                        lambda documents, options: (_fake_coded(document) for document in documents))
    monkeypatch.setattr(cli, "TRIAGE_CHUNK", 2)  # chunk borders fall between copies and originals
    corpus = _corpus(tmp_path, {f"s{n}.txt": f"Story number {n}.\n" for n in range(5)})
    db = tmp_path / "events.duckdb"
    args = ["code", str(corpus), "--db", str(db), "--format", "jsonl", "--commit-every", "1"]
    first = runner.invoke(main, args)
    assert first.exit_code == 0, first.output
    assert [e["doc_id"] for e in _jsonl(first.stdout)] == ["s0", "s1", "s2", "s3", "s4"]

    # In name order, in chunks of two: [s0, s1-copy] (a copy of a stored story), [s1, s2], [s3, s4],
    # [s5-copy, s5] (a new story and its copy, both new to the store), [s9] (another copy of it).
    for name, text in {"s1-copy.txt": "Story number 1.\n", "s5.txt": "Story number 5.\n",
                       "s5-copy.txt": "Story number 5.\n", "s9.txt": "Story number 5.\n"}.items():
        (corpus / name).write_text(text, encoding="utf-8")
    again = runner.invoke(main, args)
    assert again.exit_code == 0, again.output
    assert _summary(again.stderr) == {"documents read": 9, "coded": 1, "skipped as already stored": 5,
                                      "skipped as duplicates": 3, "failed": 0}
    assert [e["doc_id"] for e in _jsonl(again.stdout)] == ["s5-copy"]
    with open_store(db) as store:
        assert store.document_ids() == {"s0", "s1", "s2", "s3", "s4", "s5-copy"}
        assert {(a.alias_id, a.doc_id) for a in store.aliases()} == {
            ("s1-copy", "s1"), ("s5", "s5-copy"), ("s9", "s5-copy")}


def test_a_bad_column_name_is_one_error_line(runner, tmp_path):
    result = runner.invoke(main, ["code", str(_corpus(tmp_path)), "--text-col", " ", "--no-db"])
    assert result.exit_code == 2
    assert result.stderr.startswith("error:") and len(result.stderr.splitlines()) == 1


def test_progress_bar_shows_rate_and_events_only_past_the_threshold():
    def shown(quiet: bool, documents: int) -> str:
        out = io.StringIO()
        console = Console(file=out, force_terminal=True, width=100)
        with cli._progress(console, quiet) as progress:
            for n in range(1, documents + 1):
                progress.update(n, 2 * n)
            if progress.bar is not None:
                progress.bar.refresh()
        return out.getvalue()

    assert shown(False, cli.PROGRESS_THRESHOLD) == ""
    assert shown(True, 50) == ""
    bar = shown(False, 12)
    assert "12 documents" in bar and "/s)" in bar and "24 events" in bar

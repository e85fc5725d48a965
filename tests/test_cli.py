"""The command line: coding, storing, bad input, evaluation and inspection commands."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tacitus.cli import main

pytestmark = pytest.mark.slow

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
STORY = "On Monday, Egypt summoned the Turkish ambassador. Egypt also recalled its envoy from Ankara.\n"


@pytest.fixture
def runner():
    return CliRunner()


def _jsonl(output: str) -> list[dict]:
    return [json.loads(line) for line in output.splitlines() if line.startswith("{")]


def test_every_command_has_help(runner):
    for args in (["--help"], ["code", "--help"], ["eval", "--help"], ["explain", "--help"],
                 ["actors", "resolve", "--help"]):
        result = runner.invoke(main, args)
        assert result.exit_code == 0 and "Usage" in result.output


def test_code_jsonl_prints_event_records(runner, tmp_path):
    story = tmp_path / "story.txt"
    story.write_text(STORY, encoding="utf-8")
    result = runner.invoke(main, ["code", str(story), "--date", "2013-11-27", "--format", "jsonl", "--no-db", "-q"])
    assert result.exit_code == 0, result.output
    records = _jsonl(result.stdout)
    assert records and {r["doc_id"] for r in records} == {"story"}
    summons = [r for r in records if r["code"] == "114"]
    assert summons and summons[0]["source"]["code"].startswith("EGY") and summons[0]["date"] == "2013-11-25"
    for key in ("sentence", "root", "quad", "goldstein", "plover", "plover_mode", "trigger", "rule", "symmetric",
                "sentence_text", "confidence"):
        assert key in summons[0]


def test_coding_twice_stores_once(runner, tmp_path):
    story = tmp_path / "story.txt"
    story.write_text(STORY, encoding="utf-8")
    db = tmp_path / "events.duckdb"
    outputs = []
    for extra in ([], [], ["--recode"]):  # the second run resumes (codes nothing), the third codes again
        result = runner.invoke(main, ["code", str(story), "--date", "2013-11-27", "--db", str(db), "-q",
                                      "--format", "jsonl", *extra])
        assert result.exit_code == 0, result.output
        outputs.append(_jsonl(result.stdout))
    assert outputs[0] and outputs[1] == [] and outputs[2] == outputs[0]
    from tacitus.store import open_store

    with open_store(db) as store:
        assert store.count_documents() == 1
        assert store.count_mentions() == len(outputs[0])


def test_bad_inputs_fail_alone_and_the_batch_goes_on(runner, tmp_path):
    good = tmp_path / "good.txt"
    good.write_text(STORY, encoding="utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    binary = tmp_path / "blob.txt"
    binary.write_bytes(b"\x00\x01\x02binary\x00")
    latin = tmp_path / "latin.txt"
    latin.write_bytes("Caf\xe9 diplomacy".encode("latin-1"))
    lines = tmp_path / "batch.jsonl"
    lines.write_text('{"id": "a", "text": "Egypt summoned the Turkish ambassador.", "date": "2013-11-23"}\n'
                     '{"id": "b", "text": \n', encoding="utf-8")
    empty_dir = tmp_path / "nothing"
    empty_dir.mkdir()
    missing = tmp_path / "missing.txt"
    result = runner.invoke(main, ["code", str(missing), str(empty), str(binary), str(latin), str(lines),
                                  str(empty_dir), str(good), "--date", "2013-11-27", "--format", "jsonl", "--no-db"])
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 6
    assert any(str(missing) in e for e in errors)
    assert any(f"{lines}:2" in e for e in errors)
    assert {r["doc_id"] for r in _jsonl(result.stdout)} == {"a", "good"}


def test_eval_scores_a_gold_file(runner, tmp_path):
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps({"id": "g1", "text": "Egypt summoned the Turkish ambassador.", "date": "2013-11-23",
                                "events": [{"source": "EGY", "target": "TUR", "code": "114", "symmetric": False,
                                            "optional": False}], "sentence_class": 3}) + "\n", encoding="utf-8")
    result = runner.invoke(main, ["eval", str(gold), "--json"])
    assert result.exit_code == 0, result.output
    scores = json.loads(result.stdout)
    assert scores["events"]["levels"]["primary+root"]["recall"] == 1.0
    assert scores["sentence_classes"]["accuracy"] == 1.0


def test_actors_resolve_prints_json_and_null_for_unknown(runner):
    result = runner.invoke(main, ["actors", "resolve", "the Kremlin", "zzz qqq", "--date", "2020-03-16"])
    assert result.exit_code == 0, result.output
    rows = _jsonl(result.stdout)
    assert rows[0]["code"] == "RUSGOV" and rows[1]["code"] is None
    assert set(rows[0]) == {"text", "code", "country", "sectors", "name", "rule"}


def test_actors_resolve_reads_stdin(runner):
    result = runner.invoke(main, ["actors", "resolve"], input="Israeli police\nTurkish lawmakers\n")
    assert [r["code"] for r in _jsonl(result.stdout)] == ["ISRCOP", "TURLEG"]


def test_explain_shows_rules_and_events(runner):
    result = runner.invoke(main, ["explain", "Egypt summoned the Turkish ambassador.", "--date", "2013-11-23"])
    assert result.exit_code == 0, result.output
    assert "disapprove.summon-ambassador" in result.output and "114" in result.output


def test_demo_examples_code_without_errors(runner):
    result = runner.invoke(main, ["code", str(EXAMPLES), "--format", "jsonl", "--no-db", "-q"])
    assert result.exit_code == 0, result.output
    records = _jsonl(result.stdout)
    assert {r["doc_id"] for r in records} >= {"readout-phone-call", "wire-001", "ministry-statement"}

"""The `tacitus export` and `tacitus query` commands."""
from __future__ import annotations

import csv
import io
import json

import duckdb
import pytest
from click.testing import CliRunner

from tacitus.cli import main
from tacitus.export import GDELT_COLUMNS, ICEWS_COLUMNS, MERGED_COLUMNS
from tacitus.records import Actor, CodedDocument, Document, Event, Trigger
from tacitus.store import open_store
from tacitus.taxonomy import lookup


def _event(doc_id: str, sentence: int, date: str, code: str, src: str, tgt: str) -> Event:
    entry = lookup(code)
    return Event(doc_id=doc_id, sentence=sentence, date=date, code=code, root=entry.root, quad=entry.quad,
                 goldstein=entry.goldstein, plover=entry.plover, plover_mode=entry.plover_mode,
                 source=Actor(code=src, country=src[:3], sectors=[src[3:6]] if len(src) > 3 else []),
                 target=Actor(code=tgt, country=tgt[:3], sectors=[tgt[3:6]] if len(tgt) > 3 else []),
                 trigger=Trigger("met", 5 * sentence, 5 * sentence + 3), rule="t", symmetric=False,
                 sentence_text=f"Line {sentence}\twith a tab.", confidence=0.9)


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "store.duckdb"
    with open_store(path) as store:
        store.save_many([
            CodedDocument(Document("d1", "one", "2022-01-10", source="Lake Times"), [
                _event("d1", 0, "2022-01-10", "041", "KENGOV", "TZAGOV"),
                _event("d1", 1, "2022-01-10", "112", "TZA", "KEN"),
            ]),
            CodedDocument(Document("d2", "two", "2022-03-01"), [
                _event("d2", 0, "2022-03-01", "057", "KENGOV", "TZAGOV"),
                _event("d2", 2, "2022-03-01", "190", "ETHMIL", "ERI"),
            ]),
        ])
    return str(path)


@pytest.fixture
def runner():
    return CliRunner()


def _gdelt_rows(text: str) -> list[list[str]]:
    return [line.split("\t") for line in text.splitlines() if line]


def test_commands_have_help(runner):
    for args in (["export", "--help"], ["query", "--help"]):
        result = runner.invoke(main, args)
        assert result.exit_code == 0 and "Usage" in result.output


def test_export_gdelt_to_stdout(runner, db):
    result = runner.invoke(main, ["export", "--format", "gdelt", "--db", db, "-q", "-"])
    assert result.exit_code == 0, result.output
    rows = _gdelt_rows(result.stdout)
    assert len(rows) == 4 and all(len(r) == len(GDELT_COLUMNS) == 61 for r in rows)
    assert sorted(r[26] for r in rows) == ["041", "057", "112", "190"]


def test_export_filters_by_dyad_and_dates(runner, db):
    result = runner.invoke(main, ["export", "--format", "gdelt", "--db", db, "-q", "--dyad", "KEN>TZA", "-"])
    assert sorted(r[26] for r in _gdelt_rows(result.stdout)) == ["041", "057"]
    result = runner.invoke(main, ["export", "--format", "gdelt", "--db", db, "-q", "--dyad", "ken-tza",
                                  "--from", "2022-02-01", "--to", "2022-12-31", "-"])
    assert [r[26] for r in _gdelt_rows(result.stdout)] == ["057"]


def test_export_files_in_every_format(runner, db, tmp_path):
    for fmt in ("jsonl", "csv", "icews", "polecat", "gdelt", "parquet"):
        out = tmp_path / f"events.{fmt}"
        result = runner.invoke(main, ["export", "--format", fmt, "--db", db, str(out)])
        assert result.exit_code == 0, result.output
        assert "4 events" in result.stderr
    records = [json.loads(line) for line in (tmp_path / "events.jsonl").read_text().splitlines()]
    assert len(records) == 4 and set(records[0]) >= set(MERGED_COLUMNS)
    table = list(csv.reader(io.StringIO((tmp_path / "events.csv").read_text(encoding="utf-8"))))
    assert table[0] == list(MERGED_COLUMNS) and len(table) == 5
    icews = (tmp_path / "events.icews").read_text(encoding="utf-8").splitlines()
    assert icews[0].split("\t") == list(ICEWS_COLUMNS) and all(len(l.split("\t")) == 20 for l in icews)
    assert "Kenya" in icews[1] + icews[2] + icews[3] + icews[4]
    count = duckdb.connect().execute("SELECT count(*) FROM read_parquet(?)",
                                     [str(tmp_path / "events.parquet")]).fetchone()[0]
    assert count == 4


def test_export_errors_are_one_line_with_status_2(runner, tmp_path, db):
    missing = runner.invoke(main, ["export", "--format", "gdelt", "--db", str(tmp_path / "none.duckdb"), "-"])
    assert missing.exit_code == 2
    assert missing.stderr.startswith("error:") and len(missing.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "none.duckdb").exists()  # nothing created
    parquet = runner.invoke(main, ["export", "--format", "parquet", "--db", db, "-"])
    assert parquet.exit_code == 2 and "error:" in parquet.stderr
    bad_dyad = runner.invoke(main, ["export", "--db", db, "--dyad", "KENYA", "-"])
    assert bad_dyad.exit_code == 2
    nowhere = runner.invoke(main, ["export", "--db", db, str(tmp_path / "no" / "such" / "dir.jsonl")])
    assert nowhere.exit_code == 2 and nowhere.stderr.startswith("error:")


def test_query_time_series_as_json_and_csv(runner, db):
    result = runner.invoke(main, ["query", "--dyad", "KEN-TZA", "--db", db, "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert [r["period"] for r in rows] == ["2022-01-01", "2022-02-01", "2022-03-01"]
    assert [r["total"] for r in rows] == [2, 0, 1]
    assert rows[0]["quad1"] == 1 and rows[0]["quad3"] == 1 and rows[2]["quad1"] == 1  # 057 is verbal cooperation
    result = runner.invoke(main, ["query", "--dyad", "TZA>KEN", "--by", "year", "--db", db, "--format", "csv"])
    table = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [(r["period"], r["total"], r["quad3"]) for r in table] == [("2022-01-01", "1", "1")]


def test_query_table_and_top_lists(runner, db):
    result = runner.invoke(main, ["query", "--dyad", "KEN-TZA", "--db", db, "--by", "month"])
    assert result.exit_code == 0 and "2022-03-01" in result.stdout
    dyads = json.loads(runner.invoke(main, ["query", "--top", "dyads", "--db", db, "--format", "json"]).stdout)
    assert dyads[0]["dyad"] == "KEN>TZA" and dyads[0]["events"] == 2 and len(dyads) == 3
    codes = json.loads(runner.invoke(main, ["query", "--top", "codes", "--dyad", "KEN-TZA", "-n", "5",
                                            "--db", db, "--format", "json"]).stdout)
    assert sorted(c["code"] for c in codes) == ["041", "057", "112"]


def test_query_needs_a_dyad_or_top_and_an_existing_store(runner, db, tmp_path):
    assert runner.invoke(main, ["query", "--db", db]).exit_code == 2
    assert runner.invoke(main, ["query", "--top", "dyads", "--dyad", "KEN-TZA", "--db", db]).exit_code == 2
    assert runner.invoke(main, ["query", "--dyad", "KEN-TZA", "--by", "fortnight", "--db", db]).exit_code == 2
    missing = runner.invoke(main, ["query", "--dyad", "KEN-TZA", "--db", str(tmp_path / "x.duckdb")])
    assert missing.exit_code == 2 and len(missing.stderr.strip().splitlines()) == 1


STORY = ("Kenya and Tanzania held talks by telephone on Monday.\n"
         "The Kenyan foreign minister spoke by phone with his Tanzanian counterpart.\n"
         "Egypt accused Ethiopia of violating the agreement.\n")


@pytest.mark.slow
def test_code_then_export_gdelt(runner, tmp_path):
    story = tmp_path / "story.txt"
    story.write_text(STORY, encoding="utf-8")
    db = str(tmp_path / "coded.duckdb")
    coded = runner.invoke(main, ["code", str(story), "--date", "2021-05-03", "--db", db, "-q", "--format", "jsonl"])
    assert coded.exit_code == 0, coded.output
    codes = sorted({json.loads(line)["code"] for line in coded.stdout.splitlines() if line.startswith("{")})
    assert codes
    result = runner.invoke(main, ["export", "--format", "gdelt", "--db", db, "-q", "-"])
    assert result.exit_code == 0, result.output
    rows = _gdelt_rows(result.stdout)
    assert rows and all(len(r) == 61 for r in rows)
    assert sorted({r[26] for r in rows}) == codes  # codes as strings, leading zeros kept
    assert all(r[1] == "20210503" and r[60] for r in rows)

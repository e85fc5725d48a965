"""A `tacitus code` run killed with SIGKILL part-way, then run again, ends with the same store as a
run that was never interrupted (timestamps aside), and never holds half a document.

The runs are real processes (`python -m tacitus.cli`), so each loads the spaCy model once.
"""
from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from tacitus.store import open_store

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX signals")]

DOCUMENTS = 40
DATE = "2022-09-14"
COMMITS_BEFORE_KILL = 3

COUNTRIES = ["Germany", "France", "China", "Russia", "Egypt", "Turkey", "Japan", "India", "Brazil", "Kenya"]
ADJECTIVES = {"Germany": "German", "France": "French", "China": "Chinese", "Russia": "Russian",
              "Egypt": "Egyptian", "Turkey": "Turkish", "Japan": "Japanese", "India": "Indian",
              "Brazil": "Brazilian", "Kenya": "Kenyan"}
TEMPLATES = [
    "{a} condemned the attack on {b_adj} diplomats.",
    "{a} summoned the {b_adj} ambassador on Tuesday.",
    "The {a_adj} foreign minister met his {b_adj} counterpart in Geneva.",
    "{a} accused {b} of violating the ceasefire.",
    "{a} urged {b} to release the detained journalists.",
    "{a} praised {b} for its help after the floods.",
    "{a} threatened to impose sanctions on {b}.",
]


def _write_corpus(directory: Path) -> None:
    """News-like documents of two or three sentences; a few repeat the text of another (aliases)."""
    rng = random.Random(20220914)
    directory.mkdir()
    texts: list[str] = []
    for n in range(DOCUMENTS):
        if n % 13 == 12:
            text = texts[n // 2]  # same text as an earlier document, under another name
        else:
            sentences = []
            for _ in range(rng.randint(2, 3)):
                a, b = rng.sample(COUNTRIES[:5] if rng.random() < 0.6 else COUNTRIES, 2)
                sentences.append(rng.choice(TEMPLATES).format(a=a, b=b, a_adj=ADJECTIVES[a], b_adj=ADJECTIVES[b]))
            text = "\n".join(sentences) + "\n"
        texts.append(text)
        (directory / f"story-{n:03d}.txt").write_text(text, encoding="utf-8")


def _command(corpus: Path, db: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "tacitus.cli", *extra, "code", str(corpus), "--date", DATE, "--db", str(db),
            "--format", "jsonl"]


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONUNBUFFERED": "1"}


def _run_to_the_end(corpus: Path, db: Path, *extra: str) -> subprocess.CompletedProcess:
    done = subprocess.run([*_command(corpus, db), *extra], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                          text=True, timeout=240, env=_env())
    assert done.returncode == 0, done.stderr
    return done


def _kill_after_commits(corpus: Path, db: Path) -> None:
    """Start a run that commits every document and SIGKILL it once a few commits were logged."""
    process = subprocess.Popen([*_command(corpus, db, "-v"), "--commit-every", "1", "-q"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=_env())
    watchdog = threading.Timer(240, process.kill)  # never hang the suite
    watchdog.start()
    try:
        commits = 0
        for line in process.stderr:
            if "committed" in line:
                commits += 1
                if commits == COMMITS_BEFORE_KILL:
                    process.send_signal(signal.SIGKILL)
                    break
        process.wait()
    finally:
        watchdog.cancel()
        process.stderr.close()
    assert process.returncode == -signal.SIGKILL, "the run ended before it could be killed"


def _tables(db: Path) -> dict[str, list[tuple]]:
    """Every table's rows, sorted, without its timestamp columns (coded_at, date_added, ...)."""
    with open_store(db, read_only=True) as store:
        tables = [row[0] for row in store.execute(
            "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main' ORDER BY 1")]
        rows = {}
        for table in tables:
            columns = [name for name, kind in store.execute(
                "SELECT column_name, data_type FROM duckdb_columns() WHERE table_name = ? ORDER BY column_index",
                [table]) if not kind.startswith("TIMESTAMP")]
            quoted = ", ".join(f'"{c}"' for c in columns)
            rows[table] = store.execute(f"SELECT {quoted} FROM {table} ORDER BY ALL")
        return rows


def _mentions_by_document(db: Path) -> dict[str, set[str]]:
    with open_store(db, read_only=True) as store:
        by_doc: dict[str, set[str]] = {doc_id: set() for doc_id in store.document_ids()}
        for doc_id, mention in store.execute("SELECT doc_id, mention_id FROM mentions"):
            by_doc[doc_id].add(mention)
        return by_doc


def test_a_run_killed_part_way_resumes_to_the_same_store(tmp_path):
    corpus = tmp_path / "corpus"
    _write_corpus(corpus)
    whole = tmp_path / "whole.duckdb"
    _run_to_the_end(corpus, whole)
    expected = _tables(whole)
    assert {"meta", "documents", "mentions", "events", "aliases"} <= set(expected)
    assert len(expected["documents"]) + len(expected["aliases"]) == DOCUMENTS
    assert expected["aliases"] and expected["mentions"]
    assert len(expected["events"]) < len(expected["mentions"])  # some events were merged across documents
    complete = _mentions_by_document(whole)

    killed = tmp_path / "killed.duckdb"
    _kill_after_commits(corpus, killed)
    partial = _mentions_by_document(killed)
    assert COMMITS_BEFORE_KILL <= len(partial) < len(complete)
    # Every stored document is whole: all of its mentions, and the merged table agrees with them.
    for doc_id, mentions in partial.items():
        assert mentions == complete[doc_id], doc_id
    with open_store(killed, read_only=True) as store:
        recount = store.execute("SELECT event_id, count(*), count(DISTINCT doc_id) FROM mentions "
                                "GROUP BY event_id ORDER BY 1")
        assert store.execute("SELECT event_id, num_mentions, num_articles FROM events ORDER BY 1") == recount

    resumed = _run_to_the_end(corpus, killed)
    assert f"{len(partial)} skipped as already stored" in resumed.stderr
    assert _tables(killed) == expected

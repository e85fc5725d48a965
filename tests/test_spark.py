"""tacitus.spark in local mode: the events it writes are the local coder's events, partitioned by date.

Skipped when pyspark or Java is missing, except under CI=true, where it must run.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from pathlib import Path

import pytest

from tacitus.documents import read_documents
from tacitus.pipeline import code_documents
from tacitus.records import Document


def _missing() -> str | None:
    try:
        import pyspark  # noqa: F401
    except ImportError:
        return "pyspark is not installed"
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        return "Java is not installed (Spark needs a JVM)"
    return None


MISSING = _missing()
IN_CI = os.environ.get("CI") == "true"
pytestmark = pytest.mark.skipif(MISSING is not None and not IN_CI, reason=f"Spark test skipped: {MISSING}")

# Our own small documents: dated and undated, several sentences, one with no event, one bad line.
RECORDS = [
    {"id": "a1", "date": "2021-03-02", "text": "France condemned Russia over the attack on the port.\n"
                                               "Russia rejected a proposal from France on grain exports."},
    {"id": "a2", "date": "2021-03-02", "text": "The Chinese foreign ministry urged Japan to resume talks."},
    {"id": "b1", "date": "2021-03-05", "text": "Iran accused Israel of violating the ceasefire. "
                                               "Israeli troops shelled positions near the border."},
    {"id": "c1", "text": "Brazil signed an agreement with Argentina on energy supplies."},  # no date
    {"id": 7, "date": "2021-04-01T09:30:00", "text": "Officials gave no further details."},
    {"text": "Pakistan expelled two diplomats from India.", "date": "2021-04-01"},  # id from the text hash
]


@pytest.fixture(scope="module")
def spark():
    if MISSING is not None:
        pytest.fail(f"CI=true, so the Spark test must run, but {MISSING}")
    from tacitus.spark import spark_session

    session = spark_session("local[2]", "tacitus-test", {
        "spark.ui.enabled": "false", "spark.ui.showConsoleProgress": "false", "spark.sql.shuffle.partitions": "2",
        "spark.driver.memory": "1g", "spark.sql.session.timeZone": "UTC",
        # A short-lived test JVM starts faster with the quick JIT and the simple collector.
        "spark.driver.extraJavaOptions": "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC",
    })
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.fixture(scope="module")
def jsonl_input(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("input") / "news.jsonl"
    lines = [json.dumps(r) for r in RECORDS] + ["{not json"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def local_events(jsonl_input) -> list[dict]:
    documents = [d for d in read_documents([str(jsonl_input)]) if isinstance(d, Document)]
    return _sorted([e.to_dict() for coded in code_documents(documents) for e in coded.events])


def _sorted(events: list[dict]) -> list[dict]:
    return sorted(events, key=lambda e: json.dumps(e, sort_keys=True))


def _spark_events(spark, path: Path) -> list[dict]:
    from tacitus.spark import read_events

    return _sorted([row.asDict(recursive=True) for row in read_events(spark, str(path)).collect()])


def test_jsonl_on_spark_gives_the_local_events(spark, jsonl_input, local_events, tmp_path):
    from tacitus.spark import NULL_PARTITION, code_spark

    out = tmp_path / "events"
    summary = code_spark(str(jsonl_input), str(out), "jsonl", spark=spark, partitions=2)
    assert len(local_events) >= 5
    assert {e["date"] for e in local_events} >= {"2021-03-02", "2021-03-05", None}
    assert _spark_events(spark, out) == local_events
    assert (summary.documents, summary.events, summary.failures) == (len(RECORDS), len(local_events), 1)
    partitions = {p.name for p in out.iterdir() if p.is_dir()}
    assert "date=2021-03-02" in partitions and f"date={NULL_PARTITION}" in partitions


def test_parquet_input_gives_the_same_events(spark, jsonl_input, local_events, tmp_path):
    from pyspark.sql.types import DateType, StringType, StructField, StructType

    from tacitus.spark import code_spark

    # A typed table as a user would have it: a real date column and an extra column the coder ignores.
    schema = StructType([StructField("id", StringType()), StructField("text", StringType()),
                         StructField("date", DateType()), StructField("lang", StringType())])
    rows = [(str(r["id"]) if "id" in r else None, r["text"],
             dt.date.fromisoformat(r["date"][:10]) if "date" in r else None, "en") for r in RECORDS]
    table = tmp_path / "news.parquet"
    spark.createDataFrame(rows, schema).write.parquet(str(table))

    out = tmp_path / "events"
    code_spark(str(table), str(out), "parquet", spark=spark)
    assert _spark_events(spark, out) == local_events


def test_existing_output_is_kept_unless_overwritten(spark, jsonl_input, tmp_path):
    from tacitus.spark import code_spark

    out = tmp_path / "events"
    out.mkdir()
    (out / "keep.txt").write_text("mine")
    with pytest.raises(Exception, match="(?i)already exists"):
        code_spark(str(jsonl_input), str(out), "jsonl", spark=spark)
    assert (out / "keep.txt").exists()


def test_spark_command_codes_and_refuses_to_clobber(spark, jsonl_input, local_events, tmp_path):
    from click.testing import CliRunner

    from tacitus.cli import main

    out = tmp_path / "events"
    # The command picks up the running local session; the bad JSON line makes it exit 1, as `code` does.
    result = CliRunner().invoke(main, ["spark", str(jsonl_input), str(out), "--min-confidence", "0.5"])
    assert result.exit_code == 1, result.output
    assert f"{len(RECORDS)} documents" in result.output and "1 failed" in result.output
    events = _spark_events(spark, out)
    assert events == [e for e in local_events if e["confidence"] >= 0.5]
    again = CliRunner().invoke(main, ["spark", str(jsonl_input), str(out)])
    assert again.exit_code == 2 and "spark:" in again.output


def _write_warc(path: Path) -> None:
    """A small web archive of our own: two HTML articles, a plain-text statement, a request record."""
    import io

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    pages = [
        ("https://news.example/a", "text/html; charset=utf-8",
         "<html><head><title>Border talks</title></head><body><article><h1>Border talks</h1>"
         "<p>Germany condemned Russia over the attack on the port on Monday.</p>"
         "<p>The German foreign ministry urged Moscow to resume talks on grain exports.</p>"
         "</article></body></html>"),
        ("https://news.example/b", "text/plain; charset=utf-8",
         "Egypt signed an agreement with Sudan on water.\nSudan praised Egypt for its help."),
    ]
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=True)
        for uri, content_type, body in pages:
            headers = StatusAndHeaders("200 OK", [("Content-Type", content_type)], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(
                uri, "response", payload=io.BytesIO(body.encode("utf-8")), http_headers=headers,
                warc_headers_dict={"WARC-Date": "2021-05-04T08:00:00Z"}))
        writer.write_record(writer.create_warc_record(
            "https://news.example/a", "request", payload=io.BytesIO(b"GET /a HTTP/1.1\r\n\r\n")))


def test_warc_files_give_the_local_events(spark, tmp_path):
    from tacitus.spark import code_spark

    folder = tmp_path / "crawl"
    folder.mkdir()
    _write_warc(folder / "part-1.warc.gz")
    documents = [d for d in read_documents([str(folder / "part-1.warc.gz")]) if isinstance(d, Document)]
    local = _sorted([e.to_dict() for coded in code_documents(documents) for e in coded.events])
    assert len(documents) == 2 and local  # both pages are documents, and they code to events

    out = tmp_path / "events"
    summary = code_spark(str(folder), str(out), "warc", spark=spark)
    assert summary.documents == 2
    assert _spark_events(spark, out) == local

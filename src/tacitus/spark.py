"""Coding on Apache Spark: the same coder as `tacitus code`, spread over a cluster.

    tacitus spark INPUT OUTPUT [--format jsonl|parquet|warc] [--master URL]
    python -m tacitus.spark INPUT OUTPUT ...
    spark-submit --master yarn src/tacitus/spark.py INPUT OUTPUT ...

Documents are read into partitions (JSONL lines with Spark's text reader, Parquet rows, or whole WARC
files), and each partition is coded with `mapPartitions` by `tacitus.code_documents`. A Python worker
process of an executor loads the spaCy pipeline, the actor dictionary and the patterns once (they are
cached at module level, see `tacitus.nlp.load_pipeline`) and keeps them for every later partition,
since Spark reuses its Python workers. The events are written as Parquet, one row per event with the
columns of the event record (DESIGN.md; actors and trigger as structs), partitioned by `date`:
`OUTPUT/date=2020-03-16/part-....parquet`. Events without a date go to Spark's null partition,
`OUTPUT/date=__HIVE_DEFAULT_PARTITION__/`, which reads back as a null `date`.

The input is read with Tacitus' own readers (`tacitus.documents`), so document ids, dates and texts are
those of a local run on the same input, and so are the events. Every node needs Tacitus, spaCy and the
model installed in the Python that Spark runs (`spark.pyspark.python`); see the README.
"""
from __future__ import annotations

import json
import logging
import os
import sys
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from tacitus.documents.base import DEFAULT_COLUMNS, BadInput, parse_date
from tacitus.errors import InputError
from tacitus.pipeline import CoderOptions, code_documents
from tacitus.records import Document, Event, ReadFailure

log = logging.getLogger(__name__)
log.addHandler(logging.NullHandler())

INPUT_FORMATS = ("jsonl", "parquet", "warc")
PARTITION_COLUMN = "date"
NULL_PARTITION = "__HIVE_DEFAULT_PARTITION__"  # Spark's (and Hive's) directory name for a null date
FAILURES_LOGGED_PER_PARTITION = 5


@dataclass
class SparkRunSummary:
    documents: int
    events: int
    failures: int  # inputs that could not be read (each is logged on its executor)


# --- the output schema -------------------------------------------------------------------------------------

def event_schema():
    """The Spark schema of an event row: the event record's keys and types (DESIGN.md)."""
    from pyspark.sql.types import (
        ArrayType, BooleanType, DoubleType, IntegerType, StringType, StructField, StructType,
    )

    actor = StructType([
        StructField("code", StringType()), StructField("country", StringType()),
        StructField("sectors", ArrayType(StringType())), StructField("name", StringType()),
        StructField("text", StringType()), StructField("start", IntegerType()),
        StructField("end", IntegerType()), StructField("rule", StringType()),
    ])
    trigger = StructType([StructField("text", StringType()), StructField("start", IntegerType()),
                          StructField("end", IntegerType())])
    return StructType([
        StructField("doc_id", StringType(), nullable=False),
        StructField("sentence", IntegerType()),
        StructField("date", StringType()),
        StructField("code", StringType()),
        StructField("root", StringType()),
        StructField("quad", IntegerType()),
        StructField("goldstein", DoubleType()),
        StructField("plover", StringType()),
        StructField("plover_mode", StringType()),
        StructField("source", actor),
        StructField("target", actor),
        StructField("trigger", trigger),
        StructField("rule", StringType()),
        StructField("symmetric", BooleanType()),
        StructField("sentence_text", StringType()),
        StructField("confidence", DoubleType()),
    ])


def _conform(value: Any, field_type) -> Any:
    """A record value shaped as the schema wants it: a struct as a tuple in field order, floats as floats."""
    from pyspark.sql.types import DoubleType, StructType

    if value is None:
        return None
    if isinstance(field_type, StructType):
        return tuple(_conform(value.get(f.name), f.dataType) for f in field_type.fields)
    if isinstance(field_type, DoubleType):
        return float(value)
    return value


def spark_event_row(event: Event, schema=None) -> tuple:
    """One event as a row of `event_schema()` (keys the schema does not know are left out)."""
    return _conform(event.to_dict(), schema or event_schema())


# --- reading documents (on the executors) ---------------------------------------------------------------------

def _documents_from_lines(lines: Iterable[str], default_date: str | None,
                          columns=None) -> Iterator[Document | ReadFailure]:
    """Documents from JSON lines, as the JSONL reader makes them (ids, dates, column mapping)."""
    from tacitus.documents.jsonl import record_document

    for line in lines:
        line = line.removeprefix("\ufeff")  # a byte-order mark opens some files' first line
        if not line.strip():
            continue
        try:
            yield record_document(line, origin="<spark>", default_date=default_date,
                                  columns=columns or DEFAULT_COLUMNS)
        except BadInput as exc:
            yield ReadFailure("<spark>", str(exc))


def _documents_from_files(files: Iterable[tuple[str, bytes]], default_date: str | None,
                          columns=None) -> Iterator[Document | ReadFailure]:
    """Documents from whole files (path, bytes), through `tacitus.documents.read_documents`.

    The bytes are written to a local temporary file of the same name, so that the reader picks the
    same kind (by extension) as it would for the original path.
    """
    from tacitus.documents import read_documents

    for path, data in files:
        name = os.path.basename(path.rstrip("/")) or "input"
        with tempfile.TemporaryDirectory(prefix="tacitus-spark-") as tmp:
            local = Path(tmp) / name
            local.write_bytes(data)
            del data
            for item in read_documents([str(local)], date=default_date, columns=columns):
                if isinstance(item, ReadFailure):
                    item = ReadFailure(path, item.message, item.line)
                yield item


def _code_partition(items: Iterable[Document | ReadFailure], options: CoderOptions, counters) -> Iterator[tuple]:
    """Code one partition's documents; yields event rows. Runs on an executor's Python worker."""
    schema = event_schema()
    documents = events = failures = 0

    def only_documents() -> Iterator[Document]:
        nonlocal documents, failures
        for item in items:
            if isinstance(item, ReadFailure):
                failures += 1
                if failures <= FAILURES_LOGGED_PER_PARTITION:
                    log.warning("skipped input: %s", item)
                continue
            documents += 1
            yield item

    for coded in code_documents(only_documents(), options):
        events += len(coded.events)
        for event in coded.events:
            yield spark_event_row(event, schema)
    counters[0].add(documents)
    counters[1].add(events)
    counters[2].add(failures)


# --- the job --------------------------------------------------------------------------------------------------

def spark_session(master: str | None = None, app_name: str = "tacitus", config: dict[str, str] | None = None):
    """A SparkSession (the running one if there is one, e.g. under spark-submit).

    In local mode the Python workers run this very Python (where Tacitus and the model are installed)
    unless PYSPARK_PYTHON says otherwise.
    """
    from pyspark.sql import SparkSession

    if (master is None or master.startswith("local")) and "PYSPARK_PYTHON" not in os.environ:
        os.environ["PYSPARK_PYTHON"] = sys.executable
    builder = SparkSession.builder.appName(app_name)
    if master:
        builder = builder.master(master)
    for key, value in (config or {}).items():
        builder = builder.config(key, value)
    return builder.getOrCreate()


def read_documents_rdd(spark, input_path: str | list[str], input_format: str = "jsonl", *,
                       default_date: str | None = None, columns=None, partitions: int | None = None):
    """An RDD of Documents (and ReadFailures) from JSONL, Parquet or WARC input."""
    if input_format not in INPUT_FORMATS:
        raise ValueError(f"input format must be one of {INPUT_FORMATS}, not {input_format!r}")
    paths = [input_path] if isinstance(input_path, str) else list(input_path)
    context = spark.sparkContext
    if input_format == "jsonl":
        lines = context.textFile(",".join(paths), minPartitions=partitions or context.defaultParallelism)
        rdd = lines.mapPartitions(lambda part: _documents_from_lines(part, default_date, columns))
    elif input_format == "parquet":
        from pyspark.sql.functions import struct, to_json

        frame = spark.read.parquet(*paths)
        wanted = [c for c in frame.columns if c in _mapped_columns(columns)]
        text_column = (columns or DEFAULT_COLUMNS).text
        if text_column not in wanted:
            raise InputError(f"{', '.join(paths)}: no {text_column!r} column in the Parquet input "
                             f"(it has: {', '.join(frame.columns)})")
        # Spark writes each row as one JSON object (dates as YYYY-MM-DD, nulls left out), which the
        # JSONL reader then reads as it reads a line of a .jsonl file.
        lines = frame.select(to_json(struct(*wanted)).alias("line")).rdd.map(lambda row: row.line)
        rdd = lines.mapPartitions(lambda part: _documents_from_lines(part, default_date, columns))
    else:
        files = context.binaryFiles(",".join(paths), minPartitions=partitions or context.defaultParallelism)
        rdd = files.mapPartitions(lambda part: _documents_from_files(part, default_date, columns))
    if partitions and input_format == "parquet":
        rdd = rdd.repartition(partitions)
    return rdd


def _mapped_columns(columns) -> set[str]:
    mapping = columns or DEFAULT_COLUMNS
    names = {getattr(mapping, part, None) for part in ("text", "id", "date", "url", "title", "source")}
    return {n for n in names if n}


def code_spark(input_path: str | list[str], output_path: str, input_format: str = "jsonl", *,
               spark=None, options: CoderOptions = CoderOptions(), default_date: str | None = None,
               columns=None, partitions: int | None = None, mode: str = "errorifexists") -> SparkRunSummary:
    """Code JSONL, Parquet or WARC input on Spark and write the events as Parquet partitioned by date.

    `spark`: a SparkSession (default: the active one, or a new local one); `options`: as for
    `code_documents` (`jobs` is ignored: Spark's executors are the parallelism); `default_date`: the
    publication date of documents that carry none; `columns`: a `tacitus.documents.ColumnMapping`
    for JSONL/Parquet field names; `partitions`: how many partitions to code in (default: the input's,
    at least Spark's default parallelism for JSONL and WARC); `mode`: Spark's save mode ("overwrite" to
    replace an existing output).
    """
    if default_date is not None:
        try:
            default_date = parse_date(default_date)
        except BadInput as exc:
            raise InputError(f"default document date: {exc}") from None
    spark = spark or spark_session()
    context = spark.sparkContext
    counters = (context.accumulator(0), context.accumulator(0), context.accumulator(0))
    coder_options = replace(options, jobs=1)
    documents = read_documents_rdd(spark, input_path, input_format, default_date=default_date,
                                   columns=columns, partitions=partitions)
    rows = documents.mapPartitions(lambda part: _code_partition(part, coder_options, counters))
    frame = spark.createDataFrame(rows, schema=event_schema())
    frame.write.partitionBy(PARTITION_COLUMN).mode(mode).parquet(output_path)
    summary = SparkRunSummary(documents=counters[0].value, events=counters[1].value, failures=counters[2].value)
    log.info("coded %d documents, %d events, %d inputs failed -> %s", summary.documents, summary.events,
             summary.failures, output_path)
    return summary


def read_events(spark, path: str):
    """The events a run wrote, with `date` as a string column as in the event record (null for no date)."""
    return spark.read.schema(event_schema()).parquet(path)


# --- command line ---------------------------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    """`python -m tacitus.spark` and `spark-submit src/tacitus/spark.py`; the `tacitus spark` command's work."""
    import argparse

    parser = argparse.ArgumentParser(prog="tacitus.spark", description="Code documents on Apache Spark.")
    parser.add_argument("input", nargs="+", help="input file(s) or folder(s); any path Spark reads (hdfs://, s3a://)")
    parser.add_argument("output", help="output folder for the Parquet events, partitioned by date")
    parser.add_argument("--format", dest="input_format", choices=INPUT_FORMATS, default="jsonl")
    parser.add_argument("--master", help="Spark master URL (default: spark-submit's, else local[*])")
    parser.add_argument("--date", help="publication date for documents that have none (YYYY-MM-DD)")
    parser.add_argument("--min-confidence", type=float, default=0.0)
    parser.add_argument("--actors", action="append", default=[], help="an extra actor dictionary file")
    parser.add_argument("--patterns", action="append", default=[], help="an extra event pattern file")
    parser.add_argument("--partitions", type=int, help="partitions to code in")
    parser.add_argument("--overwrite", action="store_true", help="replace the output folder if it exists")
    args = parser.parse_args(argv)
    options = CoderOptions(actor_files=tuple(args.actors), pattern_files=tuple(args.patterns),
                           min_confidence=args.min_confidence)
    spark = spark_session(args.master)
    summary = code_spark(args.input, args.output, args.input_format, spark=spark, options=options,
                         default_date=args.date, partitions=args.partitions,
                         mode="overwrite" if args.overwrite else "errorifexists")
    print(f"{summary.documents} documents, {summary.events} events, {summary.failures} failed -> {args.output}",
          file=sys.stderr)
    return 1 if summary.failures else 0


if __name__ == "__main__":
    # Under spark-submit this file runs as __main__; call the installed module so that the functions
    # Spark ships to executors are tacitus.spark's (imported there once) rather than copies of __main__'s.
    from tacitus.spark import main as _main

    sys.exit(_main())

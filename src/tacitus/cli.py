"""The `tacitus` command: a thin layer over the Python API.

Each command parses its options, calls library functions and turns a TacitusError into one line
on stderr. Logs are quiet unless -v/-vv is given.
"""
from __future__ import annotations

import json
import logging
import sys
from collections.abc import Iterator

import click

from .errors import TacitusError
from .store import COMMIT_DOCUMENTS, COMMIT_SECONDS

log = logging.getLogger("tacitus")
PROGRESS_THRESHOLD = 5  # a progress bar only for more documents than this


def _setup_logging(verbose: int) -> None:
    level = logging.WARNING if verbose == 0 else logging.INFO if verbose == 1 else logging.DEBUG
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)


def _fail(message: str) -> None:
    click.echo(f"error: {message}", err=True)


def _valid_date(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    import datetime as dt

    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date YYYY-MM-DD") from None


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="tacitus")
@click.option("-v", "--verbose", count=True, help="More log output on stderr (-vv for debug).")
def main(verbose: int) -> None:
    """Tacitus: who did what to whom, when — CAMEO and PLOVER events from news text."""
    _setup_logging(verbose)


def _options(actors: tuple[str, ...], patterns: tuple[str, ...], min_confidence: float, one_sided: bool = False,
             **more):
    from .pipeline import CoderOptions

    return CoderOptions(actor_files=actors, pattern_files=patterns, min_confidence=min_confidence,
                        one_sided=one_sided, **more)


_one_sided_option = click.option(
    "--one-sided", is_flag=True,
    help="Also keep events the text names only one party of (off: an interaction needs both).")


_actors_option = click.option("--actors", "actors", multiple=True, type=click.Path(exists=True, dir_okay=False),
                              help="An extra actor dictionary file (JSONL, see data/actors/FORMAT.md).")
_patterns_option = click.option("--patterns", "patterns", multiple=True,
                                type=click.Path(exists=True, dir_okay=False),
                                help="An extra event pattern file (JSONL, see data/patterns/README.md).")


@main.command("code")
@click.argument("paths", nargs=-1, required=True)
@click.option("--date", callback=_valid_date, help="Publication date for documents that have none (YYYY-MM-DD).")
@click.option("--format", "fmt", type=click.Choice(["table", "jsonl"]), default="table", show_default=True)
@click.option("--db", default="tacitus.duckdb", show_default=True, help="DuckDB file to store events in.")
@click.option("--no-db", is_flag=True, help="Do not store anything.")
@click.option("--recode", is_flag=True, help="Code documents again even when the store already has them.")
@click.option("--min-confidence", type=click.FloatRange(0, 1), default=0.0, show_default=True,
              help="Drop events the coder is less sure of.")
@click.option("--jobs", type=click.IntRange(min=1), default=None,
              help="Worker processes that code documents "
                   "[default: all cores, for runs of 200 documents or more].")
@click.option("--commit-every", type=click.IntRange(min=1), default=COMMIT_DOCUMENTS, show_default=True,
              help=f"Documents per store transaction (a batch is also committed after {COMMIT_SECONDS:g} s).")
@click.option("--text-col", help="CSV column / JSONL field with the text [default: text].")
@click.option("--id-col", help="... with the document id [default: id].")
@click.option("--date-col", help="... with the publication date [default: date].")
@click.option("--url-col", help="... with the url [default: url].")
@click.option("--title-col", help="... with the title [default: title].")
@click.option("--source-col", help="... with the outlet [default: source].")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar or summary.")
@_one_sided_option
@_actors_option
@_patterns_option
def code_command(paths: tuple[str, ...], date: str | None, fmt: str, db: str, no_db: bool, recode: bool,
                 min_confidence: float, jobs: int | None, commit_every: int,
                 text_col: str | None, id_col: str | None, date_col: str | None, url_col: str | None,
                 title_col: str | None, source_col: str | None,
                 quiet: bool, one_sided: bool, actors: tuple[str, ...], patterns: tuple[str, ...]) -> None:
    """Code documents (.txt, .html, .jsonl, .csv, .warc, compressed, directories, - for stdin).

    Documents the store already has are skipped (resume an interrupted run; --recode codes them
    again), and a document whose text is already stored under another id is recorded as an alias
    of it. Documents are stored one transaction per batch.
    """
    from collections import Counter
    from contextlib import nullcontext

    from rich.console import Console

    from .documents import ColumnMapping, read_documents
    from .export import render_table
    from .pipeline import code_documents
    from .records import Document, ReadFailure
    from .store import BatchWriter, Triage, TriageStatus, event_json, open_store, text_sha1

    counts: Counter[str] = Counter()  # read, coded, stored, duplicates, events
    failures: list[ReadFailure] = []
    first_of_text: dict[bytes, str] = {}  # text SHA-1 -> id of the first document of this run with it
    models: set[str] = set()  # spaCy model(s) that parsed the coded documents
    store = writer = progress = None

    def skipped(document: Document, triage: Triage | None) -> bool:
        """True (and counted, and an alias recorded) for a document not to be coded, given what the
        store says of it (`triage`, None without a store) and the documents before it in this run."""
        sha1 = triage.text_sha1 if triage is not None else text_sha1(document.text)
        first = first_of_text.get(bytes.fromhex(sha1))
        if first is not None:  # seen in this run, perhaps not yet stored
            if first == document.id:
                counts["stored"] += 1
            else:
                counts["duplicates"] += 1
                if writer is not None:
                    writer.add_alias(document.id, first, document.origin)
            return True
        if triage is not None:
            if triage.status is TriageStatus.STORED and not recode:
                counts["stored"] += 1
                return True
            if triage.status is TriageStatus.DUPLICATE:
                counts["duplicates"] += 1
                writer.add_alias(document.id, triage.of, document.origin)
                return True
        first_of_text[bytes.fromhex(sha1)] = document.id
        return False

    def read() -> Iterator[Document]:
        for item in read_documents(paths, date=date, columns=columns):
            if isinstance(item, ReadFailure):
                failures.append(item)
                _fail(str(item))
                continue
            yield item

    def documents() -> Iterator[Document]:
        # The store judges a chunk of documents with one lookup, not one per document; without a
        # store, documents go on one by one.
        for chunk in _chunks(read(), TRIAGE_CHUNK if store is not None else 1):
            triages = store.triage_many(chunk) if store is not None else [None] * len(chunk)
            for document, triage in zip(chunk, triages):
                counts["read"] += 1
                if skipped(document, triage):
                    progress.update(counts["read"], counts["events"])
                    continue
                yield document

    interrupted = False
    try:
        columns = ColumnMapping.from_options(text=text_col, id=id_col, date=date_col, url=url_col,
                                             title=title_col, source=source_col)
        options = _options(actors, patterns, min_confidence, one_sided, jobs=0 if jobs is None else jobs)
        store = None if no_db else open_store(db, threads=1)  # see open_store: the coder needs the CPU
        table_events = []
        with _progress(Console(stderr=True), quiet) as progress, \
                (nullcontext() if store is None else BatchWriter(store, commit_every)) as writer:
            try:
                for coded in code_documents(documents(), options):
                    counts["coded"] += 1
                    counts["events"] += len(coded.events)
                    models.add(coded.model)
                    # Each event's JSON line, made once for stdout and the store's record of it.
                    records = [event_json(event) for event in coded.events] if fmt == "jsonl" else None
                    if writer is not None:
                        writer.add(coded, records)
                    if fmt == "jsonl":
                        sys.stdout.write("".join(f"{record}\n" for record in records))
                        sys.stdout.flush()
                    else:
                        table_events.extend(coded.events)
                    progress.update(counts["read"], counts["events"])
            except KeyboardInterrupt:  # the writer still commits the documents coded so far
                interrupted = True
        if fmt == "table" and not interrupted:
            render_table(table_events, Console())
        if not quiet:
            for line in _code_summary(counts, failures, writer, store, models, interrupted):
                click.echo(line, err=True)
    except TacitusError as exc:
        _fail(str(exc))
        sys.exit(2)
    finally:
        if store is not None:
            store.close()
    if interrupted:
        sys.exit(130)
    if failures:
        sys.exit(1)


TRIAGE_CHUNK = 64  # documents `tacitus code` reads ahead to look up in the store at once


def _chunks(items: Iterator, size: int) -> Iterator[list]:
    """Lists of `size` consecutive items (the last one shorter)."""
    from itertools import islice

    while chunk := list(islice(items, size)):
        yield chunk


def _code_summary(counts, failures, writer, store, models: set[str], interrupted: bool) -> list[str]:
    """The closing lines of `tacitus code` on stderr: what was read, skipped, failed and stored."""
    from collections import Counter

    lines = [("interrupted: " if interrupted else "")
             + f"{counts['read']} documents read: {counts['coded']} coded, "
             f"{counts['stored']} skipped as already stored, {counts['duplicates']} skipped as duplicates "
             f"(aliases), {len(failures)} failed"]
    if store is None:
        lines.append(f"{counts['events']} events found, not stored (--no-db)")
    else:
        lines.append(f"{counts['events']} events found, {writer.mentions} mentions stored; {store.path} holds "
                     f"{store.count_documents()} documents, {store.count_mentions()} mentions, "
                     f"{store.count_events()} merged events, {store.count_aliases()} aliases")
    reasons = Counter(failure.message for failure in failures)
    for reason, count in reasons.most_common(5):
        lines.append(f"failed: {count} x {reason}")
    if len(reasons) > 5:
        lines.append(f"failed: {len(failures) - sum(n for _, n in reasons.most_common(5))} more, "
                     f"{len(reasons) - 5} other reasons")
    if models:
        lines.append(f"model: {', '.join(sorted(models))}")
    return lines


class _progress:
    """A progress bar on stderr (documents, documents/s, events) once more than a few documents came through."""

    def __init__(self, console, quiet: bool):
        self.console, self.quiet, self.bar, self.task = console, quiet, None, None
        self.first: tuple[int, float] | None = None  # (documents, time) at the first update: model loading aside

    def __enter__(self) -> "_progress":
        return self

    def update(self, documents: int, events: int) -> None:
        if self.quiet:
            return
        import time

        now = time.monotonic()
        if self.first is None:
            self.first = (documents, now)
        if documents <= PROGRESS_THRESHOLD:
            return
        if self.bar is None:
            from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

            self.bar = Progress(SpinnerColumn(), TextColumn("{task.completed} documents ({task.fields[rate]:.1f}/s), "
                                                            "{task.fields[events]} events"),
                                TimeElapsedColumn(), console=self.console, transient=True)
            self.bar.start()
            self.task = self.bar.add_task("coding", total=None, events=0, rate=0.0)
        rate = (documents - self.first[0]) / max(now - self.first[1], 1e-9)
        self.bar.update(self.task, completed=documents, events=events, rate=rate)

    def __exit__(self, *exc) -> None:
        if self.bar is not None:
            self.bar.stop()


@main.command("eval")
@click.argument("gold", type=click.Path(exists=True, dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
@click.option("--errors", is_flag=True, help="Also list missed gold events and false positives per document.")
@click.option("--min-confidence", type=click.FloatRange(0, 1), default=0.0, show_default=True)
@_one_sided_option
@click.option("--classes-as-coded", is_flag=True,
              help="Score sentence classes on the events as coded (by default every event found counts, "
                   "with or without both parties, as the scale is defined).")
@_actors_option
@_patterns_option
def eval_command(gold: str, as_json: bool, errors: bool, min_confidence: float, one_sided: bool,
                 classes_as_coded: bool, actors: tuple[str, ...], patterns: tuple[str, ...]) -> None:
    """Code the texts of a gold file and print precision/recall/F1 and sentence-class scores."""
    from .evaluate import CLASSES_AS_CODED, CLASSES_FROM_ALL_EVENTS, render_report, scores_to_json
    from .nlp import model_name
    from .pipeline import evaluate_gold

    try:
        result = evaluate_gold(gold, _options(actors, patterns, min_confidence, one_sided), classes_as_coded)
    except TacitusError as exc:
        _fail(str(exc))
        sys.exit(2)
    if as_json:
        data = scores_to_json(result.event_scores, result.class_scores)
        data["model"] = model_name()
        data["gold"] = gold
        data["one_sided"] = one_sided
        data["sentence_classes_from"] = CLASSES_AS_CODED if classes_as_coded else CLASSES_FROM_ALL_EVENTS
        click.echo(json.dumps(data, indent=2))
        return
    click.echo(f"{gold} ({model_name()}{', one-sided events kept' if one_sided else ''})")
    click.echo(render_report(result.event_scores, result.class_scores,
                             CLASSES_AS_CODED if classes_as_coded else CLASSES_FROM_ALL_EVENTS), nl=False)
    if errors and result.event_scores is not None:
        for document in result.event_scores.documents:
            level = document.levels["primary+root"]
            if not level.missed and not level.false_positives:
                continue
            click.echo(f"\n{document.doc_id}")
            for g in level.missed:
                click.echo(f"  missed   {g}")
            for p in level.false_positives:
                click.echo(f"  extra    {p}")


@main.group("actors")
def actors_group() -> None:
    """Inspect actor resolution."""


@actors_group.command("resolve")
@click.argument("texts", nargs=-1)
@click.option("--date", callback=_valid_date, help="Date the phrase is resolved for (YYYY-MM-DD).")
@click.option("--format", "fmt", type=click.Choice(["table", "jsonl"]), default="jsonl", show_default=True)
@_actors_option
def actors_resolve(texts: tuple[str, ...], date: str | None, fmt: str, actors: tuple[str, ...]) -> None:
    """Resolve phrases to actor codes (one phrase a line from stdin when none is given)."""
    from .actors import resolve_actors

    phrases = list(texts) or [line.strip() for line in sys.stdin if line.strip()]
    rows = []
    try:
        for phrase, actor in zip(phrases, resolve_actors([(p, date) for p in phrases], actors)):
            rows.append({"text": phrase, "code": actor.code, "country": actor.country, "sectors": actor.sectors,
                         "name": actor.name, "rule": actor.rule})
    except TacitusError as exc:
        _fail(str(exc))
        sys.exit(2)
    if fmt == "jsonl":
        for row in rows:
            click.echo(json.dumps(row, ensure_ascii=False))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table("text", "code", "country", "sectors", "name", "rule")
    for row in rows:
        table.add_row(row["text"], row["code"] or "-", row["country"] or "-", ",".join(row["sectors"]),
                      row["name"] or "-", row["rule"] or "-")
    Console().print(table)


@main.command("explain")
@click.argument("sentence")
@click.option("--date", callback=_valid_date, help="Document date (YYYY-MM-DD).")
@_one_sided_option
@_actors_option
@_patterns_option
def explain_command(sentence: str, date: str | None, one_sided: bool, actors: tuple[str, ...],
                    patterns: tuple[str, ...]) -> None:
    """Show tokens, actor mentions, the rules that fired and the events of one text."""
    from rich.console import Console

    from .explain import explain_text, render_explanation

    try:
        explanation = explain_text(sentence, date, _options(actors, patterns, 0.0, one_sided))
    except TacitusError as exc:
        _fail(str(exc))
        sys.exit(2)
    render_explanation(explanation, Console())


def _open_existing_store(db: str):
    """The store at `db`, read-only; a missing file is one line on stderr and exit status 2."""
    from pathlib import Path

    from .store import open_store

    if not Path(db).is_file():
        _fail(f"{db}: no event store there (store events with `tacitus code --db {db} ...` first)")
        sys.exit(2)
    return open_store(db, read_only=True)


def _valid_dyad(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    from .store import parse_dyad

    try:
        parse_dyad(value)  # only checks it: the store reads the dyad itself
        return value.strip().upper()
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


_EXPORT_FORMATS = ("jsonl", "csv", "parquet", "gdelt", "icews", "polecat")  # tacitus.export.EXPORT_FORMATS


@main.command("export")
@click.argument("out")
@click.option("--format", "fmt", type=click.Choice(_EXPORT_FORMATS), default="jsonl", show_default=True,
              help="gdelt: GDELT 2.0's 61 columns, no header; icews, polecat: their columns, with a header.")
@click.option("--db", default="tacitus.duckdb", show_default=True, help="DuckDB event store to read.")
@click.option("--from", "date_from", callback=_valid_date, help="First event date (YYYY-MM-DD).")
@click.option("--to", "date_to", callback=_valid_date, help="Last event date (YYYY-MM-DD).")
@click.option("--dyad", callback=_valid_dyad, help="Only events between two actors: CHN-USA (both ways) or CHN>USA.")
@click.option("-q", "--quiet", is_flag=True, help="No closing count on stderr.")
def export_command(out: str, fmt: str, db: str, date_from: str | None, date_to: str | None, dyad: str | None,
                   quiet: bool) -> None:
    """Write the store's merged events to OUT (- for stdout) as JSONL, CSV, Parquet, GDELT, ICEWS or POLECAT."""
    from .export import export_store

    if out == "-" and fmt == "parquet":
        _fail("parquet is written to a file: give a file name instead of -")
        sys.exit(2)
    try:
        with _open_existing_store(db) as store:
            count = export_store(store, fmt, sys.stdout if out == "-" else out, date_from, date_to, dyad)
    except BrokenPipeError:  # "| head": the reader has what it wanted
        sys.stderr.close()
        sys.exit(0)
    except (TacitusError, OSError) as exc:
        _fail(str(exc))
        sys.exit(2)
    if not quiet:
        click.echo(f"{count} events written ({fmt}) to {'stdout' if out == '-' else out}", err=True)


@main.command("query")
@click.option("--dyad", callback=_valid_dyad, help="CHN-USA (both ways) or CHN>USA (one way).")
@click.option("--by", type=click.Choice(["day", "week", "month", "year"]), default="month", show_default=True,
              help="Length of the time series' periods.")
@click.option("--from", "date_from", callback=_valid_date, help="First event date (YYYY-MM-DD).")
@click.option("--to", "date_to", callback=_valid_date, help="Last event date (YYYY-MM-DD).")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True)
@click.option("--top", type=click.Choice(["dyads", "codes"]), help="List the most frequent dyads or event codes.")
@click.option("-n", "--limit", type=click.IntRange(min=1), default=10, show_default=True, help="Rows for --top.")
@click.option("--db", default="tacitus.duckdb", show_default=True, help="DuckDB event store to read.")
def query_command(dyad: str | None, by: str, date_from: str | None, date_to: str | None, fmt: str,
                  top: str | None, limit: int, db: str) -> None:
    """Event counts per quad class and Goldstein mean and sum per period for a dyad, or --top lists."""
    from .query import event_time_series, top_codes, top_dyads

    if top is None and dyad is None:
        raise click.UsageError("give --dyad CHN-USA for a time series, or --top dyads|codes")
    if top == "dyads" and dyad is not None:
        raise click.UsageError("--top dyads lists all dyads; leave out --dyad (or use --top codes)")
    try:
        with _open_existing_store(db) as store:
            if top == "dyads":
                rows = top_dyads(store, limit, date_from, date_to)
            elif top == "codes":
                rows = top_codes(store, limit, dyad, date_from, date_to)
            else:
                rows = event_time_series(store, dyad, by, date_from, date_to)
    except TacitusError as exc:
        _fail(str(exc))
        sys.exit(2)
    _print_rows(rows, fmt, title=f"top {top}" if top else f"{dyad} by {by}")


def _print_rows(rows: list[dict], fmt: str, title: str) -> None:
    """Rows of one shape as JSON (an array), CSV with a header, or a terminal table."""
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    columns = list(rows[0]) if rows else []
    if fmt == "csv":
        import csv

        writer = csv.writer(sys.stdout, lineterminator="\n")
        if columns:
            writer.writerow(columns)
        for row in rows:
            writer.writerow(["" if row[c] is None else row[c] for c in columns])
        return
    from rich.console import Console
    from rich.table import Table

    if not rows:  # an empty table would print nothing at all
        click.echo(f"{title}: no matching events (time series leave out undated ones)", err=True)
        return
    table = Table(title=title, caption=f"{len(rows)} row(s)")
    for c in columns:
        numeric = any(isinstance(row[c], (int, float)) and not isinstance(row[c], bool) for row in rows)
        table.add_column(c, justify="right" if numeric else "left", overflow="fold")
    for row in rows:
        table.add_row(*("-" if row[c] is None else str(row[c]) for c in columns))
    Console().print(table)


@main.command("spark")
@click.argument("inputs", nargs=-1, required=True)
@click.argument("output", nargs=1)
@click.option("--format", "input_format", type=click.Choice(["jsonl", "parquet", "warc"]), default="jsonl",
              show_default=True, help="What the input files hold.")
@click.option("--master", help="Spark master URL, e.g. spark://host:7077 or yarn [default: local[*]].")
@click.option("--date", callback=_valid_date, help="Publication date for documents that have none (YYYY-MM-DD).")
@click.option("--min-confidence", type=click.FloatRange(0, 1), default=0.0, show_default=True,
              help="Drop events the coder is less sure of.")
@click.option("--partitions", type=click.IntRange(min=1), help="Partitions to code in [default: the input's].")
@click.option("--overwrite", is_flag=True, help="Replace OUTPUT if it exists.")
@_one_sided_option
@_actors_option
@_patterns_option
def spark_command(inputs: tuple[str, ...], output: str, input_format: str, master: str | None, date: str | None,
                  min_confidence: float, partitions: int | None, overwrite: bool, one_sided: bool,
                  actors: tuple[str, ...], patterns: tuple[str, ...]) -> None:
    """Code INPUTS on Apache Spark; write the events to OUTPUT as Parquet partitioned by date.

    INPUTS are files or folders Spark can read (local, hdfs://, s3a://). Each executor loads the
    spaCy pipeline once; see tacitus.spark and the README for running on a cluster.
    """
    try:
        from pyspark.errors import PySparkException
    except ImportError as exc:  # pyspark is an optional dependency
        _fail(f"tacitus spark needs pyspark (and Java): {exc}")
        sys.exit(2)
    from .spark import code_spark, spark_session

    try:
        summary = code_spark(list(inputs), output, input_format, spark=spark_session(master),
                             options=_options(actors, patterns, min_confidence, one_sided), default_date=date,
                             partitions=partitions, mode="overwrite" if overwrite else "errorifexists")
    except TacitusError as exc:
        _fail(str(exc))
        sys.exit(2)
    except PySparkException as exc:  # e.g. OUTPUT exists, an input path does not
        _fail(f"spark: {str(exc).strip().splitlines()[0]}")
        sys.exit(2)
    click.echo(f"{summary.documents} documents, {summary.events} events, {summary.failures} failed -> {output}",
               err=True)
    if summary.failures:
        sys.exit(1)


if __name__ == "__main__":  # pragma: no cover
    main()

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


def _options(actors: tuple[str, ...], patterns: tuple[str, ...], min_confidence: float):
    from .pipeline import CoderOptions

    return CoderOptions(actor_files=actors, pattern_files=patterns, min_confidence=min_confidence)


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
@click.option("--min-confidence", type=click.FloatRange(0, 1), default=0.0, show_default=True,
              help="Drop events the coder is less sure of.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar or summary.")
@_actors_option
@_patterns_option
def code_command(paths: tuple[str, ...], date: str | None, fmt: str, db: str, no_db: bool,
                 min_confidence: float, quiet: bool, actors: tuple[str, ...], patterns: tuple[str, ...]) -> None:
    """Code documents (.txt, .html, .jsonl, directories, - for stdin) and print their events."""
    from rich.console import Console

    from .documents import read_documents
    from .export import render_table, write_jsonl
    from .nlp import model_name
    from .pipeline import code_documents
    from .records import Document, ReadFailure
    from .store import open_store

    failures: list[str] = []
    documents_read = 0

    def documents() -> Iterator[Document]:
        nonlocal documents_read
        for item in read_documents(paths, date=date):
            if isinstance(item, ReadFailure):
                failures.append(str(item))
                _fail(str(item))
                continue
            documents_read += 1
            yield item

    try:
        store = None if no_db else open_store(db)
        options = _options(actors, patterns, min_confidence)
        stderr = Console(stderr=True)
        table_events = []
        events_found = 0
        with _progress(stderr, quiet) as advance:
            for coded in code_documents(documents(), options):
                if store is not None:
                    store.save(coded)
                events_found += len(coded.events)
                if fmt == "jsonl":
                    write_jsonl(coded.events, sys.stdout)
                    sys.stdout.flush()
                else:
                    table_events.extend(coded.events)
                advance(events_found)
        if fmt == "table":
            render_table(table_events, Console())
        if store is not None:
            store.close()
        if not quiet:
            stored = f", stored in {db}" if store is not None else ""
            click.echo(f"{documents_read} documents, {events_found} events, {len(failures)} failed "
                       f"({model_name()}){stored}", err=True)
    except TacitusError as exc:
        _fail(str(exc))
        sys.exit(2)
    if failures:
        sys.exit(1)


class _progress:
    """A progress bar on stderr once more than a handful of documents have come through."""

    def __init__(self, console, quiet: bool):
        self.console, self.quiet, self.count, self.bar, self.task = console, quiet, 0, None, None

    def __enter__(self):
        return self.advance

    def advance(self, events: int) -> None:
        self.count += 1
        if self.quiet:
            return
        if self.bar is None and self.count > PROGRESS_THRESHOLD:
            from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

            self.bar = Progress(SpinnerColumn(), TextColumn("{task.completed} documents, {task.fields[events]} events"),
                                TimeElapsedColumn(), console=self.console, transient=True)
            self.bar.start()
            self.task = self.bar.add_task("coding", total=None, events=0)
        if self.bar is not None:
            self.bar.update(self.task, completed=self.count, events=events)

    def __exit__(self, *exc) -> None:
        if self.bar is not None:
            self.bar.stop()


@main.command("eval")
@click.argument("gold", type=click.Path(exists=True, dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
@click.option("--errors", is_flag=True, help="Also list missed gold events and false positives per document.")
@click.option("--min-confidence", type=click.FloatRange(0, 1), default=0.0, show_default=True)
@_actors_option
@_patterns_option
def eval_command(gold: str, as_json: bool, errors: bool, min_confidence: float,
                 actors: tuple[str, ...], patterns: tuple[str, ...]) -> None:
    """Code the texts of a gold file and print precision/recall/F1 and sentence-class scores."""
    from .evaluate import render_report, scores_to_json
    from .nlp import model_name
    from .pipeline import evaluate_gold

    try:
        result = evaluate_gold(gold, _options(actors, patterns, min_confidence))
    except TacitusError as exc:
        _fail(str(exc))
        sys.exit(2)
    if as_json:
        data = scores_to_json(result.event_scores, result.class_scores)
        data["model"] = model_name()
        data["gold"] = gold
        click.echo(json.dumps(data, indent=2))
        return
    click.echo(f"{gold} ({model_name()})")
    click.echo(render_report(result.event_scores, result.class_scores), nl=False)
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
    from .actors import resolve_actor

    phrases = list(texts) or [line.strip() for line in sys.stdin if line.strip()]
    rows = []
    try:
        for phrase in phrases:
            actor = resolve_actor(phrase, date, actors)
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
@_actors_option
@_patterns_option
def explain_command(sentence: str, date: str | None, actors: tuple[str, ...], patterns: tuple[str, ...]) -> None:
    """Show tokens, actor mentions, the rules that fired and the events of one text."""
    from rich.console import Console

    from .explain import explain_text, render_explanation

    try:
        explanation = explain_text(sentence, date, _options(actors, patterns, 0.0))
    except TacitusError as exc:
        _fail(str(exc))
        sys.exit(2)
    render_explanation(explanation, Console())


if __name__ == "__main__":  # pragma: no cover
    main()

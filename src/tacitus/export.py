"""Output of `tacitus code`: JSONL event records, a terminal table, a flat CSV."""
from __future__ import annotations

import csv
import json
import logging
from collections.abc import Callable, Iterable
from typing import Any, TextIO

from rich.console import Console
from rich.table import Table
from rich.text import Text

from tacitus.records import Actor, Event
from tacitus.store import EVENT_COLUMNS, event_row

log = logging.getLogger(__name__)


def write_jsonl(events: Iterable[Event], fp: TextIO) -> int:
    """Write one event record (Event.to_dict) per line; returns the number written."""
    count = 0
    for event in events:
        fp.write(json.dumps(event.to_dict(), ensure_ascii=False))
        fp.write("\n")
        count += 1
    return count


def _csv_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ";".join(value)
    return value


def write_csv(events: Iterable[Event], fp: TextIO) -> int:
    """Write a header and one flat row per event, with the store's event columns.

    Sector lists are joined with ";", missing values are empty, booleans are true/false.
    Open `fp` with newline="" as the csv module expects. Returns the number of rows.
    """
    writer = csv.writer(fp)
    writer.writerow(EVENT_COLUMNS)
    count = 0
    for event in events:
        row = event_row(event)
        writer.writerow([_csv_value(row[name]) for name in EVENT_COLUMNS])
        count += 1
    return count


def _cameo_namer() -> Callable[[str], str | None]:
    """code -> short CAMEO name, or None when the taxonomy cannot say (cached per call)."""
    try:
        from tacitus.taxonomy import lookup  # imported late: the table is optional for exports
    except ImportError as exc:
        log.debug("no CAMEO taxonomy for names: %s", exc)
        return lambda code: None

    names: dict[str, str | None] = {}

    def name(code: str) -> str | None:
        if code not in names:
            try:
                names[code] = lookup(code).name
            except Exception as exc:  # any failure just means no name is shown
                log.debug("no CAMEO name for %r: %s", code, exc)
                names[code] = None
        return names[code]

    return name


def _actor_cell(actor: Actor | None) -> Text:
    # Text objects, not markup strings: news text may contain "[...]" that rich would parse.
    if actor is None:
        return Text("-", style="dim")
    cell = Text(actor.code or "?", style="bold")
    if actor.text:
        cell.append("\n")
        cell.append(actor.text, style="dim")
    return cell


WIDE_TABLE = 150  # below this terminal width the table leaves out mention text and rule ids


def render_table(events: list[Event], console: Console) -> None:
    """Print the events as a table: who did what to whom, with the trigger (and, when wide, the rule)."""
    cameo_name = _cameo_namer()
    wide = console.width >= WIDE_TABLE
    table = Table(show_lines=wide, caption=f"{len(events)} event(s)")
    table.add_column("doc:sent", overflow="fold")
    table.add_column("date", no_wrap=True)
    table.add_column("source", overflow="fold")
    table.add_column("event", overflow="fold")
    table.add_column("target", overflow="fold")
    table.add_column("trigger", overflow="fold")
    if wide:
        table.add_column("rule", overflow="fold")
    table.add_column("conf", justify="right")
    for event in events:
        event_cell = Text(event.code, style="bold")
        name = cameo_name(event.code)
        if name:
            event_cell.append(f" {name}")
        row = [
            Text(f"{event.doc_id}:{event.sentence}"),
            Text(event.date or "-"),
            _actor_cell(event.source) if wide else Text(_short_actor(event.source)),
            event_cell,
            _actor_cell(event.target) if wide else Text(_short_actor(event.target)),
            Text(event.trigger.text),
        ]
        if wide:
            row.append(Text(event.rule))
        row.append(f"{event.confidence:.2f}")
        table.add_row(*row)
    console.print(table)


def _short_actor(actor: Actor | None) -> str:
    return (actor.code or "?") if actor is not None else "-"

"""Reading the project's data files: JSON Lines with `#` comments, one record per line, each with an id.

Dictionaries and patterns share this reader, so a malformed line is reported the same way everywhere
("file:line: reason") and the rest of the file still loads.
"""
from __future__ import annotations

import json
from collections.abc import Iterator


def read_records(name: str, text: str, allowed_keys: set[str], problems: list[str]) -> Iterator[tuple[int, dict]]:
    """(line number, record) for every well-formed line; a problem message for every other one."""
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        try:
            record = json.loads(stripped)
            if not isinstance(record, dict):
                raise ValueError("not a JSON object")
            unknown = set(record) - allowed_keys
            if unknown:
                raise ValueError(f"unknown keys {sorted(unknown)} (allowed: {sorted(allowed_keys)})")
            if not isinstance(record.get("id"), str) or not record["id"]:
                raise ValueError("missing 'id'")
        except ValueError as exc:
            problems.append(f"{name}:{number}: {exc}")
            continue
        yield number, record

"""CAMEO 1.1b3 event codes with their PLOVER type and mode, from the packaged `data/cameo.tsv`.

The table is read once, on first use. Codes are strings and keep their leading zeros ("041").
Roots 01 (statements) and 02 (appeals) have no PLOVER type: `plover` and `plover_mode` are None.
Where the table came from and how its gaps were filled: `data/cameo_SOURCE.md`.
"""
from __future__ import annotations

import csv
import io
import logging
from dataclasses import dataclass
from functools import cache
from importlib import resources

from tacitus.errors import DataFileError

logger = logging.getLogger(__name__)

TABLE_FILE = "cameo.tsv"
COLUMNS = ("code", "root", "quad", "goldstein", "name", "plover", "plover_mode")

# PLOVER 2.0 event types and the only valid values of `plover_mode` for each (types without modes: empty).
PLOVER_MODES: dict[str, frozenset[str]] = {
    "AGREE": frozenset(),
    "CONSULT": frozenset({"visit", "third-party", "multilateral", "phone"}),
    "SUPPORT": frozenset(),
    "CONCEDE": frozenset(),
    "COOPERATE": frozenset(),
    "AID": frozenset(),
    "RETREAT": frozenset({"withdraw", "release", "disarm", "ceasefire", "access", "resign"}),
    "REQUEST": frozenset({"assist", "change", "yield", "meet"}),
    "ACCUSE": frozenset({"disapprove", "investigate", "allege"}),
    "REJECT": frozenset({"assist", "change", "yield", "meet"}),
    "THREATEN": frozenset({"restrict", "arrest", "relations", "expel", "territory", "violence"}),
    "PROTEST": frozenset({"demo", "riot", "strike", "hunger", "boycott", "obstruct", "vandalize"}),
    "SANCTION": frozenset({"convict", "expel", "withdraw", "discontinue"}),
    "MOBILIZE": frozenset({"troops", "weapons", "police", "militia"}),
    "COERCE": frozenset({"seize", "restrict", "censor", "curfew", "martial-law", "arrest", "deport",
                         "withhold", "misinformation", "cyber"}),
    "ASSAULT": frozenset({"abduct", "beat", "torture", "sexual", "targeted", "destroy", "primitive",
                          "firearms", "explosives", "suicide-attack", "aerial", "drone", "heavy-weapons",
                          "crowd-control", "unconventional"}),
}
PLOVER_TYPES = frozenset(PLOVER_MODES)

# The ConfliBERT sentence scale: class by CAMEO root (no event at all is class 0 too).
SENTENCE_CLASS_NAMES = (
    "statement or appeal, no interaction coded",
    "verbal cooperation",
    "material cooperation",
    "verbal conflict",
    "material conflict",
)
_ROOTS_BY_SENTENCE_CLASS = {
    0: ("01", "02"),
    1: ("03", "04", "05"),
    2: ("06", "07", "08"),
    3: ("09", "10", "11", "12", "13", "16"),
    4: ("14", "15", "17", "18", "19", "20"),
}
_SENTENCE_CLASS_BY_ROOT = {root: cls for cls, roots in _ROOTS_BY_SENTENCE_CLASS.items() for root in roots}


@dataclass(frozen=True)
class CameoCode:
    code: str  # "04", "041", "0311": 2-digit root codes are codes too
    root: str  # 2-digit root, "04"
    quad: int  # GDELT QuadClass: 1 verbal coop, 2 material coop, 3 verbal conflict, 4 material conflict
    goldstein: float
    name: str
    plover: str | None  # PLOVER event type; None for roots 01 and 02
    plover_mode: str | None


def _parse_row(row: dict[str, str], where: str) -> CameoCode:
    try:
        entry = CameoCode(
            code=row["code"],
            root=row["root"],
            quad=int(row["quad"]),
            goldstein=float(row["goldstein"]),
            name=row["name"],
            plover=row["plover"] or None,
            plover_mode=row["plover_mode"] or None,
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise DataFileError(f"{where}: malformed row: {exc}") from exc
    if not (entry.code.isdigit() and 2 <= len(entry.code) <= 4 and entry.code.startswith(entry.root)):
        raise DataFileError(f"{where}: bad code {entry.code!r} for root {entry.root!r}")
    if entry.plover is not None and entry.plover not in PLOVER_TYPES:
        raise DataFileError(f"{where}: unknown PLOVER type {entry.plover!r}")
    if entry.plover_mode is not None and entry.plover_mode not in PLOVER_MODES.get(entry.plover or "", ()):
        raise DataFileError(f"{where}: {entry.plover_mode!r} is not a mode of {entry.plover}")
    return entry


@cache
def _table() -> dict[str, CameoCode]:
    text = resources.files("tacitus").joinpath("data", TABLE_FILE).read_text(encoding="utf-8")
    reader = csv.DictReader(io.StringIO(text), delimiter="\t")
    if tuple(reader.fieldnames or ()) != COLUMNS:
        raise DataFileError(f"{TABLE_FILE}: header should be {'/'.join(COLUMNS)}, got {reader.fieldnames}")
    table: dict[str, CameoCode] = {}
    for row in reader:
        where = f"{TABLE_FILE}:{reader.line_num}"
        entry = _parse_row(row, where)
        if entry.code in table:
            raise DataFileError(f"{where}: code {entry.code} listed twice")
        table[entry.code] = entry
    logger.debug("loaded %d CAMEO codes from %s", len(table), TABLE_FILE)
    return table


def lookup(code: str) -> CameoCode:
    """The CAMEO code `code` ("041"); KeyError when CAMEO 1.1b3 has no such code."""
    try:
        return _table()[code]
    except (KeyError, TypeError):
        message = f"{code!r} is not a CAMEO 1.1b3 event code (codes are strings such as '041')"
        raise KeyError(message) from None


def is_cameo_code(code: object) -> bool:
    return isinstance(code, str) and code in _table()


def all_codes() -> list[CameoCode]:
    """Every code in table order (each root followed by its sub-codes)."""
    return list(_table().values())


def sentence_class(code_or_root: str | None) -> int:
    """Class 0-4 on the ConfliBERT scale of the event code or root; None (no event) is class 0."""
    if code_or_root is None:
        return 0
    return _SENTENCE_CLASS_BY_ROOT[lookup(code_or_root).root]

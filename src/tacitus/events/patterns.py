"""Event patterns: data files with one id per rule, validated on load and indexed by lemma.

A pattern names a trigger (a verb lemma, or a noun lemma for nominal events), optional constraints
that make it more specific (a particle, a direct object, an infinitive complement, a prepositional
phrase), where its source and target come from in the dependency parse, and the CAMEO code.
See data/patterns/README.md for the format. Matching looks patterns up by the token's lemma, so its
cost does not grow with the number of patterns.
"""
from __future__ import annotations

import functools
import logging
from collections import defaultdict
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from ..datafile import read_records
from ..errors import DataFileError
from ..taxonomy import is_cameo_code

log = logging.getLogger(__name__)
log.addHandler(logging.NullHandler())

ROLE_SPECS = ("subject", "object", "dative", "agent", "xcomp.object", "poss", "clause.subject")  # plus "prep:<lemma>"
_KEYS = {"id", "code", "verb", "noun", "particle", "object", "xcomp", "prep_object", "source", "target",
         "symmetric", "confidence", "speech", "note", "examples"}
DEFAULT_CONFIDENCE = 0.8


@dataclass(frozen=True)
class Pattern:
    id: str
    code: str
    lemmas: tuple[str, ...]  # trigger lemmas
    nominal: bool  # trigger is a noun ("talks", "visit") rather than a verb
    particle: tuple[str, ...] = ()  # "out" in "lash out at"; "on" in "call on"
    object: tuple[str, ...] = ()  # direct object lemmas: "condemnation" in "express condemnation"
    xcomp: tuple[str, ...] = ()  # infinitive complement lemmas: "cooperate" in "agree to cooperate"
    prep_object: tuple[tuple[str, str], ...] = ()  # ("on", "phone") in "spoke on the phone"
    source: tuple[str, ...] = ("subject",)
    target: tuple[str, ...] = ("object",)
    symmetric: bool = False
    confidence: float = DEFAULT_CONFIDENCE
    speech: bool = False  # a speech act (appeal, demand, accusation, threat): context may fill its actors
    file: str = ""
    line: int = 0

    @property
    def specificity(self) -> int:
        return bool(self.particle) + bool(self.object) + bool(self.xcomp) + bool(self.prep_object)


@dataclass
class PatternSet:
    verbs: dict[str, list[Pattern]] = field(default_factory=lambda: defaultdict(list))
    nouns: dict[str, list[Pattern]] = field(default_factory=lambda: defaultdict(list))
    by_id: dict[str, Pattern] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.by_id)

    def add(self, pattern: Pattern) -> None:
        self.by_id[pattern.id] = pattern
        index = self.nouns if pattern.nominal else self.verbs
        for lemma in pattern.lemmas:
            index[lemma].append(pattern)
            # Most specific first, so the first pattern whose constraints hold is the one to use.
            # Among equals, the surer reading ("attack" as force, not as words).
            index[lemma].sort(key=lambda p: (-p.specificity, -p.confidence))


def _tuple(value: object, key: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise ValueError(f"'{key}' must be a string or a list of strings")
    return tuple(v.lower() for v in value)


def _roles(value: object, key: str, default: tuple[str, ...]) -> tuple[str, ...]:
    roles = _tuple(value, key) or default
    for role in roles:
        if role not in ROLE_SPECS and not (role.startswith("prep:") and len(role) > 5):
            raise ValueError(f"unknown {key} role {role!r} (one of {ROLE_SPECS} or prep:<word>)")
    return roles


def parse_pattern(record: dict, file: str = "", line: int = 0) -> Pattern:
    """Validate one pattern record; raises ValueError with the reason."""
    unknown = set(record) - _KEYS
    if unknown:
        raise ValueError(f"unknown keys {sorted(unknown)}")
    if not isinstance(record.get("id"), str) or not record["id"]:
        raise ValueError("missing 'id'")
    code = record.get("code")
    if not isinstance(code, str) or not is_cameo_code(code):
        raise ValueError(f"{code!r} is not a CAMEO code")
    if ("verb" in record) == ("noun" in record):
        raise ValueError("give exactly one of 'verb' or 'noun'")
    nominal = "noun" in record
    lemmas = _tuple(record.get("noun" if nominal else "verb"), "verb/noun")
    if not lemmas:
        raise ValueError("empty trigger")
    prep_object = []
    for item in _tuple(record.get("prep_object"), "prep_object"):
        prep, _, obj = item.partition(":")
        if not prep or not obj:
            raise ValueError(f"prep_object {item!r} must look like 'on:phone'")
        prep_object.append((prep, obj))
    confidence = record.get("confidence", DEFAULT_CONFIDENCE)
    if not isinstance(confidence, (int, float)) or not 0 <= confidence <= 1:
        raise ValueError("confidence must be a number from 0 to 1")
    return Pattern(
        id=record["id"], code=code, lemmas=lemmas, nominal=nominal,
        particle=_tuple(record.get("particle"), "particle"),
        object=_tuple(record.get("object"), "object"),
        xcomp=_tuple(record.get("xcomp"), "xcomp"),
        prep_object=tuple(prep_object),
        source=_roles(record.get("source"), "source", ("subject",)),
        target=_roles(record.get("target"), "target", ("object",)),
        symmetric=bool(record.get("symmetric", False)),
        confidence=float(confidence),
        speech=bool(record.get("speech", False)),
        file=file, line=line,
    )


def read_patterns(name: str, text: str, into: PatternSet) -> None:
    for number, record in read_records(name, text, _KEYS, into.problems):
        try:
            pattern = parse_pattern(record, name, number)
            if pattern.id in into.by_id:
                raise ValueError(f"duplicate id {pattern.id!r}")
        except ValueError as exc:
            into.problems.append(f"{name}:{number}: {exc}")
            continue
        into.add(pattern)


@functools.cache
def load_patterns(extra_files: tuple[str, ...] = ()) -> PatternSet:
    """The packaged patterns plus user pattern files; malformed records are reported and skipped."""
    patterns = PatternSet()
    base = resources.files("tacitus") / "data" / "patterns"
    for item in sorted(base.iterdir(), key=lambda p: p.name):
        if item.name.endswith(".jsonl"):
            read_patterns(f"tacitus/data/patterns/{item.name}", item.read_text(encoding="utf-8"), patterns)
    for path in extra_files:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise DataFileError(f"{path}: cannot read pattern file: {exc}") from exc
        read_patterns(str(path), text, patterns)
    for problem in patterns.problems:
        log.warning("skipped pattern: %s", problem)
    return patterns

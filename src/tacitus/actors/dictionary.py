"""Loading and validating the actor dictionaries (see data/actors/FORMAT.md).

Countries come from pycountry plus the project's supplement; organisations, agent nouns and people are
the project's own JSONL files. A malformed entry is reported with file and line and skipped; the rest
loads. All surface forms go into two spaCy PhraseMatchers (exact case for acronyms, lower case for the
rest), so matching is one pass over the text whatever the size of the dictionary.
"""
from __future__ import annotations

import datetime as dt
import json
import logging
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import pycountry
from spacy.matcher import PhraseMatcher
from spacy.language import Language
from spacy.tokens import Doc

from ..datafile import read_records
from ..errors import DataFileError

log = logging.getLogger(__name__)
log.addHandler(logging.NullHandler())

INTERNATIONAL_TYPES = {"IGO", "NGO", "NGM", "IMG", "MNC", "INT"}
SECTORS = {
    "GOV", "MIL", "COP", "JUD", "LEG", "OPP", "REB", "PTY", "BUS", "MED", "CVL", "REF", "ELI", "SPY",
    "HLH", "LAB", "EDU", "AGR", "CRM", "DEV", "ENV", "HRI", "REL", "INS", "SEP", "UAF", "MOD", "RAD",
}
EXTRA_COUNTRY_CODES = {"KSV"}  # CAMEO's code for Kosovo, which has no ISO alpha-3

# Kinds of dictionary entry, as the resolver sees them.
COUNTRY_NAME, ADJECTIVE, DEMONYM, CAPITAL, SEAT = "country", "adjective", "demonym", "capital", "seat"
ORGANIZATION, AGENT, MODIFIER, PERSON = "organization", "agent", "modifier", "person"

_ALLOWED_KEYS = {
    "countries": {"id", "code", "names", "adjectives", "demonyms", "capitals", "seats", "ambiguous", "note"},
    "organizations": {"id", "code", "name", "aliases", "periods", "note"},
    "agents": {"id", "kind", "phrases", "sectors", "note"},
    "people": {"id", "name", "country", "aliases", "roles", "after", "note"},
}
_CODE_RE = re.compile(r"^(?:[A-Z]{3})+$")
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class Period:
    start: str | None  # inclusive ISO dates; None = open
    end: str | None
    code: str
    title: str | None = None

    def covers(self, date: str) -> bool:
        return (self.start is None or self.start <= date) and (self.end is None or date <= self.end)


@dataclass(frozen=True)
class Entry:
    """One surface form's meaning: what a phrase in the text stands for."""

    id: str
    kind: str
    code: str | None = None  # the base code: country code, organisation code; None for agents
    sectors: tuple[str, ...] = ()
    name: str | None = None
    periods: tuple[Period, ...] = ()
    after: str | None = None  # people: the code once every role has ended
    ambiguous: bool = False  # only taken where NER agrees it is a place or a nationality


@dataclass
class ActorDictionary:
    entries_by_key: dict[str, list[Entry]] = field(default_factory=lambda: defaultdict(list))
    surnames: dict[str, list[Entry]] = field(default_factory=lambda: defaultdict(list))  # "Putin" -> people
    cutoff: str | None = None  # last date the people tables are known to be right
    problems: list[str] = field(default_factory=list)  # messages for malformed entries that were skipped
    _exact: PhraseMatcher | None = None
    _lower: PhraseMatcher | None = None

    def match(self, doc: Doc) -> list[tuple[int, int, list[Entry]]]:
        """All dictionary hits in a doc as (start token, end token, entries)."""
        assert self._exact is not None and self._lower is not None
        hits = []
        for matcher in (self._exact, self._lower):
            for key, start, end in matcher(doc):
                hits.append((start, end, self.entries_by_key[doc.vocab.strings[key]]))
        return hits

    def lookup(self, phrase: str) -> list[Entry]:
        """Entries for an exact surface form (for tests and `tacitus actors`)."""
        exact = self.entries_by_key.get("=" + phrase, [])
        return list(exact) + list(self.entries_by_key.get("~" + phrase.lower(), []))


def split_code(code: str) -> tuple[str | None, list[str]]:
    """'USAGOVLEG' -> ('USA', ['GOV', 'LEG']); 'IGOWHO' -> (None, []): the group is part of the primary code."""
    if code[:3] in INTERNATIONAL_TYPES:
        return None, [code[i:i + 3] for i in range(6, len(code), 3)]
    return code[:3], [code[i:i + 3] for i in range(3, len(code), 3)]


def primary_code(code: str) -> str:
    return code[:6] if code[:3] in INTERNATIONAL_TYPES else code[:3]


# --- reading files -----------------------------------------------------------------------------------

def _read_jsonl(path: str, text: str, kind: str, problems: list[str]) -> Iterable[tuple[int, dict]]:
    return read_records(path, text, _ALLOWED_KEYS[kind], problems)


def _check_code(code: object) -> str:
    if not isinstance(code, str) or not _CODE_RE.match(code):
        raise ValueError(f"bad actor code {code!r}")
    country, sectors = split_code(code)
    bad = [s for s in sectors if s not in SECTORS]
    if bad:
        raise ValueError(f"unknown sector(s) {bad} in {code}")
    return code


def _check_date(value: object) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not _DATE_RE.match(value):
        raise ValueError(f"bad date {value!r} (want YYYY-MM-DD)")
    dt.date.fromisoformat(value)
    return value


def _strings(record: dict, key: str) -> list[str]:
    values = record.get(key, [])
    if not isinstance(values, list) or not all(isinstance(v, str) and v.strip() for v in values):
        raise ValueError(f"'{key}' must be a list of non-empty strings")
    return values


class _Builder:
    """Collects (surface form, entry) pairs and the problems found on the way."""

    def __init__(self) -> None:
        self.forms: dict[str, list[Entry]] = defaultdict(list)
        # The phrases as written, per key: a phrase is tokenized as written, because the tokenizer
        # splits "u.n." unlike "U.N."; the lower-case matcher then compares the tokens' LOWER.
        self.written: dict[str, set[str]] = defaultdict(set)
        self.problems: list[str] = []
        self.ids: set[str] = set()

    def add(self, phrase: str, entry: Entry) -> None:
        phrase = phrase.strip()
        # An acronym (no lowercase letter) matches in its exact case only: "US", "WHO", "EU"; so does a
        # person's name, which news always capitalises ("To Lam" the person, not "to Lam Dong").
        exact = entry.kind == PERSON or not any(c.islower() for c in phrase)
        key = ("=" + phrase) if exact else ("~" + phrase.lower())
        if entry not in self.forms[key]:
            self.forms[key].append(entry)
        self.written[key].add(phrase)

    def claim_id(self, ident: str, where: str) -> bool:
        if ident in self.ids:
            self.problems.append(f"{where}: duplicate id {ident!r}")
            return False
        self.ids.add(ident)
        return True

    def countries(self, path: str, text: str) -> None:
        for number, rec in _read_jsonl(path, text, "countries", self.problems):
            where = f"{path}:{number}"
            try:
                code = rec.get("code")
                if code not in EXTRA_COUNTRY_CODES and not (
                    isinstance(code, str) and pycountry.countries.get(alpha_3=code)
                ):
                    raise ValueError(f"unknown country code {code!r}")
                ambiguous = set(_strings(rec, "ambiguous"))
                forms = {
                    COUNTRY_NAME: _strings(rec, "names") + _pycountry_names(code),
                    ADJECTIVE: _strings(rec, "adjectives"),
                    DEMONYM: _strings(rec, "demonyms"),
                    CAPITAL: _strings(rec, "capitals"),
                }
                seats = rec.get("seats", [])
                for seat in seats:
                    if not isinstance(seat, dict) or set(seat) - {"text", "sectors"} or not seat.get("text"):
                        raise ValueError(f"bad seat {seat!r}")
                    for s in seat.get("sectors", []):
                        if s not in SECTORS:
                            raise ValueError(f"unknown sector {s!r} in seat {seat['text']!r}")
            except ValueError as exc:
                self.problems.append(f"{where}: {exc}")
                continue
            if not self.claim_id(rec["id"], where):
                continue
            for kind, phrases in forms.items():
                for phrase in phrases:
                    self.add(phrase, Entry(rec["id"], kind, code, name=phrase, ambiguous=phrase in ambiguous))
            for seat in seats:
                self.add(seat["text"], Entry(rec["id"], SEAT, code, tuple(seat.get("sectors", ["GOV"])),
                                             name=seat["text"], ambiguous=seat["text"] in ambiguous))

    def organizations(self, path: str, text: str) -> None:
        for number, rec in _read_jsonl(path, text, "organizations", self.problems):
            where = f"{path}:{number}"
            try:
                code = _check_code(rec.get("code"))
                aliases = _strings(rec, "aliases")
                periods = tuple(
                    Period(_check_date(p.get("from")), _check_date(p.get("to")), _check_code(p.get("code")))
                    for p in rec.get("periods", [])
                )
                if not aliases:
                    raise ValueError("no aliases")
            except (ValueError, AttributeError) as exc:
                self.problems.append(f"{where}: {exc}")
                continue
            if not self.claim_id(rec["id"], where):
                continue
            entry = Entry(rec["id"], ORGANIZATION, code, name=rec.get("name") or aliases[0], periods=periods)
            for alias in aliases:
                self.add(alias, entry)

    def agents(self, path: str, text: str) -> None:
        for number, rec in _read_jsonl(path, text, "agents", self.problems):
            where = f"{path}:{number}"
            try:
                kind = rec.get("kind", "noun")
                if kind not in ("noun", "modifier"):
                    raise ValueError(f"kind must be 'noun' or 'modifier', not {kind!r}")
                phrases = _strings(rec, "phrases")
                sectors = _strings(rec, "sectors")
                bad = [s for s in sectors if s not in SECTORS]
                if bad or not sectors:
                    raise ValueError(f"bad sectors {sectors}")
            except ValueError as exc:
                self.problems.append(f"{where}: {exc}")
                continue
            if not self.claim_id(rec["id"], where):
                continue
            entry = Entry(rec["id"], AGENT if kind == "noun" else MODIFIER, None, tuple(sectors))
            for phrase in phrases:
                self.add(phrase, entry)

    def people(self, path: str, text: str) -> None:
        for number, rec in _read_jsonl(path, text, "people", self.problems):
            where = f"{path}:{number}"
            try:
                country = rec.get("country")
                if not isinstance(country, str) or len(country) != 3:
                    raise ValueError(f"bad country {country!r}")
                aliases = _strings(rec, "aliases") or [rec.get("name")]
                roles = []
                for role in rec.get("roles", []):
                    if not isinstance(role, dict):
                        raise ValueError("a role must be an object")
                    roles.append(Period(_check_date(role.get("from")), _check_date(role.get("to")),
                                        _check_code(role.get("code")), role.get("title")))
                after = _check_code(rec["after"]) if rec.get("after") else None
            except ValueError as exc:
                self.problems.append(f"{where}: {exc}")
                continue
            if not self.claim_id(rec["id"], where):
                continue
            entry = Entry(rec["id"], PERSON, country, name=rec.get("name") or aliases[0],
                          periods=tuple(sorted(roles, key=lambda r: r.start or "")), after=after)
            for alias in aliases:
                self.add(alias, entry)


def _pycountry_names(code: str) -> list[str]:
    country = pycountry.countries.get(alpha_3=code)
    if country is None:
        return []
    names = [getattr(country, attr, None) for attr in ("name", "official_name", "common_name")]
    # "Korea, Republic of" is a catalogue form, never running text.
    return [n for n in names if n and "," not in n and "(" not in n]


def _cutoff(text: str) -> str | None:
    match = re.search(r"^#\s*cut-off:\s*(\d{4}-\d{2}-\d{2})", text, re.M)
    return match.group(1) if match else None


def _packaged_files() -> list[tuple[str, str, str]]:
    """(kind, display path, text) for every packaged dictionary file."""
    base = resources.files("tacitus") / "data" / "actors"
    files = []
    for kind, name in (("countries", "countries.jsonl"), ("organizations", "organizations.jsonl"),
                       ("organizations", "companies.jsonl"), ("agents", "agents.jsonl")):
        item = base / name
        if item.is_file():
            files.append((kind, f"tacitus/data/actors/{name}", item.read_text(encoding="utf-8")))
    people = base / "people"
    if people.is_dir():
        for item in sorted(people.iterdir(), key=lambda p: p.name):
            if item.name.endswith(".jsonl"):
                files.append(("people", f"tacitus/data/actors/people/{item.name}", item.read_text(encoding="utf-8")))
    return files


def _user_file_kind(text: str) -> str:
    """A user file holds one kind of entry; its keys say which."""
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        try:
            keys = set(json.loads(line))
        except (ValueError, TypeError):
            break
        if "roles" in keys or "country" in keys:
            return "people"
        if "phrases" in keys:
            return "agents"
        if keys & {"names", "adjectives", "demonyms", "capitals", "seats"}:
            return "countries"
        return "organizations"
    return "organizations"


def build_dictionary(nlp: Language, extra_files: Iterable[str | Path] = ()) -> ActorDictionary:
    """Load the packaged dictionaries and any user files, and build the matchers.

    Phrases are tokenized with the pipeline's own tokenizer so that they split as the text will.
    """
    builder = _Builder()
    cutoffs = []
    sources = list(_packaged_files())
    for path in extra_files:
        path = Path(path)
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise DataFileError(f"{path}: cannot read actor dictionary: {exc}") from exc
        sources.append((_user_file_kind(text), str(path), text))
    for kind, path, text in sources:
        getattr(builder, kind)(path, text)
        if kind == "people" and (c := _cutoff(text)):
            cutoffs.append(c)
    for problem in builder.problems:
        log.warning("skipped dictionary entry: %s", problem)

    dictionary = ActorDictionary(cutoff=min(cutoffs) if cutoffs else None, problems=builder.problems)
    exact = PhraseMatcher(nlp.vocab, attr="ORTH")
    lower = PhraseMatcher(nlp.vocab, attr="LOWER")
    for key, entries in builder.forms.items():
        dictionary.entries_by_key[key] = entries
        words = key[1:].split()
        for entry in entries:
            if entry.kind != PERSON or len(words) < 2:
                continue
            # "President Obama", "Mr. Putin", "President Xi": the family name may come last or first
            for word in {words[0].lower(), words[-1].lower()}:
                if len(word) > 1 and not word.endswith(".") and entry not in dictionary.surnames[word]:
                    dictionary.surnames[word].append(entry)
        (exact if key.startswith("=") else lower).add(
            key, [nlp.make_doc(phrase) for phrase in sorted(builder.written[key])])
    dictionary._exact, dictionary._lower = exact, lower
    return dictionary

"""Checks on the packaged agent-noun dictionary, src/tacitus/data/actors/agents.jsonl.

The file is read directly (no model needed); one test also loads it through the actor dictionary
builder with a blank English pipeline, to see that the loader accepts every entry.
"""
from __future__ import annotations

import json
from collections import defaultdict
from importlib import resources
from typing import Any

import pytest
import spacy

AGENTS_FILE = resources.files("tacitus") / "data" / "actors" / "agents.jsonl"
ALLOWED_KEYS = {"id", "kind", "phrases", "sectors", "note"}
REQUIRED_KEYS = {"id", "kind", "phrases", "sectors"}
KNOWN_SECTORS = set(
    "GOV MIL COP JUD LEG OPP REB PTY BUS MED CVL REF ELI SPY HLH LAB EDU AGR CRM DEV ENV HRI REL "
    "INS SEP UAF MOD RAD".split()
)
MIN_PHRASES = 300


def read_entries() -> list[tuple[int, dict[str, Any]]]:
    """(line number, entry) for every non-comment, non-blank line."""
    entries = []
    text = AGENTS_FILE.read_text(encoding="utf-8")
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        entries.append((number, json.loads(stripped)))
    return entries


ENTRIES = read_entries()


def index_by_phrase() -> dict[str, list[dict[str, Any]]]:
    by_phrase: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for _, entry in ENTRIES:
        for phrase in entry["phrases"]:
            by_phrase[phrase].append(entry)
    return by_phrase


BY_PHRASE = index_by_phrase()


def sectors_of(phrase: str, kind: str = "noun") -> list[str]:
    """The sectors the file gives a phrase of one kind; fails the test if the phrase is missing."""
    found = [e["sectors"] for e in BY_PHRASE.get(phrase, []) if e["kind"] == kind]
    assert found, f"{phrase!r} is not a {kind} in agents.jsonl"
    return found[0]


# --- shape -------------------------------------------------------------------------------------------

def test_every_line_is_a_json_object() -> None:
    assert ENTRIES, "agents.jsonl has no entries"
    for number, entry in ENTRIES:
        assert isinstance(entry, dict), f"line {number}: not a JSON object"


def test_only_the_keys_of_the_format() -> None:
    for number, entry in ENTRIES:
        assert set(entry) <= ALLOWED_KEYS, f"line {number}: unknown keys {set(entry) - ALLOWED_KEYS}"
        assert REQUIRED_KEYS <= set(entry), f"line {number}: missing {REQUIRED_KEYS - set(entry)}"


def test_field_types() -> None:
    for number, entry in ENTRIES:
        assert isinstance(entry["id"], str) and entry["id"].startswith("agent."), f"line {number}: bad id"
        assert entry["kind"] in ("noun", "modifier"), f"line {number}: kind {entry['kind']!r}"
        for key in ("phrases", "sectors"):
            values = entry[key]
            assert isinstance(values, list) and values, f"line {number}: {key} must be a non-empty list"
            assert all(isinstance(v, str) and v for v in values), f"line {number}: {key} must hold strings"
        if "note" in entry:
            assert isinstance(entry["note"], str) and entry["note"].strip(), f"line {number}: empty note"


def test_ids_unique() -> None:
    seen: dict[str, int] = {}
    for number, entry in ENTRIES:
        assert entry["id"] not in seen, f"line {number}: id {entry['id']!r} also on line {seen[entry['id']]}"
        seen[entry["id"]] = number


def test_modifier_ids_say_so() -> None:
    for number, entry in ENTRIES:
        assert (entry["kind"] == "modifier") == entry["id"].startswith("agent.mod."), f"line {number}"


def test_sectors_known_and_not_repeated() -> None:
    for number, entry in ENTRIES:
        assert set(entry["sectors"]) <= KNOWN_SECTORS, f"line {number}: {set(entry['sectors']) - KNOWN_SECTORS}"
        assert len(set(entry["sectors"])) == len(entry["sectors"]), f"line {number}: repeated sector"


def test_phrases_lowercase_and_tidy() -> None:
    for number, entry in ENTRIES:
        for phrase in entry["phrases"]:
            assert phrase == phrase.lower(), f"line {number}: {phrase!r} is not lowercase"
            assert phrase == phrase.strip() and "  " not in phrase, f"line {number}: stray spaces in {phrase!r}"
            # A phrase with no lowercase letter would match in exact case only (FORMAT.md).
            assert any(c.islower() for c in phrase), f"line {number}: {phrase!r} has no letters"


def test_modifiers_are_single_words() -> None:
    for number, entry in ENTRIES:
        if entry["kind"] == "modifier":
            for phrase in entry["phrases"]:
                assert " " not in phrase, f"line {number}: modifier {phrase!r} is more than one word"


def test_phrases_unique_within_a_kind() -> None:
    for phrase, entries in BY_PHRASE.items():
        kinds = [e["kind"] for e in entries]
        assert len(kinds) == len(set(kinds)), f"{phrase!r} is in {[e['id'] for e in entries]}"


def test_a_phrase_never_maps_to_two_sector_lists() -> None:
    # A word may be both a noun ("the police") and a modifier ("police officials"), but with one meaning.
    for phrase, entries in BY_PHRASE.items():
        sector_lists = {tuple(e["sectors"]) for e in entries}
        assert len(sector_lists) == 1, f"{phrase!r} maps to {sorted(sector_lists)} in {[e['id'] for e in entries]}"


def test_enough_phrases() -> None:
    assert sum(len(e["phrases"]) for _, e in ENTRIES) >= MIN_PHRASES


def test_main_sectors_covered() -> None:
    used = {s for _, e in ENTRIES for s in e["sectors"]}
    main = set("GOV MIL COP JUD LEG OPP REB PTY BUS MED CVL REF ELI SPY HLH LAB EDU AGR CRM ENV HRI REL".split())
    assert main <= used, f"no entry gives {main - used}"


# --- spot checks -------------------------------------------------------------------------------------

@pytest.mark.parametrize(("phrase", "sectors"), [
    ("lawmakers", ["LEG"]), ("mps", ["LEG"]), ("knesset", ["LEG"]), ("duma", ["LEG"]), ("senators", ["LEG"]),
    ("warships", ["MIL"]), ("warplanes", ["MIL"]), ("troops", ["MIL"]), ("peacekeepers", ["MIL"]),
    ("revolutionary guards", ["MIL"]), ("forces", ["MIL"]),
    ("police", ["COP"]), ("police officers", ["COP"]), ("security forces", ["COP"]), ("border guards", ["COP"]),
    ("coast guard", ["COP"]),
    ("court", ["JUD"]), ("prosecutors", ["JUD"]), ("supreme court", ["JUD"]), ("judiciary", ["JUD"]),
    ("refugees", ["REF"]), ("asylum seekers", ["REF"]), ("displaced people", ["REF"]),
    ("side", ["GOV"]), ("secretary of state", ["GOV"]), ("foreign minister", ["GOV"]),
    ("foreign ministry", ["GOV"]), ("defence ministry", ["GOV"]), ("defense ministry", ["GOV"]),
    ("defence minister", ["GOV"]), ("health ministry", ["GOV"]), ("justice ministry", ["GOV"]),
    ("secretary-general", ["GOV"]), ("spokeswoman", ["GOV"]), ("diplomats", ["GOV"]), ("authorities", ["GOV"]),
    ("junta", ["GOV"]), ("military government", ["GOV"]), ("central bank", ["GOV"]),
    ("rebels", ["REB"]), ("insurgents", ["REB"]), ("militants", ["REB"]), ("separatists", ["REB"]),
    ("gunmen", ["UAF"]),
    ("opposition leader", ["OPP"]), ("opposition party", ["OPP"]), ("protesters", ["OPP"]),
    ("dissidents", ["OPP"]),
    ("ruling party", ["PTY"]), ("party congress", ["PTY"]),
    ("companies", ["BUS"]), ("businessmen", ["BUS"]),
    ("journalists", ["MED"]), ("state media", ["GOV", "MED"]),
    ("civilians", ["CVL"]), ("villagers", ["CVL"]), ("prisoners", ["CVL"]),
    ("elder statesman", ["ELI"]), ("ex-president", ["ELI"]),
    ("intelligence agency", ["SPY"]), ("spies", ["SPY"]), ("ministry of state security", ["SPY"]),
    ("doctors", ["HLH"]), ("hospital", ["HLH"]),
    ("workers", ["LAB"]), ("trade unions", ["LAB"]),
    ("students", ["EDU"]), ("university", ["EDU"]), ("think tanks", ["EDU"]),
    ("clerics", ["REL"]), ("imam", ["REL"]),
    ("drug traffickers", ["CRM"]), ("pirates", ["CRM"]),
    ("rights groups", ["HRI"]), ("human rights activists", ["HRI"]),
    ("farmers", ["AGR"]), ("environmentalists", ["ENV"]),
])
def test_noun_sectors(phrase: str, sectors: list[str]) -> None:
    assert sectors_of(phrase) == sectors


@pytest.mark.parametrize(("phrase", "sectors"), [
    ("former", ["ELI"]), ("ex-", ["ELI"]), ("retired", ["ELI"]),
    ("opposition", ["OPP"]), ("rebel", ["REB"]), ("military", ["MIL"]), ("intelligence", ["SPY"]),
    ("police", ["COP"]),
])
def test_modifier_sectors(phrase: str, sectors: list[str]) -> None:
    assert sectors_of(phrase, "modifier") == sectors


@pytest.mark.parametrize("word", ["people", "general", "officers", "state", "house", "firm", "union", "ruling",
                                  "chief executive", "agents", "cartel"])
def test_risky_words_left_out(word: str) -> None:
    # Each is mostly a non-actor word or has two meanings; SOURCES-agents.md and the notes say why.
    assert word not in BY_PHRASE


def test_singulars_and_plurals_both_written() -> None:
    for singular, plural in [("minister", "ministers"), ("lawmaker", "lawmakers"), ("diplomat", "diplomats"),
                             ("soldier", "soldiers"), ("judge", "judges"), ("refugee", "refugees"),
                             ("journalist", "journalists"), ("ambassador", "ambassadors")]:
        assert sectors_of(singular) == sectors_of(plural)


def test_defence_and_intelligence_offices_beat_their_modifiers() -> None:
    # The longer phrase is what the resolver keeps, so it must carry the office's own sector.
    assert sectors_of("intelligence", "modifier") != sectors_of("intelligence minister")
    assert sectors_of("military", "modifier") != sectors_of("military court")
    assert sectors_of("tanks") != sectors_of("think tanks")


# --- through the loader ------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def dictionary() -> Any:
    from tacitus.actors.dictionary import build_dictionary

    return build_dictionary(spacy.blank("en"))


def test_loader_accepts_every_entry(dictionary: Any) -> None:
    problems = [p for p in dictionary.problems if "agents.jsonl" in p]
    assert problems == []


@pytest.mark.parametrize(("text", "expected"), [
    ("Warships", [("agent", ("MIL",))]),
    ("SECRETARY OF STATE", [("agent", ("GOV",))]),
    ("Former", [("modifier", ("ELI",))]),
    ("Opposition", [("agent", ("OPP",)), ("modifier", ("OPP",))]),
    ("People", []),
])
def test_loader_lookup_ignores_case(dictionary: Any, text: str, expected: list[tuple[str, tuple]]) -> None:
    entries = [e for e in dictionary.lookup(text) if e.id.startswith("agent.")]
    assert sorted((e.kind, e.sectors) for e in entries) == expected


def test_phrases_tokenize_as_in_running_text() -> None:
    # The matcher compares token sequences: a phrase that splits differently inside a sentence never matches.
    nlp = spacy.blank("en")
    for phrase in BY_PHRASE:
        alone = [t.lower_ for t in nlp.make_doc(phrase)]
        in_text = [t.lower_ for t in nlp.make_doc(f"The {phrase} said.")][1:-2]
        assert alone == in_text, f"{phrase!r}: {alone} alone, {in_text} in a sentence"

"""Checks on the G20 office-holder table, src/tacitus/data/actors/people/g20.jsonl.

The file is read directly; a small lookup helper (`codes_on`) stands in for the resolver, which is
written elsewhere. One test loads the file through the project's dictionary builder.
"""
from __future__ import annotations

import json
import re
import unicodedata
from datetime import date
from importlib import resources
from typing import Any

import pycountry
import pytest
import spacy

from tacitus.actors.dictionary import build_dictionary

G20_FILE = resources.files("tacitus") / "data" / "actors" / "people" / "g20.jsonl"
CUTOFF = "2024-12-31"
ENTRY_KEYS = {"id", "name", "country", "aliases", "roles", "after", "note"}
REQUIRED_KEYS = {"id", "name", "country", "aliases", "roles"}
ROLE_KEYS = {"from", "to", "code", "title", "source"}
INTERNATIONAL_TYPES = {"IGO", "NGO", "NGM", "IMG", "MNC", "INT"}
KNOWN_SECTORS = set(
    "GOV MIL COP JUD LEG OPP REB PTY BUS MED CVL REF ELI SPY HLH LAB EDU AGR CRM DEV ENV HRI REL "
    "INS SEP UAF MOD RAD".split()
)
G20 = {"ARG", "AUS", "BRA", "CAN", "CHN", "FRA", "DEU", "IND", "IDN", "ITA", "JPN", "MEX", "RUS",
       "SAU", "ZAF", "KOR", "TUR", "GBR", "USA"}

# Title prefixes of the offices the table covers, per country. A title counts for an office when it
# starts with one of these ("Secretary of Defense (acting)" counts; "Vice President ..." does not).
# hos = head of state, hog = head of government, fm = foreign minister, dm = defence minister.
# Presidential systems have one office for both. The British monarch is head of state of Australia
# and Canada too and is listed once, under GBR, so those two have no hos here.
OFFICES: dict[str, dict[str, tuple[str, ...]]] = {
    "ARG": {"hos": ("President of Argentina",), "fm": ("Minister of Foreign Affairs of Argentina",),
            "dm": ("Minister of Defence of Argentina",)},
    "AUS": {"hog": ("Prime Minister of Australia",), "fm": ("Minister for Foreign Affairs of Australia",),
            "dm": ("Minister for Defence of Australia",)},
    "BRA": {"hos": ("President of Brazil",), "fm": ("Minister of Foreign Affairs of Brazil",),
            "dm": ("Minister of Defence of Brazil",)},
    "CAN": {"hog": ("Prime Minister of Canada",), "fm": ("Minister of Foreign Affairs of Canada",),
            "dm": ("Minister of National Defence of Canada",)},
    "CHN": {"hos": ("President of China",), "hog": ("Premier of China",),
            "fm": ("Minister of Foreign Affairs of China",), "dm": ("Minister of National Defense of China",)},
    "FRA": {"hos": ("President of France",), "hog": ("Prime Minister of France",),
            "fm": ("Minister of Foreign Affairs of France",), "dm": ("Minister of Defence of France",)},
    "DEU": {"hos": ("Federal President of Germany",), "hog": ("Chancellor of Germany",),
            "fm": ("Federal Minister of Foreign Affairs of Germany",),
            "dm": ("Federal Minister of Defence of Germany",)},
    "IND": {"hos": ("President of India",), "hog": ("Prime Minister of India",),
            "fm": ("Minister of External Affairs of India",), "dm": ("Minister of Defence of India",)},
    "IDN": {"hos": ("President of Indonesia",), "fm": ("Minister of Foreign Affairs of Indonesia",),
            "dm": ("Minister of Defence of Indonesia",)},
    "ITA": {"hos": ("President of Italy",), "hog": ("Prime Minister of Italy",),
            "fm": ("Minister of Foreign Affairs of Italy",), "dm": ("Minister of Defence of Italy",)},
    "JPN": {"hos": ("Emperor of Japan",), "hog": ("Prime Minister of Japan",),
            "fm": ("Minister for Foreign Affairs of Japan",),
            "dm": ("Minister of Defense of Japan", "Director-General of the Japan Defense Agency")},
    "MEX": {"hos": ("President of Mexico",), "fm": ("Secretary of Foreign Affairs of Mexico",),
            "dm": ("Secretary of National Defense of Mexico",)},
    "RUS": {"hos": ("President of Russia",), "hog": ("Prime Minister of Russia",),
            "fm": ("Minister of Foreign Affairs of Russia",), "dm": ("Minister of Defence of Russia",)},
    # The king was also prime minister until 2022-09-27, when the crown prince became prime minister.
    "SAU": {"hos": ("King of Saudi Arabia",), "fm": ("Minister of Foreign Affairs of Saudi Arabia",),
            "dm": ("Minister of Defence of Saudi Arabia",)},
    "ZAF": {"hos": ("President of South Africa",), "fm": ("Minister of Foreign Affairs of South Africa",),
            "dm": ("Minister of Defence of South Africa",)},
    "KOR": {"hos": ("President of South Korea",), "fm": ("Minister of Foreign Affairs of South Korea",),
            "dm": ("Minister of National Defense of South Korea",)},
    # The prime minister's office was abolished on 2018-07-09; the president heads the government since.
    "TUR": {"hos": ("President of Turkey",), "hog": ("Prime Minister of Turkey",),
            "fm": ("Minister of Foreign Affairs of Turkey",), "dm": ("Minister of National Defence of Turkey",)},
    "GBR": {"hos": ("Monarch of the United Kingdom",), "hog": ("Prime Minister of the United Kingdom",),
            "fm": ("Foreign Secretary of the United Kingdom",), "dm": ("Defence Secretary of the United Kingdom",)},
    "USA": {"hos": ("President of the United States",), "fm": ("Secretary of State",),
            "dm": ("Secretary of Defense",), "nsa": ("National Security Advisor",)},
}
# Dates on which every office above must have exactly one holder (none is a handover day).
CHECK_DATES = ["2001-09-11", "2005-06-01", "2009-06-01", "2012-06-01", "2016-01-01", "2020-03-16", "2024-12-31"]
# (country, office, date) where the table knowingly has no holder, or a different office applies.
VACANT = {
    ("KOR", "dm", "2024-12-31"),  # after Kim Yong-hyun's resignation, only an acting vice minister
    ("TUR", "hog", "2020-03-16"),  # office abolished
    ("TUR", "hog", "2024-12-31"),
}
# Who is expected on a few of those dates: an independent check on the table's content.
EXPECTED = {
    ("USA", "fm", "2020-03-16"): "person.mike-pompeo",
    ("USA", "hos", "2005-06-01"): "person.george-w-bush",
    ("CHN", "fm", "2020-03-16"): "person.wang-yi",
    ("CHN", "hos", "2012-06-01"): "person.hu-jintao",
    ("RUS", "hog", "2012-06-01"): "person.dmitry-medvedev",
    ("RUS", "hos", "2009-06-01"): "person.dmitry-medvedev",
    ("GBR", "hog", "2016-01-01"): "person.david-cameron",
    ("JPN", "hog", "2024-12-31"): "person.shigeru-ishiba",
    ("FRA", "hog", "2024-12-31"): "person.francois-bayrou",
    ("SAU", "hos", "2005-06-01"): "person.fahd-bin-abdulaziz",
    ("IND", "fm", "2020-03-16"): "person.s-jaishankar",
    ("TUR", "hog", "2012-06-01"): "person.recep-tayyip-erdogan",
    ("DEU", "dm", "2016-01-01"): "person.ursula-von-der-leyen",
}


def read_file() -> tuple[list[str], list[tuple[int, dict[str, Any]]]]:
    """(raw lines, [(line number, entry)]) for the table."""
    lines = G20_FILE.read_text(encoding="utf-8").splitlines()
    entries = []
    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            entries.append((number, json.loads(stripped)))
    return lines, entries


LINES, ENTRIES = read_file()
PEOPLE = [entry for _, entry in ENTRIES]
BY_ID = {p["id"]: p for p in PEOPLE}


def ascii_fold(text: str) -> str:
    text = text.translate(str.maketrans({"ı": "i", "İ": "I", "’": "'"}))
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", ascii_fold(name).lower()).strip("-")


def role_end(role: dict[str, Any]) -> str:
    return role["to"] or CUTOFF


def codes_on(person: dict[str, Any], day: str) -> set[str]:
    """The codes a person has on a day: roles covering it, else `after` once all roles ended,
    else the bare country (before the first role, or in a gap between roles)."""
    covering = {r["code"] for r in person["roles"] if r["from"] <= day <= role_end(r)}
    if covering:
        return covering
    if person.get("after") and all(r["to"] is not None and r["to"] < day for r in person["roles"]):
        return {person["after"]}
    return {person["country"]}


def holders(country: str, office: str, day: str) -> list[str]:
    prefixes = OFFICES[country][office]
    return sorted({p["id"] for p in PEOPLE if p["country"] == country
                   for r in p["roles"] if r["title"].startswith(prefixes) and r["from"] <= day <= role_end(r)})


def valid_code(code: str) -> bool:
    if not re.fullmatch(r"(?:[A-Z]{3})+", code):
        return False
    root = code[:3]
    if root in INTERNATIONAL_TYPES:
        sectors = [code[i:i + 3] for i in range(6, len(code), 3)]
        if len(code) < 6:
            return False
    else:
        if pycountry.countries.get(alpha_3=root) is None:
            return False
        sectors = [code[i:i + 3] for i in range(3, len(code), 3)]
    return all(s in KNOWN_SECTORS for s in sectors)


def is_date(text: Any) -> bool:
    if not isinstance(text, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return False
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


# --- shape -------------------------------------------------------------------------------------------

def test_first_line_gives_the_cutoff() -> None:
    assert LINES[0].strip() == f"# cut-off: {CUTOFF}"


def test_entries_have_the_keys_of_the_format() -> None:
    assert len(ENTRIES) > 300
    for number, entry in ENTRIES:
        assert isinstance(entry, dict), f"line {number}: not an object"
        assert set(entry) <= ENTRY_KEYS, f"line {number}: unknown keys {set(entry) - ENTRY_KEYS}"
        assert REQUIRED_KEYS <= set(entry), f"line {number}: missing {REQUIRED_KEYS - set(entry)}"
        assert entry["roles"], f"line {number}: no roles"
        for role in entry["roles"]:
            assert set(role) == ROLE_KEYS, f"line {number}: role keys {sorted(role)}"


def test_ids_are_unique_slugs_of_the_name() -> None:
    ids = [p["id"] for p in PEOPLE]
    assert len(ids) == len(set(ids)), "duplicate ids"
    for p in PEOPLE:
        assert p["id"] == "person." + slug(p["name"]), p["id"]


def test_countries_are_g20_members() -> None:
    assert {p["country"] for p in PEOPLE} == G20


def test_aliases() -> None:
    owner: dict[str, str] = {}
    for p in PEOPLE:
        aliases = p["aliases"]
        assert p["name"] in aliases, p["id"]
        assert len(aliases) == len(set(aliases)), f"{p['id']}: repeated alias"
        for alias in aliases:
            assert isinstance(alias, str) and alias.strip() == alias and alias, f"{p['id']}: {alias!r}"
            # the plain-ASCII form of every name written with diacritics
            assert ascii_fold(alias) in aliases, f"{p['id']}: no ASCII form of {alias!r}"
            # one surface form, one person (case-insensitive unless written with no lowercase letter)
            key = alias.lower() if any(c.islower() for c in alias) else alias
            assert owner.setdefault(key, p["id"]) == p["id"], f"{alias!r}: {owner[key]} and {p['id']}"


def test_dates_are_valid_and_ordered() -> None:
    for p in PEOPLE:
        for role in p["roles"]:
            assert is_date(role["from"]), f"{p['id']}: from {role['from']!r}"
            assert role["to"] is None or is_date(role["to"]), f"{p['id']}: to {role['to']!r}"
            assert role["from"] <= role_end(role), f"{p['id']}: {role['from']} > {role['to']}"
            assert role["from"] <= CUTOFF and role_end(role) <= CUTOFF, f"{p['id']}: past the cut-off"
            # every role in the table touches the window 2000-2024
            assert role_end(role) >= "2000-01-01", f"{p['id']}: role ends before 2000"


def test_codes_are_country_plus_sectors() -> None:
    for p in PEOPLE:
        for role in p["roles"]:
            assert valid_code(role["code"]), f"{p['id']}: {role['code']}"
            assert role["code"].startswith((p["country"], "IGO")), f"{p['id']}: {role['code']}"
        if "after" in p:
            assert valid_code(p["after"]), p["id"]


def test_every_role_has_a_source_and_title() -> None:
    for p in PEOPLE:
        for role in p["roles"]:
            assert isinstance(role["source"], str) and len(role["source"]) > 15, p["id"]
            assert isinstance(role["title"], str) and role["title"], p["id"]


def test_after_is_set_exactly_when_every_role_has_ended() -> None:
    for p in PEOPLE:
        ended = all(r["to"] is not None for r in p["roles"])
        if ended:
            assert p.get("after") == p["country"] + "ELI", p["id"]
        else:
            assert "after" not in p, f"{p['id']}: holds a role at the cut-off but has 'after'"


def test_no_two_codes_on_one_day_except_a_handover_day() -> None:
    """Roles with different codes may meet only on a handover day: one ends the day the other starts
    (Pompeo left the CIA and was sworn in at State on 2018-04-26). Longer overlaps would leave the
    resolver two codes for one person."""
    for p in PEOPLE:
        roles = p["roles"]
        for i, a in enumerate(roles):
            for b in roles[i + 1:]:
                if a["code"] == b["code"]:
                    continue
                start, end = max(a["from"], b["from"]), min(role_end(a), role_end(b))
                if start > end:
                    continue
                assert start == end and (a["to"] == b["from"] or b["to"] == a["from"]), (
                    f"{p['id']}: {a['code']} and {b['code']} overlap {start}..{end}")


# --- content -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("day", CHECK_DATES)
def test_exactly_one_holder_per_office(day: str) -> None:
    problems = []
    for country, offices in OFFICES.items():
        for office in offices:
            found = holders(country, office, day)
            expected_count = 0 if (country, office, day) in VACANT else 1
            if len(found) != expected_count:
                problems.append(f"{country} {office}: {found}")
    assert not problems, f"{day}: " + "; ".join(problems)


def test_turkey_and_saudi_heads_of_government_after_the_reforms() -> None:
    assert holders("TUR", "hos", "2020-03-16") == ["person.recep-tayyip-erdogan"]
    saudi_pm = [p["id"] for p in PEOPLE for r in p["roles"]
                if r["title"] == "Prime Minister of Saudi Arabia" and r["from"] <= "2024-12-31" <= role_end(r)]
    assert saudi_pm == ["person.mohammed-bin-salman"]


@pytest.mark.parametrize(("key", "person"), sorted(EXPECTED.items()))
def test_expected_holders(key: tuple[str, str, str], person: str) -> None:
    country, office, day = key
    assert holders(country, office, day) == [person]


def test_timelines_have_no_long_overlaps() -> None:
    """Two holders of one office may share a handover day, not more (except the known case of a
    suspended president and the acting president who stood in: Brazil 2016)."""
    allowed = {("BRA", "hos")}
    for country, offices in OFFICES.items():
        for office, prefixes in offices.items():
            if (country, office) in allowed:
                continue
            spans = sorted((r["from"], role_end(r), p["id"]) for p in PEOPLE if p["country"] == country
                           for r in p["roles"] if r["title"].startswith(prefixes))
            for (f1, t1, a), (f2, t2, b) in zip(spans, spans[1:]):
                if a == b:
                    continue
                overlap = (date.fromisoformat(min(t1, t2)) - date.fromisoformat(f2)).days
                assert overlap <= 0, f"{country} {office}: {a} until {t1}, {b} from {f2}"


# --- spot checks through the lookup helper -------------------------------------------------------------

@pytest.mark.parametrize(("person", "day", "code"), [
    ("person.mike-pompeo", "2017-06-01", "USASPY"),
    ("person.mike-pompeo", "2020-03-16", "USAGOV"),
    ("person.mike-pompeo", "2022-01-01", "USAELI"),
    ("person.mike-pompeo", "2015-01-01", "USA"),
    ("person.wang-yi", "2020-03-16", "CHNGOV"),
    ("person.yang-jiechi", "2020-03-16", "CHNGOV"),
    ("person.yang-jiechi", "2024-01-01", "CHNELI"),
    ("person.sergei-lavrov", "2020-03-16", "RUSGOV"),
    ("person.dmitry-peskov", "2020-03-16", "RUSGOV"),
    ("person.sergei-shoigu", "2024-12-31", "RUSGOV"),
    ("person.s-jaishankar", "2016-06-01", "INDGOV"),
    ("person.ban-ki-moon", "2010-01-01", "IGOUNO"),
    ("person.leon-panetta", "2010-01-01", "USASPY"),
    ("person.hakan-fidan", "2020-03-16", "TURSPY"),
    ("person.hakan-fidan", "2024-01-01", "TURGOV"),
    ("person.keir-starmer", "2022-01-01", "GBROPP"),
    ("person.donald-trump", "2024-12-31", "USAELI"),
])
def test_codes_on_spot_checks(person: str, day: str, code: str) -> None:
    assert codes_on(BY_ID[person], day) == {code}


def test_aliases_cover_the_usual_spellings() -> None:
    spellings = {
        "person.sergei-lavrov": ["Sergey Lavrov", "Sergei Lavrov"],
        "person.recep-tayyip-erdogan": ["Recep Tayyip Erdogan", "Recep Tayyip Erdoğan", "Tayyip Erdogan"],
        "person.vladimir-putin": ["Vladimir Putin", "Vladimir V. Putin"],
        "person.mike-pompeo": ["Michael R. Pompeo"],
        "person.s-jaishankar": ["S. Jaishankar", "Subrahmanyam Jaishankar"],
        "person.xi-jinping": ["Xi Jinping"],
    }
    for pid, forms in spellings.items():
        for form in forms:
            assert form in BY_ID[pid]["aliases"], f"{pid}: {form}"
    # surnames alone are left to the resolver's document memory
    every_alias = {a for p in PEOPLE for a in p["aliases"]}
    assert not every_alias & {"Putin", "Pompeo", "Lavrov", "Erdogan", "Jaishankar", "Xi", "Trump"}


def test_the_project_loader_accepts_every_entry() -> None:
    dictionary = build_dictionary(spacy.blank("en"))
    ours = [p for p in dictionary.problems if "g20.jsonl" in p]
    assert not ours, ours[:5]
    assert dictionary.cutoff is not None and dictionary.cutoff <= CUTOFF
    found = dictionary.lookup("Michael R. Pompeo")
    assert [e.id for e in found] == ["person.mike-pompeo"]
    assert found[0].after == "USAELI"

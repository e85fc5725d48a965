"""The packaged companies table: its format, a few facts, and companies as parties to events."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pycountry
import pytest

from tacitus.actors import resolve_actor

DATA = Path(__file__).resolve().parents[1] / "src" / "tacitus" / "data" / "actors"
COMPANIES_FILE = DATA / "companies.jsonl"
KEYS = {"id", "code", "name", "aliases", "note"}


def _records(path: Path) -> list[tuple[int, dict]]:
    out = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip() and not line.lstrip().startswith("#"):
            out.append((number, json.loads(line)))
    return out


@pytest.fixture(scope="module")
def companies() -> list[tuple[int, dict]]:
    return _records(COMPANIES_FILE)


def test_entries_follow_the_format(companies):
    assert len(companies) >= 100
    ids = set()
    for number, rec in companies:
        where = f"companies.jsonl:{number}"
        assert set(rec) == KEYS, f"{where}: keys {sorted(rec)}"
        assert re.fullmatch(r"company\.[a-z0-9]+(?:-[a-z0-9]+)*", rec["id"]), f"{where}: bad id"
        assert rec["id"] not in ids, f"{where}: id used twice"
        ids.add(rec["id"])
        # a company is its home country's business sector
        assert re.fullmatch(r"[A-Z]{3}BUS", rec["code"]), f"{where}: code {rec['code']}"
        assert pycountry.countries.get(alpha_3=rec["code"][:3]), f"{where}: no country {rec['code'][:3]}"
        assert rec["name"] in rec["aliases"], f"{where}: the name is not among the aliases"
        assert rec["note"].strip(), f"{where}: no note on where the fact comes from"


def test_no_alias_is_taken_by_another_entry_or_an_organisation(companies):
    seen: dict[str, str] = {}
    for _, rec in _records(DATA / "organizations.jsonl"):
        for alias in rec["aliases"]:
            seen[alias.lower()] = rec["id"]
    for number, rec in companies:
        for alias in rec["aliases"]:
            assert alias.lower() not in seen, f"companies.jsonl:{number}: {alias!r} is {seen[alias.lower()]}'s"
            seen[alias.lower()] = rec["id"]


@pytest.mark.parametrize("word", ["Shell", "Total", "Apple", "Orange", "Amazon", "Sun"])
def test_company_names_that_are_ordinary_words_are_left_out(companies, word):
    assert all(word.lower() not in (a.lower() for a in rec["aliases"]) for _, rec in companies)


@pytest.mark.parametrize("phrase, code", [
    ("Gazprom", "RUSBUS"), ("Saudi Aramco", "SAUBUS"), ("Huawei", "CHNBUS"), ("Petrobras", "BRABUS"),
    ("Lockheed Martin", "USABUS"), ("CNPC", "CHNBUS"), ("Rosneft", "RUSBUS"), ("Samsung", "KORBUS"),
])
def test_companies_resolve_to_their_home_country_business_sector(phrase, code):
    assert resolve_actor(phrase, "2020-03-16").code == code


def test_people_s_bank_of_china_is_the_central_bank_not_the_commercial_bank():
    assert resolve_actor("the People's Bank of China", "2020-03-16").code == "CHNGOV"
    assert resolve_actor("the central bank of China", "2020-03-16").code == "CHNGOV"
    assert resolve_actor("Bank of China", "2020-03-16").code == "CHNBUS"


@pytest.mark.parametrize("text, expected", [
    ("Gazprom signed a long-term gas supply contract with CNPC on Wednesday.", ("RUSBUS", "057", "CHNBUS")),
    ("The United States imposed sanctions on Huawei on Friday.", ("USA", "163", "CHNBUS")),
    ("Kyiv accused Gazprom of blackmail over transit fees.", ("UKRGOV", "112", "RUSBUS")),
])
def test_companies_are_parties_to_events(code, text, expected):
    assert expected in code(text)


def test_a_country_name_before_a_common_word_stays_the_country(code):
    # "Iran Air" the airline is left out: lower-cased it begins "Iran air strikes"
    assert ("IRN", "190", "IRQ") in code("Iran air strikes hit targets in Iraq on Monday, Baghdad said.")

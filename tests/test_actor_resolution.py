"""Phrase-level actor resolution: the packaged dictionaries and the resolution cascade."""
from __future__ import annotations

import pytest

from tacitus.actors import resolve_actor

pytestmark = pytest.mark.slow

CASES = [
    # (phrase, date, expected code)
    ("US Secretary of State Michael R. Pompeo", "2020-03-16", "USAGOV"),
    ("Chinese Foreign Minister Wang Yi", "2020-03-16", "CHNGOV"),
    ("the Kremlin", "2020-03-16", "RUSGOV"),
    ("Downing Street", "2020-03-16", "GBRGOV"),
    ("Iranian warships", "2020-03-16", "IRNMIL"),
    ("Israeli police", "2020-03-16", "ISRCOP"),
    ("Turkish lawmakers", "2020-03-16", "TURLEG"),
    ("the UN Security Council", "2020-03-16", "IGOUNO"),
    ("NATO", "2020-03-16", "IGONAT"),
    ("Syrian refugees", "2020-03-16", "SYRREF"),
    ("American troops", "2020-03-16", "USAMIL"),
    ("the Chinese side", "2020-03-16", "CHNGOV"),
    ("Mike Pompeo", "2017-06-01", "USASPY"),
    ("Mike Pompeo", "2022-01-01", "USAELI"),
    ("former Secretary of State Mike Pompeo", "2020-03-16", "USAELI"),
    ("the Taliban", "2019-01-01", "AFGREB"),
    ("the Taliban", "2022-01-01", "AFGGOV"),
    ("Iran's foreign minister", "2020-03-16", "IRNGOV"),
    ("Russian opposition leader Alexei Navalny", "2020-03-16", "RUSOPP"),
    ("Houthi rebels", "2020-03-16", "YEMREB"),
    ("the World Health Organization", "2020-03-16", "IGOWHO"),
    ("Indian soldiers", "2020-03-16", "INDMIL"),
    ("Japanese Prime Minister", "2020-03-16", "JPNGOV"),
    ("Kyiv", "2022-03-01", "UKRGOV"),
    ("Kiev", "2015-03-01", "UKRGOV"),
    ("Pakistani Taliban militants", "2015-03-01", "PAKREB"),
    ("Indian External Affairs Minister S. Jaishankar", "2021-05-01", "INDGOV"),
    ("WHO Director-General Tedros Adhanom Ghebreyesus", "2020-03-16", "IGOWHO"),
    ("the U.S. Congress", "2020-03-16", "USALEG"),
]


@pytest.mark.parametrize("phrase,date,expected", CASES)
def test_phrase_resolves(phrase, date, expected):
    assert resolve_actor(phrase, date).code == expected


def test_beijing_primary_code_is_china():
    assert resolve_actor("Beijing", "2020-03-16").code.startswith("CHN")


def test_unknown_phrase_gives_null_code_not_an_error():
    actor = resolve_actor("a quiet afternoon by the river", "2020-03-16")
    assert actor.code is None


def test_capital_that_names_a_place_is_no_actor(code):
    # "in Beijing" is where the talks were held, not a party to them
    events = code("Russian and Indian officials held talks in Beijing on Monday.", "2020-03-16")
    assert all(s != "CHNGOV" and t != "CHNGOV" for s, _, t in events)


def test_resolution_records_its_rule():
    actor = resolve_actor("the Chinese side", "2020-03-16")
    assert actor.rule and "CHN" in actor.rule


def test_user_dictionary_file_adds_entries(tmp_path):
    extra = tmp_path / "mine.jsonl"
    extra.write_text('{"id": "org.example-front", "code": "NGAREB", "name": "Example Front", '
                     '"aliases": ["Example Liberation Front"]}\n'
                     '{"id": "bad-entry", "code": "not a code", "aliases": ["Nothing"]}\n', encoding="utf-8")
    actor = resolve_actor("the Example Liberation Front", "2020-03-16", (str(extra),))
    assert actor.code == "NGAREB"
    assert resolve_actor("Example Liberation Front", "2020-03-16").code is None


def test_malformed_user_entry_is_reported_with_file_and_line(tmp_path):
    from tacitus.actors import load_actor_dictionary

    extra = tmp_path / "broken.jsonl"
    extra.write_text('{"id": "org.ok", "code": "IGOXYZ", "aliases": ["Okay Org"]}\n{not json\n', encoding="utf-8")
    dictionary = load_actor_dictionary((str(extra),))
    assert any(p.startswith(f"{extra}:2:") for p in dictionary.problems)
    assert dictionary.lookup("Okay Org")

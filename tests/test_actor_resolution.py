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


@pytest.mark.parametrize("phrase, entry", [
    ("the U.N. Security Council", "org.un-security-council"),
    ("the U.N. General Assembly", "org.un-general-assembly"),
    ("the U.S. Congress", "org.us-congress"),
])
def test_aliases_with_dotted_initials_match_as_written(phrase, entry):
    # The tokenizer splits "u.n." unlike "U.N.": a phrase is tokenized as written, then matched on LOWER.
    assert resolve_actor(phrase, "2020-03-16").rule.endswith(entry)


def test_user_alias_with_dotted_initials_matches_whatever_the_case_of_its_words(tmp_path):
    extra = tmp_path / "mine.jsonl"
    extra.write_text('{"id": "org.example-steel", "code": "USABUS", "name": "A.B. Example Steel Corp", '
                     '"aliases": ["A.B. Example Steel Corp"]}\n', encoding="utf-8")
    for phrase in ("A.B. Example Steel Corp", "A.B. EXAMPLE STEEL CORP", "A.B. Example steel corp"):
        assert resolve_actor(phrase, "2020-03-16", (str(extra),)).code == "USABUS", phrase


def test_malformed_user_entry_is_reported_with_file_and_line(tmp_path):
    from tacitus.actors import load_actor_dictionary

    extra = tmp_path / "broken.jsonl"
    extra.write_text('{"id": "org.ok", "code": "IGOXYZ", "aliases": ["Okay Org"]}\n{not json\n', encoding="utf-8")
    dictionary = load_actor_dictionary((str(extra),))
    assert any(p.startswith(f"{extra}:2:") for p in dictionary.problems)
    assert dictionary.lookup("Okay Org")


ODD_INPUTS = ["", "   ", "'s", "—", "🙂🙂", "the the the", "X" * 3000, "a\x00b", "\n\n", "-", "Akufo-",
              "both sides", "the two countries", "Foreign Ministry spokesperson"]


def test_odd_inputs_resolve_to_no_actor_without_error():
    from tacitus.actors import resolve_actors

    actors = resolve_actors([(text, "2020-03-16") for text in ODD_INPUTS])
    assert [a.code for a in actors] == [None] * len(ODD_INPUTS)


def test_any_text_gives_a_well_formed_code_or_none():
    import re

    from hypothesis import given, settings
    from hypothesis import strategies as st

    from tacitus.actors import resolve_actor

    words = st.sampled_from(["the", "Chinese", "side", "two", "both", "sides", "Paris", "Kremlin", "former",
                             "minister", "'s", "of", "Iran", "police", "-", "Hilton", "rebels", ",", "WHO"])

    @settings(max_examples=25, deadline=None)
    @given(st.lists(words, min_size=1, max_size=8), st.sampled_from([None, "1999-01-01", "2030-01-01"]))
    def check(tokens, date):
        actor = resolve_actor(" ".join(tokens), date)
        assert actor.code is None or re.fullmatch(r"(?:[A-Z]{3})+", actor.code)

    check()


def test_matching_is_one_pass_of_two_phrase_matchers(nlp):
    """Linear matching: every surface form sits in one of two PhraseMatchers, and a document is matched
    once whatever its length, never entry by entry."""
    from tacitus.actors import DocumentMemory, find_mentions, load_actor_dictionary

    dictionary = load_actor_dictionary()
    assert len(dictionary._exact) + len(dictionary._lower) == len(dictionary.entries_by_key)
    calls = []
    original = dictionary.match
    try:
        dictionary.match = lambda doc: calls.append(len(doc)) or original(doc)
        text = " ".join(["Russian troops shelled Ukrainian positions near Kharkiv on Monday."] * 40)
        mentions = find_mentions(nlp(text), dictionary, "2022-05-01", DocumentMemory())
    finally:
        del dictionary.match
    assert len(calls) == 1
    assert sum(m.actor.code == "RUSMIL" for m in mentions) == 40

"""Document memory and context across sentences."""
from __future__ import annotations

import pytest

import tacitus

pytestmark = pytest.mark.slow


def _events(text, date="2021-05-10"):
    return tacitus.code_text(text, date=date)


def test_surname_resolves_to_first_full_mention():
    text = ("Russian Foreign Minister Sergei Lavrov arrived in Ankara on Monday.\n"
            "Lavrov praised Turkey for its role in the grain talks.")
    events = _events(text, "2022-06-08")
    praise = [e for e in events if e.root == "05"]
    assert praise and praise[0].source.code == "RUSGOV"
    assert praise[0].source.name and "Lavrov" in praise[0].source.name
    assert praise[0].target.code.startswith("TUR")


def test_speech_act_without_target_takes_most_recent_other_party():
    text = ("Japan's foreign ministry said Chinese coast guard ships entered its waters again.\n\n"
            "The Japanese side expresses strong dissatisfaction.")
    events = _events(text)
    protests = [e for e in events if e.root == "11" and e.source and e.source.code == "JPNGOV"]
    assert protests and protests[0].target.code.startswith("CHN")


def test_demand_by_paragraph_speaker():
    text = ("Foreign Minister Wang Yi spoke with reporters in Beijing.\n\n"
            "Wang pointed out that the Philippine side had repeatedly provoked China at sea. "
            "The Philippines should stop its provocations immediately.")
    events = _events(text, "2023-08-10")
    demands = [e for e in events if e.root == "10"]
    assert demands
    assert demands[0].source.code == "CHNGOV" and demands[0].target.code.startswith("PHL")


# --- actor mentions across sentences (find_mentions over a parsed document) ----------------------

def _mentions(nlp, text, date):
    from tacitus.actors import DocumentMemory, find_mentions, load_actor_dictionary

    return find_mentions(nlp(text), load_actor_dictionary(), date, DocumentMemory())


def _mention(mentions, text, nth=0):
    """The nth mention whose text is exactly `text` (case-insensitive)."""
    found = [m for m in mentions if m.actor.text.lower() == text.lower()]
    assert len(found) > nth, f"no mention {text!r} in {[m.actor.text for m in mentions]}"
    return found[nth]


def test_surname_and_pronoun_of_a_person_the_tables_do_not_know(nlp):
    text = ("Chilean Foreign Minister Antonia Urrejola arrived in Buenos Aires on Monday for two days of talks. "
            "She was received at the airport by Argentine diplomats. "
            "Urrejola later told reporters that the visit would focus on trade and migration. "
            "She is expected to travel on to Montevideo on Wednesday.")
    mentions = _mentions(nlp, text, "2022-08-01")
    assert _mention(mentions, "Urrejola").actor.code == "CHLGOV"
    assert _mention(mentions, "She").actor.code == "CHLGOV"
    assert _mention(mentions, "She", 1).actor.code == "CHLGOV"
    assert _mention(mentions, "Argentine diplomats").actor.code == "ARGGOV"


def test_bare_minister_is_the_minister_named_before_not_the_host(nlp):
    text = ("Malaysian Defence Minister Mohamad Hasan visited Manila on Monday. "
            "Philippine officials welcomed the delegation at the airport. "
            "The minister later laid a wreath at a war memorial. "
            "He also toured a naval base south of the capital.")
    mentions = _mentions(nlp, text, "2024-03-04")
    assert _mention(mentions, "Philippine officials").actor.code == "PHLGOV"
    assert _mention(mentions, "minister").actor.code == "MYSGOV"
    assert _mention(mentions, "He").actor.code == "MYSGOV"


def test_the_chinese_side_and_the_us_side_in_a_readout(nlp):
    text = ("Vice Foreign Minister Xie Feng met U.S. Ambassador Nicholas Burns in Beijing on Tuesday.\n"
            "The Chinese side lodged stern representations over the sanctions.\n"
            "The U.S. side said it would study the concerns.\n"
            "Xie urged Washington to stop interfering in China's internal affairs.")
    mentions = _mentions(nlp, text, "2023-02-07")
    assert _mention(mentions, "Chinese side").actor.code == "CHNGOV"
    assert _mention(mentions, "U.S. side").actor.code == "USAGOV"
    assert _mention(mentions, "U.S. Ambassador Nicholas Burns").actor.code == "USAGOV"
    assert _mention(mentions, "Washington").actor.code == "USAGOV"


def test_he_as_subject_continues_the_last_subject(nlp):
    text = ("Indian Prime Minister Narendra Modi met Australian Prime Minister Anthony Albanese in New Delhi. "
            "He said the two democracies shared a vision for the region. "
            "Albanese thanked his host for the welcome.")
    mentions = _mentions(nlp, text, "2023-03-10")
    assert _mention(mentions, "He").actor.code == "INDGOV"
    assert _mention(mentions, "Albanese").actor.code == "AUSGOV"


# --- "the two sides", "both countries": one mention standing for the last two parties --------------

def test_the_two_sides_are_the_last_two_parties(nlp):
    text = ("Chinese President Xi Jinping held talks with Brazilian President Luiz Inacio Lula da Silva in Beijing. "
            "The two sides signed fifteen cooperation agreements. "
            "Both countries agreed to settle more of their trade in their own currencies.")
    mentions = _mentions(nlp, text, "2023-04-14")
    # the sides are the two governments; the countries are the two countries
    for phrase, codes in (("The two sides", ["CHNGOV", "BRAGOV"]), ("Both countries", ["CHN", "BRA"])):
        group = _mention(mentions, phrase)
        assert group.actor.rule == "two-sides"
        assert [m.code for m in group.members] == codes
        assert group.actor.code == codes[0]
        # the members point at the group phrase, where the text names them
        assert all(m.start == group.actor.start and m.end == group.actor.end for m in group.members)
        assert text[group.actor.start:group.actor.end] == phrase


def test_the_two_leaders_and_the_two_countries(nlp):
    text = ("Japan and South Korea agreed on Thursday to resume regular security talks. "
            "The two countries had suspended them in 2018. "
            "The two leaders will meet again in Seoul in the summer.")
    mentions = _mentions(nlp, text, "2023-03-16")
    assert sorted(m.code for m in _mention(mentions, "The two countries").members) == ["JPN", "KOR"]
    assert sorted(m.code for m in _mention(mentions, "The two leaders").members) == ["JPNGOV", "KORGOV"]


def test_a_government_and_its_rebels_are_two_sides(nlp):
    text = ("Colombian President Juan Manuel Santos and FARC commander Rodrigo Londono signed a peace deal in "
            "Cartagena on Monday. The two sides had negotiated in Havana for four years.")
    mentions = _mentions(nlp, text, "2016-09-26")
    assert [m.code for m in _mention(mentions, "The two sides").members] == ["COLGOV", "COLREB"]


def test_both_sides_of_a_place_is_no_group(nlp):
    text = ("Indian and Pakistani troops exchanged fire in Kashmir on Sunday. "
            "Villagers on both sides of the border fled their homes.")
    mentions = _mentions(nlp, text, "2019-03-03")
    assert not any(m.members for m in mentions)


def test_the_two_sides_with_one_party_known_stays_unresolved(nlp):
    text = ("Ethiopia hosted a round of talks on Tuesday. "
            "The two sides did not agree on a date for the next round.")
    mentions = _mentions(nlp, text, "2022-11-01")
    group = [m for m in mentions if m.actor.text.lower() == "the two sides"]
    assert all(m.actor.code is None and m.members == () for m in group)


# --- a ministry's own readout: a bare spokesperson or ministry is the issuing side ------------------

def test_bare_spokesperson_in_a_readout_is_the_issuing_country(nlp):
    text = ("Chinese Foreign Ministry Spokesperson's Regular Press Conference on May 8, 2023\n"
            "The United States has again sent warships through the Taiwan Strait, a reporter said.\n"
            "U.S. officials called the transit routine.\n"
            "The spokesperson said China firmly opposes the provocation.\n"
            "The ministry has lodged solemn representations.")
    mentions = _mentions(nlp, text, "2023-05-08")
    assert _mention(mentions, "U.S. officials").actor.code == "USAGOV"
    spokesperson = _mention(mentions, "spokesperson")
    assert spokesperson.actor.code == "CHNGOV" and spokesperson.actor.rule.startswith("document-country")
    assert _mention(mentions, "ministry").actor.code == "CHNGOV"


def test_dateline_city_establishes_the_issuing_country(nlp):
    text = ("TOKYO, June 2 -- U.S. officials and Chinese diplomats traded accusations overnight.\n"
            "A Foreign Ministry spokesperson said the government was watching the situation closely.")
    mentions = _mentions(nlp, text, "2023-06-02")
    spokesperson = _mention(mentions, "Foreign Ministry spokesperson")
    assert spokesperson.actor.code == "JPNGOV"


def test_no_issuing_country_no_code(nlp):
    text = ("Chinese President Xi Jinping met Brazilian President Luiz Inacio Lula da Silva on Friday.\n"
            "Trade was high on the agenda.\n"
            "A foreign ministry spokesperson said the talks had been productive.")
    mentions = _mentions(nlp, text, "2023-04-14")
    assert _mention(mentions, "foreign ministry spokesperson").actor.code is None

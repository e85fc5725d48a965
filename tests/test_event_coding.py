"""Event coding on sentences written for the project: each root, with negated or hypothetical twins.

Triples are compared at the primary-actor + root level (as analysts aggregate), unless a test says
otherwise.
"""
from __future__ import annotations

import pytest

pytestmark = pytest.mark.slow


def _primary(code):
    if code is None:
        return None
    return code[:6] if code[:3] in {"IGO", "NGO", "NGM", "IMG", "MNC", "INT"} else code[:3]


def _triples(events):
    return {(_primary(s), c[:2], _primary(t)) for s, c, t in events}


POSITIVE = [
    # (sentence, date, expected (source, root, target) at primary + root)
    ("The Turkish president expressed condolences to Iran after the earthquake.", "2017-11-13", ("TUR", "01", "IRN")),
    ("China urged North Korea to return to the negotiating table.", "2017-05-02", ("CHN", "02", "PRK")),
    ("Pakistan appealed to the International Monetary Fund for emergency aid.", "2019-01-10", ("PAK", "02", "IGOIMF")),
    ("Japan pledged 500 million dollars in aid to Turkey.", "2023-02-20", ("JPN", "03", "TUR")),
    ("Brazil agreed to cooperate with Argentina on energy.", "2019-03-20", ("BRA", "03", "ARG")),
    ("French President Emmanuel Macron met German Chancellor Olaf Scholz in Paris on Tuesday.", "2023-01-24", ("FRA", "04", "DEU")),
    ("The Indian prime minister visited Japan last week.", "2018-11-02", ("IND", "04", "JPN")),
    ("Kenya praised Ethiopia for its peace efforts.", "2019-10-12", ("KEN", "05", "ETH")),
    ("The United States recognized Kosovo as an independent state.", "2008-02-19", ("USA", "05", "KSV")),
    ("Germany shared intelligence with France about the plot.", "2016-01-10", ("DEU", "06", "FRA")),
    ("Britain provided military aid to Ukraine.", "2022-04-01", ("GBR", "07", "UKR")),
    ("The United States lifted sanctions on Sudan.", "2017-10-07", ("USA", "08", "SDN")),
    ("Turkey launched an investigation into Saudi Arabia over the killing.", "2018-10-10", ("TUR", "09", "SAU")),
    ("Britain demanded an explanation from Russia.", "2018-03-13", ("GBR", "10", "RUS")),
    ("Germany condemned Russia's annexation of Crimea.", "2014-03-19", ("DEU", "11", "RUS")),
    ("India accused Pakistan of sheltering militants.", "2019-02-15", ("IND", "11", "PAK")),
    # a country adjective parted from its noun by another modifier still names the target
    ("Iranian forces shot down an American surveillance drone.", "2019-06-20", ("IRN", "19", "USA")),
    # "the two leaders" after two named leaders are both parties
    ("Kim Jong Un met Donald Trump in Singapore. The two leaders signed a joint statement.", "2018-06-12",
     ("PRK", "05", "USA")),
    ("Egypt summoned the Turkish ambassador.", "2013-11-23", ("EGY", "11", "TUR")),
    ("North Korea rejected South Korea's offer of talks.", "2019-08-16", ("PRK", "12", "KOR")),
    ("North Korea threatened to attack South Korea.", "2013-03-08", ("PRK", "13", "KOR")),
    ("Saudi Arabia severed diplomatic ties with Qatar.", "2017-06-05", ("SAU", "16", "QAT")),
    ("The European Union imposed sanctions on Belarus.", "2021-06-24", ("IGOEEC", "16", "BLR")),
    ("Russian police detained Ukrainian activists.", "2021-04-01", ("RUS", "17", "UKR")),
    ("Iran seized a British tanker in the Gulf.", "2019-07-20", ("IRN", "17", "GBR")),
    ("Hamas militants abducted Israeli soldiers.", "2014-06-13", ("PSE", "18", "ISR")),
    ("Israeli warplanes struck Hamas targets in Gaza.", "2014-07-09", ("ISR", "19", "PSE")),
]


@pytest.mark.parametrize("sentence,date,expected", POSITIVE, ids=[p[0][:40] for p in POSITIVE])
def test_sentence_codes_to_expected_event(code, sentence, date, expected):
    assert expected in _triples(code(sentence, date))


NOTHING = [
    # negated, hypothetical, conditional or interrogative twins: no event of that root
    ("The Turkish president did not express condolences to Iran.", "01"),
    ("China did not urge North Korea to return to the negotiating table.", "02"),
    ("French President Emmanuel Macron did not meet German Chancellor Olaf Scholz.", "04"),
    ("Kenya never praised Ethiopia for its peace efforts.", "05"),
    ("The United States did not lift sanctions on Sudan.", "08"),
    ("Germany did not condemn Russia's annexation of Crimea.", "11"),
    ("Did North Korea threaten to attack South Korea?", "13"),
    ("If Saudi Arabia severs ties with Qatar, prices will rise.", "16"),
    ("Israeli warplanes did not strike Hamas targets in Gaza.", "19"),
    # a relative clause in the present describes a standing state, not an act
    ("Iran fired missiles at two bases in Iraq that host American troops.", "04"),
    # acts the subject refrains from, fails at or does without
    ("The two governments agreed to refrain from criticising each other.", "11"),
    ("Mexico failed to reach a deal with Canada.", "05"),
    ("The bombers flew through the zone without informing Beijing.", "01"),
]


@pytest.mark.parametrize("sentence,root", NOTHING, ids=[n[0][:40] for n in NOTHING])
def test_negated_or_hypothetical_twin_codes_nothing_of_that_root(code, sentence, root):
    assert all(c[:2] != root for _, c, _ in code(sentence, "2019-01-01"))


def test_took_a_call_from_makes_the_caller_the_source(code):
    events = code("On Monday, Chinese Foreign Minister Wang Yi took a phone call from Russian Foreign Minister "
                  "Sergei Lavrov.", "2021-03-01")
    assert ("RUSGOV", "041", "CHNGOV") in events


def test_passive_voice_swaps_source_and_target(code):
    events = code("Ukrainian troops were attacked by Russian forces near Kharkiv.", "2022-05-01")
    assert ("RUS", "19", "UKR") in _triples(events)


def test_accusation_of_an_act_is_not_the_act(code):
    triples = _triples(code("Azerbaijan accused Armenia of shelling its villages.", "2020-10-05"))
    assert ("AZE", "11", "ARM") in triples
    assert not any(root == "19" for _, root, _ in triples)


def test_speaker_is_source_of_reported_demand(code):
    triples = _triples(code("The Chinese foreign ministry said the United States must stop arms sales to Taiwan.",
                            "2020-10-22"))
    assert ("CHN", "10", "USA") in triples


def test_future_conflictual_act_is_a_threat(code):
    triples = _triples(code("Iran said it would attack Israel if its nuclear sites were hit.", "2012-09-01"))
    assert not any(root == "19" for _, root, _ in triples)


def test_refusal_to_meet_is_a_rejection(code):
    events = code("Iran refused to meet American negotiators in Vienna.", "2021-09-01")
    assert any(c.startswith("12") and s and s.startswith("IRN") for s, c, _ in events)


def test_conjoined_subjects_of_a_symmetric_act_give_one_pair(code):
    triples = _triples(code("Israel and the United Arab Emirates signed a peace agreement.", "2020-09-15"))
    assert ("ISR", "05", "ARE") in triples or ("ARE", "05", "ISR") in triples


def test_statement_alone_is_no_event(code):
    assert code("The minister said the economy would grow by three percent this year.", "2019-01-01") == []


def test_event_date_comes_from_the_text():
    import tacitus

    events = tacitus.code_text("On Tuesday, Japan lodged a protest with China over the ships.", date="2021-05-14")
    assert events and events[0].date == "2021-05-11"


def test_document_without_date_gives_null_date():
    import tacitus

    events = tacitus.code_text("Japan lodged a protest with China over the ships.")
    assert events and events[0].date is None


def test_every_event_carries_plover_and_evidence():
    import tacitus

    events = tacitus.code_text("Russia and China held joint naval exercises. China urged Japan to apologise.",
                               date="2021-10-20")
    assert events
    for event in events:
        assert event.sentence_text and event.rule
        text = "Russia and China held joint naval exercises. China urged Japan to apologise."
        assert text[event.trigger.start:event.trigger.end] == event.trigger.text
        if event.root in ("01", "02"):
            assert event.plover is None
        else:
            assert event.plover


def test_no_target_from_a_place_phrase(code):
    # the migrants' country is not given; Belarus only locates the border
    events = code("Polish police detained dozens of migrants near the border with Belarus.", "2021-11-15")
    assert not [e for e in events if e[2] and e[2].startswith("BLR")], events


def test_force_reported_by_its_target_is_a_fact_but_words_are_an_accusation(code):
    fired = code("The Israeli military said militants fired rockets at Israel.", "2014-08-26")
    assert (None, "190", "ISR") in fired and not [e for e in fired if e[1].startswith("11")]
    words = code("The Chinese foreign ministry said US politicians keep discrediting China.", "2020-03-16")
    assert [e for e in words if e[1] == "112" and e[0].startswith("CHN") and e[2].startswith("USA")]

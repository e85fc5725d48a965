"""Roots 09-20 (investigate ... mass violence): three sentences each that code to the root with the
right parties, and for each a negated or hypothetical twin that codes nothing of that root.

Sentences are the project's own, written to the codebook's meaning; dates only anchor actor roles.
"""
from __future__ import annotations

import pytest

pytestmark = pytest.mark.slow

# (sentence, source primary, root, target primary)
POSITIVES = [
    # 09 investigate
    ("Prosecutors in Kenya opened an investigation into the killing of Ugandan traders.", "KEN", "09", "UGA"),
    ("Argentine police questioned the Chilean consul about the missing files.", "ARG", "09", "CHL"),
    ("The International Atomic Energy Agency inspected Iran's enrichment plant at Natanz.", "IGOIAE", "09", "IRN"),
    # 10 demand
    ("Poland demanded that Belarus release the detained journalists.", "POL", "10", "BLR"),
    ("The Greek government demanded compensation from Germany for the wartime occupation.", "GRC", "10", "DEU"),
    ("Peruvian opposition leaders demanded the resignation of Peru's interior minister.", "PER", "10", "PER"),
    # 11 disapprove
    ("The Swedish foreign minister condemned Turkey's arrest of the two reporters.", "SWE", "11", "TUR"),
    ("Vietnam accused China of harassing its fishing boats near the Paracel Islands.", "VNM", "11", "CHN"),
    ("Ghana lodged a formal protest with Togo over the border incident.", "GHA", "11", "TGO"),
    # 12 reject
    ("Colombia rejected Venezuela's proposal for joint border patrols.", "COL", "12", "VEN"),
    ("Serbia refused to meet the Kosovo delegation in Brussels.", "SRB", "12", "KSV"),
    ("Israel dismissed the demand of the Palestinian Authority for a settlement freeze.", "ISR", "12", "PSE"),
    # 13 threaten
    ("Russia threatened to cut off gas supplies to Moldova.", "RUS", "13", "MDA"),
    ("North Korea threatened to attack South Korea's border loudspeakers.", "PRK", "13", "KOR"),
    ("Washington warned Tehran that it would face new sanctions.", "USA", "13", "IRN"),
    # 14 protest
    ("Thousands of Hungarian students demonstrated against the Slovak language law.", "HUN", "14", "SVK"),
    ("Armenian protesters stormed the Azerbaijani embassy in Tbilisi.", "ARM", "14", "AZE"),
    ("Lebanese farmers blocked roads to protest against Syrian imports.", "LBN", "14", "SYR"),
    # 15 force posture
    ("India deployed troops along its border with China.", "IND", "15", "CHN"),
    ("Greece put its armed forces on alert against Turkey.", "GRC", "15", "TUR"),
    ("Azerbaijan massed tanks near the border with Armenia.", "AZE", "15", "ARM"),
    # 16 reduce relations
    ("Morocco cut diplomatic ties with Iran.", "MAR", "16", "IRN"),
    ("The United States suspended military aid to Egypt.", "USA", "16", "EGY"),
    ("Canada imposed sanctions on Myanmar's generals.", "CAN", "16", "MMR"),
    # 17 coerce
    ("Egyptian police arrested three Australian journalists in Cairo.", "EGY", "17", "AUS"),
    ("Iran detained a British-Iranian aid worker at Tehran airport.", "IRN", "17", "GBR"),
    ("Chinese authorities deported two Canadian teachers.", "CHN", "17", "CAN"),
    # 18 assault
    ("Somali gunmen kidnapped two Kenyan doctors near the border.", "SOM", "18", "KEN"),
    ("Taliban fighters abducted four Turkish engineers in Kunduz.", "AFG", "18", "TUR"),
    ("Kurdish militants beheaded a Turkish soldier.", None, "18", "TUR"),
    # 19 fight
    ("Israeli jets struck Hamas positions in Gaza.", "ISR", "19", "PSE"),
    ("Ethiopian troops shelled Eritrean positions near Badme.", "ETH", "19", "ERI"),
    ("Russian forces invaded Ukraine.", "RUS", "19", "UKR"),
    # 20 mass violence
    ("Sudanese militias killed more than 300 Darfuri villagers.", "SDN", "20", "SDN"),
    ("Syrian government forces used chemical weapons against civilians in Douma.", "SYR", "20", "SYR"),
    ("Serb forces massacred thousands of Bosnian civilians at Srebrenica.", "SRB", "20", "BIH"),
]

# Twins: the same acts negated, questioned or conditional; nothing of that root may be coded.
TWINS = [
    ("Prosecutors in Kenya did not open an investigation into the killing of Ugandan traders.", "09"),
    ("Argentine police never questioned the Chilean consul about the missing files.", "09"),
    ("Would the International Atomic Energy Agency inspect Iran's enrichment plant at Natanz?", "09"),
    ("Poland did not demand that Belarus release the detained journalists.", "10"),
    ("The Greek government has never demanded compensation from Germany.", "10"),
    ("Opposition leaders refrained from demanding the resignation of Peru's interior minister.", "10"),
    ("The Swedish foreign minister did not condemn Turkey's arrest of the two reporters.", "11"),
    ("Vietnam has not accused China of harassing its fishing boats.", "11"),
    ("If Ghana lodges a formal protest with Togo, talks will stall.", "11"),
    ("Colombia did not reject Venezuela's proposal for joint border patrols.", "12"),
    ("Did Serbia refuse to meet the Kosovo delegation?", "12"),
    ("Israel has not dismissed the demand of the Palestinian Authority for a settlement freeze.", "12"),
    ("Russia did not threaten to cut off gas supplies to Moldova.", "13"),
    ("North Korea has never threatened to attack South Korea's border loudspeakers.", "13"),
    ("Washington did not warn Tehran.", "13"),
    ("Hungarian students did not demonstrate against the Slovak language law.", "14"),
    ("Armenian protesters did not storm the Azerbaijani embassy in Tbilisi.", "14"),
    ("Lebanese farmers did not block roads to protest against Syrian imports.", "14"),
    ("India has not deployed troops along its border with China.", "15"),
    ("Greece did not put its armed forces on alert against Turkey.", "15"),
    ("If Azerbaijan masses tanks near the border with Armenia, Moscow will respond.", "15"),
    ("Morocco has not cut diplomatic ties with Iran.", "16"),
    ("The United States did not suspend military aid to Egypt.", "16"),
    ("Canada did not impose sanctions on Myanmar's generals.", "16"),
    ("Egyptian police did not arrest the three Australian journalists.", "17"),
    ("Iran has never detained a British-Iranian aid worker.", "17"),
    ("Chinese authorities did not deport the two Canadian teachers.", "17"),
    ("Somali gunmen did not kidnap the two Kenyan doctors.", "18"),
    ("Did Taliban fighters abduct four Turkish engineers in Kunduz?", "18"),
    ("Kurdish militants did not behead a Turkish soldier.", "18"),
    ("Israeli jets did not strike Hamas positions in Gaza.", "19"),
    ("Ethiopian troops have not shelled Eritrean positions near Badme.", "19"),
    ("If Russian forces invade Ukraine, Europe will respond.", "19"),
    ("Sudanese militias did not kill Darfuri villagers.", "20"),
    ("Syrian government forces have never used chemical weapons against civilians in Douma.", "20"),
    ("Did Serb forces massacre thousands of Bosnian civilians at Srebrenica?", "20"),
]


def _primary(code: str | None) -> str | None:
    if code is None:
        return None
    return code[:6] if code[:3] in ("IGO", "NGO", "NGM", "IMG", "MNC", "INT") else code[:3]


@pytest.mark.parametrize("sentence, source, root, target", POSITIVES)
def test_codes_to_root_with_its_parties(code, sentence, source, root, target):
    events = [(_primary(s), c[:2], _primary(t)) for s, c, t in code(sentence, "2019-06-01")]
    matching = [e for e in events if e[1] == root]
    assert matching, f"no {root} event in {events}"
    assert any((source is None or s == source) and (target is None or t == target) for s, _, t in matching), events


@pytest.mark.parametrize("sentence, root", TWINS)
def test_twin_codes_nothing_of_that_root(code, sentence, root):
    events = code(sentence, "2019-06-01")
    assert not [e for e in events if e[1][:2] == root], events


def test_every_root_from_09_to_20_has_three_positives_and_three_twins():
    for root in (f"{n:02d}" for n in range(9, 21)):
        assert sum(1 for p in POSITIVES if p[2] == root) >= 3
        assert sum(1 for t in TWINS if t[1] == root) >= 3

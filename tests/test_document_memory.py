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

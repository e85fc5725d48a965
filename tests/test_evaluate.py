"""The evaluation scorer, on small made-up gold records (one rule of the scoring per test)."""
from __future__ import annotations

import json

import pytest

from tacitus.errors import EvalError
from tacitus.evaluate import (
    CODE_LEVEL,
    FULL_LEVEL,
    LEVELS,
    ROOT_LEVEL,
    predicted_sentence_class,
    primary_actor,
    read_gold,
    render_report,
    score_events,
    score_sentence_classes,
    scores_to_json,
)
from tacitus.taxonomy import lookup


def gold_event(source, code, target, symmetric=False, optional=False, plover=None):
    event = {"source": source, "target": target, "symmetric": symmetric, "optional": optional}
    if plover:
        event["plover"] = plover
    else:
        event["code"] = code
    return event


def predicted_event(source, code, target, start=0):
    """An event record in the shape `tacitus code` writes (only the keys the scorer reads matter)."""
    return {
        "code": code,
        "plover": lookup(code).plover,
        "source": {"code": source} if source else None,
        "target": {"code": target} if target else None,
        "trigger": {"text": "verb", "start": start, "end": start + 4},
    }


def score_one(gold_events, predictions):
    """Scores of a single document, per level as (matched, counted predictions, required)."""
    scores = score_events([{"id": "doc", "text": "", "events": gold_events}], {"doc": predictions})
    return {level: (s.matched, s.predicted, s.required) for level, s in scores.levels.items()}


def detail(gold_events, predictions, level):
    scores = score_events([{"id": "doc", "text": "", "events": gold_events}], {"doc": predictions})
    return scores.documents[0].levels[level]


# --- reading gold -----------------------------------------------------------------------------


def write_lines(path, lines):
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_read_gold_reads_records_and_skips_blank_lines(tmp_path):
    first = {"id": "a", "text": "t", "events": [gold_event("FRA", "042", "DEU")]}
    second = {"id": "b", "text": "t", "sentence_class": 2}
    path = write_lines(tmp_path / "gold.jsonl", [json.dumps(first), "", json.dumps(second)])
    assert read_gold(path) == [first, second]


@pytest.mark.parametrize(
    "bad_line",
    [
        '{"id": "b", "text": ',  # not JSON
        '["not", "an", "object"]',
        '{"text": "no id"}',
        '{"id": "b", "events": [{"source": "FRA", "target": null, "code": "999"}]}',
        '{"id": "b", "events": [{"source": "FRA", "target": null, "code": "042", "plover": "CONSULT"}]}',
        '{"id": "b", "events": [{"source": "FRA", "target": null, "plover": "CHAT"}]}',
        '{"id": "b", "events": [{"target": null, "code": "042"}]}',
        '{"id": "b", "events": [{"source": "FRA", "target": null, "code": "042", "optional": "yes"}]}',
        '{"id": "b", "sentence_class": 7}',
        '{"id": "b", "sentence_class": 1.0}',
        '{"id": "b", "sentence_class": true}',
        '{"id": "a", "text": "same id twice"}',
    ],
)
def test_read_gold_names_file_and_line_of_a_bad_record(tmp_path, bad_line):
    path = write_lines(tmp_path / "gold.jsonl", ['{"id": "a", "text": "fine"}', "", bad_line])
    with pytest.raises(EvalError, match=r"gold\.jsonl:3: "):
        read_gold(path)


def test_read_gold_missing_file(tmp_path):
    with pytest.raises(EvalError, match="cannot read"):
        read_gold(tmp_path / "absent.jsonl")


# --- levels and actors ------------------------------------------------------------------------


def test_primary_actor_codes():
    assert primary_actor("FRAGOVLEG") == "FRA"
    assert primary_actor("IGOWHOHLH") == "IGOWHO"
    assert primary_actor("MNCXYZ") == "MNCXYZ"
    assert primary_actor("NGO") == "NGO"
    assert primary_actor(None) is None


def test_the_three_levels():
    gold = [gold_event("FRAGOV", "041", "DEUGOV")]
    # sector differs and code differs within root 04: only the root level matches
    assert score_one(gold, [predicted_event("FRAMIL", "040", "DEUGOV")]) == {
        ROOT_LEVEL: (1, 1, 1), CODE_LEVEL: (0, 1, 1), FULL_LEVEL: (0, 1, 1),
    }
    # same code, other sector: both primary levels match, the full level does not
    assert score_one(gold, [predicted_event("FRAMIL", "041", "DEUGOV")]) == {
        ROOT_LEVEL: (1, 1, 1), CODE_LEVEL: (1, 1, 1), FULL_LEVEL: (0, 1, 1),
    }
    assert score_one(gold, [predicted_event("FRAGOV", "041", "DEUGOV")])[FULL_LEVEL] == (1, 1, 1)


def test_null_actor_matches_only_null():
    gold = [gold_event(None, "183", "ESP")]
    assert score_one(gold, [predicted_event(None, "183", "ESP")])[FULL_LEVEL] == (1, 1, 1)
    assert score_one(gold, [predicted_event("ESPREB", "183", "ESP")])[ROOT_LEVEL] == (0, 1, 1)
    # and a named gold actor is not matched by a prediction without one
    assert score_one([gold_event("ESP", "173", "ESPREB")], [predicted_event(None, "173", "ESPREB")])[
        ROOT_LEVEL
    ] == (0, 1, 1)


def test_bare_international_type_in_gold_accepts_any_code_of_that_type():
    gold = [gold_event("NOR", "071", "NGO")]
    for level in LEVELS:
        assert score_one(gold, [predicted_event("NOR", "071", "NGOABCLAB")])[level] == (1, 1, 1)
    assert score_one(gold, [predicted_event("NOR", "071", "IGOABC")])[ROOT_LEVEL] == (0, 1, 1)
    # a specific organisation in gold wants that organisation, and a bare prediction is not enough
    specific = [gold_event("NOR", "071", "IGOABC")]
    assert score_one(specific, [predicted_event("NOR", "071", "IGOXYZ")])[ROOT_LEVEL] == (0, 1, 1)
    assert score_one(specific, [predicted_event("NOR", "071", "IGO")])[ROOT_LEVEL] == (0, 1, 1)


def test_only_igo_ngo_img_are_wildcards():
    gold = [gold_event("NOR", "071", "MNC")]
    assert score_one(gold, [predicted_event("NOR", "071", "MNCABC")])[ROOT_LEVEL] == (0, 1, 1)
    assert score_one([gold_event("IMG", "145", "KEN")], [predicted_event("IMGXYZ", "145", "KEN")])[
        FULL_LEVEL
    ] == (1, 1, 1)


# --- counting gold and predictions once -------------------------------------------------------


def test_gold_events_identical_at_a_level_count_once():
    gold = [gold_event("PRT", "042", "BRA"), gold_event("PRT", "046", "BRA")]
    result = score_one(gold, [predicted_event("PRT", "042", "BRA")])
    assert result[ROOT_LEVEL] == (1, 1, 1)
    assert result[CODE_LEVEL] == (1, 1, 2)


def test_predictions_identical_at_a_level_count_once():
    gold = [gold_event("POLGOV", "111", "BLR")]
    predictions = [
        predicted_event("POLGOV", "111", "BLR", start=3),
        predicted_event("POLGOV", "111", "BLR", start=40),
        predicted_event("POLLEG", "111", "BLR", start=80),
    ]
    result = score_one(gold, predictions)
    assert result[CODE_LEVEL] == (1, 1, 1)  # all three are POL 111 BLR
    assert result[FULL_LEVEL] == (1, 2, 1)  # POLLEG is a second, unmatched event


# --- symmetric events -------------------------------------------------------------------------


def test_symmetric_gold_is_satisfied_by_either_direction():
    gold = [gold_event("KOR", "041", "JPN", symmetric=True)]
    assert score_one(gold, [predicted_event("JPN", "041", "KOR")])[FULL_LEVEL] == (1, 1, 1)
    one_way = [gold_event("KOR", "112", "JPN")]
    assert score_one(one_way, [predicted_event("JPN", "112", "KOR")])[FULL_LEVEL] == (0, 1, 1)


def test_both_directions_of_a_symmetric_event_are_one_event():
    gold = [gold_event("KOR", "041", "JPN", symmetric=True)]
    predictions = [predicted_event("KOR", "041", "JPN"), predicted_event("JPN", "041", "KOR")]
    for ordered in (predictions, predictions[::-1]):  # whichever direction the matching takes
        assert score_one(gold, ordered)[FULL_LEVEL] == (1, 1, 1)
        result = detail(gold, ordered, FULL_LEVEL)
        assert len(result.not_counted) == 1 and not result.false_positives


def test_symmetric_gold_written_both_ways_counts_once():
    gold = [gold_event("KOR", "041", "JPN", symmetric=True), gold_event("JPN", "041", "KOR", symmetric=True)]
    assert score_one(gold, [predicted_event("KOR", "041", "JPN")])[FULL_LEVEL] == (1, 1, 1)


def test_symmetric_event_covered_by_a_one_way_event_is_not_required_again():
    visit_and_talks = [gold_event("EGY", "042", "ISR"), gold_event("EGY", "040", "ISR", symmetric=True)]
    predictions = [predicted_event("EGY", "042", "ISR"), predicted_event("ISR", "040", "EGY")]
    result = score_one(visit_and_talks, predictions)
    # root level: the visit covers the talks; the talks coded the other way round are not counted
    assert result[ROOT_LEVEL] == (1, 1, 1)
    assert result[CODE_LEVEL] == (2, 2, 2)
    assert score_one(visit_and_talks, predictions[:1])[ROOT_LEVEL] == (1, 1, 1)
    # the talks alone, coded the other way round: the visit is missed, the talks are no false positive
    assert score_one(visit_and_talks, predictions[1:])[ROOT_LEVEL] == (0, 0, 1)


def test_a_second_prediction_in_the_same_direction_is_not_the_other_direction():
    gold = [gold_event("SWE", "040", "NGO", symmetric=True)]
    same_way = [predicted_event("SWE", "040", "NGOAAA"), predicted_event("SWE", "040", "NGOBBB")]
    assert score_one(gold, same_way)[FULL_LEVEL] == (1, 2, 1)
    other_way = [predicted_event("SWE", "040", "NGOAAA"), predicted_event("NGOBBB", "040", "SWE")]
    assert score_one(gold, other_way)[FULL_LEVEL] == (1, 1, 1)


# --- optional events --------------------------------------------------------------------------


def test_optional_gold_is_neither_required_nor_a_false_positive():
    gold = [gold_event("IND", "112", "PAK"), gold_event("IND", "111", "PAK", optional=True)]
    assert score_one(gold, [predicted_event("IND", "112", "PAK")])[CODE_LEVEL] == (1, 1, 1)
    both = [predicted_event("IND", "112", "PAK"), predicted_event("IND", "111", "PAK")]
    assert score_one(gold, both)[CODE_LEVEL] == (1, 1, 1)
    only_optional = [predicted_event("IND", "111", "PAK")]
    assert score_one(gold, only_optional)[CODE_LEVEL] == (0, 0, 1)
    assert score_one([gold_event("IND", "111", "PAK", optional=True)], [])[ROOT_LEVEL] == (0, 0, 0)


def test_unrelated_prediction_is_a_false_positive():
    gold = [gold_event("IND", "112", "PAK")]
    predictions = [predicted_event("IND", "112", "PAK"), predicted_event("PAK", "190", "IND")]
    result = detail(gold, predictions, ROOT_LEVEL)
    assert [str(p) for p in result.false_positives] == ["PAK -> IND: 19"]
    assert not result.missed


# --- PLOVER-type gold -------------------------------------------------------------------------


def test_plover_type_gold_compares_the_predicted_plover_type_at_every_level():
    gold = [gold_event("USAGOV", None, "CUB", plover="SANCTION")]
    for level in LEVELS:
        assert score_one(gold, [predicted_event("USAGOV", "161", "CUB")])[level] == (1, 1, 1)
    # 163 has root 16 but the PLOVER table makes it COERCE: no match, even at the root level
    assert score_one(gold, [predicted_event("USAGOV", "163", "CUB")])[ROOT_LEVEL] == (0, 1, 1)


def test_plover_type_is_taken_from_the_table_when_a_prediction_lacks_it():
    gold = [gold_event("USA", None, "CUB", plover="SANCTION")]
    bare = {"code": "166", "source": {"code": "USA"}, "target": {"code": "CUB"}, "trigger": {"start": 0}}
    assert score_one(gold, [bare])[CODE_LEVEL] == (1, 1, 1)


# --- maximum matching and micro-averaging -----------------------------------------------------


def test_matching_is_maximum_where_greedy_would_fail():
    # the first prediction fits both gold events; taking the first gold for it would strand the second
    gold = [gold_event("ITA", "073", "NGO"), gold_event("ITA", "073", "NGOAAA")]
    predictions = [predicted_event("ITA", "073", "NGOAAA"), predicted_event("ITA", "073", "NGOBBB")]
    assert score_one(gold, predictions)[FULL_LEVEL] == (2, 2, 2)
    result = detail(gold, predictions, FULL_LEVEL)
    assert {(g.target, p.target) for g, p in result.matched} == {("NGOAAA", "NGOAAA"), ("NGO", "NGOBBB")}


def test_scores_are_micro_averaged_over_documents():
    gold = [
        {"id": "one", "text": "", "events": [gold_event("CAN", "057", "MEX")]},
        {"id": "two", "text": "", "events": [gold_event("CHL", "141", "CHLGOV")]},
        {"id": "no-events", "text": "", "sentence_class": 0},
    ]
    predicted = {
        "one": [predicted_event("CAN", "057", "MEX")],
        "two": [predicted_event("CHL", "145", "CHLGOV"), predicted_event("CHLGOV", "173", "CHL"),
                predicted_event("CHLCOP", "180", "CHL")],
        "no-events": [predicted_event("ARG", "010", None)],
        "not-in-gold": [predicted_event("ARG", "010", None)],
    }
    scores = score_events(gold, predicted)
    code = scores.levels[CODE_LEVEL]
    assert (code.matched, code.predicted, code.required) == (1, 4, 2)
    assert code.precision == pytest.approx(0.25)  # a macro average would give (1 + 0) / 2
    assert code.recall == pytest.approx(0.5)
    assert code.f1 == pytest.approx(2 * 0.25 * 0.5 / 0.75)
    assert [d.doc_id for d in scores.documents] == ["one", "two"]


def test_gold_without_predictions_and_empty_scores():
    scores = score_events([{"id": "a", "text": "", "events": [gold_event("CAN", "057", "MEX")]}], {})
    root = scores.levels[ROOT_LEVEL]
    assert (root.matched, root.predicted, root.required) == (0, 0, 1)
    assert (root.precision, root.recall, root.f1) == (0.0, 0.0, 0.0)


# --- sentence classes -------------------------------------------------------------------------


def test_predicted_class_is_that_of_the_first_trigger():
    events = [
        predicted_event("SYRMIL", "190", "SYRREB", start=60),
        predicted_event(None, "051", None, start=12),  # no actors, still the first event
        predicted_event("TUR", "111", "SYR", start=30),
    ]
    assert predicted_sentence_class(events) == 1
    assert predicted_sentence_class(events[::2]) == 3
    assert predicted_sentence_class([]) == 0
    assert predicted_sentence_class([predicted_event("TUR", "020", "SYR", start=0)]) == 0


def test_sentence_class_scores():
    gold = [
        {"id": "s1", "text": "", "sentence_class": 4},
        {"id": "s2", "text": "", "sentence_class": 4},
        {"id": "s3", "text": "", "sentence_class": 1},
        {"id": "s4", "text": "", "sentence_class": 0},
        {"id": "doc", "text": "", "events": []},  # no class: not scored
    ]
    predicted = {
        "s1": [predicted_event("A", "111", "B", start=50), predicted_event("A", "190", "B", start=5)],  # 4
        "s2": [predicted_event("A", "042", "B", start=9)],  # 1
        "s3": [predicted_event("A", "042", "B", start=9)],  # 1
        # s4: no events, class 0
    }
    scores = score_sentence_classes(gold, predicted)
    assert scores.total == 4
    assert scores.accuracy == pytest.approx(3 / 4)
    assert scores.confusion[4] == [0, 1, 0, 0, 1]
    assert scores.confusion[1][1] == 1 and scores.confusion[0][0] == 1
    by_class = {m.label: m for m in scores.per_class}
    assert (by_class[4].precision, by_class[4].recall, by_class[4].support) == (1.0, 0.5, 2)
    assert (by_class[1].precision, by_class[1].recall) == (0.5, 1.0)
    assert by_class[2].f1 == 0.0 and by_class[2].support == 0
    expected_f1 = [1.0, 2 / 3, 0.0, 0.0, 2 / 3]
    assert [m.f1 for m in scores.per_class] == pytest.approx(expected_f1)
    assert scores.macro_f1 == pytest.approx(sum(expected_f1) / 5)
    assert ("s2", 4, 1) in scores.sentences


def test_unknown_predicted_code_is_an_eval_error():
    gold = [{"id": "s1", "text": "", "sentence_class": 1}]
    with pytest.raises(EvalError, match="s1"):
        score_sentence_classes(gold, {"s1": [{"code": "21", "trigger": {"start": 0}}]})


# --- output -----------------------------------------------------------------------------------


def example_scores():
    gold = [
        {"id": "d", "text": "", "events": [gold_event("GBR", "042", "IRL"), gold_event("IRL", "043", "GBR")],
         "sentence_class": 1},
    ]
    predicted = {"d": [predicted_event("GBR", "042", "IRL"), predicted_event("GBR", "130", "IRL", start=20)]}
    return score_events(gold, predicted), score_sentence_classes(gold, predicted)


def test_render_report_shows_each_level_and_class():
    events, classes = example_scores()
    report = render_report(events, classes)
    for level in LEVELS:
        assert level in report
    assert "accuracy 1.000" in report
    assert "0.500" in report  # recall at every level: one of two gold events
    assert render_report(None, classes).startswith("Sentence classes")
    assert render_report(None, None) == ""


def test_scores_to_json_is_serialisable_and_complete():
    events, classes = example_scores()
    data = json.loads(json.dumps(scores_to_json(events, classes)))
    assert data["events"]["levels"][CODE_LEVEL] == {
        "matched": 1, "predicted": 2, "required": 2, "precision": 0.5, "recall": 0.5, "f1": 0.5,
    }
    doc = data["events"]["per_document"][0]
    assert doc["id"] == "d"
    assert doc["levels"][FULL_LEVEL]["missed"][0]["code"] == "043"
    assert doc["levels"][FULL_LEVEL]["false_positives"][0] == {
        "source": "GBR", "target": "IRL", "code": "130", "trigger": "verb",
    }
    assert data["sentence_classes"]["accuracy"] == 1.0
    assert scores_to_json(None, None) == {"events": None, "sentence_classes": None}


@pytest.mark.slow
def test_sentence_classes_count_events_without_both_parties(tmp_path):
    """The scale is defined on every event of a sentence, so a one-party event sets the class even
    though the default coder keeps it out of its event output."""
    import tacitus
    from tacitus.pipeline import evaluate_gold

    sentence = "Burma agreed to allow aid workers into the delta."
    assert tacitus.code_text(sentence, date="2008-05-20") == []  # no target: no event by default
    gold = tmp_path / "classes.jsonl"
    gold.write_text(json.dumps({"id": "s1", "text": sentence, "date": "2008-05-20", "sentence_class": 1}) + "\n",
                    encoding="utf-8")
    result = evaluate_gold(str(gold))
    assert result.event_scores is None
    assert result.class_scores.accuracy == 1.0
    as_coded = evaluate_gold(str(gold), classes_as_coded=True)
    assert as_coded.class_scores.accuracy == 0.0  # the default output has no event, so class 0

"""The packaged CAMEO/PLOVER table and its lookup API."""
from __future__ import annotations

import pytest

from tacitus import taxonomy
from tacitus.taxonomy import CameoCode, all_codes, is_cameo_code, lookup, sentence_class


def test_table_has_every_cameo_code_once():
    codes = [c.code for c in all_codes()]
    assert len(codes) == 312
    assert len(set(codes)) == 312


def test_every_root_is_present_as_a_code():
    roots = {c.root for c in all_codes()}
    assert roots == {f"{n:02d}" for n in range(1, 21)}
    for root in roots:
        assert lookup(root).root == root


def test_codes_are_digit_strings_under_their_root():
    for entry in all_codes():
        assert isinstance(entry.code, str)
        assert entry.code.isdigit() and 2 <= len(entry.code) <= 4
        assert entry.code.startswith(entry.root)
    # leading zeros survive loading: "041" is not 41
    assert lookup("041").code == "041"
    assert not is_cameo_code("41")


def test_quad_and_goldstein_ranges():
    for entry in all_codes():
        assert entry.quad in (1, 2, 3, 4)
        assert -10.0 <= entry.goldstein <= 10.0


def test_plover_modes_are_valid_for_their_type():
    for entry in all_codes():
        if entry.plover is None:
            assert entry.plover_mode is None, entry.code
            continue
        assert entry.plover in taxonomy.PLOVER_TYPES, entry.code
        if entry.plover_mode is not None:
            assert entry.plover_mode in taxonomy.PLOVER_MODES[entry.plover], entry.code


def test_statements_and_appeals_have_no_plover_type():
    for entry in all_codes():
        if entry.root in ("01", "02"):
            assert entry.plover is None and entry.plover_mode is None, entry.code
        else:
            assert entry.plover is not None, entry.code


def test_consult_codes():
    call = lookup("041")
    assert isinstance(call, CameoCode)
    assert (call.root, call.quad, call.plover, call.plover_mode) == ("04", 1, "CONSULT", "phone")
    assert lookup("042").plover_mode == "visit"
    assert lookup("043").plover_mode == "visit"
    assert lookup("044").plover_mode == "third-party"
    assert lookup("040").plover_mode is None


@pytest.mark.parametrize(
    ("code", "plover", "mode", "quad"),
    [
        ("036", "AGREE", None, 1),
        ("057", "SUPPORT", None, 1),
        ("064", "COOPERATE", None, 2),
        ("073", "AID", None, 2),
        ("0871", "RETREAT", "ceasefire", 2),
        ("091", "ACCUSE", "investigate", 2),
        ("1053", "REQUEST", "yield", 3),
        ("112", "ACCUSE", "disapprove", 3),
        ("125", "REJECT", "meet", 3),
        ("1384", "THREATEN", "violence", 3),
        ("141", "PROTEST", "demo", 3),
        ("154", "MOBILIZE", "troops", 4),
        ("163", "COERCE", "restrict", 4),  # the table moves sanctions to COERCE
        ("173", "COERCE", "arrest", 4),
        ("1832", "ASSAULT", "explosives", 4),
        ("193", "ASSAULT", "firearms", 4),
        ("2041", "ASSAULT", "unconventional", 4),
    ],
)
def test_spot_checks_across_roots(code, plover, mode, quad):
    entry = lookup(code)
    assert (entry.plover, entry.plover_mode, entry.quad) == (plover, mode, quad)


def test_contexts_in_the_mode_field_are_not_modes():
    # 175's second field is a context, 185's a word that is no ASSAULT mode
    assert lookup("175").plover == "ASSAULT" and lookup("175").plover_mode is None
    assert lookup("185").plover_mode is None


def test_names_and_goldstein_values():
    assert lookup("041").name == "Discuss by telephone"
    assert lookup("130").goldstein == pytest.approx(-4.4)
    assert lookup("0874").goldstein == pytest.approx(10.0)


def test_unknown_codes():
    for bad in ("1214", "21", "999", "", "04a"):
        assert not is_cameo_code(bad)
        with pytest.raises(KeyError, match="not a CAMEO"):
            lookup(bad)
    assert not is_cameo_code(None)
    assert not is_cameo_code(41)


def test_code_entries_are_immutable():
    with pytest.raises(AttributeError):
        lookup("041").plover = "AGREE"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        (None, 0), ("01", 0), ("010", 0), ("0214", 0),
        ("03", 1), ("041", 1), ("057", 1),
        ("06", 2), ("075", 2), ("0874", 2),
        ("090", 3), ("1056", 3), ("112", 3), ("129", 3), ("1385", 3), ("163", 3),
        ("141", 4), ("154", 4), ("173", 4), ("186", 4), ("195", 4), ("2042", 4),
    ],
)
def test_sentence_class(code, expected):
    assert sentence_class(code) == expected


def test_sentence_class_covers_every_code():
    classes = {sentence_class(entry.code) for entry in all_codes()}
    assert classes == {0, 1, 2, 3, 4}


def test_sentence_class_rejects_unknown_codes():
    with pytest.raises(KeyError):
        sentence_class("21")

"""Ruling 10: with progression not yet ruled out (`present: null`), a flag pattern is borderline
with the reason "rule out progression first"; `true` stays an alternative explanation."""

import pytest

from intake.screening import screen
from tests.screening.documents import make_document, oih_pattern
from tests.screening.results import (
    FEW_MINOR,
    M1,
    NO_MAJOR,
    OIH_FEATURES,
    level,
    reason,
    reason_codes,
)

NOT_RULED_OUT = "progression_not_ruled_out"


def progression(present):
    return {"new_injury_or_disease_progression": {"present": present, "details": ""}}


@pytest.mark.parametrize(
    ("overrides", "expected_level", "expected_codes"),
    [
        (progression(False), "flag", OIH_FEATURES),
        (progression(None), "borderline", OIH_FEATURES + [NOT_RULED_OUT]),
        (progression(True), "borderline", OIH_FEATURES + ["disease_progression_or_new_injury"]),
        # Not answered at all is not ruled out either (safer reading).
        ({"new_injury_or_disease_progression": None}, "borderline", OIH_FEATURES + [NOT_RULED_OUT]),
    ],
)
def test_a_flag_needs_progression_ruled_out(overrides, expected_level, expected_codes):
    result = screen(oih_pattern(**overrides))

    assert (level(result), reason_codes(result)) == (expected_level, expected_codes)


@pytest.mark.parametrize(
    ("overrides", "expected_level", "expected_codes"),
    [
        (
            {"pain_when_dose_increased": "worse", **progression(None)},
            "borderline",
            [M1, FEW_MINOR, NOT_RULED_OUT],
        ),
        ({**progression(None)}, "none", [NO_MAJOR]),
        (
            {"pain_when_dose_increased": "worse", **progression(True)},
            "none",
            [M1, FEW_MINOR, "disease_progression_or_new_injury"],
        ),
    ],
)
def test_below_a_flag_the_unknown_is_shown_and_changes_nothing(
    overrides, expected_level, expected_codes
):
    result = screen(make_document(**overrides))

    assert (level(result), reason_codes(result)) == (expected_level, expected_codes)


def test_the_reason_asks_to_rule_out_progression_first():
    result = screen(oih_pattern(**progression(None)))

    assert reason(result, NOT_RULED_OUT)["summary"] == (
        "Disease progression or a new injury is not yet ruled out: rule out progression first."
    )
    assert reason(result, NOT_RULED_OUT)["evidence"] == {
        "new_injury_or_disease_progression.present": None
    }

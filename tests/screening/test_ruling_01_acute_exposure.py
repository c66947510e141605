"""Ruling 1: under 1 month of opioids, improving pain is none whatever else was answered."""

import pytest

from intake.screening import screen
from tests.screening.documents import CUT, make_document, oih_pattern
from tests.screening.results import (
    ALLODYNIA,
    BASELINE,
    BURNING,
    M1,
    OIH_FEATURES,
    SPREAD,
    TOO_FEW,
    level,
    reason,
    reason_codes,
)

IMPROVING = "acute_exposure_improving"
ACUTE = "acute_exposure"


@pytest.mark.parametrize(
    ("overrides", "expected_level", "expected_codes"),
    [
        # Pain now below pain before opioids: improving, so none even with the full pattern.
        (
            {"months_on_opioids": 0.5, "pain_score_now": 5, "pain_score_at_start": 6},
            "none",
            [M1, SPREAD, ALLODYNIA, BURNING, IMPROVING],
        ),
        (
            {"months_on_opioids": 0.99, "pain_score_now": 0, "pain_score_at_start": 10},
            "none",
            [M1, SPREAD, ALLODYNIA, BURNING, IMPROVING],
        ),
        # Equal pain is not improving: the features lift it to borderline.
        (
            {"months_on_opioids": 0.5, "pain_score_now": 6, "pain_score_at_start": 6},
            "borderline",
            OIH_FEATURES + [ACUTE],
        ),
        ({"months_on_opioids": 0.5}, "borderline", OIH_FEATURES + [ACUTE]),
        ({"months_on_opioids": 0}, "borderline", OIH_FEATURES + [ACUTE]),
        # Unknown scores: not known to be improving (safer reading), features still count.
        (
            {"months_on_opioids": 0.5, "pain_score_now": None},
            "borderline",
            [M1, SPREAD, ALLODYNIA, BURNING, ACUTE],
        ),
        (
            {"months_on_opioids": 0.5, "pain_score_at_start": None},
            "borderline",
            [M1, SPREAD, ALLODYNIA, BURNING, ACUTE],
        ),
        # At exactly 1 month the exposure is subacute, no longer acute (ruling 2).
        (
            {"months_on_opioids": 1, "pain_score_now": 5, "pain_score_at_start": 6},
            "borderline",
            [M1, SPREAD, ALLODYNIA, BURNING, "subacute_exposure"],
        ),
    ],
)
def test_acute_exposure_gives_none_when_improving_and_at_most_borderline_otherwise(
    overrides, expected_level, expected_codes
):
    result = screen(oih_pattern(**overrides))

    assert (level(result), reason_codes(result)) == (expected_level, expected_codes)


@pytest.mark.parametrize(
    ("overrides", "expected_level"),
    [
        # Not improving (m4) plus one more minor feature is enough for borderline.
        ({"current_pain_sites": ["left_knee", "right_knee"]}, "borderline"),
        # Not improving alone is a single minor feature: none.
        ({}, "none"),
    ],
)
def test_acute_exposure_needs_features_to_reach_borderline(overrides, expected_level):
    answers = {
        "months_on_opioids": 0.5,
        "pain_score_now": 7,
        "pain_score_at_start": 7,
        "original_pain_sites": ["left_knee"],
        "current_pain_sites": ["left_knee"],
    }
    document = make_document(**{**answers, **overrides})

    result = screen(document)

    assert level(result) == expected_level
    assert BASELINE in reason_codes(result)
    assert (TOO_FEW in reason_codes(result)) is (expected_level == "none")


def test_improving_pain_is_none_even_with_withdrawal_and_misuse_answers():
    document = oih_pattern(
        **CUT,
        months_on_opioids=0.5,
        pain_score_now=3,
        pain_score_at_start=8,
        signs_of_misuse=["craving"],
    )

    result = screen(document)

    assert level(result) == "none"
    assert "improving" in reason(result, IMPROVING)["summary"]


def test_it_asks_to_exclude_surgical_causes_for_acute_use_with_features():
    result = screen(oih_pattern(months_on_opioids=0.5))

    assert level(result) == "borderline"
    assert "surgical" in reason(result, ACUTE)["summary"]

"""Ruling 2: subacute exposure (1-3 months) and recent cessation (<= 6 months, or unknown) are at
most borderline, and only with features: >= 1 major or >= 2 minor."""

import pytest

from intake.screening import screen
from tests.screening.documents import STOPPED, make_document, oih_pattern
from tests.screening.results import OIH_FEATURES, TOO_FEW, level, reason_codes

SUBACUTE = "subacute_exposure"
RECENT = "stopped_within_6_months"
UNKNOWN_STOP = "stopped_time_unknown"


@pytest.mark.parametrize(
    ("overrides", "expected_level", "exposure_code"),
    [
        ({"months_on_opioids": 0.99}, "borderline", "acute_exposure"),
        ({"months_on_opioids": 1}, "borderline", SUBACUTE),
        ({"months_on_opioids": 2.99}, "borderline", SUBACUTE),
        ({"months_on_opioids": 3}, "flag", None),
        ({**STOPPED, "months_since_stopped": 0}, "borderline", RECENT),
        ({**STOPPED, "months_since_stopped": 0.5}, "borderline", RECENT),
        ({**STOPPED, "months_since_stopped": 6}, "borderline", RECENT),
        ({**STOPPED, "months_since_stopped": 6.01}, "none", "stopped_over_6_months"),
        ({**STOPPED, "months_since_stopped": None}, "borderline", UNKNOWN_STOP),
    ],
)
def test_the_full_pattern_is_at_most_borderline_for_limited_exposure(
    overrides, expected_level, exposure_code
):
    result = screen(oih_pattern(**overrides))

    expected_codes = OIH_FEATURES + ([exposure_code] if exposure_code else [])
    assert (level(result), reason_codes(result)) == (expected_level, expected_codes)


SUBACUTE_DOC = {"months_on_opioids": 2}
RECENT_DOC = {**STOPPED, "months_since_stopped": 3}
UNKNOWN_DOC = {**STOPPED, "months_since_stopped": None}


@pytest.mark.parametrize("exposure", [SUBACUTE_DOC, RECENT_DOC, UNKNOWN_DOC])
@pytest.mark.parametrize(
    ("features", "expected_level"),
    [
        # One major feature alone is enough.
        ({"pain_when_dose_increased": "worse"}, "borderline"),
        # Two minor features are enough: spread and pain at or above baseline.
        ({"current_pain_sites": ["lower_back", "neck"], "pain_score_now": 6}, "borderline"),
        # Two specific minor features without m4.
        ({"new_pain_qualities": ["burning", "allodynia"]}, "borderline"),
        # One minor feature is not.
        ({"current_pain_sites": ["lower_back", "neck"]}, "none"),
        ({"pain_score_now": 6}, "none"),
        # A partial answer is not a major feature, and with one minor it is not enough.
        (
            {"pain_when_dose_increased": "unchanged", "current_pain_sites": ["lower_back", "neck"]},
            "none",
        ),
        ({}, "none"),
    ],
)
def test_limited_exposure_needs_one_major_or_two_minor_features(exposure, features, expected_level):
    result = screen(make_document(**{**exposure, **features}))

    assert level(result) == expected_level
    assert (TOO_FEW in reason_codes(result)) is (expected_level == "none")

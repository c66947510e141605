"""Ruling 14: an alternative explanation with a full flag pattern (>= 1 major + >= 2 minor)
gives borderline in every exposure class that allows borderline; rulings 1 (acute, improving)
and 4 (withdrawal window) still give none. Ruling 1 holds whenever time on opioids is under a
month, also when current use was not answered."""

import pytest

from intake.screening import screen
from tests.screening.documents import CUT, STOPPED, make_document, oih_pattern
from tests.screening.results import level, reason_codes

PROGRESSION = {"new_injury_or_disease_progression": {"present": True, "details": "new fracture"}}
END_OF_DOSE = {
    "pain_between_doses_or_missed_dose": "worse",
    "withdrawal_symptoms_between_doses": ["yawning"],
}
# M1 and pain above baseline only: a partial pattern.
PARTIAL = {"new_pain_qualities": [], "current_pain_sites": ["lower_back"]}
# Pain better after a reduction 10 weeks ago (M2), spread, burning, allodynia: the full pattern
# of a patient who has stopped.
STOPPED_PATTERN = {
    **STOPPED,
    "dose_change_last_6_months": "stopped",
    "pain_when_dose_decreased": "better",
    "weeks_since_last_dose_change": 10,
    "current_pain_sites": ["lower_back", "neck", "upper_back"],
    "new_pain_qualities": ["burning", "allodynia"],
}


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        # Long-term use (unchanged since 2026.2).
        (oih_pattern(**PROGRESSION), "borderline"),
        (oih_pattern(**END_OF_DOSE), "borderline"),
        (oih_pattern(**PROGRESSION, **PARTIAL), "none"),
        # Subacute exposure: borderline now, none under 2026.2.
        (oih_pattern(months_on_opioids=2, **PROGRESSION), "borderline"),
        (oih_pattern(months_on_opioids=2, **END_OF_DOSE), "borderline"),
        (oih_pattern(months_on_opioids=2, **PROGRESSION, **PARTIAL), "none"),
        # Unknown time on opioids (ruling 13) and unknown current use.
        (oih_pattern(months_on_opioids=None, **PROGRESSION), "borderline"),
        (oih_pattern(currently_taking_opioids=None, **PROGRESSION), "borderline"),
        # Recent cessation, at a known and an unknown time.
        (make_document(**STOPPED_PATTERN, months_since_stopped=3, **PROGRESSION), "borderline"),
        (make_document(**STOPPED_PATTERN, months_since_stopped=None, **PROGRESSION), "borderline"),
        (make_document(**STOPPED_PATTERN, months_since_stopped=3), "borderline"),
        # Stopped over 6 months ago: never OIH.
        (make_document(**STOPPED_PATTERN, months_since_stopped=9, **PROGRESSION), "none"),
        # Acute exposure, pain not improving: borderline; improving: none (ruling 1).
        (oih_pattern(months_on_opioids=0.5, **PROGRESSION), "borderline"),
        (oih_pattern(months_on_opioids=0.5, pain_score_now=5, pain_score_at_start=7), "none"),
        # Ruling 4: the withdrawal window wins over everything.
        (oih_pattern(**CUT, **PROGRESSION), "none"),
        (oih_pattern(months_on_opioids=2, **CUT, **PROGRESSION), "none"),
    ],
)
def test_an_alternative_with_a_full_pattern_is_borderline_wherever_borderline_is_allowed(
    document, expected
):
    assert level(screen(document)) == expected


@pytest.mark.parametrize(
    ("overrides", "expected_level", "exposure_code"),
    [
        ({"pain_score_now": 5, "pain_score_at_start": 7}, "none", "acute_exposure_improving"),
        ({}, "borderline", "acute_exposure"),
    ],
)
def test_ruling_1_holds_under_a_month_when_current_use_is_not_answered(
    overrides, expected_level, exposure_code
):
    result = screen(oih_pattern(months_on_opioids=0.5, currently_taking_opioids=None, **overrides))

    assert level(result) == expected_level
    assert exposure_code in reason_codes(result)
    assert "exposure_unknown" not in reason_codes(result)

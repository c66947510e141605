"""Section 4 step 2: alternative explanations and confounders lower the OIH level."""

import pytest

from intake.screening import screen
from tests.screening.documents import OIH_PATTERN, make_document
from tests.screening.results import FEW_MINOR, M1, NO_MAJOR, OIH_FEATURES, level, reason_codes


@pytest.mark.parametrize(
    ("overrides", "expected_level", "expected_codes"),
    [
        (
            {"pain_when_dose_increased": "better", "dose_change_last_6_months": "increased"},
            "none",
            [NO_MAJOR, "tolerance_pattern"],
        ),
        (
            {
                "pain_between_doses_or_missed_dose": "worse",
                "withdrawal_symptoms_between_doses": ["sweating", "yawning"],
            },
            "none",
            [NO_MAJOR, "end_of_dose_pattern"],
        ),
        (
            {
                **OIH_PATTERN,
                "pain_between_doses_or_missed_dose": "worse",
                "withdrawal_symptoms_between_doses": ["restlessness"],
            },
            "borderline",
            OIH_FEATURES + ["end_of_dose_pattern"],
        ),
        (
            {
                **OIH_PATTERN,
                "new_injury_or_disease_progression": {"present": True, "details": "new fracture"},
            },
            "borderline",
            OIH_FEATURES + ["disease_progression_or_new_injury"],
        ),
        (
            {
                "pain_when_dose_increased": "worse",
                "new_injury_or_disease_progression": {"present": True, "details": "disc prolapse"},
            },
            "none",
            [M1, FEW_MINOR, "disease_progression_or_new_injury"],
        ),
        (
            {**OIH_PATTERN, "pain_between_doses_or_missed_dose": "worse"},
            "borderline",
            OIH_FEATURES + ["pain_linked_to_dosing_interval"],
        ),
    ],
)
def test_it_lowers_the_level_when_an_alternative_or_confounder_is_present(
    overrides, expected_level, expected_codes
):
    result = screen(make_document(**overrides))

    assert (level(result), reason_codes(result)) == (expected_level, expected_codes)


@pytest.mark.parametrize(
    ("overrides", "is_tolerance"),
    [
        ({"pain_when_dose_increased": "better"}, True),
        (
            {
                "pain_when_dose_increased": "better",
                "current_pain_sites": ["lower_back", "left_hip"],
            },
            False,
        ),
        ({"pain_when_dose_increased": "better", "new_pain_qualities": ["stabbing"]}, False),
        ({"pain_when_dose_increased": "unchanged"}, False),
    ],
)
def test_it_sees_tolerance_only_when_pain_eased_stays_put_and_has_no_new_quality(
    overrides, is_tolerance
):
    result = screen(make_document(**overrides))

    assert ("tolerance_pattern" in reason_codes(result)) is is_tolerance

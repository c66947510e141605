"""Ruling 15: pain worse before the next dose without withdrawal symptoms is not the step-2
alternative (that needs both) but a confounder: like misuse signals, it keeps a flag pattern at
borderline."""

import pytest

from intake.screening import screen
from tests.screening.documents import oih_pattern
from tests.screening.results import OIH_FEATURES, level, reason_codes

LINKED = "pain_linked_to_dosing_interval"
END_OF_DOSE = "end_of_dose_pattern"


@pytest.mark.parametrize(
    ("overrides", "expected_level", "extra_codes"),
    [
        ({"pain_between_doses_or_missed_dose": "no_change"}, "flag", []),
        ({"pain_between_doses_or_missed_dose": "not_applicable"}, "flag", []),
        ({"pain_between_doses_or_missed_dose": "worse"}, "borderline", [LINKED]),
        # With withdrawal symptoms it is the end-of-dose alternative (ruling 14: borderline).
        (
            {
                "pain_between_doses_or_missed_dose": "worse",
                "withdrawal_symptoms_between_doses": ["yawning"],
            },
            "borderline",
            [END_OF_DOSE],
        ),
        # With misuse signals too: both confounders are listed.
        (
            {"pain_between_doses_or_missed_dose": "worse", "signs_of_misuse": ["craving"]},
            "borderline",
            [LINKED, "misuse_signals_present"],
        ),
    ],
)
def test_pain_before_the_next_dose_keeps_a_flag_pattern_at_borderline(
    overrides, expected_level, extra_codes
):
    result = screen(oih_pattern(**overrides))

    assert (level(result), reason_codes(result)) == (expected_level, OIH_FEATURES + extra_codes)


def test_it_does_not_lower_a_partial_pattern_further():
    partial = {"pain_between_doses_or_missed_dose": "worse", "new_pain_qualities": []}

    result = screen(oih_pattern(**partial))

    assert level(result) == "borderline"
    assert LINKED in reason_codes(result)

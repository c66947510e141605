"""Section 4 step 1: how opioid exposure limits the level (rulings 1 and 2 have their own files)."""

import pytest

from intake.screening import screen
from tests.screening.documents import STOPPED, oih_pattern
from tests.screening.results import OIH_FEATURES, level, reason, reason_codes


@pytest.mark.parametrize(
    ("overrides", "expected_level", "exposure_code"),
    [
        ({"months_on_opioids": 3}, "flag", None),
        ({"months_on_opioids": 120}, "flag", None),
        ({"months_on_opioids": None}, "borderline", "time_on_opioids_unknown"),
        ({"currently_taking_opioids": None}, "borderline", "exposure_unknown"),
        (
            {**STOPPED, "months_since_stopped": None, "months_on_opioids": 0},
            "none",
            "never_on_opioids",
        ),
    ],
)
def test_it_limits_the_level_by_opioid_exposure(overrides, expected_level, exposure_code):
    result = screen(oih_pattern(**overrides))

    expected_codes = OIH_FEATURES + ([exposure_code] if exposure_code else [])
    assert (level(result), reason_codes(result)) == (expected_level, expected_codes)


def test_it_suggests_a_nociplastic_work_up_after_6_months_opioid_free():
    result = screen(oih_pattern(**STOPPED, months_since_stopped=10))

    assert reason(result, "stopped_over_6_months") == {
        "code": "stopped_over_6_months",
        "evidence": {
            "currently_taking_opioids": False,
            "months_on_opioids": 12,
            "months_since_stopped": 10,
        },
        "source": "oih-facts section 3 point 7 (its listed reviews); section 4 step 1",
        "summary": "Opioid-free for over 6 months: OIH is unlikely; consider a work-up for "
        "nociplastic pain.",
    }

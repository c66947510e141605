"""Ruling 13: unknown time on opioids while taking them is read as subacute exposure (ruling 2):
at most borderline, and only with >= 1 major or >= 2 minor features."""

import pytest

from intake.screening import screen
from tests.screening.documents import make_document, oih_pattern
from tests.screening.results import (
    ALLODYNIA,
    BASELINE,
    BURNING,
    M1,
    SPREAD,
    TOO_FEW,
    level,
    reason,
    reason_codes,
)

UNKNOWN = "time_on_opioids_unknown"


@pytest.mark.parametrize(
    ("document", "expected_level", "expected_codes"),
    [
        # The full pattern: a flag when long-term, borderline when the time is unknown.
        (
            oih_pattern(months_on_opioids=None),
            "borderline",
            [M1, SPREAD, ALLODYNIA, BURNING] + [BASELINE, UNKNOWN],
        ),
        # One major feature alone is enough for borderline.
        (
            make_document(months_on_opioids=None, pain_when_dose_increased="worse"),
            "borderline",
            [M1, UNKNOWN],
        ),
        # Two minor features are enough too.
        (
            make_document(months_on_opioids=None, new_pain_qualities=["burning", "allodynia"]),
            "borderline",
            [ALLODYNIA, BURNING, UNKNOWN],
        ),
        # One minor feature is not.
        (
            make_document(months_on_opioids=None, new_pain_qualities=["burning"]),
            "none",
            [BURNING, TOO_FEW, UNKNOWN],
        ),
        (make_document(months_on_opioids=None), "none", [TOO_FEW, UNKNOWN]),
    ],
)
def test_unknown_time_on_opioids_is_read_as_subacute_exposure(
    document, expected_level, expected_codes
):
    result = screen(document)

    assert (level(result), reason_codes(result)) == (expected_level, expected_codes)


@pytest.mark.parametrize(
    "overrides",
    [
        {},
        {"pain_when_dose_increased": "not_tried"},
        {"new_pain_qualities": ["burning"], "current_pain_sites": ["lower_back"]},
    ],
)
def test_it_gives_the_same_level_as_one_to_three_months(overrides):
    unknown = screen(oih_pattern(months_on_opioids=None, **overrides))
    subacute = screen(oih_pattern(months_on_opioids=2, **overrides))

    assert level(unknown) == level(subacute)


def test_the_reason_says_why_and_shows_the_answers():
    result = screen(oih_pattern(months_on_opioids=None))

    assert reason(result, UNKNOWN) == {
        "code": UNKNOWN,
        "summary": "Time on opioids is not known: read as 1 to 3 months, so features count at "
        "most as borderline.",
        "evidence": {"currently_taking_opioids": True, "months_on_opioids": None},
        "source": "CDC 2022 guideline, MMWR Recomm Rep 2022;71(RR-3); oih-facts section 4 step 1",
    }

"""Ruling 3: partial dose answers reach borderline only with >= 1 of m1-m3; pain better after a cut
inside the withdrawal window is not a feature at all."""

import pytest

from intake.screening import screen
from tests.screening.documents import STOPPED, make_document
from tests.screening.results import (
    ALLODYNIA,
    BASELINE,
    BURNING,
    M1_PARTIAL,
    M2,
    M2_IGNORED,
    M2_PARTIAL,
    NO_DOSE_RESPONSE,
    NO_MAJOR,
    PARTIAL,
    PARTIAL_ALONE,
    SPREAD,
    level,
    reason,
    reason_codes,
)

UNCHANGED = {"dose_change_last_6_months": "increased", "pain_when_dose_increased": "unchanged"}
BETTER_UNKNOWN = {
    "dose_change_last_6_months": "decreased",
    "weeks_since_last_dose_change": None,
    "pain_when_dose_decreased": "better",
}


def better_after_cut(weeks):
    return {
        "dose_change_last_6_months": "decreased",
        "weeks_since_last_dose_change": weeks,
        "pain_when_dose_decreased": "better",
    }


@pytest.mark.parametrize(
    ("overrides", "expected_level", "expected_codes"),
    [
        ({**UNCHANGED}, "none", [M1_PARTIAL, PARTIAL_ALONE]),
        # m4 is not one of m1-m3.
        ({**UNCHANGED, "pain_score_now": 6}, "none", [M1_PARTIAL, BASELINE, PARTIAL_ALONE]),
        (
            {**UNCHANGED, "current_pain_sites": ["lower_back", "neck"]},
            "borderline",
            [M1_PARTIAL, SPREAD, PARTIAL],
        ),
        (
            {**UNCHANGED, "new_pain_qualities": ["allodynia"]},
            "borderline",
            [M1_PARTIAL, ALLODYNIA, PARTIAL],
        ),
        (
            {**UNCHANGED, "new_pain_qualities": ["burning"]},
            "borderline",
            [M1_PARTIAL, BURNING, PARTIAL],
        ),
        # Never more than borderline, even with every minor feature.
        (
            {
                **UNCHANGED,
                "current_pain_sites": ["lower_back", "neck"],
                "new_pain_qualities": ["burning", "allodynia"],
                "pain_score_now": 8,
            },
            "borderline",
            [M1_PARTIAL, SPREAD, ALLODYNIA, BURNING, BASELINE, PARTIAL],
        ),
        ({**BETTER_UNKNOWN}, "none", [M2_PARTIAL, PARTIAL_ALONE]),
        (
            {**BETTER_UNKNOWN, "new_pain_qualities": ["burning"]},
            "borderline",
            [M2_PARTIAL, BURNING, PARTIAL],
        ),
        (
            {**BETTER_UNKNOWN, "current_pain_sites": ["lower_back", "neck"], "pain_score_now": 6},
            "borderline",
            [M2_PARTIAL, SPREAD, BASELINE, PARTIAL],
        ),
    ],
)
def test_partial_answers_need_a_specific_minor_feature(overrides, expected_level, expected_codes):
    result = screen(make_document(**overrides))

    assert (level(result), reason_codes(result)) == (expected_level, expected_codes)


TWO_MINOR = {"current_pain_sites": ["lower_back", "neck"], "pain_score_now": 6}


@pytest.mark.parametrize(
    ("weeks", "expected_level", "expected_codes"),
    [
        (0, "none", [SPREAD, BASELINE, M2_IGNORED, NO_MAJOR]),
        (2, "none", [SPREAD, BASELINE, M2_IGNORED, NO_MAJOR]),
        (4, "none", [SPREAD, BASELINE, M2_IGNORED, NO_MAJOR]),
        (4.1, "flag", [M2, SPREAD, BASELINE]),
        (5, "flag", [M2, SPREAD, BASELINE]),
        (None, "borderline", [M2_PARTIAL, SPREAD, BASELINE, PARTIAL]),
    ],
)
def test_better_after_a_cut_counts_only_outside_the_withdrawal_window(
    weeks, expected_level, expected_codes
):
    result = screen(make_document(**better_after_cut(weeks), **TWO_MINOR))

    assert (level(result), reason_codes(result)) == (expected_level, expected_codes)


def test_better_inside_the_window_is_treated_as_no_dose_response_answer():
    document = make_document(
        **better_after_cut(3),
        current_pain_sites=["lower_back", "neck"],
        new_pain_qualities=["burning"],
        pain_score_now=6,
    )

    result = screen(document)

    assert (level(result), reason_codes(result)) == (
        "borderline",
        [SPREAD, BURNING, BASELINE, M2_IGNORED, NO_DOSE_RESPONSE],
    )
    assert reason(result, M2_IGNORED)["evidence"] == {
        "pain_when_dose_decreased": "better",
        "weeks_since_last_dose_change": 3,
    }


@pytest.mark.parametrize(
    ("months_since_stopped", "expected_code"),
    [(0.9, M2_IGNORED), (1, M2)],
)
def test_a_stop_is_timed_by_months_since_stopped_when_weeks_are_unknown(
    months_since_stopped, expected_code
):
    # 0.9 months is about 3.9 weeks (inside the window), 1 month about 4.3 weeks (outside).
    document = make_document(
        **STOPPED,
        months_since_stopped=months_since_stopped,
        dose_change_last_6_months="stopped",
        pain_when_dose_decreased="better",
    )

    assert expected_code in reason_codes(screen(document))

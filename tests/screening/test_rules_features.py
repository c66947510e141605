"""Section 4 step 3 and the Decision for long-term current use: major and minor features."""

import pytest

from intake.screening import screen
from tests.screening.documents import OIH_PATTERN, make_document, oih_pattern
from tests.screening.results import (
    ALLODYNIA,
    BASELINE,
    BURNING,
    FEW_MINOR,
    M1,
    M2,
    NO_DOSE_RESPONSE,
    NO_MAJOR,
    OIH_FEATURES,
    SPREAD,
    level,
    reason,
    reason_codes,
)


def test_it_gives_none_for_stable_pain_at_the_original_site():
    result = screen(make_document())

    assert (level(result), reason_codes(result), result["alerts"]) == ("none", [NO_MAJOR], [])


def test_it_flags_the_full_pattern_with_its_features_in_order():
    result = screen(oih_pattern())

    assert (level(result), reason_codes(result)) == ("flag", OIH_FEATURES)


@pytest.mark.parametrize(
    ("overrides", "expected_level", "expected_codes"),
    [
        # One major feature: 1 versus 2 minor features.
        (
            {"pain_when_dose_increased": "worse", "current_pain_sites": ["lower_back", "neck"]},
            "borderline",
            [M1, SPREAD, FEW_MINOR],
        ),
        (
            {
                "pain_when_dose_increased": "worse",
                "current_pain_sites": ["lower_back", "neck"],
                "pain_score_now": 6,
            },
            "flag",
            [M1, SPREAD, BASELINE],
        ),
        ({"pain_when_dose_increased": "worse"}, "borderline", [M1, FEW_MINOR]),
        (
            {"pain_when_dose_increased": "worse", "new_pain_qualities": ["temperature"]},
            "borderline",
            [M1, ALLODYNIA, FEW_MINOR],
        ),
        (
            {"pain_when_dose_increased": "worse", "new_pain_qualities": ["temperature", "burning"]},
            "flag",
            [M1, ALLODYNIA, BURNING],
        ),
        # Qualities other than burning and allodynia are not minor features.
        (
            {
                "pain_when_dose_increased": "worse",
                "new_pain_qualities": ["electric", "stabbing", "pins_and_needles", "numbness"],
            },
            "borderline",
            [M1, FEW_MINOR],
        ),
        # Better after a cut outside the withdrawal window is the major feature M2.
        (
            {
                "pain_when_dose_decreased": "better",
                "dose_change_last_6_months": "decreased",
                "weeks_since_last_dose_change": 5,
                "current_pain_sites": ["lower_back", "neck"],
                "pain_score_now": 6,
            },
            "flag",
            [M2, SPREAD, BASELINE],
        ),
        # No dose-response answer: >= 2 of m1-m3 plus m4 is borderline, fewer is none.
        (
            {
                "current_pain_sites": ["lower_back", "neck"],
                "new_pain_qualities": ["burning"],
                "pain_score_now": 6,
            },
            "borderline",
            [SPREAD, BURNING, BASELINE, NO_DOSE_RESPONSE],
        ),
        (
            {"current_pain_sites": ["lower_back", "neck"], "pain_score_now": 6},
            "none",
            [SPREAD, BASELINE, NO_MAJOR],
        ),
        (
            {"current_pain_sites": ["lower_back", "neck"], "new_pain_qualities": ["burning"]},
            "none",
            [SPREAD, BURNING, NO_MAJOR],
        ),
        (
            {
                "pain_when_dose_increased": None,
                "pain_when_dose_decreased": None,
                "new_pain_qualities": ["allodynia", "burning"],
                "pain_score_now": 9,
            },
            "borderline",
            [ALLODYNIA, BURNING, BASELINE, NO_DOSE_RESPONSE],
        ),
        # A dose answer that does not fit OIH leaves no major feature.
        (
            {**OIH_PATTERN, "pain_when_dose_increased": "better"},
            "none",
            [SPREAD, ALLODYNIA, BURNING, BASELINE, NO_MAJOR],
        ),
        (
            {
                **OIH_PATTERN,
                "pain_when_dose_increased": "not_tried",
                "pain_when_dose_decreased": "worse",
                "weeks_since_last_dose_change": 10,
                "dose_change_last_6_months": "decreased",
            },
            "none",
            [SPREAD, ALLODYNIA, BURNING, BASELINE, NO_MAJOR],
        ),
    ],
)
def test_it_decides_the_level_from_major_and_minor_features(
    overrides, expected_level, expected_codes
):
    result = screen(make_document(**overrides))

    assert (level(result), reason_codes(result)) == (expected_level, expected_codes)


@pytest.mark.parametrize(
    ("now", "at_start", "is_minor"),
    [
        (6, 6, True),
        (7, 6, True),
        (5, 6, False),
        (0, 0, True),
        (10, 10, True),
        (None, 6, False),
        (6, None, False),
    ],
)
def test_it_counts_pain_at_or_above_baseline_as_a_minor_feature(now, at_start, is_minor):
    result = screen(make_document(pain_score_now=now, pain_score_at_start=at_start))

    assert (BASELINE in reason_codes(result)) is is_minor


def test_it_reports_the_regions_beyond_the_original_sites_as_evidence():
    result = screen(oih_pattern())

    assert reason(result, SPREAD) == {
        "code": SPREAD,
        "evidence": {
            "current_pain_sites": ["lower_back", "neck", "upper_back"],
            "original_pain_sites": ["lower_back"],
        },
        "source": "Chen L, Mao J et al., Pain 2009;143:65-70 (Table 4); oih-facts section 4",
        "summary": "Pain has spread to 2 body regions beyond where it started (minor m1).",
    }


@pytest.mark.parametrize(
    ("original", "current", "is_spread"),
    [
        (["lower_back"], ["lower_back"], False),
        (["lower_back"], ["lower_back", "neck"], True),
        (["lower_back"], ["neck"], True),
        (["lower_back", "neck"], ["neck"], False),
        ([], ["lower_back", "neck"], False),
    ],
)
def test_it_counts_spread_only_beyond_known_original_sites(original, current, is_spread):
    result = screen(make_document(original_pain_sites=original, current_pain_sites=current))

    assert (SPREAD in reason_codes(result)) is is_spread


def test_it_reports_the_measured_answers_of_a_feature_as_evidence():
    result = screen(oih_pattern())

    assert reason(result, M1)["evidence"] == {"pain_when_dose_increased": "worse"}
    assert reason(result, BASELINE)["evidence"] == {"pain_score_now": 8, "pain_score_at_start": 6}
    assert reason(result, ALLODYNIA)["evidence"] == {"new_pain_qualities": ["allodynia"]}
    assert reason(result, BURNING)["evidence"] == {"new_pain_qualities": ["burning"]}

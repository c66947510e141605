"""The OIH screening rules (oih-facts section 4) and the alerts, table by table."""

import ast
import copy
import json
import subprocess
import sys
from pathlib import Path

import pytest

import intake.screening
from intake.screening import ALERT_CODES, RULES_VERSION, DocumentError, screen
from tests.screening.documents import make_document

M1 = "pain_worse_after_dose_increase"
M1_PARTIAL = "pain_unchanged_after_dose_increase"
M2 = "pain_better_after_dose_reduction"
M2_PARTIAL = "pain_better_after_recent_dose_reduction"
SPREAD = "pain_spread"
ALLODYNIA = "new_allodynia"
BURNING = "new_burning_or_diffuse_pain"
BASELINE = "pain_at_or_above_baseline"
FEW_MINOR = "major_feature_with_fewer_than_two_minor"
PARTIAL = "dose_response_only_partial"
NO_DOSE_RESPONSE = "no_dose_response_information"
NO_MAJOR = "no_major_feature"
OIH_FEATURES = [M1, SPREAD, ALLODYNIA, BURNING, BASELINE]


# Worse after an increase, spread, burning, allodynia, above baseline: the full OIH pattern.
OIH_PATTERN = {
    "dose_change_last_6_months": "increased",
    "weeks_since_last_dose_change": 12,
    "pain_when_dose_increased": "worse",
    "pain_score_now": 8,
    "current_pain_sites": ["lower_back", "neck", "upper_back"],
    "new_pain_qualities": ["burning", "allodynia"],
}
STOPPED = {"currently_taking_opioids": False, "opioids": [], "weeks_since_last_dose_change": None}


def oih_pattern(**overrides):
    return make_document(**{**OIH_PATTERN, **overrides})


def level(result):
    return result["oih"]["level"]


def reason_codes(result):
    return [reason["code"] for reason in result["oih"]["reasons"]]


def alert_codes(result):
    return [alert["code"] for alert in result["alerts"]]


def alert(result, code):
    [found] = [item for item in result["alerts"] if item["code"] == code]
    return found


def reason(result, code):
    [found] = [item for item in result["oih"]["reasons"] if item["code"] == code]
    return found


def test_it_gives_none_for_stable_pain_at_the_original_site():
    result = screen(make_document())

    assert (level(result), reason_codes(result), alert_codes(result)) == ("none", [NO_MAJOR], [])


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
        # "Unchanged" after an increase counts only toward borderline.
        (
            {**OIH_PATTERN, "pain_when_dose_increased": "unchanged"},
            "borderline",
            [M1_PARTIAL, SPREAD, ALLODYNIA, BURNING, BASELINE, PARTIAL],
        ),
        ({"pain_when_dose_increased": "unchanged"}, "borderline", [M1_PARTIAL, PARTIAL]),
        # Better after a cut: major only outside the 4-week withdrawal window.
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
        (
            {
                "pain_when_dose_decreased": "better",
                "dose_change_last_6_months": "decreased",
                "weeks_since_last_dose_change": 4,
                "current_pain_sites": ["lower_back", "neck"],
                "pain_score_now": 6,
            },
            "borderline",
            [M2_PARTIAL, SPREAD, BASELINE, PARTIAL],
        ),
        (
            {
                "pain_when_dose_decreased": "better",
                "dose_change_last_6_months": "decreased",
                "weeks_since_last_dose_change": None,
                "current_pain_sites": ["lower_back", "neck"],
                "pain_score_now": 6,
            },
            "borderline",
            [M2_PARTIAL, SPREAD, BASELINE, PARTIAL],
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


# Alternative explanations (step 2) and confounders --------------------------------------------


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
        (
            {**OIH_PATTERN, "signs_of_misuse": ["early_refill_requests"]},
            "borderline",
            OIH_FEATURES + ["misuse_signals_present"],
        ),
        (
            {**OIH_PATTERN, "known_opioid_use_disorder": True},
            "borderline",
            OIH_FEATURES + ["misuse_signals_present"],
        ),
        (
            {
                **OIH_PATTERN,
                "opioids": [
                    {
                        "name": "methadone",
                        "daily_dose": 10,
                        "unit": "mg/day",
                        "purpose": "oud_treatment",
                    }
                ],
            },
            "borderline",
            OIH_FEATURES + ["misuse_signals_present"],
        ),
        (
            {"signs_of_misuse": ["craving"]},
            "none",
            [NO_MAJOR, "misuse_signals_present"],
        ),
        (
            {
                **OIH_PATTERN,
                "pain_when_dose_increased": "not_tried",
                "dose_change_last_6_months": "decreased",
                "weeks_since_last_dose_change": 2,
                "pain_when_dose_decreased": "worse",
                "withdrawal_symptoms_between_doses": ["anxiety"],
            },
            "none",
            [SPREAD, ALLODYNIA, BURNING, BASELINE, NO_MAJOR, "withdrawal_after_dose_cut"],
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


def test_it_lists_the_misuse_evidence_including_oud_treatment():
    document = oih_pattern(
        signs_of_misuse=["craving"],
        known_opioid_use_disorder=True,
        opioids=[
            {"name": "morphine", "daily_dose": 30, "unit": "mg/day"},
            {
                "name": "buprenorphine",
                "daily_dose": 16,
                "unit": "mg/day",
                "purpose": "oud_treatment",
            },
        ],
    )

    evidence = reason(screen(document), "misuse_signals_present")["evidence"]

    assert evidence == {
        "known_opioid_use_disorder": True,
        "opioids[1].purpose": "oud_treatment",
        "signs_of_misuse": ["craving"],
    }


# Exposure (step 1) ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "expected_level", "exposure_code"),
    [
        ({"months_on_opioids": 3}, "flag", None),
        ({"months_on_opioids": 2.9}, "borderline", "subacute_exposure"),
        ({"months_on_opioids": 1}, "borderline", "subacute_exposure"),
        ({"months_on_opioids": 0.9}, "borderline", "acute_exposure"),
        ({"months_on_opioids": None}, "borderline", "exposure_unknown"),
        ({"currently_taking_opioids": None}, "borderline", "exposure_unknown"),
        ({**STOPPED, "months_since_stopped": 0.5}, "borderline", "stopped_within_6_months"),
        ({**STOPPED, "months_since_stopped": 1}, "borderline", "stopped_within_6_months"),
        ({**STOPPED, "months_since_stopped": 6}, "borderline", "stopped_within_6_months"),
        ({**STOPPED, "months_since_stopped": 6.1}, "none", "stopped_over_6_months"),
        ({**STOPPED, "months_since_stopped": None}, "borderline", "stopped_time_unknown"),
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


def test_it_gives_none_for_acute_use_with_pain_improving():
    result = screen(make_document(months_on_opioids=0.5, pain_score_now=4, pain_score_at_start=7))

    assert (level(result), reason_codes(result)) == ("none", [NO_MAJOR, "acute_exposure"])
    assert "pain improving" in reason(result, "acute_exposure")["summary"]


def test_it_asks_to_exclude_surgical_causes_for_acute_use_with_features():
    result = screen(oih_pattern(months_on_opioids=0.5))

    assert level(result) == "borderline"
    assert "surgical" in reason(result, "acute_exposure")["summary"]


# Alerts ---------------------------------------------------------------------------------------


def morphine(daily_dose):
    return [{"name": "morphine", "daily_dose": daily_dose, "unit": "mg/day"}]


@pytest.mark.parametrize(
    ("daily_dose", "expected_alerts"),
    [
        (49.9, []),
        (50, ["mme_ge_50"]),
        (89.9, ["mme_ge_50"]),
        (90, ["mme_ge_50", "mme_ge_90"]),
        (1000, ["mme_ge_50", "mme_ge_90"]),
        (1000.1, ["mme_not_computable", "data_quality"]),
    ],
)
def test_it_raises_mme_alerts_at_50_and_90(daily_dose, expected_alerts):
    assert alert_codes(screen(make_document(opioids=morphine(daily_dose)))) == expected_alerts


def test_mme_alerts_are_info_at_50_and_warning_at_90():
    result = screen(make_document(opioids=morphine(90)))

    assert [(item["code"], item["indicator"]) for item in result["alerts"]] == [
        ("mme_ge_50", "info"),
        ("mme_ge_90", "warning"),
    ]
    assert alert(result, "mme_ge_90")["summary"] == (
        "Estimated 90.0 MME/day is at or above 90, the CDC 2016 avoid-or-justify level."
    )


def test_mme_alerts_say_when_buprenorphine_is_left_out():
    opioids = morphine(60) + [{"name": "buprenorphine", "daily_dose": 8, "unit": "mg/day"}]

    result = screen(make_document(opioids=opioids))

    assert alert(result, "mme_ge_50")["summary"].endswith("; buprenorphine not included.")


CUT = {
    "dose_change_last_6_months": "decreased",
    "weeks_since_last_dose_change": 2,
    "pain_when_dose_decreased": "worse",
    "withdrawal_symptoms_between_doses": ["sweating", "diarrhoea"],
}


@pytest.mark.parametrize(
    ("overrides", "is_alerted"),
    [
        ({}, True),
        ({"weeks_since_last_dose_change": 4}, True),
        ({"weeks_since_last_dose_change": 5}, False),
        ({"weeks_since_last_dose_change": None}, True),
        ({"dose_change_last_6_months": "stopped"}, True),
        ({"dose_change_last_6_months": "increased"}, False),
        ({"dose_change_last_6_months": "stable"}, False),
        ({"pain_when_dose_decreased": "unchanged"}, False),
        ({"withdrawal_symptoms_between_doses": []}, False),
        ({**STOPPED, "dose_change_last_6_months": "stopped", "months_since_stopped": 0.5}, True),
        ({**STOPPED, "dose_change_last_6_months": "stable", "months_since_stopped": 0.5}, True),
        ({**STOPPED, "dose_change_last_6_months": "stopped", "months_since_stopped": 1}, False),
    ],
)
def test_it_raises_the_urgent_alert_for_withdrawal_after_a_recent_cut(overrides, is_alerted):
    result = screen(make_document(**{**CUT, **overrides}))

    assert ("withdrawal_after_dose_cut" in alert_codes(result)) is is_alerted


def test_the_withdrawal_alert_is_an_urgent_warning():
    result = screen(make_document(**CUT))

    assert alert(result, "withdrawal_after_dose_cut") == {
        "code": "withdrawal_after_dose_cut",
        "indicator": "warning",
        "source": "CDC 2022 Recommendation 5; FDA abrupt-discontinuation warnings; oih-facts 1, 4",
        "summary": "Urgent: pain worse with withdrawal symptoms after a dose cut in about the last "
        "4 weeks; review the taper now.",
    }


def test_the_withdrawal_alert_says_when_the_timing_is_unknown():
    result = screen(make_document(**{**CUT, "weeks_since_last_dose_change": None}))

    assert "unknown timing" in alert(result, "withdrawal_after_dose_cut")["summary"]


@pytest.mark.parametrize(
    ("overrides", "summary_part"),
    [
        ({"signs_of_misuse": ["craving"]}, "Signs of opioid misuse reported"),
        ({"known_opioid_use_disorder": True}, "raised conservatively"),
        (
            {
                "opioids": [
                    {
                        "name": "methadone",
                        "daily_dose": 5,
                        "unit": "mg/day",
                        "purpose": "oud_treatment",
                    }
                ]
            },
            "raised conservatively",
        ),
        ({"signs_of_misuse": ["craving"], "known_opioid_use_disorder": True}, "Misuse signs plus"),
    ],
)
def test_it_raises_a_misuse_warning_for_misuse_signs_or_known_oud(overrides, summary_part):
    result = screen(make_document(**overrides))

    misuse = alert(result, "misuse_signals")
    assert misuse["indicator"] == "warning"
    assert summary_part in misuse["summary"]


@pytest.mark.parametrize(
    ("overrides", "expected_alerts", "problem"),
    [
        (
            {"opioids": [{"name": "fentanyl", "daily_dose": 50, "unit": "mg/hr"}]},
            ["mme_not_computable", "data_quality"],
            "fentanyl dose unit 'mg/hr' is neither mg/day nor mcg/hr",
        ),
        (
            {"opioids": [{"name": "morphine", "daily_dose": 30, "unit": "mcg/hr"}]},
            ["mme_not_computable", "data_quality"],
            "morphine dose is in mcg/hr but should be in mg/day",
        ),
        (
            {"opioids": [{"name": "fentanyl", "daily_dose": 25, "unit": "mg/day"}]},
            ["mme_not_computable", "data_quality"],
            "fentanyl dose is in mg/day but should be in mcg/hr",
        ),
        (
            {
                "opioids": [
                    {
                        "name": "fentanyl",
                        "daily_dose": 25,
                        "unit": "mcg/hr",
                        "formulation": "sublingual",
                    }
                ]
            },
            ["mme_not_computable", "data_quality"],
            "fentanyl entered as sublingual; the factor is for patches only",
        ),
        (
            {"opioids": morphine(1500)},
            ["mme_not_computable", "data_quality"],
            "total over 1,000 MME/day is implausible",
        ),
        ({"opioids": []}, ["data_quality"], "currently taking opioids but none listed"),
        (
            {"currently_taking_opioids": False, "months_since_stopped": 2},
            ["data_quality"],
            "opioids listed but not taken now, so not counted in MME",
        ),
        (
            {"months_since_stopped": 3},
            ["data_quality"],
            "months since stopping given while still taking opioids",
        ),
        (
            {"dose_change_last_6_months": "stopped"},
            ["data_quality"],
            "dose change 'stopped' while still taking opioids",
        ),
        (
            {"opioids": morphine(20) + morphine(20)},
            ["data_quality"],
            "morphine 20 mg/day listed twice",
        ),
        ({"current_pain_sites": []}, ["data_quality"], "pain now 5/10 but no current pain sites"),
        (
            {"pain_score_now": 0},
            ["data_quality"],
            "current pain sites listed with pain now 0/10",
        ),
    ],
)
def test_it_raises_a_data_quality_alert_naming_each_problem(overrides, expected_alerts, problem):
    result = screen(make_document(**overrides))

    assert alert_codes(result) == expected_alerts
    assert alert(result, "data_quality")["summary"] == f"Check the entered data: {problem}."
    assert alert(result, "data_quality")["indicator"] == "info"


def test_it_lists_several_data_problems_in_one_alert():
    document = make_document(
        opioids=[
            {"name": "morphine", "daily_dose": 30, "unit": "mcg/hr"},
            {"name": "oxycodone", "daily_dose": 10, "unit": "tabs"},
        ],
        dose_change_last_6_months="stopped",
    )

    assert alert(screen(document), "data_quality")["summary"] == (
        "Check the entered data: morphine dose is in mcg/hr but should be in mg/day; oxycodone "
        "dose unit 'tabs' is neither mg/day nor mcg/hr; dose change 'stopped' while still taking "
        "opioids."
    )


@pytest.mark.parametrize(
    ("opioids", "cause"),
    [
        (
            [{"name": "buprenorphine", "daily_dose": 16, "unit": "mg/day"}],
            "buprenorphine has no MME factor",
        ),
        (
            [{"name": "other", "other_name": "levorphanol", "daily_dose": 4, "unit": "mg/day"}],
            "'levorphanol' has no CDC 2022 factor",
        ),
    ],
)
def test_it_says_why_mme_is_not_computable_without_a_data_problem(opioids, cause):
    result = screen(make_document(opioids=opioids))

    assert alert_codes(result) == ["mme_not_computable"]
    assert alert(result, "mme_not_computable")["summary"] == f"MME not computed: {cause}."


def test_it_still_screens_symptoms_when_the_unit_is_wrong():
    document = oih_pattern(opioids=[{"name": "fentanyl", "daily_dose": 50, "unit": "mg/hr"}])

    result = screen(document)

    assert (level(result), result["mme"]["total_per_day"]) == ("flag", None)


def test_it_counts_no_mme_for_a_patient_who_stopped():
    result = screen(
        make_document(currently_taking_opioids=False, opioids=[], months_since_stopped=8)
    )

    assert result["mme"] == {
        "computable": True,
        "factor_table": "CDC-2022",
        "items": [],
        "total_per_day": 0.0,
    }


def test_alerts_come_in_the_order_of_alert_codes():
    document = make_document(
        **CUT,
        opioids=morphine(100) + [{"name": "oxycodone", "daily_dose": 5, "unit": "tablets"}],
        signs_of_misuse=["lost_prescriptions"],
    )

    assert alert_codes(screen(document)) == [
        "mme_not_computable",
        "withdrawal_after_dose_cut",
        "misuse_signals",
        "data_quality",
    ]


# The result as a whole ------------------------------------------------------------------------

MANY_REASONS = [
    make_document(),
    oih_pattern(),
    oih_pattern(**STOPPED, months_since_stopped=3),
    oih_pattern(**STOPPED, months_since_stopped=9),
    oih_pattern(**STOPPED, months_on_opioids=0),
    oih_pattern(**STOPPED, months_since_stopped=None),
    oih_pattern(months_on_opioids=0.5),
    make_document(months_on_opioids=0.5, pain_score_now=2),
    oih_pattern(months_on_opioids=2),
    oih_pattern(months_on_opioids=None),
    oih_pattern(pain_when_dose_increased="unchanged"),
    make_document(pain_when_dose_increased="worse", signs_of_misuse=["craving"]),
    make_document(
        current_pain_sites=["lower_back", "neck"], new_pain_qualities=["burning"], pain_score_now=7
    ),
    make_document(pain_when_dose_increased="better"),
    make_document(**CUT, pain_between_doses_or_missed_dose="worse"),
    make_document(pain_between_doses_or_missed_dose="worse"),
    make_document(pain_when_dose_decreased="better", weeks_since_last_dose_change=10),
    make_document(pain_when_dose_decreased="better", weeks_since_last_dose_change=1),
    make_document(new_injury_or_disease_progression={"present": True, "details": "fall"}),
    make_document(
        **CUT,
        opioids=morphine(95) + [{"name": "fentanyl", "daily_dose": 1, "unit": "mg/day"}],
        known_opioid_use_disorder=True,
    ),
    make_document(
        opioids=morphine(95), signs_of_misuse=["craving"], known_opioid_use_disorder=True
    ),
    make_document(opioids=[{"name": "buprenorphine", "daily_dose": 8, "unit": "mg/day"}]),
]
ALL_REASON_CODES = {
    M1,
    M1_PARTIAL,
    M2,
    M2_PARTIAL,
    SPREAD,
    ALLODYNIA,
    BURNING,
    BASELINE,
    FEW_MINOR,
    PARTIAL,
    NO_DOSE_RESPONSE,
    NO_MAJOR,
    "acute_exposure",
    "subacute_exposure",
    "exposure_unknown",
    "never_on_opioids",
    "stopped_time_unknown",
    "stopped_over_6_months",
    "stopped_within_6_months",
    "disease_progression_or_new_injury",
    "end_of_dose_pattern",
    "withdrawal_after_dose_cut",
    "tolerance_pattern",
    "pain_linked_to_dosing_interval",
    "misuse_signals_present",
}


def test_the_sample_documents_cover_every_reason_and_alert():
    results = [screen(document) for document in MANY_REASONS]

    assert {code for result in results for code in reason_codes(result)} == ALL_REASON_CODES
    assert {code for result in results for code in alert_codes(result)} == set(ALERT_CODES)


@pytest.mark.parametrize("document", MANY_REASONS)
def test_every_reason_is_one_short_sentence_with_evidence_and_a_source(document):
    normalised_fields = set(make_document()) | {"reference"}

    for item in screen(document)["oih"]["reasons"]:
        assert set(item) == {"code", "evidence", "source", "summary"}
        assert len(item["summary"]) < 140
        assert item["summary"].endswith(".") and ". " not in item["summary"]
        assert item["source"]
        assert item["evidence"]
        for field in item["evidence"]:
            assert field.split(".")[0].split("[")[0] in normalised_fields


@pytest.mark.parametrize("document", MANY_REASONS)
def test_every_alert_is_a_short_card_with_a_known_code_and_indicator(document):
    for item in screen(document)["alerts"]:
        assert set(item) == {"code", "indicator", "source", "summary"}
        assert item["code"] in ALERT_CODES
        assert item["indicator"] in ("info", "warning")
        assert len(item["summary"]) < 140
        assert item["source"]


def test_the_result_has_the_documented_shape():
    result = screen(oih_pattern())

    assert list(result) == ["alerts", "format", "mme", "oih", "rules_version"]
    assert (result["format"], result["rules_version"]) == ("oih-screening/1", "2026.1")
    assert list(result["oih"]) == ["level", "reasons"]
    assert list(result["mme"]) == ["computable", "factor_table", "items", "total_per_day"]
    assert RULES_VERSION == "2026.1"


@pytest.mark.parametrize("document", MANY_REASONS)
def test_the_result_has_sorted_keys_and_survives_a_json_round_trip(document):
    result = screen(document)

    assert json.loads(json.dumps(result)) == result
    assert json.dumps(result) == json.dumps(result, sort_keys=True)


def test_the_same_document_always_gives_the_same_result():
    assert json.dumps(screen(oih_pattern())) == json.dumps(screen(oih_pattern()))


def test_it_does_not_change_the_document_it_screens():
    document = oih_pattern(signs_of_misuse=["craving", "craving"])
    before = copy.deepcopy(document)

    screen(document)

    assert document == before


def test_it_rejects_an_invalid_document_naming_the_field():
    with pytest.raises(DocumentError) as caught:
        screen(make_document(pain_score_now=11))

    assert caught.value.field == "pain_score_now"


# No Django ------------------------------------------------------------------------------------

PACKAGE_DIR = Path(intake.screening.__file__).parent


def imported_modules(path):
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.module


@pytest.mark.parametrize("path", sorted(PACKAGE_DIR.glob("*.py")), ids=lambda path: path.name)
def test_no_module_of_the_package_imports_django(path):
    assert not [name for name in imported_modules(path) if name.split(".")[0] == "django"]
    assert "import django" not in path.read_text()


def test_importing_the_package_loads_no_django():
    code = (
        "import sys, intake.screening; print(any(m.split('.')[0] == 'django' for m in sys.modules))"
    )

    completed = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=PACKAGE_DIR.parent.parent,
    )

    assert completed.stdout.strip() == "False"

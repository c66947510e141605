"""Readers for screening results, and the reason codes the tests expect."""

M1 = "pain_worse_after_dose_increase"
M1_PARTIAL = "pain_unchanged_after_dose_increase"
M2 = "pain_better_after_dose_reduction"
M2_PARTIAL = "pain_better_after_dose_reduction_of_unknown_timing"
M2_IGNORED = "pain_better_inside_withdrawal_window"
SPREAD = "pain_spread"
ALLODYNIA = "new_allodynia"
BURNING = "new_burning_or_diffuse_pain"
BASELINE = "pain_at_or_above_baseline"
FEW_MINOR = "major_feature_with_fewer_than_two_minor"
PARTIAL = "dose_response_only_partial"
PARTIAL_ALONE = "partial_dose_response_alone"
NO_DOSE_RESPONSE = "no_dose_response_information"
NO_MAJOR = "no_major_feature"
TOO_FEW = "too_few_features_for_limited_exposure"
OIH_FEATURES = [M1, SPREAD, ALLODYNIA, BURNING, BASELINE]


def level(result):
    return result["oih"]["level"]


def reason_codes(result):
    return [reason["code"] for reason in result["oih"]["reasons"]]


def alert_codes(result):
    return [alert["code"] for alert in result["alerts"]]


def note_codes(result):
    return [note["code"] for note in result["notes"]]


def alert(result, code):
    [found] = [item for item in result["alerts"] if item["code"] == code]
    return found


def reason(result, code):
    [found] = [item for item in result["oih"]["reasons"] if item["code"] == code]
    return found

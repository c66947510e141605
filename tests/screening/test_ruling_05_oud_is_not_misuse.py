"""Ruling 5: known OUD and OUD treatment are not misuse signals; only `signs_of_misuse` raises the
`misuse_signals` alert and lowers a flag to borderline."""

import pytest

from intake.screening import MISUSE_SIGNS, screen
from tests.screening.documents import make_document, oih_pattern, opioid
from tests.screening.results import NO_MAJOR, OIH_FEATURES, alert, level, reason, reason_codes

METHADONE_FOR_OUD = [opioid("methadone", 60, purpose="oud_treatment")]
BUPRENORPHINE_FOR_OUD = [opioid("buprenorphine", 16, purpose="oud_treatment")]


@pytest.mark.parametrize(
    ("overrides", "expected_level", "expected_codes", "expected_alerts"),
    [
        ({}, "flag", OIH_FEATURES, []),
        ({"known_opioid_use_disorder": True}, "flag", OIH_FEATURES, []),
        ({"opioids": METHADONE_FOR_OUD}, "flag", OIH_FEATURES, []),
        (
            {"opioids": BUPRENORPHINE_FOR_OUD, "known_opioid_use_disorder": True},
            "flag",
            OIH_FEATURES,
            [],
        ),
        (
            {"signs_of_misuse": ["early_refill_requests"]},
            "borderline",
            OIH_FEATURES + ["misuse_signals_present"],
            ["misuse_signals"],
        ),
        (
            {"signs_of_misuse": ["craving"], "known_opioid_use_disorder": True},
            "borderline",
            OIH_FEATURES + ["misuse_signals_present"],
            ["misuse_signals"],
        ),
    ],
)
def test_only_signs_of_misuse_lower_a_flag(
    overrides, expected_level, expected_codes, expected_alerts
):
    result = screen(oih_pattern(**overrides))

    assert (level(result), reason_codes(result)) == (expected_level, expected_codes)
    assert [item["code"] for item in result["alerts"] if item["code"] == "misuse_signals"] == (
        expected_alerts
    )


@pytest.mark.parametrize("sign", MISUSE_SIGNS)
def test_each_sign_of_misuse_raises_the_warning_without_an_oih_pattern(sign):
    result = screen(make_document(signs_of_misuse=[sign]))

    assert (level(result), reason_codes(result)) == ("none", [NO_MAJOR, "misuse_signals_present"])
    assert alert(result, "misuse_signals")["indicator"] == "warning"
    assert reason(result, "misuse_signals_present")["evidence"] == {"signs_of_misuse": [sign]}


def test_known_oud_alone_raises_no_alert():
    result = screen(make_document(known_opioid_use_disorder=True, opioids=METHADONE_FOR_OUD))

    assert result["alerts"] == []

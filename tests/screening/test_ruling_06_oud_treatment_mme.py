"""Ruling 6: opioids taken for OUD treatment are shown with their dose but not added to MME."""

import pytest

from intake.screening import compute_mme, screen
from tests.screening.documents import make_document, opioid
from tests.screening.results import alert_codes


def test_oud_treatment_is_shown_but_not_added():
    mme = compute_mme([opioid("methadone", 80, purpose="oud_treatment"), opioid("morphine", 30)])

    assert mme["items"][0] == {
        "name": "methadone",
        "daily_dose": 80,
        "unit": "mg/day",
        "factor": None,
        "mme_per_day": None,
        "included": False,
        "why": "oud_treatment",
    }
    assert mme["items"][1]["included"] is True
    assert (mme["total_per_day"], mme["computable"], mme["lower_bound"]) == (30.0, True, False)


def test_oud_treatment_alone_leaves_nothing_to_compute_and_no_alert():
    result = screen(make_document(opioids=[opioid("methadone", 80, purpose="oud_treatment")]))

    assert (result["mme"]["total_per_day"], result["mme"]["computable"]) == (None, True)
    assert alert_codes(result) == []


@pytest.mark.parametrize(
    ("purpose", "expected_total", "expected_alerts"),
    [
        ("pain", 94.0, ["mme_ge_50", "mme_ge_90"]),
        ("oud_treatment", None, []),
    ],
)
def test_the_dosage_thresholds_apply_only_to_methadone_for_pain(
    purpose, expected_total, expected_alerts
):
    result = screen(make_document(opioids=[opioid("methadone", 20, purpose=purpose)]))

    assert result["mme"]["total_per_day"] == expected_total
    assert alert_codes(result) == expected_alerts


@pytest.mark.parametrize(
    ("morphine_for_pain", "expected_alerts"),
    [(49, []), (50, ["mme_ge_50"]), (89, ["mme_ge_50"]), (90, ["mme_ge_50", "mme_ge_90"])],
)
def test_the_thresholds_see_only_the_opioids_for_pain(morphine_for_pain, expected_alerts):
    opioids = [
        opioid("methadone", 100, purpose="oud_treatment"),
        opioid("morphine", morphine_for_pain),
    ]

    result = screen(make_document(opioids=opioids))

    assert alert_codes(result) == expected_alerts
    assert result["alerts"] == [] or result["alerts"][0]["summary"].endswith(
        "; OUD treatment not included."
    )

"""Ruling 7: buprenorphine in any form is shown and never added, and never makes the total
non-computable; buprenorphine alone gives a null total with no `mme_not_computable` alert."""

import pytest

from intake.screening import compute_mme, screen
from tests.screening.documents import make_document, opioid
from tests.screening.results import alert, alert_codes

PATCH = opioid("buprenorphine", 10, "mcg/hr", formulation="transdermal_patch")
FILM = opioid("buprenorphine", 16, "mg/day", formulation="sublingual")
FOR_OUD = opioid("buprenorphine", 16, "mg/day", formulation="sublingual", purpose="oud_treatment")


@pytest.mark.parametrize("buprenorphine", [PATCH, FILM, FOR_OUD], ids=["patch", "film", "oud"])
def test_buprenorphine_is_shown_and_never_added(buprenorphine):
    mme = compute_mme([buprenorphine, opioid("oxycodone", 45)])

    assert mme["items"][0] == {
        "name": "buprenorphine",
        "daily_dose": buprenorphine["daily_dose"],
        "unit": buprenorphine["unit"],
        "factor": None,
        "mme_per_day": None,
        "included": False,
        "why": "buprenorphine",
    }
    assert (mme["total_per_day"], mme["computable"], mme["lower_bound"]) == (67.5, True, False)


@pytest.mark.parametrize("buprenorphine", [PATCH, FILM, FOR_OUD], ids=["patch", "film", "oud"])
def test_buprenorphine_alone_has_no_total_and_no_alert(buprenorphine):
    result = screen(make_document(opioids=[buprenorphine]))

    assert (result["mme"]["total_per_day"], result["mme"]["computable"]) == (None, True)
    assert alert_codes(result) == []


@pytest.mark.parametrize(
    ("oxycodone", "expected_alerts"),
    [(33, []), (33.4, ["mme_ge_50"]), (59.9, ["mme_ge_50"]), (60, ["mme_ge_50", "mme_ge_90"])],
)
def test_a_patch_never_hides_the_alerts_of_the_opioids_beside_it(oxycodone, expected_alerts):
    result = screen(make_document(opioids=[PATCH, opioid("oxycodone", oxycodone)]))

    assert alert_codes(result) == expected_alerts
    for item in result["alerts"]:
        assert item["summary"].endswith("; buprenorphine not included.")


def test_a_buprenorphine_unit_that_fits_neither_form_is_a_data_problem_only():
    opioids = [opioid("buprenorphine", 10, "mg/hr"), opioid("morphine", 30)]

    result = screen(make_document(opioids=opioids))

    assert (result["mme"]["total_per_day"], result["mme"]["computable"]) == (30.0, True)
    assert alert_codes(result) == ["data_quality"]
    assert "buprenorphine dose unit 'mg/hr'" in alert(result, "data_quality")["summary"]

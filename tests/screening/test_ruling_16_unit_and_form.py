"""Ruling 16: a unit that does not fit the drug and its form raises data_quality for every item,
buprenorphine and OUD treatment included, though those never make the total non-computable
(rulings 6 and 7)."""

import pytest

from intake.screening import screen
from tests.screening.documents import STOPPED, make_document, morphine, opioid
from tests.screening.results import alert, alert_codes

PATCH, SUBLINGUAL = "transdermal_patch", "sublingual"


def buprenorphine(dose, unit, formulation=None):
    fields = {"formulation": formulation} if formulation else {}
    return opioid("buprenorphine", dose, unit, **fields)


@pytest.mark.parametrize(
    ("opioids", "total", "computable", "alerts", "problem"),
    [
        ([buprenorphine(10, "mcg/hr", PATCH)], None, True, [], None),
        ([buprenorphine(16, "mg/day", SUBLINGUAL)], None, True, [], None),
        ([buprenorphine(16, "mg/day")], None, True, [], None),
        ([buprenorphine(10, "mcg/hr")], None, True, [], None),
        ([buprenorphine(16, "mg/day", "other")], None, True, [], None),
        (
            [buprenorphine(10, "mg/day", PATCH)],
            None,
            True,
            ["data_quality"],
            "buprenorphine transdermal patch dose is in mg/day but should be in mcg/hr",
        ),
        (
            [buprenorphine(16, "mcg/hr", SUBLINGUAL)],
            None,
            True,
            ["data_quality"],
            "buprenorphine sublingual dose is in mcg/hr but should be in mg/day",
        ),
        (
            morphine(30) + [buprenorphine(16, "mcg/hr", SUBLINGUAL)],
            30.0,
            True,
            ["data_quality"],
            "buprenorphine sublingual dose is in mcg/hr but should be in mg/day",
        ),
        (
            [opioid("methadone", 80, "mcg/hr", purpose="oud_treatment")],
            None,
            True,
            ["data_quality"],
            "methadone dose is in mcg/hr but should be in mg/day",
        ),
        (
            morphine(60) + [opioid("methadone", 80, "mcg/hr", purpose="oud_treatment")],
            60.0,
            True,
            ["mme_ge_50", "data_quality"],
            "methadone dose is in mcg/hr but should be in mg/day",
        ),
        (
            [opioid("methadone", 80, "mg/day", purpose="oud_treatment")],
            None,
            True,
            [],
            None,
        ),
    ],
)
def test_a_unit_that_does_not_fit_the_drug_and_its_form_is_a_data_problem(
    opioids, total, computable, alerts, problem
):
    result = screen(make_document(opioids=opioids))

    assert (result["mme"]["total_per_day"], result["mme"]["computable"]) == (total, computable)
    assert alert_codes(result) == alerts
    if problem:
        assert alert(result, "data_quality")["summary"] == f"Check the entered data: {problem}."


def test_past_opioids_of_someone_who_stopped_are_history_not_a_data_problem():
    stopped = {**STOPPED, "opioids": [buprenorphine(10, "mg/day", PATCH)]}

    assert alert_codes(screen(make_document(**stopped))) == []

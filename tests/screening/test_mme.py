"""Morphine milligram equivalents with the CDC 2022 factor table."""

import copy

import pytest

from intake.screening import FACTOR_TABLE, compute_mme
from intake.screening.mme import unit_problem


def opioid(name, daily_dose, unit="mg/day", **fields):
    return {"name": name, "daily_dose": daily_dose, "unit": unit, **fields}


def total(*opioids):
    return compute_mme(list(opioids))["total_per_day"]


def test_the_factor_table_is_cdc_2022():
    assert FACTOR_TABLE == "CDC-2022"
    assert compute_mme([])["factor_table"] == "CDC-2022"


@pytest.mark.parametrize(
    ("name", "factor", "mme_for_10"),
    [
        ("codeine", 0.15, 1.5),
        ("tramadol", 0.2, 2.0),
        ("tapentadol", 0.4, 4.0),
        ("hydrocodone", 1.0, 10.0),
        ("morphine", 1.0, 10.0),
        ("oxycodone", 1.5, 15.0),
        ("oxymorphone", 3.0, 30.0),
        ("hydromorphone", 5.0, 50.0),
        ("methadone", 4.7, 47.0),
    ],
)
def test_it_converts_each_oral_opioid_with_its_cdc_2022_factor(name, factor, mme_for_10):
    mme = compute_mme([opioid(name, 10)])

    assert mme["items"] == [
        {
            "name": name,
            "daily_dose": 10,
            "unit": "mg/day",
            "factor": factor,
            "mme_per_day": mme_for_10,
            "included": True,
        }
    ]
    assert (mme["total_per_day"], mme["computable"]) == (mme_for_10, True)


def test_it_converts_hydrocodone_5_mg_four_times_a_day_to_20():
    assert total(opioid("hydrocodone", 5 * 4)) == 20.0


def test_it_converts_a_fentanyl_25_mcg_per_hour_patch_to_60():
    mme = compute_mme([opioid("fentanyl", 25, "mcg/hr", formulation="transdermal_patch")])

    assert mme["items"][0]["factor"] == 2.4
    assert mme["total_per_day"] == 60.0


def test_it_converts_methadone_30_mg_with_the_single_2022_factor_to_141():
    assert total(opioid("methadone", 30)) == 141.0


def test_it_treats_a_fentanyl_entry_without_formulation_as_a_patch():
    assert total(opioid("fentanyl", 25, "mcg/hr")) == 60.0


@pytest.mark.parametrize("formulation", ["immediate_release", "sublingual", "other"])
def test_it_does_not_convert_fentanyl_that_is_not_a_patch(formulation):
    mme = compute_mme([opioid("fentanyl", 25, "mcg/hr", formulation=formulation)])

    assert mme["items"][0]["mme_per_day"] is None
    assert (mme["total_per_day"], mme["computable"]) == (None, False)


def test_it_sums_several_opioids():
    assert total(opioid("oxycodone", 40), opioid("morphine", 30)) == 90.0


def test_it_rounds_to_one_decimal():
    mme = compute_mme([opioid("codeine", 33), opioid("tramadol", 37)])

    assert [item["mme_per_day"] for item in mme["items"]] == [5.0, 7.4]
    assert mme["total_per_day"] == 12.4


def test_it_gives_zero_and_computable_with_no_opioids():
    assert compute_mme([]) == {
        "total_per_day": 0.0,
        "computable": True,
        "lower_bound": False,
        "factor_table": "CDC-2022",
        "items": [],
    }


@pytest.mark.parametrize(
    ("name", "unit"),
    [
        ("morphine", "mcg/hr"),
        ("oxycodone", "mcg/hr"),
        ("fentanyl", "mg/day"),
        ("fentanyl", "mg/hr"),
        ("morphine", "tablets"),
        ("buprenorphine", "mg/hr"),
    ],
)
def test_it_never_converts_a_unit_that_does_not_fit_the_drug(name, unit):
    mme = compute_mme([opioid(name, 25, unit), opioid("morphine", 30)])

    assert mme["items"][0]["factor"] is None
    assert mme["items"][0]["mme_per_day"] is None
    assert mme["items"][0]["included"] is False
    assert mme["items"][1]["mme_per_day"] == 30.0


@pytest.mark.parametrize(
    ("name", "unit", "formulation"),
    [
        ("fentanyl", "mcg/hr", "transdermal_patch"),
        ("fentanyl", "mcg/hr", None),
        ("buprenorphine", "mcg/hr", "transdermal_patch"),
        ("buprenorphine", "mg/day", "sublingual"),
        ("morphine", "mg/day", "extended_release"),
    ],
)
def test_it_accepts_the_units_that_fit_the_drug(name, unit, formulation):
    assert unit_problem(opioid(name, 10, unit, formulation=formulation)) is None


def test_it_lists_past_opioids_as_stopped_with_a_total_of_zero():
    mme = compute_mme([opioid("morphine", 30)], taking_now=False)

    assert mme["items"] == [
        {
            "name": "morphine",
            "daily_dose": 30,
            "unit": "mg/day",
            "factor": None,
            "mme_per_day": None,
            "included": False,
            "why": "stopped",
        }
    ]
    assert (mme["total_per_day"], mme["computable"], mme["lower_bound"]) == (0.0, True, False)


@pytest.mark.parametrize(
    ("daily_dose", "expected_total", "computable"),
    [(999.9, 999.9, True), (1000, 1000.0, True), (1000.1, None, False), (5000, None, False)],
)
def test_it_refuses_a_total_over_1000_mme(daily_dose, expected_total, computable):
    mme = compute_mme([opioid("morphine", daily_dose)])

    assert (mme["total_per_day"], mme["computable"]) == (expected_total, computable)
    assert mme["items"][0]["mme_per_day"] == round(daily_dose, 1)


def test_it_refuses_a_total_over_1000_reached_by_several_opioids():
    assert total(opioid("morphine", 600), opioid("oxycodone", 300)) is None


def test_it_does_not_change_the_opioids_given():
    opioids = [opioid("morphine", 30), opioid("buprenorphine", 8)]
    before = copy.deepcopy(opioids)

    compute_mme(opioids)

    assert opioids == before

"""Ruling 9: thresholds compare the exact sum of dose x factor; only displayed figures are rounded
(one decimal)."""

import pytest

from intake.screening import compute_mme, screen
from tests.screening.documents import make_document, opioid
from tests.screening.results import alert_codes


def test_codeine_15_and_55_with_morphine_39_5_is_exactly_50_and_fires():
    opioids = [opioid("codeine", 15), opioid("codeine", 55), opioid("morphine", 39.5)]

    result = screen(make_document(opioids=opioids))

    assert [item["mme_per_day"] for item in result["mme"]["items"]] == [2.3, 8.3, 39.5]
    assert result["mme"]["total_per_day"] == 50.0
    assert alert_codes(result) == ["mme_ge_50"]


@pytest.mark.parametrize(
    ("opioids", "shown", "expected_alerts"),
    [
        ([opioid("morphine", 49.92)], 49.9, []),
        ([opioid("morphine", 49.99)], 50.0, []),
        ([opioid("morphine", 50)], 50.0, ["mme_ge_50"]),
        ([opioid("codeine", 333)], 50.0, []),
        ([opioid("codeine", 334)], 50.1, ["mme_ge_50"]),
        ([opioid("oxycodone", 59.99)], 90.0, ["mme_ge_50"]),
        ([opioid("oxycodone", 60)], 90.0, ["mme_ge_50", "mme_ge_90"]),
        # Above tramadol's 400 mg/day label maximum too (ruling 18).
        ([opioid("tramadol", 449.9)], 90.0, ["mme_ge_50", "over_label_maximum"]),
        ([opioid("tramadol", 450)], 90.0, ["mme_ge_50", "mme_ge_90", "over_label_maximum"]),
        ([opioid("hydromorphone", 0.1)] * 3 + [opioid("morphine", 48.5)], 50.0, ["mme_ge_50"]),
    ],
)
def test_thresholds_see_the_exact_sum_not_the_rounded_one(opioids, shown, expected_alerts):
    result = screen(make_document(opioids=opioids))

    assert result["mme"]["total_per_day"] == shown
    assert alert_codes(result) == expected_alerts


def test_the_total_is_the_rounded_exact_sum_not_the_sum_of_rounded_items():
    # 3 x 10.3 mg codeine = 3 x 1.545 = 4.635 MME: items show 1.5 each, the total 4.6.
    mme = compute_mme([opioid("codeine", 10.3)] * 3)

    assert [item["mme_per_day"] for item in mme["items"]] == [1.5, 1.5, 1.5]
    assert mme["total_per_day"] == 4.6


@pytest.mark.parametrize(
    ("daily_dose", "shown"),
    [(0.05, 0.1), (0.04, 0.0), (12.25, 12.3), (12.35, 12.4), (0.1, 0.1)],
)
def test_displayed_values_round_half_up_to_one_decimal(daily_dose, shown):
    assert compute_mme([opioid("morphine", daily_dose)])["total_per_day"] == shown


def test_factors_are_shown_as_numbers():
    items = compute_mme([opioid("codeine", 10), opioid("methadone", 10)])["items"]

    assert [(item["factor"], item["mme_per_day"]) for item in items] == [(0.15, 1.5), (4.7, 47.0)]

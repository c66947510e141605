"""Ruling 8: an item that cannot be converted does not hide the rest: the other items' total is a
lower bound, and the MME alerts fire on it; no convertible item, or over 1,000, gives null."""

import pytest

from intake.screening import compute_mme, screen
from tests.screening.documents import make_document, opioid
from tests.screening.results import alert, alert_codes

LEVORPHANOL = opioid("other", 4, other_name="levorphanol")
WRONG_UNIT = opioid("morphine", 30, "mcg/hr")
FENTANYL_FILM = opioid("fentanyl", 25, "mcg/hr", formulation="sublingual")
UNKNOWN_UNIT = opioid("oxycodone", 5, "tablets")


@pytest.mark.parametrize(
    "unconvertible",
    [LEVORPHANOL, WRONG_UNIT, FENTANYL_FILM, UNKNOWN_UNIT],
    ids=["other", "unit", "form", "unknown-unit"],
)
def test_the_convertible_items_give_a_lower_bound(unconvertible):
    mme = compute_mme([unconvertible, opioid("morphine", 80)])

    assert mme["items"][0]["included"] is False
    assert mme["items"][0]["why"] == "not_convertible"
    assert mme["items"][0]["mme_per_day"] is None
    assert (mme["total_per_day"], mme["computable"], mme["lower_bound"]) == (80.0, False, True)


@pytest.mark.parametrize(
    ("morphine", "expected_total", "expected_alerts"),
    [
        (49.9, 49.9, ["mme_not_computable", "data_quality"]),
        (50, 50.0, ["mme_ge_50", "mme_not_computable", "data_quality"]),
        (89.9, 89.9, ["mme_ge_50", "mme_not_computable", "data_quality"]),
        (90, 90.0, ["mme_ge_50", "mme_ge_90", "mme_not_computable", "data_quality"]),
        (1000, 1000.0, ["mme_ge_50", "mme_ge_90", "mme_not_computable", "data_quality"]),
        (1000.1, None, ["mme_not_computable", "data_quality"]),
    ],
)
def test_the_alerts_fire_on_the_lower_bound(morphine, expected_total, expected_alerts):
    result = screen(make_document(opioids=[LEVORPHANOL, opioid("morphine", morphine)]))

    assert result["mme"]["total_per_day"] == expected_total
    assert alert_codes(result) == expected_alerts


def test_the_alerts_name_the_item_and_say_the_total_is_a_lower_bound():
    result = screen(make_document(opioids=[LEVORPHANOL, opioid("morphine", 80)]))

    assert alert(result, "mme_ge_50")["summary"] == (
        "Estimated at least 80.0 MME/day is at or above 50, the CDC 2022 pause-and-reassess "
        "level; an unconverted item not included."
    )
    assert alert(result, "mme_not_computable")["summary"] == (
        "MME total is only a lower bound: 'levorphanol' has no CDC 2022 factor."
    )
    assert alert(result, "data_quality")["summary"] == (
        "Check the entered data: 'levorphanol' has no CDC 2022 factor."
    )
    assert {item["indicator"] for item in result["alerts"][1:]} == {"warning"}


@pytest.mark.parametrize(
    "opioids",
    [[LEVORPHANOL], [WRONG_UNIT, UNKNOWN_UNIT], [LEVORPHANOL, opioid("buprenorphine", 8)]],
    ids=["one", "two", "with-buprenorphine"],
)
def test_no_convertible_item_gives_null(opioids):
    result = screen(make_document(opioids=opioids))

    assert alert(result, "mme_not_computable")["summary"].startswith("MME not computed: ")
    mme = result["mme"]
    assert (mme["total_per_day"], mme["computable"], mme["lower_bound"]) == (None, False, False)
    assert alert_codes(result) == ["mme_not_computable", "data_quality"]


@pytest.mark.parametrize(
    ("daily_dose", "expected_total", "computable"),
    [(999.9, 999.9, True), (1000, 1000.0, True), (1000.1, None, False), (5000, None, False)],
)
def test_a_total_over_1000_is_null(daily_dose, expected_total, computable):
    mme = compute_mme([opioid("morphine", daily_dose)])

    assert (mme["total_per_day"], mme["computable"]) == (expected_total, computable)
    assert mme["items"][0]["mme_per_day"] == round(daily_dose, 1)


def test_a_total_over_1000_is_named_as_implausible():
    result = screen(make_document(opioids=[opioid("morphine", 1300), opioid("oxycodone", 433.4)]))

    assert alert_codes(result) == ["mme_not_computable", "data_quality"]
    assert alert(result, "data_quality")["summary"] == (
        "Check the entered data: a total of 1,950.1 MME/day is implausible."
    )

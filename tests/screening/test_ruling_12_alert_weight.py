"""Ruling 12: the withdrawal alert is critical; mme_ge_90, misuse_signals, mme_not_computable and
data_quality are warnings; mme_ge_50 is information."""

import pytest

from intake.screening import ALERT_CODES, screen
from tests.screening.documents import CUT, make_document, morphine, opioid

EXPECTED_INDICATOR = {
    "mme_ge_50": "info",
    "mme_ge_90": "warning",
    "mme_not_computable": "warning",
    "withdrawal_after_dose_cut": "critical",
    "withdrawal_symptoms_after_change": "warning",
    "misuse_signals": "warning",
    "data_quality": "warning",
    "over_label_maximum": "warning",
    "sedative_with_opioid": "warning",
    "gabapentinoid_with_opioid": "info",
    "naloxone_not_at_home": "warning",
}
EVERY_ALERT = make_document(
    **CUT,
    opioids=morphine(100)
    + [opioid("oxycodone", 5, "tablets"), opioid("tramadol", 500, formulation="extended_release")],
    signs_of_misuse=["lost_prescriptions"],
    other_medicines=[
        {"name": "Valium", "class": "benzodiazepine"},
        {"name": "gabapentin", "class": "gabapentinoid"},
    ],
    naloxone_at_home=False,
)


def test_every_alert_code_has_its_weight():
    assert set(EXPECTED_INDICATOR) == set(ALERT_CODES)


@pytest.mark.parametrize(("code", "indicator"), sorted(EXPECTED_INDICATOR.items()))
def test_each_alert_carries_its_indicator(code, indicator):
    calm = make_document(**{**CUT, "pain_when_dose_decreased": "unchanged"})
    alerts = screen(EVERY_ALERT)["alerts"] + screen(calm)["alerts"]
    [found] = [item for item in alerts if item["code"] == code]

    assert found["indicator"] == indicator


def test_alerts_come_in_the_order_of_alert_codes():
    # The two withdrawal alerts never come together: pain is worse or it is not (ruling 17).
    expected = [code for code in ALERT_CODES if code != "withdrawal_symptoms_after_change"]
    assert [item["code"] for item in screen(EVERY_ALERT)["alerts"]] == expected


def test_the_withdrawal_symptoms_warning_is_a_warning():
    calm = make_document(**{**CUT, "pain_when_dose_decreased": "unchanged"})
    [found] = screen(calm)["alerts"]

    assert (found["code"], found["indicator"]) == ("withdrawal_symptoms_after_change", "warning")


@pytest.mark.parametrize(
    ("daily_dose", "expected"),
    [
        (49.9, []),
        (50, [("mme_ge_50", "info")]),
        (89.9, [("mme_ge_50", "info")]),
        (90, [("mme_ge_50", "info"), ("mme_ge_90", "warning")]),
    ],
)
def test_the_mme_alerts_are_info_at_50_and_a_warning_at_90(daily_dose, expected):
    result = screen(make_document(opioids=morphine(daily_dose)))

    assert [(item["code"], item["indicator"]) for item in result["alerts"]] == expected


def test_the_worklist_weights_are_the_rules_own_table():
    """The urgent and warning codes the worklist, the urgent email and review evidence read
    are the ones the rules mark critical and warning: defined once, not copied."""
    from intake import models
    from intake.review import notifications
    from intake.screening import alerts

    assert alerts.URGENT_ALERT_CODES == ["withdrawal_after_dose_cut"]
    assert alerts.WARNING_ALERT_CODES == [
        "mme_ge_90",
        "mme_not_computable",
        "misuse_signals",
        "data_quality",
        "withdrawal_symptoms_after_change",
        "over_label_maximum",
        "sedative_with_opioid",
        "naloxone_not_at_home",
    ]
    assert notifications.URGENT_ALERT_CODES is alerts.URGENT_ALERT_CODES
    to_review = {code for code, indicator in EXPECTED_INDICATOR.items() if indicator != "info"}
    reviewed_codes = models.ALERTS_TO_REVIEW
    assert reviewed_codes == to_review

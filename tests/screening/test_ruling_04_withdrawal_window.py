"""Ruling 4: a cut or stop <= 4 weeks ago (or at an unknown time) with worse pain and any
withdrawal symptom gives the urgent alert and OIH none, even with a full pattern."""

import pytest

from intake.screening import WITHDRAWAL_SYMPTOMS, screen
from tests.screening.documents import CUT, STOPPED, make_document, oih_pattern
from tests.screening.results import OIH_FEATURES, alert, alert_codes, level, reason_codes

WITHDRAWAL = "withdrawal_after_dose_cut"


@pytest.mark.parametrize(
    ("overrides", "is_withdrawal"),
    [
        ({}, True),
        ({"weeks_since_last_dose_change": 0}, True),
        ({"weeks_since_last_dose_change": 4}, True),
        ({"weeks_since_last_dose_change": 4.1}, False),
        ({"weeks_since_last_dose_change": 5}, False),
        ({"weeks_since_last_dose_change": None}, True),
        ({"dose_change_last_6_months": "stopped"}, True),
        ({"dose_change_last_6_months": "increased"}, False),
        ({"dose_change_last_6_months": "stable"}, False),
        ({"pain_when_dose_decreased": "unchanged"}, False),
        ({"pain_when_dose_decreased": "better"}, False),
        ({"withdrawal_symptoms_between_doses": []}, False),
        ({**STOPPED, "dose_change_last_6_months": "stopped", "months_since_stopped": 0.5}, True),
        ({**STOPPED, "dose_change_last_6_months": "stable", "months_since_stopped": 0.5}, True),
        ({**STOPPED, "dose_change_last_6_months": "stopped", "months_since_stopped": 0.9}, True),
        ({**STOPPED, "dose_change_last_6_months": "stopped", "months_since_stopped": 1}, False),
        ({**STOPPED, "dose_change_last_6_months": "stopped", "months_since_stopped": None}, True),
    ],
)
def test_the_withdrawal_window_wins_over_a_full_pattern(overrides, is_withdrawal):
    result = screen(oih_pattern(**{**CUT, **overrides}))

    assert (WITHDRAWAL in alert_codes(result)) is is_withdrawal
    assert (WITHDRAWAL in reason_codes(result)) is is_withdrawal
    if is_withdrawal:
        assert level(result) == "none"
    else:
        assert level(result) != "none"


@pytest.mark.parametrize("symptom", WITHDRAWAL_SYMPTOMS)
def test_any_one_withdrawal_symptom_is_enough(symptom):
    result = screen(oih_pattern(**{**CUT, "withdrawal_symptoms_between_doses": [symptom]}))

    assert (level(result), alert_codes(result)) == ("none", [WITHDRAWAL])


def test_the_reasons_still_list_what_was_seen():
    result = screen(oih_pattern(**CUT))

    assert reason_codes(result) == OIH_FEATURES + [WITHDRAWAL]


def test_the_withdrawal_alert_is_critical_and_urgent():
    result = screen(make_document(**CUT))

    assert alert(result, WITHDRAWAL) == {
        "code": WITHDRAWAL,
        "indicator": "critical",
        "source": "CDC 2022 Recommendation 5; FDA abrupt-discontinuation warnings; oih-facts 1, 4",
        "summary": "Urgent: pain worse with withdrawal symptoms after a dose cut in about the last "
        "4 weeks; review the taper now.",
        # Its own evidence, so that its card explains itself without the OIH card.
        "evidence": {
            "dose_change_last_6_months": "decreased",
            "weeks_since_last_dose_change": 2,
            "pain_when_dose_decreased": "worse",
            "withdrawal_symptoms_between_doses": ["sweating", "diarrhoea"],
        },
    }


def test_the_withdrawal_alert_says_when_the_timing_is_unknown():
    result = screen(make_document(**{**CUT, "weeks_since_last_dose_change": None}))

    assert "unknown timing" in alert(result, WITHDRAWAL)["summary"]

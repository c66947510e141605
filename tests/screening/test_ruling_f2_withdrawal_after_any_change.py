"""Follow-up ruling F2: a cut, a stop or a switch (to buprenorphine or methadone included)
inside the window, with worse pain and any withdrawal symptom, is the urgent alert. The check-in
hands the rules its change across visits (`change_between_visits`)."""

import pytest

from intake.screening import follow_up, screen
from tests.screening.documents import make_document
from tests.screening.follow_ups import (
    BUPRENORPHINE_16_SL,
    METHADONE_20,
    MORPHINE_80,
    MORPHINE_120,
    visit,
)
from tests.screening.results import alert_codes, level

URGENT = "withdrawal_after_dose_cut"
WARNING = "withdrawal_symptoms_after_change"


def check_in(before, after, *, pain_now, symptoms=("sweating",), days=14):
    """A check-in document with its change as the check-in derives it."""
    visits = [visit(before, pain=8), visit(after, day=days, pain=pain_now)]
    change = follow_up.last_change(visits)
    return make_document(
        opioids=after,
        currently_taking_opioids=bool(after),
        pain_score_now=pain_now,
        withdrawal_symptoms_between_doses=list(symptoms),
        change_between_visits=change.as_record(visits[-1].on, pain_now) if change else None,
    )


@pytest.mark.parametrize(
    ("before", "after", "pain_now", "symptoms", "expected"),
    [
        (MORPHINE_120, MORPHINE_80, 9, ["sweating"], ["mme_ge_50", URGENT]),
        (MORPHINE_120, [], 9, ["sweating"], [URGENT]),
        (MORPHINE_120, BUPRENORPHINE_16_SL, 9, ["sweating", "diarrhoea"], [URGENT]),
        (MORPHINE_120, METHADONE_20, 10, ["restlessness"], ["mme_ge_50", "mme_ge_90", URGENT]),
        # Not worse: the warning of ruling 17.
        (MORPHINE_120, BUPRENORPHINE_16_SL, 8, ["sweating"], [WARNING]),
        # No symptom, or a change withdrawal does not follow.
        (MORPHINE_120, BUPRENORPHINE_16_SL, 9, [], []),
        (MORPHINE_80, MORPHINE_120, 9, ["sweating"], ["mme_ge_50", "mme_ge_90"]),
        ([], MORPHINE_80, 9, ["sweating"], ["mme_ge_50"]),
    ],
)
def test_withdrawal_with_worse_pain_after_a_cut_stop_or_switch_is_urgent(
    before, after, pain_now, symptoms, expected
):
    result = screen(check_in(before, after, pain_now=pain_now, symptoms=symptoms))

    assert alert_codes(result) == expected
    if URGENT in expected:
        assert level(result) == "none"


def test_the_urgent_alert_after_a_switch_says_so_and_shows_the_doses():
    result = screen(check_in(MORPHINE_120, BUPRENORPHINE_16_SL, pain_now=9))

    [alert] = result["alerts"]
    assert alert["summary"] == (
        "Urgent: pain worse with withdrawal symptoms after a switch of opioids on a date not "
        "known, first seen 15 May 2026; review the switch now."
    )
    assert alert["evidence"] == {
        "change": "switch",
        "opioids_before": "morphine 120 mg/day",
        "opioids_after": "sublingual buprenorphine 16 mg/day",
        "mme_before": "120 MME/day",
        "mme_after": "no MME counted",
        "date_not_known_between": "2026-05-01 and 2026-05-15",
        "weeks_since_change": "at least 0",
        "withdrawal_window_ends_on": "2026-06-12",
        "pain_before": 8,
        "pain_now": 9,
        "withdrawal_symptoms_in_the_past_week": ["sweating"],
    }


def test_any_rise_in_pain_counts_as_worse_for_the_urgent_alert():
    # F4 reads a 1-point rise as unchanged for the dose response; with withdrawal symptoms
    # after a change, the safer reading keeps it urgent.
    rise = screen(check_in(MORPHINE_120, MORPHINE_80, pain_now=9))
    same = screen(check_in(MORPHINE_120, MORPHINE_80, pain_now=8))

    assert (alert_codes(rise), alert_codes(same)) == (["mme_ge_50", URGENT], ["mme_ge_50", WARNING])

"""Ruling 17: withdrawal symptoms within the window after a cut, stop or switch (<= 4 weeks, or
undated), pain not worse: a `withdrawal_symptoms_after_change` warning (CDC 2022
Recommendation 5: slow or pause the taper). With worse pain it stays the urgent alert. A full
stop from >= 50 MME/day also says that tolerance is lost."""

import pytest

from intake.screening import screen
from tests.screening.documents import (
    CUT,
    STOPPED,
    change_record,
    make_document,
    morphine,
    oih_pattern,
)
from tests.screening.results import alert, alert_codes, level

URGENT = "withdrawal_after_dose_cut"
WARNING = "withdrawal_symptoms_after_change"
TOLERANCE = "Tolerance is lost: overdose risk rises if the old dose is taken again."


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({}, [URGENT]),
        ({"pain_when_dose_decreased": "unchanged"}, [WARNING]),
        ({"pain_when_dose_decreased": "better"}, [WARNING]),
        ({"pain_when_dose_decreased": "not_tried"}, [WARNING]),
        ({"pain_when_dose_decreased": None}, [WARNING]),
        ({"pain_when_dose_decreased": "unchanged", "weeks_since_last_dose_change": 4}, [WARNING]),
        (
            {"pain_when_dose_decreased": "unchanged", "weeks_since_last_dose_change": None},
            [WARNING],
        ),
        ({"pain_when_dose_decreased": "unchanged", "weeks_since_last_dose_change": 4.1}, []),
        ({"pain_when_dose_decreased": "unchanged", "withdrawal_symptoms_between_doses": []}, []),
        ({"pain_when_dose_decreased": "unchanged", "dose_change_last_6_months": "increased"}, []),
        ({"pain_when_dose_decreased": "unchanged", "dose_change_last_6_months": "stable"}, []),
        (
            {
                **STOPPED,
                "dose_change_last_6_months": "stopped",
                "months_since_stopped": 0.5,
                "pain_when_dose_decreased": "unchanged",
            },
            [WARNING],
        ),
    ],
)
def test_withdrawal_symptoms_after_a_recent_cut_warn_and_with_worse_pain_are_urgent(
    overrides, expected
):
    result = screen(make_document(**{**CUT, **overrides}))

    assert alert_codes(result) == expected


def test_the_warning_leaves_the_oih_level_as_the_features_say():
    result = screen(oih_pattern(**{**CUT, "pain_when_dose_decreased": "unchanged"}))

    assert (level(result), alert_codes(result)) == ("flag", [WARNING])


def test_the_warning_says_what_to_consider_and_shows_its_evidence():
    result = screen(make_document(**{**CUT, "pain_when_dose_decreased": "better"}))

    assert alert(result, WARNING) == {
        "code": WARNING,
        "indicator": "warning",
        "summary": "Withdrawal symptoms after a dose cut in about the last 4 weeks, pain not "
        "worse: consider slowing or pausing the taper.",
        "source": "CDC 2022 Recommendation 5; FDA abrupt-discontinuation warnings; oih-facts 1, 4",
        "evidence": {
            "dose_change_last_6_months": "decreased",
            "weeks_since_last_dose_change": 2,
            "pain_when_dose_decreased": "better",
            "withdrawal_symptoms_between_doses": ["sweating", "diarrhoea"],
        },
    }


@pytest.mark.parametrize(
    ("past_opioids", "pain", "code", "says_tolerance"),
    [
        (morphine(120), "worse", URGENT, True),
        (morphine(50), "worse", URGENT, True),
        (morphine(49.9), "worse", URGENT, False),
        (morphine(120), "unchanged", WARNING, True),
        ([], "worse", URGENT, False),
    ],
)
def test_a_full_stop_from_50_mme_or_more_says_tolerance_is_lost(
    past_opioids, pain, code, says_tolerance
):
    stopped = {
        **STOPPED,
        "opioids": past_opioids,
        "dose_change_last_6_months": "stopped",
        "months_since_stopped": 0.3,
        "pain_when_dose_decreased": pain,
        "withdrawal_symptoms_between_doses": ["anxiety"],
    }

    summary = alert(screen(make_document(**stopped)), code)["summary"]

    assert summary.startswith(
        "Urgent: pain worse with withdrawal symptoms after stopping opioids"
        if code == URGENT
        else "Withdrawal symptoms after stopping opioids"
    )
    assert (TOLERANCE in summary) is says_tolerance


@pytest.mark.parametrize(
    ("record", "pain_now", "expected"),
    [
        # A check-in's change across visits: pain before 8, now as given.
        (change_record(), 8, [WARNING]),
        (change_record(), 6, [WARNING]),
        (change_record(), 9, [URGENT]),
        (change_record(kind="switch"), 8, [WARNING]),
        (change_record(kind="switch"), 9, [URGENT]),
        (change_record(kind="stop", opioids_after="none", mme_after=0.0), 8, [WARNING]),
        (change_record(kind="cut", is_inside_window=False), 9, []),
        (change_record(kind="increase"), 9, []),
        (change_record(kind="start"), 9, []),
        (change_record(pain_before=None), 9, [WARNING]),
    ],
)
def test_a_check_in_warns_after_any_change_inside_its_window(record, pain_now, expected):
    document = make_document(
        opioids=morphine(20),
        pain_score_now=pain_now,
        withdrawal_symptoms_between_doses=["sweating", "anxiety"],
        change_between_visits=record,
    )

    assert alert_codes(screen(document)) == expected


def test_a_check_in_stop_from_50_mme_or_more_says_tolerance_is_lost():
    document = make_document(
        **STOPPED,
        pain_score_now=9,
        withdrawal_symptoms_between_doses=["sweating"],
        change_between_visits=change_record(
            kind="stop", opioids_after="none", mme_after=0.0, is_tolerance_lost=True
        ),
    )

    assert alert(screen(document), URGENT)["summary"] == (
        "Urgent: pain worse with withdrawal symptoms after stopping opioids on 8 May 2026 "
        f"(1 week ago); review now. {TOLERANCE}"
    )

"""Ruling 11: `data_quality` only for the MME problems of step 0 and ruling 8; past opioids of
someone who has stopped are history (MME 0, no alert); other disagreements become notes."""

import pytest

from intake.screening import screen
from tests.screening.documents import make_document, morphine, opioid
from tests.screening.results import alert, alert_codes, note_codes


@pytest.mark.parametrize(
    "opioids",
    [
        [opioid("oxycodone", 40)],
        [opioid("fentanyl", 50, "mg/hr")],
        [opioid("other", 5, other_name="levorphanol")],
        morphine(5000),
    ],
    ids=["plain", "wrong-unit", "other", "over-1000"],
)
def test_past_opioids_of_a_stopped_patient_are_history(opioids):
    document = make_document(
        currently_taking_opioids=False, months_since_stopped=8, opioids=opioids
    )

    result = screen(document)

    assert (result["mme"]["total_per_day"], result["mme"]["computable"]) == (0.0, True)
    assert [(item["included"], item["why"]) for item in result["mme"]["items"]] == [
        (False, "stopped")
    ]
    assert alert_codes(result) == []
    assert note_codes(result) == []


@pytest.mark.parametrize(
    ("overrides", "problem"),
    [
        (
            {"opioids": [opioid("fentanyl", 50, "mg/hr")]},
            "fentanyl dose unit 'mg/hr' is neither mg/day nor mcg/hr",
        ),
        (
            {"opioids": [opioid("morphine", 30, "mcg/hr")]},
            "morphine dose is in mcg/hr but should be in mg/day",
        ),
        (
            {"opioids": [opioid("fentanyl", 25, "mg/day")]},
            "fentanyl dose is in mg/day but should be in mcg/hr",
        ),
        (
            {"opioids": [opioid("fentanyl", 25, "mcg/hr", formulation="sublingual")]},
            "fentanyl entered as sublingual; the factor is for patches only",
        ),
        ({"opioids": morphine(1500)}, "a total of 1,500.0 MME/day is implausible"),
    ],
)
def test_data_quality_names_each_mme_problem(overrides, problem):
    result = screen(make_document(**overrides))

    assert alert_codes(result) == ["mme_not_computable", "data_quality"]
    assert alert(result, "data_quality")["summary"] == f"Check the entered data: {problem}."
    assert alert(result, "data_quality")["indicator"] == "warning"


@pytest.mark.parametrize(
    ("overrides", "expected_notes"),
    [
        ({}, []),
        ({"opioids": []}, ["taking_opioids_but_none_listed"]),
        ({"months_since_stopped": 3}, ["months_since_stopped_while_taking"]),
        ({"months_since_stopped": 0}, []),
        ({"dose_change_last_6_months": "stopped"}, ["stopped_while_taking"]),
        ({"opioids": morphine(20) + morphine(20)}, ["opioid_listed_twice"]),
        ({"opioids": morphine(20) + morphine(25)}, []),
        ({"current_pain_sites": []}, ["pain_without_sites"]),
        ({"current_pain_sites": [], "pain_score_now": 0}, []),
        ({"pain_score_now": 0}, ["sites_without_pain"]),
        ({"currently_taking_opioids": False, "months_since_stopped": 2}, []),
    ],
)
def test_other_disagreements_are_notes_not_alerts(overrides, expected_notes):
    result = screen(make_document(**overrides))

    assert note_codes(result) == expected_notes
    assert "data_quality" not in alert_codes(result)


def test_a_note_has_a_plain_summary_and_its_evidence():
    result = screen(make_document(opioids=morphine(20) + morphine(20)))

    assert result["notes"] == [
        {
            "code": "opioid_listed_twice",
            "summary": "morphine 20 mg/day is listed twice; both are counted.",
            "evidence": {"opioids[1]": {**morphine(20)[0], **_normalised_extras()}},
        }
    ]
    assert result["mme"]["total_per_day"] == 40.0


def _normalised_extras():
    return {"formulation": None, "other_name": None, "purpose": "pain"}


def test_several_mme_problems_share_one_alert():
    document = make_document(
        opioids=[opioid("morphine", 30, "mcg/hr"), opioid("oxycodone", 10, "tabs")],
        dose_change_last_6_months="stopped",
    )

    result = screen(document)

    assert alert(result, "data_quality")["summary"] == (
        "Check the entered data: morphine dose is in mcg/hr but should be in mg/day; oxycodone "
        "dose unit 'tabs' is neither mg/day nor mcg/hr."
    )
    assert note_codes(result) == ["stopped_while_taking"]

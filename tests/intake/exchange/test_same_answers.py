"""An imported intake and a web intake show the same answers for the same document.

Each shared case is answered through the web form's pages; the intake it gives is exported as
an `oih-intake/1` document and that document imported: the clinician's "All answers" must read
the same for both, word for word. (Before, an import showed "Not answered" for the OUD question
and for progression "not sure", which the web form's intakes showed right.)"""

import json
from itertools import cycle
from pathlib import Path

import pytest

from intake.exchange.imports import import_document, step_of_key
from intake.journey.steps import STEP_BY_SLUG
from intake.models import Intake
from intake.summary import answer_sections
from tests.intake.journey import VALID_ANSWERS, fill_all_steps, submit

pytestmark = pytest.mark.django_db
CASES = sorted((Path(__file__).resolve().parents[2] / "cases").glob("*.json"))


def journey_answers(document):
    """The case's answers as the web form's pages take them."""

    def duration(months):
        months = int(months or 0)
        return {"years": str(months // 12), "months": str(months % 12)}

    progression = document["new_injury_or_disease_progression"]
    present = progression["present"]
    oud = document.get("known_opioid_use_disorder")
    peg = document.get("peg") or {}
    return {
        "opioid-use": {"currently_taking_opioids": str(document["currently_taking_opioids"])},
        "time-on-opioids": duration(document["months_on_opioids"]),
        "time-since-stopped": duration(document["months_since_stopped"]),
        "dose-change": {"dose_change_last_6_months": document["dose_change_last_6_months"]},
        "dose-change-weeks": {
            "weeks_since_last_dose_change": document["weeks_since_last_dose_change"] or ""
        },
        "dose-changes": {"pain_when_dose_increased": document["pain_when_dose_increased"]},
        "dose-down": {"pain_when_dose_decreased": document["pain_when_dose_decreased"]},
        "between-doses": {
            "pain_between_doses_or_missed_dose": document["pain_between_doses_or_missed_dose"],
            "withdrawal_symptoms_between_doses": document["withdrawal_symptoms_between_doses"],
        },
        "pain-map": {"current_pain_sites": document["current_pain_sites"]},
        "pain-map-start": {"original_pain_sites": document["original_pain_sites"]},
        "pain-details": {"pain_score_now": str(document["pain_score_now"])},
        "pain-at-start": {"pain_score_at_start": str(document["pain_score_at_start"])},
        "pain-past-week": {
            "peg_pain": peg.get("pain", 5),
            "peg_enjoyment": peg.get("enjoyment", 5),
            "peg_activity": peg.get("activity", 5),
        },
        "new-pain": {"new_pain_qualities": document["new_pain_qualities"]},
        "new-injury": {
            "new_injury_or_disease_progression": "not_sure" if present is None else str(present),
            "new_injury_details": progression["details"] or "",
        },
        "other-questions": {"signs_of_misuse": document["signs_of_misuse"]},
        "oud": {"known_opioid_use_disorder": "rather_not_say" if oud is None else str(oud)},
    }


def shown(intake):
    """The clinician's "All answers" of an intake, as words."""
    return [
        (str(section["title"]), [(str(label), str(value)) for label, value in section["rows"]])
        for section in answer_sections(intake)
    ]


# The two answers an import once showed wrong, each answer of each given by four cases in
# turn: every case is walked once and every answer shown, instead of every case walked three
# times for the three pairs (36 walks through the form where 12 check the same).
PROGRESSION_AND_OUD = [
    (False, False, "no-no"),
    (None, True, "not_sure-yes"),
    (True, None, "yes-rather_not_say"),
]
CASES_WITH_ANSWERS = [
    pytest.param(path, progression, oud, id=f"{label}-{path.stem}")
    for path, (progression, oud, label) in zip(CASES, cycle(PROGRESSION_AND_OUD))
]


@pytest.mark.parametrize(("path", "progression", "oud"), CASES_WITH_ANSWERS)
def test_an_imported_intake_shows_the_web_intakes_answers(client, path, progression, oud):
    case = json.loads(path.read_text())
    case["new_injury_or_disease_progression"]["present"] = progression
    case["known_opioid_use_disorder"] = oud
    fill_all_steps(client, journey_answers(case))
    assert submit(client).status_code == 302
    web = Intake.objects.get(source=Intake.Source.WEB)

    imported = import_document(web.as_document())

    assert shown(imported) == shown(web)


def test_an_imported_document_shows_its_oud_and_progression_answers():
    case = json.loads(CASES[0].read_text())
    imported = import_document(
        {**case, "new_injury_or_disease_progression": {"present": None, "details": ""}}
    )

    rows = dict(row for section in shown(imported) for row in section[1])
    assert rows["Told you have opioid use disorder"] == "No"
    assert rows["New injury, surgery or worse health problem"] == (
        "Not sure, or I am waiting for test results"
    )


def test_a_document_without_the_keys_leaves_them_not_answered():
    imported = import_document({"format": "oih-intake/1", "opioids": []})

    rows = dict(row for section in shown(imported) for row in section[1])
    assert rows["Told you have opioid use disorder"] == ""
    assert rows["New injury, surgery or worse health problem"] == ""


def test_every_document_key_names_a_page_of_the_web_form():
    assert set(step_of_key().values()) <= set(STEP_BY_SLUG)
    assert set(VALID_ANSWERS) - {"about-you"} <= set(step_of_key().values())

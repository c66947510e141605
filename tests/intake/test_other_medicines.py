"""The "Other medicines" page: sedatives, gabapentinoids and muscle relaxants by the names
patients know, and whether naloxone is at home (rulings 18-19's answers), in English and
Spanish; stored, exported, imported, shown on the check page, and screened."""

import json

import pytest

from education.readability import (
    PATIENT_GRADE_LIMIT,
    SPANISH_READING_EASE_MINIMUM,
    spanish_reading_ease,
)
from intake.exchange import fhir
from intake.exchange.imports import import_document
from intake.models import Intake
from intake.screening import validate_document
from tests.helpers import spanish
from tests.intake.journey import VALID_ANSWERS, fill_all_steps, post, start, submit
from tests.test_i18n_untranslated import english_left_in
from tests.test_reading_level import grade_of, page_text

pytestmark = pytest.mark.django_db
PAGE = "/intake/other-medicines/"
XANAX_GABAPENTIN_NO_NALOXONE = {
    "other_medicines_ticked": ["alprazolam", "gabapentin"],
    "other_medicines_typed": "Robaxin, vitamin D",
    "naloxone_at_home": "no",
}


def answer(client, data):
    start(client)
    return post(client, PAGE, data)


def test_the_answers_are_stored_as_ticked_and_typed_and_mean_a_class_each(client):
    fill_all_steps(client, {"other-medicines": XANAX_GABAPENTIN_NO_NALOXONE})
    intake = Intake.objects.get()

    assert intake.other_medicines_ticked == ["alprazolam", "gabapentin"]
    assert intake.other_medicines_typed == "Robaxin, vitamin D"
    assert intake.naloxone_at_home == "no"
    assert intake.other_medicines == [
        {"name": "Xanax (alprazolam)", "class": "benzodiazepine"},
        {"name": "Gabapentin (Neurontin)", "class": "gabapentinoid"},
        {"name": "Robaxin", "class": "muscle_relaxant"},
        {"name": "vitamin D", "class": "other"},
    ]


def test_the_submitted_intake_is_screened_with_the_sedative_and_naloxone_warnings(client):
    fill_all_steps(client, {"other-medicines": XANAX_GABAPENTIN_NO_NALOXONE})
    submit(client)
    screening = Intake.objects.get().screenings.get()

    # Norco 10/325 six a day: 60 MME/day; other medicines never enter MME.
    assert screening.mme_total == 60
    assert screening.alert_codes == [
        "mme_ge_50",
        "sedative_with_opioid",
        "gabapentinoid_with_opioid",
        "naloxone_not_at_home",
    ]


def test_none_of_these_and_naloxone_at_home_raise_nothing(client):
    fill_all_steps(client)
    submit(client)
    intake = Intake.objects.get()

    assert (intake.other_medicines, intake.naloxone_at_home) == ([], "yes")
    assert intake.screenings.get().alert_codes == ["mme_ge_50"]


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"naloxone_at_home": "no"},
            "other_medicines_ticked",
            "Tick the medicines you take, or “None of these”, or “I'm not sure”.",
        ),
        (
            {"other_medicines_ticked": ["none", "alprazolam"], "naloxone_at_home": "no"},
            "other_medicines_ticked",
            "You ticked “None of these” and a medicine. Untick one of them.",
        ),
        (
            {
                "other_medicines_ticked": ["none"],
                "other_medicines_typed": "Xanax",
                "naloxone_at_home": "no",
            },
            "other_medicines_ticked",
            "You ticked “None of these” and typed a medicine. Untick the box or clear the name.",
        ),
        (
            {"other_medicines_ticked": ["none"]},
            "naloxone_at_home",
            "Choose yes, no or not sure.",
        ),
        (
            {"other_medicines_ticked": ["valium"], "naloxone_at_home": "no"},
            "other_medicines_ticked",
            "Choose only from the boxes shown.",
        ),
    ],
)
def test_an_unclear_answer_is_refused_at_the_field_and_writes_nothing(client, data, field, message):
    response = answer(client, data)

    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    intake = Intake.objects.get()
    assert (intake.other_medicines_ticked, intake.other_medicines, intake.naloxone_at_home) == (
        [],
        [],
        "",
    )
    assert "other-medicines" not in intake.completed_steps


def test_not_sure_is_kept_as_not_sure(client):
    answer(client, {"other_medicines_ticked": ["not_sure"], "naloxone_at_home": "not_sure"})
    intake = Intake.objects.get()

    assert (intake.other_medicines_ticked, intake.naloxone_at_home) == (["not_sure"], "not_sure")


def test_the_page_shows_the_saved_answers_again(client):
    answer(client, XANAX_GABAPENTIN_NO_NALOXONE)
    page = client.get(PAGE).content.decode()

    assert 'value="alprazolam" id="id_other_medicines_ticked_0" checked' in page
    assert "Robaxin, vitamin D" in page
    assert 'value="no" id="id_naloxone_at_home_1" checked' in page


def test_the_check_page_shows_the_other_medicines_and_naloxone(client):
    fill_all_steps(client, {"other-medicines": XANAX_GABAPENTIN_NO_NALOXONE})
    page = client.get("/intake/check/").content.decode()

    assert "Xanax (alprazolam), Gabapentin (Neurontin), Robaxin, vitamin D" in page
    assert "Naloxone (Narcan) at home" in page
    assert f'href="{PAGE}?next=check"' in page


def test_the_page_reads_easily_in_english_and_in_spanish(client):
    start(client)
    english = client.get(PAGE)
    in_spanish = client.get(spanish(PAGE))
    text = in_spanish.content.decode()

    assert grade_of(english) <= PATIENT_GRADE_LIMIT
    assert "naloxone (Narcan)" in english.content.decode()
    assert '<html lang="es">' in text
    assert "¿Tiene naloxona (Narcan) en casa?" in text
    assert english_left_in(text) == []
    assert spanish_reading_ease(page_text(in_spanish)) >= SPANISH_READING_EASE_MINIMUM


def test_the_exported_document_carries_the_answers_and_imports_back(client):
    fill_all_steps(client, {"other-medicines": XANAX_GABAPENTIN_NO_NALOXONE})
    submit(client)
    document = json.loads(json.dumps(Intake.objects.get().as_document()))

    normalised = validate_document(document)
    assert normalised["naloxone_at_home"] is False
    assert [item["class"] for item in normalised["other_medicines"]] == [
        "benzodiazepine",
        "gabapentinoid",
        "muscle_relaxant",
        "other",
    ]
    imported = import_document(document)
    assert imported.as_document()["other_medicines"] == document["other_medicines"]
    assert imported.as_document()["naloxone_at_home"] is False
    assert imported.screenings.get().alert_codes == [
        "mme_ge_50",
        "sedative_with_opioid",
        "gabapentinoid_with_opioid",
        "naloxone_not_at_home",
    ]


def test_an_imported_medicine_keeps_its_class_even_when_its_name_is_unknown():
    document = {
        "format": "oih-intake/1",
        "opioids": [{"name": "morphine", "daily_dose": 30, "unit": "mg/day"}],
        "currently_taking_opioids": True,
        "other_medicines": [{"name": "midazolam nasal", "class": "benzodiazepine"}],
        "naloxone_at_home": None,
    }

    imported = import_document(document)

    assert imported.as_document()["other_medicines"] == document["other_medicines"]
    assert imported.screenings.get().alert_codes == ["sedative_with_opioid"]


def test_the_fhir_response_carries_the_other_medicines_and_naloxone():
    doc = {
        "format": "oih-intake/1",
        "other_medicines": [{"name": "Xanax (alprazolam)", "class": "benzodiazepine"}],
        "naloxone_at_home": False,
    }
    [entry] = fhir.intake_entries(
        doc,
        reference="OIH-ABCD2345",
        authored="2026-03-04T10:15:00+00:00",
        public_id="6f1c2b9e-4a7d-4e1b-9c3f-0a8d5e7b2c11",
    )

    assert entry["resource"]["item"] == [
        {
            "linkId": "other_medicines",
            "item": [
                {
                    "linkId": "other_medicines.name",
                    "answer": [{"valueString": "Xanax (alprazolam)"}],
                },
                {
                    "linkId": "other_medicines.class",
                    "answer": [
                        {
                            "valueCoding": {
                                "system": "urn:oih-intake:other_medicines.class",
                                "code": "benzodiazepine",
                            }
                        }
                    ],
                },
            ],
        },
        {"linkId": "naloxone_at_home", "answer": [{"valueBoolean": False}]},
    ]


def test_the_default_journey_answers_this_page():
    assert VALID_ANSWERS["other-medicines"] == {
        "other_medicines_ticked": ["none"],
        "other_medicines_typed": "",
        "naloxone_at_home": "yes",
    }


def test_a_check_in_carries_the_other_medicines_and_naloxone_and_says_so(clinician):
    from intake.summary import answer_sections
    from tests.intake.checkin.helpers import (
        STEADY_CHECK_IN,
        follow_up_with_check_ins,
        make_first_visit,
    )

    first = make_first_visit(
        other_medicines=[{"name": "Klonopin (clonazepam)", "class": "benzodiazepine"}],
        naloxone_at_home=False,
    )
    _, _, [check_in] = follow_up_with_check_ins(clinician, first, [STEADY_CHECK_IN])

    assert check_in.as_document()["other_medicines"] == first.as_document()["other_medicines"]
    assert check_in.as_document()["naloxone_at_home"] is False
    codes = check_in.screenings.get().alert_codes
    assert {"sedative_with_opioid", "naloxone_not_at_home"} <= set(codes)
    [section] = [s for s in answer_sections(check_in) if s["slug"] == "other-medicines"]
    assert [(str(label), str(value)) for label, value in section["rows"]] == [
        ("Other medicines", "Klonopin (clonazepam)"),
        ("Naloxone (Narcan) at home", "No"),
        ("Other medicines asked at this check-in", "No: carried from the last visit"),
    ]

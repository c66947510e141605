"""An intake document as FHIR R4 resources: pure functions, no database."""

import json
import uuid
from pathlib import Path

import pytest

from intake.exchange import fhir
from intake.screening import DocumentError

CASES_DIR = Path(__file__).resolve().parents[1] / "cases"
PUBLIC_ID = uuid.UUID("6f1c2b9e-4a7d-4e1b-9c3f-0a8d5e7b2c11")
AUTHORED = "2026-03-04T10:15:00+00:00"
RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm"


def case(name):
    return json.loads((CASES_DIR / f"{name}.json").read_text())


def document(**answers):
    return {"format": "oih-intake/1", **answers}


def entries_for(doc, reference="OIH-ABCD2345"):
    return fhir.intake_entries(doc, reference=reference, authored=AUTHORED, public_id=PUBLIC_ID)


def statement_for(opioid, currently_taking=True):
    entries = entries_for(document(opioids=[opioid], currently_taking_opioids=currently_taking))
    return entries[1]["resource"]


def link_ids(items):
    return [item["linkId"] for item in items]


def test_an_intake_gives_its_response_first_then_one_statement_per_opioid():
    doc = case("pub-01-oih-hydrocodone")
    doc["opioids"].append({"name": "morphine", "daily_dose": 15, "unit": "mg/day"})

    entries = entries_for(doc)

    assert [entry["resource"]["resourceType"] for entry in entries] == [
        "QuestionnaireResponse",
        "MedicationStatement",
        "MedicationStatement",
    ]
    assert entries[0]["fullUrl"] == f"urn:uuid:{PUBLIC_ID}"
    assert entries[1]["fullUrl"] == f"urn:uuid:{uuid.uuid5(PUBLIC_ID, 'opioids[0]')}"
    assert entries[2]["fullUrl"] == f"urn:uuid:{uuid.uuid5(PUBLIC_ID, 'opioids[1]')}"


def test_the_same_intake_always_gives_the_same_resources():
    doc = case("pub-01-oih-hydrocodone")

    assert entries_for(doc) == entries_for(json.loads(json.dumps(doc)))


def test_the_response_is_completed_authored_and_identified_by_the_intake_reference():
    response = entries_for(case("pub-01-oih-hydrocodone"))[0]["resource"]

    assert response["status"] == "completed"
    assert response["authored"] == AUTHORED
    assert response["identifier"] == {
        "system": "urn:oih-clinic:intake-reference",
        "value": "OIH-ABCD2345",
    }
    assert response["subject"] == {
        "type": "Patient",
        "identifier": {"system": "urn:oih-intake:reference", "value": "pub-01-oih-hydrocodone"},
    }


def test_each_answered_document_key_is_an_item_in_document_order():
    response = entries_for(case("pub-01-oih-hydrocodone"))[0]["resource"]

    # Unanswered keys (months_since_stopped, empty lists) are left out.
    assert link_ids(response["item"]) == [
        "reference",
        "opioids",
        "currently_taking_opioids",
        "months_on_opioids",
        "dose_change_last_6_months",
        "weeks_since_last_dose_change",
        "pain_when_dose_increased",
        "pain_when_dose_decreased",
        "pain_between_doses_or_missed_dose",
        "pain_score_now",
        "pain_score_at_start",
        "original_pain_sites",
        "current_pain_sites",
        "new_pain_qualities",
        "new_injury_or_disease_progression",
        "known_opioid_use_disorder",
        "peg",
    ]


def test_answers_have_the_fhir_type_of_their_key():
    items = {
        item["linkId"]: item
        for item in entries_for(case("pub-01-oih-hydrocodone"))[0]["resource"]["item"]
    }

    assert items["reference"]["answer"] == [{"valueString": "pub-01-oih-hydrocodone"}]
    assert items["currently_taking_opioids"]["answer"] == [{"valueBoolean": True}]
    assert items["months_on_opioids"]["answer"] == [{"valueDecimal": 24}]
    assert items["pain_score_now"]["answer"] == [{"valueInteger": 8}]
    assert items["dose_change_last_6_months"]["answer"] == [
        {"valueCoding": {"system": "urn:oih-intake:dose_change_last_6_months", "code": "increased"}}
    ]
    assert items["current_pain_sites"]["answer"] == [
        {"valueCoding": {"system": "urn:oih-intake:current_pain_sites", "code": code}}
        for code in ["lower_back", "neck", "left_upper_arm", "right_upper_arm"]
    ]


def test_peg_opioids_and_progression_are_nested_groups():
    items = entries_for(case("pub-01-oih-hydrocodone"))[0]["resource"]["item"]
    groups = {item["linkId"]: item for item in items if "item" in item}

    assert groups["peg"]["item"] == [
        {"linkId": "peg.pain", "answer": [{"valueInteger": 8}]},
        {"linkId": "peg.enjoyment", "answer": [{"valueInteger": 7}]},
        {"linkId": "peg.activity", "answer": [{"valueInteger": 8}]},
    ]
    assert groups["opioids"]["item"] == [
        {
            "linkId": "opioids.name",
            "answer": [
                {"valueCoding": {"system": "urn:oih-intake:opioids.name", "code": "hydrocodone"}}
            ],
        },
        {
            "linkId": "opioids.formulation",
            "answer": [
                {
                    "valueCoding": {
                        "system": "urn:oih-intake:opioids.formulation",
                        "code": "immediate_release",
                    }
                }
            ],
        },
        {"linkId": "opioids.daily_dose", "answer": [{"valueDecimal": 60}]},
        {"linkId": "opioids.unit", "answer": [{"valueString": "mg/day"}]},
        {
            "linkId": "opioids.purpose",
            "answer": [
                {"valueCoding": {"system": "urn:oih-intake:opioids.purpose", "code": "pain"}}
            ],
        },
    ]
    assert groups["new_injury_or_disease_progression"]["item"] == [
        {"linkId": "new_injury_or_disease_progression.present", "answer": [{"valueBoolean": False}]}
    ]


def test_each_opioid_repeats_the_opioids_group():
    doc = document(
        opioids=[
            {"name": "oxycodone", "daily_dose": 20, "unit": "mg/day"},
            {"name": "fentanyl", "daily_dose": 25, "unit": "mcg/hr"},
        ]
    )

    items = entries_for(doc)[0]["resource"]["item"]

    assert link_ids(items) == ["opioids", "opioids"]


def test_a_document_with_no_answers_gives_a_response_without_items():
    response = entries_for(document())[0]["resource"]

    assert "item" not in response


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("codeine", "2670"),
        ("hydrocodone", "5489"),
        ("morphine", "7052"),
        ("oxycodone", "7804"),
        ("fentanyl", "4337"),
        ("buprenorphine", "1819"),
        ("hydromorphone", "3423"),
        ("tramadol", "10689"),
        ("tapentadol", "787390"),
        ("methadone", "6813"),
        ("oxymorphone", "7814"),
    ],
)
def test_each_opioid_is_coded_with_its_rxnorm_ingredient(name, code):
    statement = statement_for({"name": name, "daily_dose": 10, "unit": "mg/day"})

    assert statement["medicationCodeableConcept"] == {
        "coding": [{"system": RXNORM, "code": code, "display": name}],
        "text": name,
    }


def test_an_other_opioid_is_sent_as_text_only():
    statement = statement_for(
        {"name": "other", "other_name": "Pethidine", "daily_dose": 100, "unit": "mg/day"}
    )

    assert statement["medicationCodeableConcept"] == {"text": "Pethidine"}


@pytest.mark.parametrize(
    ("currently_taking", "status"),
    [(True, "active"), (False, "completed"), (None, "unknown")],
)
def test_the_statement_status_follows_whether_opioids_are_taken_now(currently_taking, status):
    statement = statement_for(
        {"name": "morphine", "daily_dose": 30, "unit": "mg/day"}, currently_taking
    )

    assert statement["status"] == status


def test_a_daily_dose_is_a_ucum_quantity_in_mg_per_day():
    statement = statement_for({"name": "morphine", "daily_dose": 30, "unit": "mg/day"})

    assert statement["dosage"] == [
        {
            "doseAndRate": [
                {
                    "doseQuantity": {
                        "value": 30,
                        "unit": "mg/d",
                        "system": "http://unitsofmeasure.org",
                        "code": "mg/d",
                    }
                }
            ]
        }
    ]


def test_a_patch_dose_is_a_ucum_quantity_in_micrograms_per_hour():
    statement = statement_for(
        {"name": "fentanyl", "formulation": "transdermal_patch", "daily_dose": 25, "unit": "mcg/hr"}
    )

    assert statement["dosage"][0]["doseAndRate"][0]["doseQuantity"] == {
        "value": 25,
        "unit": "ug/h",
        "system": "http://unitsofmeasure.org",
        "code": "ug/h",
    }


def test_an_unknown_unit_is_sent_as_entered_without_a_ucum_code():
    statement = entries_for(case("pub-05-unit-error-oih"))[1]["resource"]

    assert statement["dosage"][0]["doseAndRate"][0]["doseQuantity"] == {
        "value": 50,
        "unit": "mg/hr",
    }


def test_the_statement_is_derived_from_the_response_and_about_the_same_patient():
    response_entry, statement_entry = entries_for(case("pub-01-oih-hydrocodone"))
    statement = statement_entry["resource"]

    assert statement["derivedFrom"] == [{"reference": response_entry["fullUrl"]}]
    assert statement["subject"] == response_entry["resource"]["subject"]
    assert statement["dateAsserted"] == AUTHORED
    assert statement["reasonCode"] == [
        {"coding": [{"system": "urn:oih-intake:opioids.purpose", "code": "pain"}]}
    ]


def test_an_invalid_document_is_refused_naming_the_field():
    with pytest.raises(DocumentError) as raised:
        entries_for(document(opioids=[{"name": "morphine", "daily_dose": -1, "unit": "mg/day"}]))

    assert raised.value.field == "opioids[0].daily_dose"


def test_the_bundle_text_is_a_fhir_collection_of_the_entries():
    entries = entries_for(case("pub-01-oih-hydrocodone"))

    text = "".join(fhir.iter_bundle_json(iter(entries), timestamp=AUTHORED))

    assert json.loads(text) == {
        "resourceType": "Bundle",
        "type": "collection",
        "timestamp": AUTHORED,
        "entry": entries,
    }


def test_a_bundle_without_entries_has_no_empty_entry_array():
    text = "".join(fhir.iter_bundle_json([]))

    assert json.loads(text) == {"resourceType": "Bundle", "type": "collection"}

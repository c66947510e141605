"""Check-ins out: like visits, with their follow-up as context; every FHIR resource we write
checked against the FHIR model (fhir.resources, R4B models: unchanged from R4 for these)."""

import json
from pathlib import Path

import pytest
from django.core.management import call_command
from fhir.resources.R4B import get_fhir_model_class

from intake.exchange import fhir
from intake.exchange.export import Export
from intake.exchange.questionnaire import questionnaire
from tests.intake.checkin.helpers import (
    BEST_CHECK_IN,
    WITHDRAWAL_CHECK_IN,
    follow_up_with_check_ins,
    make_first_visit,
)

CASES = Path(__file__).resolve().parents[2] / "cases"
RESPONSE_STATUSES = {"in-progress", "completed", "amended", "entered-in-error", "stopped"}


def validated(resource):
    """The resource parsed by the FHIR model: unknown or missing elements raise."""
    model = get_fhir_model_class(resource["resourceType"])
    return model.model_validate(resource)


def link_ids(items, found=None):
    found = set() if found is None else found
    for item in items:
        found.add(item["linkId"])
        link_ids(item.get("item", []), found)
    return found


@pytest.fixture
def exported(db, clinician):
    first = make_first_visit()
    follow_up, _, sent = follow_up_with_check_ins(
        clinician, first, [WITHDRAWAL_CHECK_IN, BEST_CHECK_IN]
    )
    export = Export(report_invalid=lambda intake, error: pytest.fail(str(error)))
    documents = json.loads("".join(export.document_chunks()))
    bundle = json.loads("".join(Export(report_invalid=None).fhir_chunks(timestamp=None)))
    return follow_up, sent, documents, bundle


def test_check_ins_export_as_documents_with_their_follow_up(exported):
    follow_up, sent, documents, _ = exported
    assert [document.get("kind", "visit") for document in documents] == [
        "visit",
        "check_in",
        "check_in",
    ]
    assert documents[2]["follow_up"] == {
        "id": str(follow_up.public_id),
        "every_weeks": 2,
        "planned_dose_change": "decrease",
        "planned_dose_change_on": follow_up.planned_dose_change_on.isoformat(),
    }
    assert documents[2]["pain_score_now"] == 5
    assert documents[2]["pain_when_dose_decreased"] == "better"


def test_check_ins_export_as_responses_based_on_their_follow_up(exported):
    follow_up, _, _, bundle = exported
    responses = [
        entry["resource"]
        for entry in bundle["entry"]
        if entry["resource"]["resourceType"] == "QuestionnaireResponse"
    ]
    assert [response.get("basedOn") for response in responses] == [
        None,
        *[
            [
                {
                    "type": "CarePlan",
                    "identifier": {
                        "system": "urn:oih-clinic:follow-up",
                        "value": str(follow_up.public_id),
                    },
                }
            ]
        ]
        * 2,
    ]
    assert {response["questionnaire"] for response in responses} == {
        "urn:oih-clinic:questionnaire:oih-intake|1"
    }


def test_every_resource_in_the_export_is_valid_fhir(exported):
    *_, bundle = exported
    parsed = validated(bundle)
    # The responses and statements; besides, the screenings' DetectedIssues.
    assert len([e for e in parsed.entry if e.resource.get_resource_type() != "DetectedIssue"]) == 6
    for entry in bundle["entry"]:
        validated(entry["resource"])
        if entry["resource"]["resourceType"] == "QuestionnaireResponse":
            assert entry["resource"]["status"] in RESPONSE_STATUSES


@pytest.mark.parametrize("case", sorted(path.stem for path in CASES.glob("*.json")))
def test_every_case_gives_valid_fhir(case):
    document = json.loads((CASES / f"{case}.json").read_text())
    entries = fhir.intake_entries(
        document,
        reference="OIH-TEST",
        authored="2026-03-04T10:15:00+00:00",
        public_id="6f1c2b9e-4a7d-4e1b-9c3f-0a8d5e7b2c11",
    )
    for entry in entries:
        validated(entry["resource"])


def test_the_questionnaire_is_valid_fhir_and_holds_every_answer_given(exported):
    *_, bundle = exported
    published = questionnaire()
    validated(published)
    asked = link_ids(published["item"])
    answered = set()
    for entry in bundle["entry"]:
        if entry["resource"]["resourceType"] == "QuestionnaireResponse":
            link_ids(entry["resource"]["item"], answered)
    assert answered <= asked
    # 22 questions (other medicines and naloxone at home included), 6 per opioid, 2 per other
    # medicine, 2 about a new injury, 3 PEG items.
    assert len(asked) == 35
    assert {"other_medicines.name", "other_medicines.class", "naloxone_at_home"} <= asked


def test_the_questionnaire_is_published_by_a_command(tmp_path):
    out = tmp_path / "questionnaire.json"
    call_command("fhir_questionnaire", output=str(out))
    written = json.loads(out.read_text())
    assert written == questionnaire()
    assert written["url"] == "urn:oih-clinic:questionnaire:oih-intake"

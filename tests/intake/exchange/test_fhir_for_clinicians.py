"""FHIR for the clinic's other systems (issue 24): Questionnaire items worded as the questions,
"not sure" kept, one subject identifier across visits, the screening and its review as
DetectedIssues, and a per-patient export from the admin. Every resource validates with
fhir.resources."""

import json

import pytest
from django.urls import reverse
from fhir.resources.R4B import get_fhir_model_class

from intake.exchange import fhir
from intake.exchange.export import Export
from intake.exchange.questionnaire import QUESTION_TEXTS, questionnaire
from intake.models import AccessLog, Intake
from intake.review.recording import record_review
from tests.intake.review.helpers import (
    FLAG_CASE,
    MISUSE_CASE,
    UNIT_ERROR_CASE,
    make_intake,
    screening_of,
)

pytestmark = pytest.mark.django_db


def validated(resource):
    return get_fhir_model_class(resource["resourceType"]).model_validate(resource)


def exported_resources(intakes=None):
    export = Export(report_invalid=lambda intake, error: None, intakes=intakes)
    bundle = json.loads("".join(export.fhir_chunks("2026-12-04T10:00:00+00:00")))
    validated(bundle)
    resources = [entry["resource"] for entry in bundle.get("entry", [])]
    for resource in resources:
        validated(resource)
    return resources


def items_by_link_id(items, found=None):
    found = {} if found is None else found
    for item in items:
        found[item["linkId"]] = item
        items_by_link_id(item.get("item", []), found)
    return found


def test_questionnaire_items_read_as_the_questions():
    items = items_by_link_id(questionnaire()["item"])
    validated(questionnaire())
    assert {link: item["text"] for link, item in items.items()} == {
        link: QUESTION_TEXTS[link] for link in items
    }
    assert items["pain_when_dose_increased"]["text"] == (
        "When your dose went up, what did your pain do over the next weeks?"
    )
    assert not [link for link, item in items.items() if item["text"] == link.replace("_", " ")]


def test_not_sure_about_progression_is_kept_as_asked_unknown():
    intake = make_intake(
        FLAG_CASE, new_injury_or_disease_progression={"present": None, "details": ""}
    )
    # As the web form saves it: the page was answered "Not sure".
    Intake.objects.filter(pk=intake.pk).update(completed_steps=["new-injury"])
    [response] = [r for r in exported_resources() if r["resourceType"] == "QuestionnaireResponse"]
    item = items_by_link_id(response["item"])["new_injury_or_disease_progression.present"]
    assert item["answer"] == [
        {
            "_valueBoolean": {
                "extension": [{"url": fhir.DATA_ABSENT_REASON, "valueCode": "asked-unknown"}]
            }
        }
    ]


def test_a_patient_without_a_clinic_number_keeps_one_subject_over_visits():
    first = make_intake(FLAG_CASE, name="Ada Lovelace")
    second = make_intake(MISUSE_CASE, name="Ada Lovelace")
    Intake.objects.filter(pk__in=[first.pk, second.pk]).update(
        clinic_reference="", patient=first.patient
    )
    subjects = [
        json.dumps(resource.get("subject") or resource["patient"], sort_keys=True)
        for resource in exported_resources()
    ]
    assert len(set(subjects)) == 1
    subject = json.loads(subjects[0])
    assert subject["identifier"]["system"] == fhir.PATIENT_KEY_SYSTEM
    assert "Ada" not in subjects[0]


def test_the_screening_and_its_review_are_detected_issues(clinician):
    intake = make_intake(UNIT_ERROR_CASE)
    record_review(screening_of(intake), clinician, "follow_up", action="discuss_at_visit")
    issues = [r for r in exported_resources() if r["resourceType"] == "DetectedIssue"]
    assert [(i["code"]["coding"][0]["code"], i["severity"]) for i in issues] == [
        ("flag", "moderate"),
        ("mme_not_computable", "moderate"),
        ("data_quality", "moderate"),
    ]
    assert {i["mitigation"][0]["action"]["text"] for i in issues} == {
        "Needs follow-up; Will discuss at the visit"
    }
    assert {i["mitigation"][0]["author"]["display"] for i in issues} == {clinician.username}


@pytest.fixture
def clinician_client(client, clinician):
    from tests.helpers import login_staff

    return login_staff(client, clinician)


def test_the_admin_exports_one_patients_visits(clinician_client):
    shown = make_intake(FLAG_CASE, reference="clinic-1")
    make_intake(MISUSE_CASE, reference="clinic-2")
    page = clinician_client.get(reverse("admin:intake_patient_change", args=[shown.patient_id]))
    url = reverse("admin:intake_patient_fhir", args=[shown.patient_id])
    assert url in page.content.decode()
    response = clinician_client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/fhir+json"
    assert response["Content-Disposition"].startswith("attachment;")
    bundle = json.loads(response.content)
    validated(bundle)
    references = {
        entry["resource"]["identifier"]["value"]
        for entry in bundle["entry"]
        if entry["resource"]["resourceType"] == "QuestionnaireResponse"
    }
    assert references == {shown.reference}
    for entry in bundle["entry"]:
        validated(entry["resource"])
    log = AccessLog.objects.get(what="export")
    assert (log.patient_id, log.record_count) == (shown.patient_id, 1)


def test_staff_without_the_patient_permission_cannot_export(client):
    from tests.helpers import login_staff, make_staff

    shown = make_intake(FLAG_CASE)
    login_staff(client, make_staff("editor", "Content editors"))
    url = reverse("admin:intake_patient_fhir", args=[shown.patient_id])
    assert client.get(url).status_code in (302, 403)
    assert not AccessLog.objects.filter(what="export").exists()


def test_not_sure_about_naloxone_is_kept_as_asked_unknown_not_dropped():
    from intake.exchange.export import not_sure_answers
    from intake.models import Intake

    assert not_sure_answers(Intake(naloxone_at_home="not_sure")) == ["naloxone_at_home"]
    assert not_sure_answers(Intake(naloxone_at_home="no")) == []

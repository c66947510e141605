"""A medicine entered on the product list goes out and comes back in the same words: the
`oih-intake/1` item keeps its shape, with `product`, `strength` and `schedule` added."""

import json
from pathlib import Path

import pytest

from intake.exchange import fhir
from intake.exchange.export import Export
from intake.exchange.imports import import_document
from intake.models import Intake, IntakeMedicine
from intake.screening import DocumentError
from tests.intake.journey import add_medicine, fill_all_steps, submit

pytestmark = pytest.mark.django_db
CASE = Path(__file__).resolve().parents[2] / "cases" / "pub-01-oih-hydrocodone.json"
PERCOCET = {
    "name": "oxycodone",
    "formulation": "immediate_release",
    "daily_dose": 20,
    "unit": "mg/day",
    "purpose": "pain",
    "product": "percocet",
    "strength": "5 mg/325 mg",
    "product_name": "Percocet",
    # The acetaminophen part a day, for the rules' sum across products (ruling 18).
    "non_opioid_parts": [{"name": "acetaminophen", "daily_dose": 1300, "unit": "mg/day"}],
    "schedule": {"amount": 1, "times_per_day": 4, "amount_unit": "tablet"},
}


def exported_documents():
    export = Export(report_invalid=lambda intake, error: pytest.fail(str(error)))
    return json.loads("".join(export.document_chunks()))


def case_with(**changes):
    document = json.loads(CASE.read_text())
    document.update(changes)
    return document


def test_a_web_entry_is_exported_with_its_product_strength_and_schedule(client):
    fill_all_steps(client)
    add_medicine(client, medicine="Percocet", strength="5/325", times_per_day="4")
    assert submit(client).status_code == 302
    [document] = exported_documents()
    assert document["opioids"][1] == PERCOCET


def test_an_exported_medicine_comes_back_in_the_same_words(client):
    fill_all_steps(client)
    add_medicine(client, medicine="Percocet", strength="5/325", times_per_day="4")
    submit(client)
    [document] = exported_documents()
    Intake.objects.all().delete()
    intake = import_document(document)
    assert [m.as_document_item() for m in intake.medicines.all()] == document["opioids"]
    percocet = intake.medicines.get(product="percocet")
    assert percocet.chosen_as == "Percocet"
    assert percocet.as_entered == "Percocet 5 mg/325 mg, 1 tablet 4 times a day"


def test_an_item_without_the_new_keys_imports_as_before():
    intake = import_document(case_with())
    medicine = intake.medicines.get()
    assert (medicine.product, medicine.strength_label, medicine.schedule) == ("", "", {})
    assert medicine.as_document_item() == {
        "name": "hydrocodone",
        "formulation": "immediate_release",
        "daily_dose": 60,
        "unit": "mg/day",
        "purpose": "pain",
    }


def test_an_unknown_product_is_refused_naming_the_field():
    document = case_with(opioids=[{**PERCOCET, "product": "percocet-9000"}])
    with pytest.raises(DocumentError) as refused:
        import_document(document)
    assert (refused.value.field, refused.value.message) == (
        "opioids[0].product",
        "is not a product on the list",
    )
    assert IntakeMedicine.objects.count() == 0


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"strength": 5}, "opioids[0].strength"),
        ({"schedule": [1, 4]}, "opioids[0].schedule"),
        ({"schedule": {"amount": {"nested": 1}}}, "opioids[0].schedule.amount"),
        ({"schedule": {"amount": "two"}}, "opioids[0].schedule.amount"),
        ({"schedule": {"times_per_day": 0}}, "opioids[0].schedule.times_per_day"),
        ({"schedule": {"as_needed": "yes"}}, "opioids[0].schedule.as_needed"),
        ({"schedule": {"dose": 1}}, "opioids[0].schedule.dose"),
    ],
)
def test_a_strength_or_schedule_of_the_wrong_kind_is_refused(changes, field):
    with pytest.raises(DocumentError) as refused:
        import_document(case_with(opioids=[{**PERCOCET, **changes}]))
    assert refused.value.field == field


def test_a_null_opioid_list_is_refused_with_a_clear_message():
    with pytest.raises(DocumentError) as refused:
        import_document(case_with(opioids=None))
    assert (refused.value.field, refused.value.message) == (
        "opioids",
        "must be a list (use [] for none)",
    )
    assert Intake.objects.count() == 0


def test_fhir_still_codes_the_ingredient_with_rxnorm():
    intake = import_document(case_with(opioids=[PERCOCET]))
    entries = fhir.intake_entries(
        intake.as_document(), reference="R", authored="2026-01-01", public_id=intake.public_id
    )
    [statement] = [
        e["resource"] for e in entries if e["resource"]["resourceType"] != "QuestionnaireResponse"
    ]
    coding = statement["medicationCodeableConcept"]["coding"][0]
    assert (coding["system"], coding["display"]) == (fhir.RXNORM, "oxycodone")
    assert coding["code"] == fhir.RXNORM_INGREDIENTS["oxycodone"]

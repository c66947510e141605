"""A medicine kept as typed keeps the unit it was typed in: stored, shown, printed and exported
with that unit, and never called mg a day unless it is."""

from decimal import Decimal

import pytest
from django.utils import translation

from intake.exchange.fhir import medication_statement
from intake.models import IntakeMedicine
from tests.helpers import in_language
from tests.intake.journey import form_token, post, start

pytestmark = pytest.mark.django_db


def keep_as_typed(client, name, strength, amount="1", times="", most_times="", language="en"):
    page = in_language("/intake/medicines/", language)
    token = form_token(client.get(page))
    return post(
        client,
        page,
        {
            "action": "add",
            "form_token": token,
            "medicine": name,
            "product": "unlisted",
            "strength_typed": strength,
            "amount": amount,
            "times_per_day": times,
            "most_times_per_day": most_times,
            "purpose": "pain",
        },
    )


@pytest.fixture
def patient(client):
    start(client)
    return client


@pytest.mark.parametrize(
    ("name", "strength", "amount", "times", "dose", "unit"),
    [
        ("kratom", "2 g", "1", "3", "6.00", "g/day"),
        ("kratom", "2g", "1", "3", "6.00", "g/day"),
        ("Actiq", "400 mcg", "1", "4", "1600.00", "mcg/day"),
        ("Zorbex", "10 mg", "2", "2", "40.00", "mg/day"),
        ("Zorbex", "10 mg/5 mL", "5 mL", "4", "40.00", "mg/day"),
        ("Zorbex", "2,5 mg", "1", "2", "5.00", "mg/day"),
    ],
)
def test_the_unit_typed_is_kept(patient, name, strength, amount, times, dose, unit):
    response = keep_as_typed(patient, name, strength, amount, times)
    assert response.status_code == 302
    medicine = IntakeMedicine.objects.get()
    assert (medicine.name, medicine.daily_dose, medicine.unit) == ("other", Decimal(dose), unit)


def test_it_is_shown_and_exported_with_its_unit(patient):
    keep_as_typed(patient, "kratom", "2 g", "1", "3")
    medicine = IntakeMedicine.objects.get()
    assert str(medicine) == "kratom 6.00 g/day"
    statement = medication_statement(
        medicine.as_document_item(),
        currently_taking=True,
        subject={"display": "x"},
        asserted="2026-01-01",
        derived_from="QuestionnaireResponse/1",
    )
    dose = statement["dosage"][0]["doseAndRate"][0]["doseQuantity"]
    assert dose == {
        "value": 6,
        "unit": "g/d",
        "system": "http://unitsofmeasure.org",
        "code": "g/d",
    }


def test_as_needed_of_an_unlisted_item_is_amount_times_most_times(patient):
    response = keep_as_typed(patient, "Actiq", "400 mcg", "1", "", "4")
    assert response.status_code == 302
    medicine = IntakeMedicine.objects.get()
    assert (medicine.daily_dose, medicine.unit) == (Decimal("1600.00"), "mcg/day")
    with translation.override("en"):
        assert (
            str(medicine.as_entered) == "Actiq 400 mcg, 1 at a time as needed, up to 4 times a day"
        )


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "Please type the strength with its unit, such as 10 mg, 2 g or 400 mcg."),
        ("es", "Escriba la concentración con su unidad, como 10 mg, 2 g o 400 mcg."),
    ],
)
def test_a_strength_without_a_unit_is_asked_about(patient, language, message):
    response = keep_as_typed(patient, "Zorbex", "10", "1", "2", language=language)
    assert response.status_code == 200
    assert response.context["form"].errors["strength_typed"] == [message]
    assert IntakeMedicine.objects.count() == 0

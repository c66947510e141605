"""The same medicine added twice is asked about, not stored twice (it would double the MME);
a medicine removed by mistake can be put back."""

from decimal import Decimal

import pytest

from intake.models import IntakeMedicine
from tests.helpers import in_language, spanish
from tests.intake.journey import VALID_MEDICINE, add_medicine, form_token, post, start

pytestmark = pytest.mark.django_db
PAGE = "/intake/medicines/"


@pytest.fixture
def patient(client):
    start(client)
    return client


@pytest.mark.parametrize(
    ("language", "message"),
    [
        (
            "en",
            "You have already added Norco. If you take it twice in different ways, tick the box "
            "to add this one too. If not, there is no need to add it again.",
        ),
        (
            "es",
            "Ya agregó Norco. Si lo toma dos veces de formas distintas, marque la casilla para "
            "agregar este también. Si no, no hace falta agregarlo otra vez.",
        ),
    ],
)
def test_the_same_medicine_again_is_asked_about(patient, language, message):
    assert add_medicine(patient).status_code == 302
    page = in_language(PAGE, language)
    token = form_token(patient.get(page))
    response = post(patient, page, {**VALID_MEDICINE, "form_token": token})
    assert response.status_code == 200
    assert response.context["form"].errors["also_take"] == [message]
    assert IntakeMedicine.objects.count() == 1
    assert 'name="also_take"' in response.content.decode()


def test_the_same_medicine_again_is_added_when_the_patient_says_so(patient):
    add_medicine(patient)
    response = add_medicine(patient, amount="2", times_per_day="2", also_take="on")
    assert response.status_code == 302
    assert IntakeMedicine.objects.count() == 2


def test_the_same_name_kept_as_typed_is_asked_about_whatever_its_case(patient):
    fields = {
        "medicine": "Kratom",
        "product": "unlisted",
        "strength": "",
        "strength_typed": "2 g",
    }
    assert add_medicine(patient, **fields).status_code == 302
    response = add_medicine(patient, **{**fields, "medicine": " kratom "})
    assert "also_take" in response.context["form"].errors
    assert IntakeMedicine.objects.count() == 1


def test_another_medicine_is_not_asked_about(patient):
    add_medicine(patient)
    response = add_medicine(patient, medicine="Percocet", strength="5 mg/325 mg")
    assert response.status_code == 302
    assert IntakeMedicine.objects.count() == 2


def test_a_double_click_is_still_added_once_without_a_question(patient):
    token = form_token(patient.get(PAGE))
    data = {**VALID_MEDICINE, "form_token": token}
    assert patient.post(PAGE, data).status_code == 302
    assert patient.post(PAGE, data).status_code == 302
    assert IntakeMedicine.objects.count() == 1


def test_a_removed_medicine_taken_as_needed_is_put_back_as_it_was(patient):
    add_medicine(patient, times_per_day="", most_times_per_day="3")
    medicine = IntakeMedicine.objects.get()
    patient.post(f"{PAGE}{medicine.pk}/remove/")
    patient.post(f"{PAGE}undo-remove/")
    back = IntakeMedicine.objects.get()
    assert (back.times_per_day, back.daily_dose, back.schedule) == (
        None,
        medicine.daily_dose,
        medicine.schedule,
    )


def test_a_removed_medicine_can_be_put_back(patient):
    add_medicine(patient)
    add_medicine(patient, medicine="Percocet", strength="5 mg/325 mg")
    norco = IntakeMedicine.objects.get(product="norco")
    kept = {
        field.name: getattr(norco, field.name)
        for field in IntakeMedicine._meta.concrete_fields
        if field.name not in ("id", "form_token")
    }
    patient.post(f"{PAGE}{norco.pk}/remove/")
    page = patient.get(PAGE).content.decode()
    assert "Medicine removed." in page
    assert 'action="/intake/medicines/undo-remove/"' in page
    assert IntakeMedicine.objects.count() == 1

    response = patient.post(f"{PAGE}undo-remove/")
    assert response.status_code == 302
    back = IntakeMedicine.objects.get(product="norco")
    assert {name: getattr(back, name) for name in kept} == kept
    assert back.daily_dose == Decimal("60.00")
    assert [m.product for m in IntakeMedicine.objects.all()] == ["norco", "percocet"]
    # Once put back, there is nothing more to undo.
    assert "undo-remove" not in patient.get(PAGE).content.decode()
    assert patient.post(f"{PAGE}undo-remove/").status_code == 302
    assert IntakeMedicine.objects.count() == 2


def test_undo_is_offered_in_spanish(patient):
    add_medicine(patient)
    patient.post(spanish(f"{PAGE}{IntakeMedicine.objects.get().pk}/remove/"))
    page = patient.get(spanish(PAGE)).content.decode()
    assert "Deshacer" in page

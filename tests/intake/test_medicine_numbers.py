"""The medicine boxes read numbers as patients type them, in English and Spanish: a decimal
comma, a half, a unit after the number; patches worn at once; as needed, the amount each time
times the most times a day. Anything else is refused at its field, never changed."""

from decimal import Decimal

import pytest
from django.utils import translation

from intake.models import IntakeMedicine
from tests.helpers import in_language
from tests.intake.journey import VALID_MEDICINE, form_token, post, start

pytestmark = pytest.mark.django_db


def add(client, language="en", **fields):
    page = in_language("/intake/medicines/", language)
    token = form_token(client.get(page))
    return post(client, page, {**VALID_MEDICINE, "form_token": token, **fields})


def shown_in(medicine, language):
    with translation.override(language):
        return str(medicine.as_entered)


def errors(response):
    return {name: list(messages) for name, messages in response.context["form"].errors.items()}


@pytest.fixture
def patient(client):
    start(client)
    return client


PERCOCET_5 = {"medicine": "Percocet", "strength": "5 mg/325 mg", "times_per_day": "4"}


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("amount", ["0,5", "0.5", "1/2", "half", "media", "½", "0,5 tablets"])
def test_half_a_tablet_is_read_as_half(patient, language, amount):
    response = add(patient, language, **PERCOCET_5, amount=amount)
    assert response.status_code == 302
    medicine = IntakeMedicine.objects.get()
    assert medicine.daily_dose == Decimal("10.00")
    assert medicine.schedule["amount"] == 0.5


@pytest.mark.parametrize(
    ("fields", "dose"),
    [
        ({"amount": "1 1/2"}, "30.00"),
        ({"amount": "2 pastillas"}, "40.00"),
        ({"times_per_day": "4 times a day"}, "20.00"),
        ({"times_per_day": "4 veces al día"}, "20.00"),
        ({"times_per_day": "x4"}, "20.00"),
    ],
)
def test_a_unit_after_the_number_is_understood(patient, fields, dose):
    response = add(patient, **{**PERCOCET_5, "amount": "1", **fields})
    assert response.status_code == 302
    assert IntakeMedicine.objects.get().daily_dose == Decimal(dose)


@pytest.mark.parametrize(
    ("language", "fields", "field", "message"),
    [
        (
            "en",
            {"amount": "30 mg"},
            "amount",
            "Please type how many you take each time, such as 1 or 1/2. "
            "The strength goes in its own box.",
        ),
        (
            "es",
            {"amount": "30 mg"},
            "amount",
            "Escriba cuántas toma cada vez, como 1 o 1/2. La concentración va en su propia casilla.",
        ),
        ("en", {"amount": "lots"}, "amount", "Please use a number, such as 1, 2.5 or 1/2."),
        ("es", {"amount": "muchas"}, "amount", "Use un número, como 1, 2.5 o 1/2."),
        (
            "en",
            {"times_per_day": "2-3"},
            "times_per_day",
            "Please type one number. If it changes, type the most.",
        ),
        (
            "es",
            {"times_per_day": "2 o 3"},
            "times_per_day",
            "Escriba un solo número. Si cambia, escriba el mayor.",
        ),
        (
            "en",
            {"amount": "1,000"},
            "amount",
            "Please type it without a comma or point between the thousands, such as 1000 or 1.5.",
        ),
    ],
)
def test_what_cannot_be_read_for_sure_is_refused_at_the_field(
    patient, language, fields, field, message
):
    response = add(patient, language, **{**PERCOCET_5, "amount": "1", **fields})
    assert response.status_code == 200
    assert errors(response)[field] == [message]
    assert IntakeMedicine.objects.count() == 0


def test_a_liquid_amount_may_say_ml(patient):
    response = add(
        patient,
        medicine="Oxycodone oral solution",
        strength="5 mg/5 mL",
        amount="7,5 mL",
        times_per_day="2",
    )
    assert response.status_code == 302
    assert IntakeMedicine.objects.get().daily_dose == Decimal("15.00")


def test_a_liquid_amount_in_tablets_is_refused(patient):
    response = add(
        patient,
        medicine="Oxycodone oral solution",
        strength="5 mg/5 mL",
        amount="2 tablets",
        times_per_day="2",
    )
    assert errors(response)["amount"] == [
        "Please type how many mL you take each time, such as 5 or 2.5."
    ]


# ------------------------------------------------------------ patches


def test_two_patches_at_once_count_twice(patient):
    response = add(
        patient,
        medicine="Duragesic",
        strength="50 mcg/hr",
        amount="",
        times_per_day="",
        patches="2",
        change_every_days="3",
    )
    assert response.status_code == 302
    medicine = IntakeMedicine.objects.get()
    assert (medicine.daily_dose, medicine.unit) == (Decimal("100.00"), "mcg/hr")
    assert medicine.schedule == {"patches": 2, "change_every_days": 3}
    assert medicine.entered_as == "Duragesic 50 mcg/hr, 2 patches at a time, changed every 3 days"


def test_the_patch_page_asks_how_many_patches_with_one_to_start(patient):
    token = form_token(patient.get("/intake/medicines/"))
    response = post(
        patient,
        "/intake/medicines/",
        {"action": "find", "medicine": "Duragesic", "form_token": token},
    )
    form = response.context["form"]
    assert form["patches"].value() == 1
    assert "How many patches do you wear at a time?" in response.content.decode()


def test_a_patch_count_is_needed(patient):
    response = add(
        patient,
        medicine="Duragesic",
        strength="50 mcg/hr",
        amount="",
        times_per_day="",
        patches="",
        change_every_days="3",
    )
    assert errors(response) == {"patches": ["Please say how many patches you wear at a time."]}


@pytest.mark.parametrize("language", ["en", "es"])
def test_two_patches_are_shown_back_in_words(patient, language):
    add(
        patient,
        medicine="Duragesic",
        strength="25 mcg/hr",
        amount="",
        times_per_day="",
        patches="2",
        change_every_days="3",
    )
    shown = shown_in(IntakeMedicine.objects.get(), language)
    assert (
        shown
        == {
            "en": "Duragesic 25 mcg/hr, 2 patches at a time, changed every 3 days",
            "es": "Duragesic 25 mcg/hr, 2 parches a la vez, se cambian cada 3 días",
        }[language]
    )


# ------------------------------------------------------------ as needed


def test_as_needed_is_the_amount_each_time_times_the_most_times(patient):
    response = add(
        patient,
        medicine="Oxycodone oral solution",
        strength="5 mg/5 mL",
        amount="5",
        times_per_day="",
        most_times_per_day="4",
    )
    assert response.status_code == 302
    medicine = IntakeMedicine.objects.get()
    assert medicine.daily_dose == Decimal("20.00")
    assert medicine.schedule == {
        "amount": 5,
        "as_needed": True,
        "most_times_per_day": 4,
        "up_to_per_day": 20,
        "amount_unit": "mL",
    }
    assert medicine.entered_as == (
        "Oxycodone oral solution 5 mg/5 mL, 5 mL at a time as needed, up to 4 times a day"
    )


@pytest.mark.parametrize("language", ["en", "es"])
def test_two_at_a_time_up_to_four_times_is_eight_tablets(patient, language):
    response = add(
        patient,
        language,
        medicine="Percocet",
        strength="5 mg/325 mg",
        amount="2",
        times_per_day="",
        most_times_per_day="4",
    )
    assert response.status_code == 302
    medicine = IntakeMedicine.objects.get()
    assert medicine.daily_dose == Decimal("40.00")
    assert (
        shown_in(medicine, language)
        == {
            "en": "Percocet 5 mg/325 mg, 2 tablets at a time as needed, up to 4 times a day",
            "es": "Percocet 5 mg/325 mg, 2 tabletas cada vez cuando lo necesita, hasta 4 veces al día",
        }[language]
    )


def test_a_liquid_page_says_ml(patient):
    token = form_token(patient.get("/intake/medicines/"))
    response = post(
        patient,
        "/intake/medicines/",
        {"action": "find", "medicine": "Oxycodone oral solution", "form_token": token},
    )
    page = response.content.decode()
    assert "How many mL do you take each time?" in page
    assert "the most times you take it in a day" in page

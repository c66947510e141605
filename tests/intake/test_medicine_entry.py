"""The medicines step without JavaScript: a patient names the medicine, then gives the strength
on the label and how they take it. Every question is asked at its field; nothing entered is
lost, and nothing is shown as added that was not stored."""

import re
from decimal import Decimal

import pytest
from django.db import IntegrityError

from intake.models import IntakeMedicine
from tests.helpers import spanish
from tests.intake.journey import VALID_MEDICINE, add_medicine, form_token, start
from tests.intake.journey import post as post_page

pytestmark = pytest.mark.django_db

PAGE = "/intake/medicines/"


def post(client, **fields):
    token = form_token(client.get(PAGE))
    return post_page(client, PAGE, {"form_token": token, **fields})


def errors(response):
    return {name: list(messages) for name, messages in response.context["form"].errors.items()}


def stored():
    return list(
        IntakeMedicine.objects.values_list(
            "product", "name", "strength_label", "daily_dose", "unit", "entered_as"
        )
    )


@pytest.fixture
def patient(client):
    start(client)
    return client


# ------------------------------------------------------------ the problems that were seen


def test_a_combination_strength_typed_with_a_slash_is_read_as_both_parts(patient):
    response = add_medicine(patient, medicine="Percocet", strength="5/325", times_per_day="4")
    assert response.status_code == 302
    assert stored() == [
        (
            "percocet",
            "oxycodone",
            "5 mg/325 mg",
            Decimal("20.00"),
            "mg/day",
            "Percocet 5 mg/325 mg, 1 tablet 4 times a day",
        )
    ]


def test_the_acetaminophen_part_as_the_strength_is_asked_about_never_stored(patient):
    response = add_medicine(patient, medicine="Percocet", strength="325", times_per_day="4")
    assert response.status_code == 200
    assert errors(response) == {
        "strength": [
            "325 mg is usually the acetaminophen part of Percocet. Which strength is on the "
            "label? It comes in 2.5 mg/325 mg, 5 mg/325 mg, 7.5 mg/325 mg, 10 mg/325 mg."
        ]
    }
    assert stored() == []


def test_a_strength_typed_without_the_slash_suggests_the_one_meant(patient):
    response = add_medicine(patient, medicine="Percocet", strength_typed="5325", strength="")
    assert errors(response)["strength_typed"] == [
        "Did you mean 5 mg/325 mg? Please choose the strength on the label."
    ]
    assert stored() == []


def test_continue_with_a_filled_in_medicine_saves_it_and_moves_on(patient):
    response = post(patient, **{**VALID_MEDICINE, "action": "continue"})
    assert response.status_code == 302
    assert response.url == "/intake/opioid-use/"
    assert [row[0] for row in stored()] == ["norco"]


def test_continue_with_a_medicine_that_is_not_right_stays_with_the_question(patient):
    response = post(patient, **{**VALID_MEDICINE, "action": "continue", "times_per_day": ""})
    assert response.status_code == 200
    assert "times_per_day" in errors(response)
    assert stored() == []
    assert not _step_done(patient)


def test_continue_with_nothing_filled_in_moves_on(patient):
    response = post_page(patient, PAGE, {"action": "continue", "amount": "1"})
    assert response.status_code == 302
    assert stored() == []


def test_a_dose_that_rounds_to_zero_is_an_error_at_the_field(patient):
    response = add_medicine(
        patient,
        medicine="Oxycodone oral solution",
        strength="5 mg/5 mL",
        amount="0.01",
        times_per_day="0.1",
    )
    assert response.status_code == 200
    assert errors(response) == {
        "amount": ["That is too small to be a day's dose. Please check the amount and how often."]
    }
    assert stored() == []
    assert "Medicine added" not in response.content.decode()


def test_a_database_refusal_is_never_shown_as_added(patient, monkeypatch):
    def refuse(self, *args, **kwargs):
        raise IntegrityError("new row violates check constraint")

    monkeypatch.setattr(IntakeMedicine, "save", refuse)
    response = add_medicine(patient)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Medicine added" not in page
    assert "We could not save this medicine. Please check it and try again." in page


def test_a_double_click_adds_the_medicine_once_and_says_so_once(patient):
    token = form_token(patient.get(PAGE))
    first = post_page(patient, PAGE, {**VALID_MEDICINE, "form_token": token})
    second = post_page(patient, PAGE, {**VALID_MEDICINE, "form_token": token})
    assert (first.status_code, second.status_code) == (302, 302)
    assert len(stored()) == 1


def _step_done(client):
    from intake.models import Intake

    return "medicines" in Intake.objects.get().completed_steps


# ------------------------------------------------------------ naming the medicine


def test_a_known_name_goes_straight_to_its_strengths(patient):
    response = post(patient, action="find", medicine="norco")
    assert response.context["form"].stage == "details"
    page = response.content.decode()
    for label in ("5 mg/325 mg", "7.5 mg/325 mg", "10 mg/325 mg"):
        assert f'value="{label}"' in page


@pytest.mark.parametrize(
    ("typed", "found"),
    [("perkocet", "percocet"), ("hydrocodon", "hydrocodone-acetaminophen"), ("oxycontin", None)],
)
def test_a_misspelling_offers_the_products_it_may_be(patient, typed, found):
    response = post(patient, action="find", medicine=typed)
    form = response.context["form"]
    if found is None:  # an exact name
        assert form.stage == "details"
        return
    assert form.stage in ("choose", "details")
    if form.stage == "choose":
        assert found in [product.id for product in form.candidates]


@pytest.mark.parametrize(
    ("typed", "product", "strength"),
    [
        ("percocet 10/325", "percocet", "10 mg/325 mg"),
        ("Percocet 10 mg/325 mg", "percocet", "10 mg/325 mg"),
        ("Norco 5-325", "norco", "5 mg/325 mg"),
        ("oxycodone hcl 5 mg tablet", "oxycodone", "5 mg"),
        ("fentanyl 25 mcg/hr patch", "fentanyl-patch", "25 mcg/hr"),
        ("methadone 10 mg/mL", "methadose-oral-concentrate", "10 mg/mL"),
        ("codeine 30", "codeine", "30 mg"),
        ("parche de fentanilo 50 mcg/h", "fentanyl-patch", "50 mcg/hr"),
    ],
)
def test_a_name_with_its_strength_goes_straight_to_that_strength(patient, typed, product, strength):
    response = post(patient, action="find", medicine=typed)
    form = response.context["form"]
    assert (form.stage, form.chosen.id, form["strength"].value()) == ("details", product, strength)
    assert re.search(rf'value="{re.escape(strength)}"[^>]* checked', response.content.decode())


def test_the_strength_typed_with_the_name_is_kept_not_asked_again(patient):
    response = add_medicine(
        patient, medicine="Norco 5-325", strength="", amount="1", times_per_day="4"
    )
    assert response.status_code == 302
    assert stored() == [
        (
            "norco",
            "hydrocodone",
            "5 mg/325 mg",
            Decimal("20.00"),
            "mg/day",
            "Norco 5 mg/325 mg, 1 tablet 4 times a day",
        )
    ]


def test_a_strength_typed_with_the_name_that_is_not_sold_is_kept_and_asked_about(patient):
    found = post(patient, action="find", medicine="norco 10/300")
    assert (found.context["form"].chosen.id, found.context["form"]["strength_typed"].value()) == (
        "norco",
        "10/300",
    )
    response = add_medicine(
        patient, medicine="norco 10/300", strength="", amount="1", times_per_day="4"
    )
    assert errors(response) == {
        "strength": [
            "Norco is not usually sold as 10 mg/300 mg. Please check the label. It comes in "
            "5 mg/325 mg, 7.5 mg/325 mg, 10 mg/325 mg. If the label says 10 mg/300 mg, you can "
            "say so below."
        ]
    }
    assert stored() == []


def test_a_label_generic_name_with_its_salt_goes_straight_to_the_product(patient):
    for typed, product in [
        ("methadone hydrochloride", "methadone"),
        ("oxymorphone hydrochloride", "oxymorphone"),
        ("morphine sulfate extended-release tablets", "morphine-er"),
        ("clorhidrato de hidromorfona", "hydromorphone"),
    ]:
        response = post(patient, action="find", medicine=typed)
        assert response.context["form"].chosen.id == product, typed


NOT_AN_OPIOID = (
    "“{name}” is not an opioid, so it does not go on this list. You can list it on the "
    "“Other medicines” page."
)


@pytest.mark.parametrize(
    "typed", ["gabapentin 300", "clonazepam", "ibuprofen", "tylenol", "gabapentina 300 mg"]
)
def test_a_medicine_that_is_not_an_opioid_is_said_so_and_never_kept_as_one(patient, typed):
    response = post(patient, action="find", medicine=typed)
    form = response.context["form"]
    page = response.content.decode()
    assert form.stage == "choose"
    assert NOT_AN_OPIOID.format(name=typed) in page
    assert 'value="unlisted"' not in page
    refused = add_medicine(
        patient, medicine=typed, product="unlisted", strength="", strength_typed="300 mg"
    )
    assert errors(refused) == {"medicine": [NOT_AN_OPIOID.format(name=typed)]}
    assert stored() == []


def test_tylenol_still_offers_tylenol_with_codeine_after_saying_it_is_not_an_opioid(patient):
    response = post(patient, action="find", medicine="tylenol")
    assert [p.id for p in response.context["form"].candidates][:1] == ["tylenol-with-codeine"]


def test_a_medicine_that_is_not_an_opioid_is_said_so_in_spanish(patient):
    spanish_page = spanish(PAGE)
    token = form_token(patient.get(spanish_page))
    response = post_page(
        patient, spanish_page, {"form_token": token, "action": "find", "medicine": "gabapentina"}
    )
    assert (
        "“gabapentina” no es un opioide, así que no va en esta lista. Puede anotarlo en la "
        "página “Otros medicamentos”." in response.content.decode()
    )


def test_the_search_says_when_a_medicine_is_not_an_opioid(client):
    response = client.get("/intake/medicines/search/", {"q": "gabapentin 300"})
    assert response.json() == {
        "results": [],
        "not_an_opioid": NOT_AN_OPIOID.format(name="gabapentin 300"),
    }


def test_norko_finds_norco_by_its_alias(patient):
    response = post(patient, action="find", medicine="norko")
    assert response.context["form"].chosen.id == "norco"


def test_a_name_not_on_the_list_can_be_kept_as_typed(patient):
    response = post(patient, action="find", medicine="Zorbex 5")
    form = response.context["form"]
    assert form.stage == "choose"
    assert 'value="unlisted"' in response.content.decode()
    response = add_medicine(
        patient,
        medicine="Zorbex 5",
        product="unlisted",
        strength="",
        strength_typed="10 mg",
        amount="1",
        times_per_day="2",
    )
    assert response.status_code == 302
    medicine = IntakeMedicine.objects.get()
    assert (medicine.name, medicine.other_name, medicine.strength_label) == (
        "other",
        "Zorbex 5",
        "10 mg",
    )
    # The rules never convert `other` (ruling 8); the number is kept for the clinician.
    assert (medicine.daily_dose, medicine.unit) == (Decimal("20.00"), "mg/day")


def test_choosing_nothing_on_the_which_one_page_asks_again(patient):
    response = post(patient, action="find", medicine="Zorbex", stage="choose")
    assert errors(response) == {
        "product": ["Choose the medicine, or keep the name as you typed it."]
    }


# ------------------------------------------------------------ how it is taken


def test_a_patch_asks_how_often_it_is_changed(patient):
    response = add_medicine(
        patient,
        medicine="Duragesic",
        strength="25 mcg/hr",
        amount="",
        times_per_day="",
        patches="1",
    )
    assert "change_every_days" in errors(response)
    response = add_medicine(
        patient,
        medicine="Duragesic",
        strength="25 mcg/hr",
        amount="",
        times_per_day="",
        patches="1",
        change_every_days="3",
    )
    assert response.status_code == 302
    assert stored()[0][3:] == (
        Decimal("25.00"),
        "mcg/hr",
        "Duragesic 25 mcg/hr patch, changed every 3 days",
    )


def test_as_needed_up_to_a_number_of_times_a_day(patient):
    response = add_medicine(
        patient,
        medicine="Percocet",
        strength="5 mg/325 mg",
        times_per_day="",
        most_times_per_day="3",
    )
    assert response.status_code == 302
    medicine = IntakeMedicine.objects.get()
    assert medicine.daily_dose == Decimal("15.00")
    assert medicine.schedule == {
        "amount": 1,
        "as_needed": True,
        "most_times_per_day": 3,
        "up_to_per_day": 3,
        "amount_unit": "tablet",
    }


def test_a_liquid_in_ml(patient):
    response = add_medicine(
        patient,
        medicine="Oxycodone oral solution",
        strength="5 mg/5 mL",
        amount="10",
        times_per_day="2",
    )
    assert response.status_code == 302
    assert IntakeMedicine.objects.get().daily_dose == Decimal("20.00")


def test_a_buprenorphine_film(patient):
    response = add_medicine(
        patient,
        medicine="Suboxone",
        strength="8 mg/2 mg",
        amount="1",
        times_per_day="2",
        purpose="oud_treatment",
    )
    assert response.status_code == 302
    medicine = IntakeMedicine.objects.get()
    assert (medicine.name, medicine.daily_dose, medicine.purpose) == (
        "buprenorphine",
        Decimal("16.00"),
        "oud_treatment",
    )


# ------------------------------------------------------------ confirming what looks wrong


def test_a_buprenorphine_injection_asks_every_how_many_days(patient):
    found = post(patient, action="find", medicine="Sublocade 300 mg")
    form = found.context["form"]
    page = found.content.decode()
    assert (form.chosen.id, form["strength"].value()) == ("sublocade", "300 mg")
    assert "How often do you get the shot? Every how many days?" in page
    assert 'name="times_per_day"' not in page
    missing = add_medicine(
        patient, medicine="Sublocade", strength="300 mg", amount="", times_per_day=""
    )
    assert errors(missing) == {
        "change_every_days": ["Please say every how many days you get the shot."]
    }
    response = add_medicine(
        patient,
        medicine="Sublocade",
        strength="300 mg",
        amount="",
        times_per_day="",
        change_every_days="28",
        purpose="oud_treatment",
    )
    assert response.status_code == 302
    assert stored() == [
        (
            "sublocade",
            "buprenorphine",
            "300 mg",
            Decimal("10.71"),
            "mg/day",
            "Sublocade 300 mg injection, every 28 days",
        )
    ]
    listed = patient.get(PAGE).content.decode()
    assert "Sublocade 300 mg injection, every 28 days" in listed


def test_xtampza_is_counted_as_oxycodone_hydrochloride_and_says_so(patient):
    response = add_medicine(
        patient, medicine="Xtampza ER 36 mg", strength="", amount="1", times_per_day="2"
    )
    assert response.status_code == 302
    medicine = IntakeMedicine.objects.get()
    assert (medicine.strength_label, medicine.daily_dose) == ("36 mg", Decimal("80.00"))
    assert medicine.as_entered == "Xtampza ER 36 mg, 1 capsule twice a day"
    assert medicine.daily_opioid == "the same as 80 mg of oxycodone a day"


def test_a_non_opioid_part_beyond_acetaminophen_is_named_in_spanish(patient):
    spanish_page = spanish(PAGE)
    token = form_token(patient.get(spanish_page))
    response = post_page(
        patient,
        spanish_page,
        {
            **VALID_MEDICINE,
            "form_token": token,
            "medicine": "Percodan",
            "strength": "",
            "strength_typed": "325",
        },
    )
    assert "parte de aspirina de Percodan" in response.content.decode()


def test_above_the_label_maximum_is_asked_then_stored_as_confirmed(patient):
    too_many = {"medicine": "Percocet", "strength": "10 mg/325 mg", "amount": "2"}
    response = add_medicine(patient, **too_many, times_per_day="6")
    assert response.status_code == 200
    assert list(errors(response)) == ["times_per_day"]
    page = response.content.decode()
    assert 'name="confirmed"' in page and "Yes, this is right" in page
    assert stored() == []
    response = add_medicine(patient, **too_many, times_per_day="6", confirmed="above_label_maximum")
    assert response.status_code == 302
    medicine = IntakeMedicine.objects.get()
    assert medicine.daily_dose == Decimal("120.00")
    assert medicine.confirmed_by_patient == ["above_label_maximum"]
    assert medicine.confirmation_notes == ["above the label's usual maximum"]


def test_a_strength_not_sold_may_be_confirmed(patient):
    response = add_medicine(patient, medicine="OxyContin", strength="25", times_per_day="2")
    assert "not usually sold as 25 mg" in errors(response)["strength"][0]
    response = add_medicine(
        patient,
        medicine="OxyContin",
        strength="",
        strength_typed="25",
        times_per_day="2",
        confirmed="strength_not_sold",
    )
    assert response.status_code == 302
    medicine = IntakeMedicine.objects.get()
    assert (medicine.strength_label, medicine.daily_dose) == ("25 mg", Decimal("50.00"))
    assert medicine.confirmed_by_patient == ["strength_not_sold"]


def test_a_confirmation_for_another_question_does_not_count(patient):
    response = add_medicine(
        patient,
        medicine="OxyContin",
        strength="25",
        times_per_day="2",
        confirmed="above_label_maximum",
    )
    assert response.status_code == 200
    assert stored() == []


def test_the_search_answers_in_json(client):
    response = client.get("/intake/medicines/search/", {"q": "perkocet"})
    assert response.json()["results"][0] == {
        "id": "percocet",
        "name": "Percocet",
        "generic": "oxycodone and acetaminophen",
    }


def test_the_search_answers_with_the_strength_typed_with_the_name(client):
    response = client.get("/intake/medicines/search/", {"q": "norco 5-325"})
    assert response.json()["results"][0] == {
        "id": "norco",
        "name": "Norco",
        "generic": "hydrocodone and acetaminophen",
        "strength": "5 mg/325 mg",
    }


def test_without_javascript_a_misspelt_name_is_chosen_then_its_questions_answered(patient):
    page = patient.get(PAGE)
    token = form_token(page)
    assert 'name="medicine"' in page.content.decode()
    which = post_page(
        patient, PAGE, {"form_token": token, "action": "find", "medicine": "perkocet"}
    )
    assert which.context["form"].stage == "choose"
    assert [p.id for p in which.context["form"].candidates][:1] == ["percocet"]
    questions = post_page(
        patient,
        PAGE,
        {
            "form_token": token,
            "action": "find",
            "stage": "choose",
            "medicine": "perkocet",
            "product": "percocet",
        },
    )
    form = questions.context["form"]
    assert (form.stage, form.chosen.id, form["amount"].value()) == ("details", "percocet", 1)
    assert form_token(questions) == token
    added = post_page(
        patient,
        PAGE,
        {
            "form_token": token,
            "action": "add",
            "medicine": "perkocet",
            "product": "percocet",
            "strength": "5 mg/325 mg",
            "amount": "1",
            "times_per_day": "4",
            "purpose": "pain",
        },
    )
    assert added.status_code == 302
    assert [row[0] for row in stored()] == ["percocet"]
    listed = patient.get(PAGE).content.decode()
    assert "Percocet 5 mg/325 mg, 1 tablet 4 times a day" in listed
    assert "Medicine added. Add another, or continue." in listed


def test_a_double_click_on_continue_with_a_filled_in_medicine_adds_it_once(patient):
    token = form_token(patient.get(PAGE))
    data = {**VALID_MEDICINE, "action": "continue", "form_token": token}
    first, second = post_page(patient, PAGE, data), post_page(patient, PAGE, data)
    assert (first.url, second.url) == ("/intake/opioid-use/", "/intake/opioid-use/")
    assert len(stored()) == 1


def test_saving_for_later_with_a_half_filled_medicine_says_it_was_not_kept(patient):
    response = post(patient, **{**VALID_MEDICINE, "action": "save_later", "times_per_day": ""})
    assert response.url == "/intake/save/?from=medicines&unsaved=1"
    assert stored() == []

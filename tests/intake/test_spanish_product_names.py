"""A product named by what it is ("Fentanyl patch") is named in Spanish on a Spanish page
("Parche de fentanilo"): in the search's suggestions, the choice, the medicine list and the
patient's answers; a brand (Norco) reads as printed on the bottle in both languages, and the
clinician's pages stay in English. A Spanish name typed finds the product."""

import pytest
from django.conf import settings
from django.test import Client

from intake import medicines
from intake.medicines.catalogue import NON_OPIOID_INGREDIENTS, OPIOID_INGREDIENTS
from intake.models import IntakeMedicine
from tests.helpers import login_staff, spanish
from tests.intake.journey import QUESTION_PAGES, VALID_ANSWERS, form_token, post
from tests.intake.review.helpers import intake_url

pytestmark = pytest.mark.django_db

MEDICINE_PAGE = "/es/formulario/medicamentos/"
INGREDIENT_WORDS = {*OPIOID_INGREDIENTS, *NON_OPIOID_INGREDIENTS}


def test_every_product_named_by_its_ingredients_has_a_spanish_name():
    described = [
        product
        for product in medicines.all_products()
        if product.name.split()[0].lower() in INGREDIENT_WORDS
    ]
    assert len(described) == 34
    assert [p.name for p in described if not p.name_es] == []


@pytest.mark.parametrize(
    ("product_id", "spanish"),
    [
        ("fentanyl-patch", "Parche de fentanilo"),
        ("oxycodone-oral-solution", "Oxicodona en solución oral"),
        ("morphine-er", "Morfina de liberación prolongada"),
        ("norco", "Norco"),
        ("oxycontin", "OxyContin"),
    ],
)
def test_a_product_reads_in_spanish_unless_it_is_a_brand(product_id, spanish):
    product = medicines.get_product(product_id)
    assert product.name_in("es") == spanish
    assert product.name_in("en") == product.name


def test_the_search_suggests_spanish_names_on_the_spanish_site(client):
    found = client.get("/es/formulario/medicamentos/buscar/", {"q": "fentanilo parche"}).json()
    assert found["results"][0]["name"] == "Parche de fentanilo"
    found = client.get("/intake/medicines/search/", {"q": "fentanilo parche"}).json()
    assert found["results"][0]["name"] == "Fentanyl patch"
    found = client.get("/es/formulario/medicamentos/buscar/", {"q": "norco"}).json()
    assert found["results"][0]["name"] == "Norco"


@pytest.mark.parametrize(
    ("typed", "first"),
    [
        ("fentanilo parche", "fentanyl-patch"),
        ("Parche de fentanilo", "fentanyl-patch"),
        ("oxicodona en solución oral", "oxycodone-oral-solution"),
        ("Morfina de liberación prolongada", "morphine-er"),
        ("buprenorfina y naloxona en película", "buprenorphine-naloxone-film"),
    ],
)
def test_a_spanish_name_typed_finds_the_product(typed, first):
    assert medicines.search(typed)[0].id == first
    assert medicines.find_by_name(typed).id == first


def test_morfina_finds_the_morphine_products_by_their_spanish_names():
    names = [product.name_in("es") for product in medicines.search("morfina")]
    assert "Morfina" in names
    assert "Morfina de liberación prolongada" in names


def _spanish_patient(client):
    post(client, "/es/formulario/", {"consent": "on"})
    post(client, "/es/formulario/sobre-usted/", VALID_ANSWERS["about-you"])


def test_the_spanish_choice_and_list_name_the_patch_in_spanish(client):
    _spanish_patient(client)
    token = form_token(client.get(MEDICINE_PAGE))
    chosen = post(
        client, MEDICINE_PAGE, {"form_token": token, "action": "find", "medicine": "fentanilo"}
    ).content.decode()
    assert "Parche de fentanilo" in chosen
    assert "Fentanyl patch" not in chosen
    added = post(
        client,
        MEDICINE_PAGE,
        {
            "form_token": token,
            "action": "add",
            "medicine": "Parche de fentanilo",
            "product": "fentanyl-patch",
            "strength": "25 mcg/hr",
            "patches": "1",
            "change_every_days": "3",
            "purpose": "pain",
        },
    )
    assert added.status_code == 302
    listed = client.get(MEDICINE_PAGE).content.decode()
    assert "Parche de fentanilo 25 mcg/hr, se cambia cada 3 días" in listed
    assert "Fentanyl patch" not in listed
    # Stored as chosen, in the list's own name: the clinician reads English.
    medicine = IntakeMedicine.objects.get()
    assert (medicine.product, medicine.chosen_as) == ("fentanyl-patch", "Fentanyl patch")
    english = client.get("/intake/medicines/").content.decode()
    assert "Fentanyl patch 25 mcg/hr, changed every 3 days" in english


def test_the_spanish_answers_name_the_product_in_spanish_and_the_admin_in_english(
    client, clinician
):
    _spanish_patient(client)
    token = form_token(client.get(MEDICINE_PAGE))
    post(
        client,
        MEDICINE_PAGE,
        {
            "form_token": token,
            "action": "add",
            "medicine": "Oxicodona en solución oral",
            "strength": "5 mg/5 mL",
            "amount": "5",
            "times_per_day": "4",
            "purpose": "pain",
        },
    )
    medicine = IntakeMedicine.objects.get()
    assert medicine.product == "oxycodone-oral-solution"
    check = client.get("/es/formulario/revisar/").content.decode()
    assert "Oxicodona en solución oral" in check
    assert "Oxycodone oral solution" not in check
    assert post(client, MEDICINE_PAGE, {"action": "continue"}).status_code == 302
    for slug in QUESTION_PAGES:
        if client.get(spanish(f"/intake/{slug}/")).status_code == 200:
            assert post(client, spanish(f"/intake/{slug}/"), VALID_ANSWERS[slug]).status_code == 302
    assert post(client, "/es/formulario/revisar/").status_code == 302
    answers = client.get("/es/formulario/enviado/respuestas/").content.decode()
    assert "Oxicodona en solución oral 5 mg/5 mL" in answers
    assert "Oxycodone oral solution" not in answers
    staff = login_staff(Client(), clinician)
    staff.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    admin_page = staff.get(intake_url(medicine.intake)).content.decode()
    assert "Oxycodone oral solution" in admin_page
    assert "Oxicodona" not in admin_page

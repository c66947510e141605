"""The Spanish site says everything in Spanish: the resume page and its messages, generic
names in the medicine search, the note over each guide's sources, the 404 page for a Spanish
browser, and a search for "OIH" (the clinic's English initials) finds the Spanish guides."""

import re

import pytest
from django.test import Client

from intake.models import Intake
from tests.intake.journey import VALID_ANSWERS, post, start

pytestmark = pytest.mark.django_db


def test_the_resume_page_is_spanish_on_the_spanish_site():
    page = Client().get("/es/formulario/retomar/").content.decode()
    assert "<title>Seguir con un formulario guardado" in page
    assert "<h1>Seguir con un formulario guardado</h1>" in page
    assert ">Seguir</button>" in page
    assert "Escriba el código que le dimos y su fecha de nacimiento." in page
    assert "Carry on" not in page and "Enter the code" not in page


def test_the_no_birth_date_message_is_spanish(client):
    start(client)  # a form with no birth date saved yet
    code = client.session["intake_resume_code"]
    shown = post(
        Client(),
        "/es/formulario/retomar/",
        {"code": code, "dob_day": "4", "dob_month": "2", "dob_year": "1971"},
    )
    assert "Todavía no podemos abrir este formulario con el código" in shown.content.decode()


def test_the_paused_code_message_is_spanish_with_a_24_hour_clock(client):
    start(client)
    post(client, "/intake/about-you/", VALID_ANSWERS["about-you"])
    code = client.session["intake_resume_code"]
    wrong = {"code": code, "dob_day": "4", "dob_month": "2", "dob_year": "1972"}
    for _ in range(5):
        shown = post(Client(), "/es/formulario/retomar/", wrong)
    page = shown.content.decode()
    assert "Hubo demasiados intentos con este código" in page
    assert "(en 15 minutos)" in page
    # A time on a 12-hour clock ("3:15 PM", "3:15 p.m."), not letters of a random token.
    assert not re.search(r"\d:\d\d\s*(?:[ap]\.\s?m\.|[AP]M)", page)
    assert re.search(r"\d{1,2}:\d\d", page)
    assert Intake.objects.get().resume_locked_until is not None


def test_the_medicine_search_gives_generic_names_in_spanish(client):
    found = client.get("/es/formulario/medicamentos/buscar/", {"q": "norco"}).json()["results"]
    assert found[0]["generic"] == "hidrocodona y acetaminofén"
    found = client.get("/intake/medicines/search/", {"q": "norco"}).json()["results"]
    assert found[0]["generic"] == "hydrocodone and acetaminophen"


def test_the_choose_page_names_generics_in_spanish(client):
    client.post("/es/formulario/", {"consent": "on"})
    page = post(
        client, "/es/formulario/medicamentos/", {"action": "find", "medicine": "nrco"}
    ).content.decode()
    assert "hidrocodona y acetaminofén" in page
    assert "hydrocodone" not in page


def test_a_spanish_guide_says_its_sources_are_in_english(client, content):
    page = client.get("/es/guias/what-is-oih/").content.decode()
    assert "Estas fuentes están escritas en inglés." in page
    english = client.get("/learn/what-is-oih/").content.decode()
    assert "These sources are written in English." not in english


def test_the_404_page_is_spanish_for_a_spanish_browser():
    response = Client().get("/no-such-page/", headers={"accept-language": "es-MX,es;q=0.9"})
    assert response.status_code == 404
    assert '<html lang="es"' in response.content.decode()
    english = Client().get("/no-such-page/", headers={"accept-language": "en-US"})
    assert "We cannot find that page" in english.content.decode()


def test_searching_oih_on_the_spanish_site_finds_the_spanish_guides(client, content):
    response = client.get("/es/guias/buscar/", {"q": "OIH"})
    page = response.content.decode()
    assert len(response.context["results"]) >= 5
    # The patient's words are shown, in lower case: the cached page every reader gets is
    # built from the search key alone, never from one reader's casing.
    assert "“oih”" in page

"""The patient pages in English and Spanish: addresses, the switcher, first visits, the admin.

English keeps the plain addresses; Spanish lives under /es/. The choice made with the
switcher is remembered in Django's language cookie; a browser that asks for Spanish
(Accept-Language) lands in Spanish on its first visit.
"""

import re

import pytest
from django.conf import settings

from oih_site.management.commands.compile_catalogues import compile_catalogues

pytestmark = pytest.mark.django_db

SPANISH_BROWSER = {"HTTP_ACCEPT_LANGUAGE": "es-MX,es;q=0.9,en;q=0.5"}


def html_lang(response):
    return re.search(r'<html lang="([^"]+)"', response.content.decode()).group(1)


def alternates(response):
    return dict(
        re.findall(
            r'<link rel="alternate" hreflang="([a-z]+)" href="([^"]+)"', response.content.decode()
        )
    )


@pytest.mark.parametrize(
    ("url", "lang"),
    [
        ("/", "en"),
        ("/es/", "es"),
        ("/learn/", "en"),
        ("/es/guias/", "es"),
        ("/es/guias/glosario/", "es"),
    ],
)
def test_each_page_says_its_language(client, content, url, lang):
    response = client.get(url)
    assert response.status_code == 200
    assert html_lang(response) == lang


def test_spanish_home_page_is_in_spanish(client):
    content = client.get("/es/").content.decode()
    assert "Le damos la bienvenida a la clínica del dolor" in content
    assert "Welcome to the pain clinic" not in content


def test_each_page_links_its_other_language_version(client, content):
    response = client.get("/es/guias/what-is-oih/")
    assert alternates(response) == {
        "en": "http://testserver/learn/what-is-oih/",
        "es": "http://testserver/es/guias/what-is-oih/",
    }


def test_switcher_links_lead_to_the_same_page_in_the_other_language(client, content):
    content = client.get("/learn/glossary/").content.decode()
    assert 'href="/language/es/?next=%2Flearn%2Fglossary%2F"' in content
    assert '<span class="fw-bold" aria-current="true" lang="en">English</span>' in content


def test_switcher_remembers_spanish_and_english_addresses_then_lead_to_spanish(client, content):
    response = client.get("/language/es/?next=/learn/glossary/")
    assert response.status_code == 302
    assert response["Location"] == "/es/guias/glosario/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"
    later = client.get("/learn/what-is-oih/")
    assert later.status_code == 302
    assert later["Location"] == "/es/guias/what-is-oih/"


def test_switcher_back_to_english_is_remembered_too(client, content):
    client.get("/language/es/?next=/learn/")
    response = client.get("/language/en/?next=/es/learn/glossary/")
    assert response["Location"] == "/learn/glossary/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert client.get("/learn/", **SPANISH_BROWSER).status_code == 200


def test_switcher_keeps_the_search_words(client, content):
    response = client.get("/language/es/?next=/learn/search/%3Fq%3Ddolor")
    assert response["Location"] == "/es/guias/buscar/?q=dolor"


@pytest.mark.parametrize(
    "next_url", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)"]
)
def test_switcher_never_leads_off_the_site(client, next_url):
    response = client.get("/language/es/", {"next": next_url})
    assert response["Location"] == "/es/"


def test_a_first_visit_from_a_spanish_browser_lands_in_spanish(client, content):
    response = client.get("/learn/what-is-oih/", **SPANISH_BROWSER)
    assert response.status_code == 302
    assert response["Location"] == "/es/guias/what-is-oih/"
    assert "Accept-Language" in response["Vary"]


def test_a_first_visit_keeps_its_query_string(client, content):
    response = client.get("/learn/search/?q=pain", **SPANISH_BROWSER)
    assert response["Location"] == "/es/guias/buscar/?q=pain"


def test_an_english_browser_stays_on_the_english_page(client, content):
    response = client.get("/learn/what-is-oih/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.status_code == 200
    assert html_lang(response) == "en"


def test_a_form_post_is_never_redirected(client):
    response = client.post("/intake/", {}, **SPANISH_BROWSER)
    assert response.status_code != 302 or not response["Location"].startswith("/es/")


def test_the_admin_stays_in_english_for_a_spanish_browser(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    response = client.get("/" + settings.ADMIN_URL + "login/", **SPANISH_BROWSER)
    assert response.status_code == 200
    assert html_lang(response) == "en"
    assert "Log in" in response.content.decode()
    assert client.get("/es/" + settings.ADMIN_URL).status_code == 404


def test_health_probes_are_not_redirected(client):
    assert client.get("/healthz", **SPANISH_BROWSER).status_code == 200


def test_spanish_intake_pages_are_never_stored_by_the_browser(client):
    response = client.get("/es/formulario/")
    assert "no-store" in response["Cache-Control"]


def test_an_unknown_spanish_address_gets_the_spanish_not_found_page(client):
    response = client.get("/es/guias/no-such-guide/")
    assert response.status_code == 404
    content = response.content.decode()
    assert "No encontramos esa página" in content
    assert html_lang(response) == "es"


def test_catalogues_compile_without_gnu_gettext(tmp_path):
    messages = tmp_path / "es" / "LC_MESSAGES"
    messages.mkdir(parents=True)
    (messages / "django.po").write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "Word list"\nmsgstr "Lista de palabras"\n\n'
        '#, fuzzy\nmsgid "Search"\nmsgstr "Buscar mal"\n',
        encoding="utf-8",
    )
    written = compile_catalogues([tmp_path])
    assert written == [messages / "django.mo"]
    import gettext

    with open(messages / "django.mo", "rb") as mo:
        catalogue = gettext.GNUTranslations(mo)
    assert catalogue.gettext("Word list") == "Lista de palabras"
    # A fuzzy entry is an unchecked guess: left out, as msgfmt does.
    assert catalogue.gettext("Search") == "Search"
    assert compile_catalogues([tmp_path]) == []


def test_the_shipped_catalogue_has_no_untranslated_or_fuzzy_entry():
    import polib

    catalogue = polib.pofile(str(settings.LOCALE_PATHS[0] / "es" / "LC_MESSAGES" / "django.po"))
    assert [entry.msgid for entry in catalogue.untranslated_entries()] == []
    assert [entry.msgid for entry in catalogue.fuzzy_entries()] == []

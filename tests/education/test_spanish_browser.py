"""The Spanish pages in headless Chromium: accessible, and whole on a 320 px screen."""

import re

import pytest
from playwright.sync_api import expect

from tests.helpers import PHONE_VIEWPORT, axe_violations

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

SPANISH_PAGES = [
    "/es/",
    "/es/guias/",
    "/es/guias/what-is-oih/",
    "/es/guias/how-oih-develops/",
    "/es/guias/oih-or-tolerance/",
    "/es/guias/managing-oih/",
    "/es/guias/oih-withdrawal-or-addiction/",
    "/es/guias/buscar/?q=dolor",
    "/es/guias/glosario/",
    "/es/guias/no-such-page/",
    "/es/formulario/",
]


@pytest.fixture
def site(live_server, content):
    return live_server.url


@pytest.mark.parametrize("path", SPANISH_PAGES)
def test_spanish_pages_have_no_axe_violations_and_fit_a_320_px_screen(page, site, path):
    page.goto(site + path)
    assert page.locator("html").get_attribute("lang") == "es"
    assert axe_violations(page) == []
    # The longer Spanish words and labels must wrap, never push the page sideways.
    page.set_viewport_size({"width": 320, "height": 640})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320


def test_a_reader_switches_to_spanish_and_stays_there(page, site):
    page.goto(site + "/learn/what-is-oih/")
    page.get_by_role("link", name="Español").click()
    expect(page).to_have_url(site + "/es/guias/what-is-oih/")
    expect(page.locator("h1")).to_have_text("¿Qué es la hiperalgesia inducida por opioides?")
    # Remembered: the English address of another page now opens in Spanish.
    page.goto(site + "/learn/glossary/")
    assert page.url == site + "/es/guias/glosario/"
    page.get_by_role("link", name="English").click()
    expect(page).to_have_url(site + "/learn/glossary/")
    page.goto(site + "/learn/")
    assert page.url == site + "/learn/"


def test_a_spanish_browser_lands_in_spanish_and_searches_in_spanish(open_page, site):
    page = open_page(locale="es-MX", viewport=PHONE_VIEWPORT)
    page.goto(site + "/learn/")
    assert page.url == site + "/es/guias/"
    page.get_by_label("Buscar en las guías").fill("abstinencia")
    page.get_by_role("button", name="Buscar").click()
    expect(page).to_have_url(re.compile(r"/es/guias/buscar/"))
    expect(page.locator("mark").first).to_be_visible()
    page.locator("main ol li a").first.click()
    expect(page).to_have_url(re.compile(r"/es/guias/[\w-]+/$"))
    expect(page.locator("html")).to_have_attribute("lang", "es")

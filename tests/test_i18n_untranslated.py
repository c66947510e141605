"""Every patient page covered in Spanish has no English left.

The check reads what a patient sees and hears: the text of the page and the words in
its attributes (alt text, labels, titles). A part explicitly marked `lang="en"` is
English on purpose (the "English" link of the switcher, a guide not yet translated,
which the page says in Spanish, and the sources, which are titles of English papers),
and so are the names and codes in ALLOWED. A product's name is English on purpose only
when it is a brand (Norco): a name that describes the medicine ("Fentanyl patch") has a
Spanish one, so its English is a fault even where it is marked English.
"""

import re
from html.parser import HTMLParser

import pytest
from django.template import loader
from django.utils import translation

from education.content_loader import CONTENT_DIR, parse_article
from intake import medicines
from oih_site.language import address_in
from tests.helpers import spanish, without_patient_codes
from tests.intake.journey import QUESTION_PAGES, VALID_ANSWERS, VALID_MEDICINE, form_token, post

pytestmark = pytest.mark.django_db

# Words that are English and never Spanish: one of them in a Spanish page is a string
# someone forgot to translate.
ENGLISH_WORDS = frozenset(
    """the and your you with of is are for this that what how please page form pain guide
    guides search word list not can will we our here about read start fill find back home
    go try again sorry medicine medicines answers answer saved step next previous sources
    more all related welcome clinic clinician doctor help it if or an on at by be was were
    have has do does did who when where which there their they them should would could
    yes yesterday today week weeks day days month months year years name date birth email
    phone number other none taking take takes dose doses daily each every time times
    continue save submit check change remove add edit done thank thanks you're don't can't
    skip main learn words picture emergency call health""".split()  # noqa: SIM905 - a paragraph of words reads best
)
# Names and codes that are the same in both languages.
ALLOWED = frozenset({"OIH-CLINIC"})
ATTRIBUTES_READ_ALOUD = ("alt", "aria-label", "title", "placeholder")


def english_product_names():
    """The products' names that describe the medicine in English words: each has a Spanish
    name, so a Spanish page never shows them (brands, the same in both, are not here)."""
    return sorted(
        (p.name for p in medicines.all_products() if p.name_es and p.name_es != p.name),
        key=len,
        reverse=True,
    )


class VisibleText(HTMLParser):
    """Collects the visible text and spoken attributes outside lang="en" parts."""

    SKIPPED = {"script", "style", "head"}
    VOID = {
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "source",
        "wbr",
    }

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack = []
        self.chunks = []
        self.marked_english = []  # the text of lang="en" parts

    def _ignored(self):
        return any(tag in self.SKIPPED or lang == "en" for tag, lang in self.stack)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag not in self.VOID:
            self.stack.append((tag, attrs.get("lang")))
        if self._ignored() or attrs.get("lang") == "en":
            return
        for name in ATTRIBUTES_READ_ALOUD:
            if attrs.get(name):
                self.chunks.append(attrs[name])
        if tag == "input" and attrs.get("type") in ("submit", "button") and attrs.get("value"):
            self.chunks.append(attrs["value"])

    def handle_endtag(self, tag):
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                return

    def handle_data(self, data):
        if not data.strip() or any(tag in self.SKIPPED for tag, _ in self.stack):
            return
        (self.marked_english if self._ignored() else self.chunks).append(data.strip())


def english_left_in(html):
    parser = VisibleText()
    parser.feed(html)
    found = []
    for chunk in parser.chunks:
        if chunk in ALLOWED:
            continue
        # A reference, a code or a link shown as text holds letters drawn at random, not
        # words: without_patient_codes leaves them out.
        words = {
            w.lower() for w in re.findall(r"[^\W\d_]+(?:'[^\W\d_]+)?", without_patient_codes(chunk))
        }
        if words & ENGLISH_WORDS:
            found.append(chunk)
    names = english_product_names()
    for chunk in parser.chunks + parser.marked_english:
        # "Fentanyl patch 25 mcg/hr": a chunk that starts with the name (a brand such as
        # "Tylenol with Codeine" holds "Codeine" without being it).
        if chunk not in found and any(re.match(rf"{re.escape(n)}\b", chunk) for n in names):
            found.append(chunk)
    return found


def spanish_article_urls():
    paths = sorted((CONTENT_DIR / "articles" / "es").glob("*.md"))
    slugs = [parse_article(p.read_text(encoding="utf-8"))[0]["slug"] for p in paths]
    return [f"/es/guias/{slug}/" for slug in slugs]


PATIENT_URLS = [
    "/es/",
    "/es/guias/",
    "/es/guias/glosario/",
    "/es/guias/buscar/",
    "/es/guias/buscar/?q=dolor",
    "/es/guias/buscar/?q=zzzzqqq",
    *spanish_article_urls(),
]


@pytest.mark.parametrize("url", PATIENT_URLS)
def test_spanish_patient_page_has_no_english_left(client, content, url):
    response = client.get(url)
    assert response.status_code == 200
    assert english_left_in(response.content.decode()) == []


def test_spanish_not_found_page_has_no_english_left(client):
    response = client.get("/es/guias/no-such-guide/")
    assert response.status_code == 404
    assert english_left_in(response.content.decode()) == []


@pytest.mark.parametrize(
    "template", ["400.html", "403.html", "403_csrf.html", "500.html", "503.html"]
)
def test_spanish_error_pages_have_no_english_left(template):
    with translation.override("es"):
        html = loader.get_template(template).render()
    assert '<html lang="es">' in html
    assert english_left_in(html) == []


def test_the_check_finds_an_english_sentence():
    html = '<html lang="es"><body><p>Hola</p><p>Fill in your form</p><img alt="A picture of the sun"></body></html>'
    assert english_left_in(html) == ["Fill in your form", "A picture of the sun"]


def test_the_check_finds_a_product_named_in_english_words_even_marked_english():
    html = (
        '<html lang="es"><body><p><span lang="en">Fentanyl patch</span> (fentanilo)</p>'
        "<p>Oxycodone oral solution 5 mg/5 mL, 5 mL 4 veces al día</p>"
        '<p><span lang="en">Norco</span> y <span lang="en">Tylenol with Codeine</span></p>'
        "<p>Parche de fentanilo</p></body></html>"
    )
    assert english_left_in(html) == [
        "Oxycodone oral solution 5 mg/5 mL, 5 mL 4 veces al día",
        "Fentanyl patch",
    ]


def test_the_check_skips_parts_marked_english():
    html = '<p lang="en">Only in English</p><a lang="en" href="/">English</a><p>Hola</p>'
    assert english_left_in(html) == []


def test_the_check_finds_the_english_of_the_same_pages(client, content):
    # An English page labelled Spanish is what a Spanish page with its strings left out
    # would be: the check must find them.
    for url in ["/", "/learn/", "/learn/what-is-oih/"]:
        html = client.get(url).content.decode().replace('<html lang="en">', '<html lang="es">')
        assert "Skip to main content" in english_left_in(html), url


# The intake journey in Spanish: every page a patient passes through, with a started
# intake in the session, answered with the same codes as the English journey tests.
MEDICINE_PAGE = "/es/formulario/medicamentos/"


def _fill_spanish_journey(client, visited):
    """Go through the whole intake under /es/, keeping each page's HTML in `visited`."""
    visited["/es/formulario/"] = client.get("/es/formulario/")
    assert post(client, "/es/formulario/", {"consent": "on"}).status_code == 302
    visited["/es/formulario/sobre-usted/"] = client.get("/es/formulario/sobre-usted/")
    assert (
        post(client, "/es/formulario/sobre-usted/", VALID_ANSWERS["about-you"]).status_code == 302
    )
    page = client.get("/es/formulario/medicamentos/")
    visited["/es/formulario/medicamentos/"] = page
    medicine = {**VALID_MEDICINE, "form_token": form_token(page)}
    assert post(client, "/es/formulario/medicamentos/", medicine).status_code == 302
    visited["/es/formulario/medicamentos/ (one listed)"] = client.get(
        "/es/formulario/medicamentos/"
    )
    assert post(client, "/es/formulario/medicamentos/", {"action": "continue"}).status_code == 302
    for slug in QUESTION_PAGES:
        url = spanish(f"/intake/{slug}/")
        response = client.get(url)
        if response.status_code == 302:
            continue  # a page that does not apply to these answers
        visited[url] = response
        assert post(client, url, VALID_ANSWERS[slug]).status_code == 302, slug
    visited["/es/formulario/revisar/"] = client.get("/es/formulario/revisar/")
    visited["/es/formulario/guardar/"] = client.get("/es/formulario/guardar/")


def test_the_spanish_intake_journey_has_no_english_left(client, content):
    visited = {}
    _fill_spanish_journey(client, visited)
    assert post(client, "/es/formulario/revisar/").status_code == 302
    visited["/es/formulario/enviado/"] = client.get("/es/formulario/enviado/")
    visited["/es/formulario/enviado/respuestas/"] = client.get("/es/formulario/enviado/respuestas/")
    english = {}
    for url, response in visited.items():
        assert response.status_code == 200, url
        left = english_left_in(response.content.decode())
        if left:
            english[url] = left
    assert english == {}
    # Every question page was walked (none skipped for these answers but the one that
    # asks how long ago opioids were stopped).
    assert len(visited) == len(QUESTION_PAGES) - 1 + 8


def test_the_spanish_error_messages_have_no_english_left(client):
    post(client, "/es/formulario/", {"consent": "on"})
    response = post(client, "/es/formulario/sobre-usted/", {"full_name": "", "dob_day": "40"})
    assert response.status_code == 200
    assert english_left_in(response.content.decode()) == []
    post(client, "/es/formulario/sobre-usted/", VALID_ANSWERS["about-you"])
    for slug in ["opioid-use", "pain-map", "pain-past-week", "new-injury"]:
        response = post(client, spanish(f"/intake/{slug}/"), {})
        if response.status_code == 302:
            continue
        assert response.status_code == 200, slug
        assert 'class="invalid-feedback' in response.content.decode() or "is-invalid" in (
            response.content.decode()
        ), slug
        assert english_left_in(response.content.decode()) == [], slug


def test_the_spanish_check_page_keeps_each_change_link_on_its_own_page(client, content):
    _fill_spanish_journey(client, {})
    in_spanish = client.get("/es/formulario/revisar/").content.decode()
    english = client.get("/intake/check/").content.decode()
    spanish_links = re.findall(r'href="(/es/formulario/[^"]+\?next=check)"', in_spanish)
    english_links = re.findall(r'href="(/intake/[^"]+\?next=check)"', english)
    assert [address_in(link, "en") for link in spanish_links] == english_links
    assert len(spanish_links) > 15
    assert "Dolor ahora" in in_spanish and "Parte baja de la espalda" in in_spanish
    # Dates, durations and scores read as Spanish too, and whole numbers without ".0".
    for words in ["4 de febrero de 1971", "2 años", "Hace alrededor de 12 semanas", "8 de 10"]:
        assert words in in_spanish, words
    assert "About 12 weeks ago" in english and "2 years" in english


def test_the_spanish_medicines_page_has_no_english_left(client, content):
    """Each stage of adding a medicine, its questions and a listed medicine, in Spanish
    (brand names stay as printed on the bottle; the others read in Spanish)."""
    post(client, "/es/formulario/", {"consent": "on"})
    post(client, "/es/formulario/sobre-usted/", VALID_ANSWERS["about-you"])
    page = client.get(MEDICINE_PAGE)
    token = form_token(page)
    pages = {"blank": page}

    def send(name, **fields):
        pages[name] = post(client, MEDICINE_PAGE, {"form_token": token, **fields})

    send("not named", action="find", medicine="")
    send("which one", action="find", medicine="percoset")
    send("not on the list", action="find", medicine="Zorbex", product="unlisted")
    send("strengths", action="find", medicine="Percocet")
    send("patch", action="find", medicine="Duragesic")
    send("liquid", action="find", medicine="Oxycodone oral solution")
    send(
        "acetaminophen part",
        action="add",
        medicine="Percocet",
        strength="325",
        amount="1",
        times_per_day="4",
    )
    send(
        "above the label",
        action="add",
        medicine="Percocet",
        strength="10/325",
        amount="3",
        times_per_day="6",
        purpose="pain",
    )
    send("too small", action="add", medicine="Percocet", strength="5/325", amount="0.001")
    assert post(client, MEDICINE_PAGE, {**VALID_MEDICINE, "form_token": token}).status_code == 302
    pages["listed"] = client.get(MEDICINE_PAGE)
    left = {name: english_left_in(page.content.decode()) for name, page in pages.items()}
    assert left == dict.fromkeys(pages, [])
    assert "Norco 10 mg/325 mg, 1 tableta 6 veces al día" in pages["listed"].content.decode()


def test_a_patients_reference_code_and_link_are_not_read_as_english():
    """Drawn at random, "OIH-WS6MP8WE" holds "WE" (once seen failing the Spanish journey) and
    a link's token "is" (once seen failing the Spanish pages' walk, on the save page)."""
    page = (
        "<html><body><main><p>Su número de referencia es OIH-WS6MP8WE.</p>"
        '<p class="resume-code">WE2TKS9MPX</p>'
        "<p>Su enlace: http://testserver/es/formulario/retomar/enlace/xIs-To_9aB/</p>"
        "<p>We sent it.</p></main></body></html>"
    )
    assert english_left_in(page) == ["We sent it."]
    shown = "Su código: WE2TKS9MPX. Su enlace: https://clinic.example/r/aIsb-TO/ We sent it."
    assert without_patient_codes(shown).split() == [
        "Su",
        "código:",
        ".",
        "Su",
        "enlace:",
        "We",
        "sent",
        "it.",
    ]

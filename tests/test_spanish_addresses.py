"""Spanish pages have Spanish words in their addresses (/es/formulario/sobre-usted/, not
/es/intake/about-you/), and the addresses with the English words sent before still reach
the same page: a page read is sent on to the Spanish words, a form sent to one is taken as
it is, so nothing typed is lost. Guides keep their slugs in both languages."""

import re
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import resolve, reverse
from django.utils import translation

from intake.journey.steps import STEPS
from intake.models import Intake
from intake.review.follow_up import start_follow_up
from oih_site.language import address_in
from oih_site.log_filters import loggable_path
from tests.helpers import login_staff
from tests.intake.checkin.helpers import PLAN_WITHOUT_DOSE_CHANGE, link_path, make_first_visit
from tests.intake.checkin.helpers import start_follow_up as start_follow_up_as
from tests.intake.journey import QUESTION_PAGES, VALID_ANSWERS, VALID_MEDICINE, form_token
from tests.smtp import run_jobs

pytestmark = pytest.mark.django_db

# The words of the English addresses and of the form's page names: none of them may be a
# word of a Spanish page's address.
ENGLISH_ROUTE_WORDS = frozenset(
    """intake learn medicines medicine resume check in about you done answers save search
    glossary link doses keepalive remove undo preview media pain map start details past week
    new injury other questions oud use time on since stopped dose change changes weeks down
    between withdrawal anything peg opioid opioids""".split()  # noqa: SIM905 - reads as a list of words
)

OLD_AND_NEW = [
    ("/es/intake/", "/es/formulario/"),
    ("/es/intake/about-you/", "/es/formulario/sobre-usted/"),
    ("/es/intake/medicines/", "/es/formulario/medicamentos/"),
    ("/es/intake/pain-past-week/", "/es/formulario/dolor-la-semana-pasada/"),
    ("/es/intake/check/", "/es/formulario/revisar/"),
    ("/es/intake/save/", "/es/formulario/guardar/"),
    ("/es/intake/resume/", "/es/formulario/retomar/"),
    ("/es/intake/resume/a1b2c3/", "/es/formulario/retomar/a1b2c3/"),
    ("/es/intake/done/answers/", "/es/formulario/enviado/respuestas/"),
    ("/es/intake/medicines/search/?q=norco", "/es/formulario/medicamentos/buscar/?q=norco"),
    ("/es/intake/check-in/", "/es/formulario/control/"),
    ("/es/intake/check-in/link/a1b2c3/", "/es/formulario/control/enlace/a1b2c3/"),
    ("/es/intake/check-in/peg/", "/es/formulario/control/semana-pasada/"),
    ("/es/intake/check-in/doses/medicine/", "/es/formulario/control/dosis/medicamento/"),
    ("/es/learn/", "/es/guias/"),
    ("/es/learn/glossary/", "/es/guias/glosario/"),
    ("/es/learn/search/?q=dolor", "/es/guias/buscar/?q=dolor"),
    ("/es/learn/what-is-oih/", "/es/guias/what-is-oih/"),
]


@pytest.mark.parametrize(("old", "new"), OLD_AND_NEW)
def test_an_old_spanish_address_is_sent_on_to_the_spanish_words(client, old, new):
    response = client.get(old)
    assert response.status_code == 301
    assert response["Location"] == new


@pytest.mark.parametrize(("old", "new"), OLD_AND_NEW)
def test_each_spanish_address_is_the_same_page_as_the_english_one(old, new):
    english = old.removeprefix("/es")
    assert address_in(english, "es") == new
    assert address_in(new, "en") == english
    # A link sent with the English words switches language too.
    assert address_in(old, "en") == english


def test_a_form_sent_to_an_old_address_keeps_what_was_typed(client):
    assert client.post("/es/intake/", {"consent": "on"}).status_code == 302
    response = client.post("/es/intake/about-you/", VALID_ANSWERS["about-you"])
    assert response.status_code == 302
    assert response["Location"] == "/es/formulario/medicamentos/"
    intake = Intake.objects.get()
    assert intake.full_name == "Rosa Parks-Díaz"


def test_the_english_addresses_keep_their_words(client):
    with translation.override("en"):
        assert reverse("intake:step", kwargs={"slug": "about-you"}) == "/intake/about-you/"
        assert reverse("checkin:link", args=["t"]) == "/intake/check-in/link/t/"
        assert reverse("education:glossary") == "/learn/glossary/"
    assert client.get("/intake/about-you/").status_code in (200, 302)
    assert client.get("/learn/").status_code == 200


def test_every_step_of_the_form_has_its_own_spanish_address():
    with translation.override("es"):
        addresses = [reverse("intake:step", kwargs={"slug": s.slug}) for s in STEPS]
        assert [resolve(a).kwargs["slug"] for a in addresses] == [s.slug for s in STEPS]
    assert len(set(addresses)) == len(STEPS)
    assert [english_words_in(a) for a in addresses] == [[]] * len(STEPS)


def test_secret_links_are_cut_from_logs_in_spanish_words_too():
    assert loggable_path("/es/formulario/retomar/s3cr3t/") == "/es/formulario/retomar/[token]"
    assert (
        loggable_path("/es/formulario/control/enlace/s3cr3t/")
        == "/es/formulario/control/enlace/[token]"
    )


class Addresses(HTMLParser):
    """Every address a page leads to: links, forms and the addresses its scripts call."""

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if value and (name in ("href", "action") or name.endswith("-url")):
                self.found.append(value)


def addresses_on(page):
    parser = Addresses()
    parser.feed(page.content.decode())
    return [a for a in parser.found if a.startswith("/es/")]


def english_words_in(address):
    """The English route words of a Spanish address, leaving out a guide's slug (kept in
    both languages) and a link's random token."""
    segments = address.split("?")[0].split("#")[0].strip("/").split("/")
    words = []
    for index, segment in enumerate(segments):
        before = segments[index - 1] if index else ""
        if before in ("retomar", "enlace") or (before == "guias" and index == len(segments) - 1):
            continue
        words += [w for w in re.split(r"[-_]", segment) if w in ENGLISH_ROUTE_WORDS]
    return words


def test_every_spanish_page_reached_has_spanish_words_in_its_address(client, content):
    """The whole form and the guides, as a patient goes through them from /es/: every
    address shown or linked to (forms, links, the search box's, the save page's resume
    link) has no English route word."""
    seen = {}

    def visit(address):
        response = client.get(address)
        assert response.status_code == 200, address
        seen[address] = addresses_on(response)
        return response

    def send(address, data):
        response = client.post(address, data)
        assert response.status_code == 302, address
        seen[address] = [response["Location"]]
        return response["Location"]

    home = visit("/es/")
    start = next(a for a in seen["/es/"] if a.startswith("/es/formulario/"))
    visit(start)
    following = send(start, {"consent": "on"})
    following = send(following, VALID_ANSWERS["about-you"])
    medicine_page = visit(following)
    send(following, {**VALID_MEDICINE, "form_token": form_token(medicine_page)})
    visit(following)
    following = send(following, {"action": "continue"})
    while resolve(following).url_name == "step" and resolve(following).kwargs["slug"] in (
        QUESTION_PAGES
    ):
        visit(following)
        following = send(following, VALID_ANSWERS[resolve(following).kwargs["slug"]])
    assert resolve(following).kwargs["slug"] == "check"
    visit(following)
    visit(next(a for a in seen[following] if resolve(a.split("?")[0]).url_name == "save_later"))
    done = send(following, {})
    visit(done)
    visit(next(a for a in seen[done] if resolve(a).url_name == "done_answers"))
    for address in [a for a in seen["/es/"] if a.startswith("/es/guias/")]:
        visit(address)
    assert home.status_code == 200
    assert len(seen) > len(QUESTION_PAGES) + 8
    every_address = set(seen) | {a for found in seen.values() for a in found}
    assert {a: english_words_in(a) for a in every_address if english_words_in(a)} == {}


def test_the_check_finds_an_english_word_in_an_address():
    assert english_words_in("/es/intake/about-you/") == ["intake", "about", "you"]
    assert english_words_in("/es/guias/what-is-oih/") == []
    assert english_words_in("/es/formulario/retomar/in-check-you/") == []


def test_the_resume_link_on_the_save_page_has_the_spanish_words(client):
    client.post("/es/formulario/", {"consent": "on"})
    page = client.get("/es/formulario/guardar/").content.decode()
    links = re.findall(r"https?://testserver(/[^\s<\"]*)", page)
    assert [link for link in links if "retomar" in link or "resume" in link] == [
        link for link in links if link.startswith("/es/formulario/retomar/")
    ]
    assert any(link.startswith("/es/formulario/retomar/") for link in links)


@pytest.mark.django_db(transaction=True)
def test_the_spanish_emails_carry_links_with_spanish_words(
    client, clinician, settings, smtp_server, empty_job_queue
):
    settings.SITE_URL = "https://clinic.example.org"
    client.post("/es/formulario/", {"consent": "on"})
    about_you = {**VALID_ANSWERS["about-you"], "email": "r@example.com"}
    assert client.post("/es/formulario/sobre-usted/", about_you).status_code == 302
    client.post("/es/formulario/guardar/", {"action": "email_link"})
    first = make_first_visit()
    first.language = "es"
    first.save(update_fields=["language"])
    _follow_up, token = start_follow_up(
        first,
        clinician,
        {**PLAN_WITHOUT_DOSE_CHANGE, "planned_dose_change_on": None},
        email_to=first.email,
    )
    run_jobs()
    resume_email, check_in_email = (m.get_content() for m in smtp_server.messages)
    assert re.search(r"https?://testserver/es/formulario/retomar/[^/\s]+/", resume_email)
    assert "/intake/" not in resume_email
    assert f"https://clinic.example.org/es/formulario/control/enlace/{token}/" in check_in_email
    assert "/intake/" not in check_in_email


def test_the_clinician_is_given_a_spanish_patients_check_in_link_in_spanish_words(clinician):
    staff = login_staff(Client(), clinician)
    spanish_patient, english_patient = make_first_visit(), make_first_visit()
    spanish_patient.language = "es"
    spanish_patient.save(update_fields=["language"])
    spanish_link = link_path(start_follow_up_as(staff, spanish_patient, planned_dose_change=""))
    english_link = link_path(start_follow_up_as(staff, english_patient, planned_dose_change=""))
    assert spanish_link.startswith("/es/formulario/control/enlace/")
    assert english_link.startswith("/intake/check-in/link/")
    assert Client().get(spanish_link).status_code == 302

"""Pages with patient data or staff secrets tell browsers and caches not to store them."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import TEST_PASSWORD, login_staff, make_staff

pytestmark = pytest.mark.django_db


def is_no_store(response):
    directives = {d.strip() for d in response.get("Cache-Control", "").split(",")}
    return {"no-store", "private"} <= directives


def test_every_patient_intake_page_is_no_store():
    patient = Client()
    start = patient.get("/intake/")
    assert start.status_code == 200 and is_no_store(start)
    started = patient.post("/intake/", {"consent": "on"})
    assert started["Location"] == "/intake/about-you/" and is_no_store(started)
    about_you = patient.get("/intake/about-you/")
    # The page that shows the resume code and link.
    assert about_you.status_code == 200 and is_no_store(about_you)
    for path in ("/intake/check/", "/intake/done/", "/intake/resume/"):
        assert is_no_store(patient.get(path)), path
    assert is_no_store(Client().get("/intake/done/"))


def test_the_authenticator_enrolment_page_is_no_store():
    make_staff("clinician", "Clinicians")
    client = Client()
    client.post("/admin/login/", {"username": "clinician", "password": TEST_PASSWORD})
    page = client.get("/admin/two-factor/")
    assert "Set up sign-in codes" in page.content.decode()
    assert is_no_store(page)


def test_every_admin_page_is_no_store(client):
    assert is_no_store(client.get("/admin/login/"))
    clinician = login_staff(client, make_staff("clinician", "Clinicians"))
    assert clinician.get("/admin/").status_code == 200
    for name in ("admin:index", "admin:intake_intake_changelist", "admin:keepalive"):
        assert is_no_store(client.get(reverse(name))), name


def test_public_pages_stay_cacheable(client, content):
    for path in ("/", "/learn/", "/healthz"):
        assert "no-store" not in client.get(path).get("Cache-Control", ""), path

"""Staff are signed out after 15 minutes without a staff page, even when a patient form in
the same browser keeps the session itself alive."""

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client

from tests.conftest import login_staff, make_staff

pytestmark = pytest.mark.django_db


def test_a_patient_form_in_the_same_browser_does_not_stretch_the_staff_sign_in(clock):
    client = login_staff(Client(), make_staff("clinician", "Clinicians"))
    clock(0)
    assert client.get("/admin/").status_code == 200
    clock(1)
    assert client.post("/intake/", {"consent": "on"})["Location"] == "/intake/about-you/"
    clock(10)
    assert client.get("/intake/about-you/").status_code == 200
    clock(16)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    assert SESSION_KEY not in client.session


def test_staff_pages_keep_staff_signed_in_and_idleness_signs_them_out(clock):
    client = login_staff(Client(), make_staff("editor", "Content editors"))
    for minutes in (0, 14, 28, 42):
        clock(minutes)
        assert client.get("/admin/").status_code == 200, minutes
    clock(58)
    assert client.get("/admin/").status_code == 302
    assert SESSION_KEY not in client.session


def test_an_idle_staff_sign_in_ends_on_any_page_not_only_the_admin(clock):
    client = login_staff(Client(), make_staff("editor", "Content editors"))
    clock(0)
    client.get("/admin/")
    clock(1)
    client.post("/intake/", {"consent": "on"})
    clock(16)
    # Staff are signed out; the patient's form in the same session carries on (issue 23).
    assert client.get("/intake/about-you/").status_code == 200
    assert SESSION_KEY not in client.session


def test_staff_pages_in_the_same_browser_do_not_stretch_the_patient_s_hold(clock):
    """The other way round: the patient's form is released 30 idle minutes after its own
    last page, however busy the staff side of the same browser is."""
    client = login_staff(Client(), make_staff("editor", "Content editors"))
    clock(0)
    client.get("/admin/")
    assert client.post("/intake/", {"consent": "on"})["Location"] == "/intake/about-you/"
    for minutes in (10, 20, 29, 31):
        clock(minutes)
        assert client.get("/admin/").status_code == 200, minutes
    assert client.get("/intake/about-you/")["Location"] == "/intake/resume/"
    assert SESSION_KEY in client.session, "the staff sign-in itself lives on"
    assert "intake_resume_code" not in client.session


def test_patient_pages_keep_the_patient_s_hold(clock):
    client = Client()
    clock(0)
    client.post("/intake/", {"consent": "on"})
    for minutes in (25, 50, 75):
        clock(minutes)
        assert client.get("/intake/about-you/").status_code == 200, minutes

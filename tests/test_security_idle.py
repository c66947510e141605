"""Idle staff sign-out signs staff out and nothing else: a patient form open in the same
browser carries on (issue 23, finding 10)."""

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client

from intake.models import Intake
from tests.helpers import login_staff, make_staff
from tests.intake.journey import VALID_ANSWERS

pytestmark = pytest.mark.django_db


def test_idle_staff_sign_out_keeps_the_patient_form_open(clock):
    client = login_staff(Client(), make_staff("clinician", "Clinicians"))
    clock(0)
    assert client.get("/admin/").status_code == 200
    old_session = client.session.session_key
    assert client.post("/intake/", {"consent": "on"})["Location"] == "/intake/about-you/"
    assert client.post("/intake/about-you/", VALID_ANSWERS["about-you"]).status_code == 302
    clock(16)
    # The next page is the patient's: staff are signed out, the form stays open.
    page = client.get("/intake/about-you/")
    assert page.status_code == 200
    assert "Rosa Parks-Díaz" in page.content.decode()
    assert SESSION_KEY not in client.session
    # A new session key, as at any sign-out, holding the patient's form still.
    assert client.session.session_key != old_session
    assert client.get("/admin/")["Location"].startswith("/admin/login/")
    assert client.post("/intake/opioid-use/", VALID_ANSWERS["opioid-use"]).status_code == 302
    assert Intake.objects.get().currently_taking_opioids is True

"""Unfinished forms are not sent (issue 23, finding 2).

A POST to the check page sends the form only once every page that applies is answered;
before that it writes nothing, says which pages are left, and offers no send button.
"""

import pytest

from intake.models import Intake
from tests.intake.journey import VALID_ANSWERS, fill_all_steps, post, start, submit

pytestmark = pytest.mark.django_db


def test_sending_right_after_consent_is_refused_and_names_the_pages_left(client):
    start(client)
    # Refused with a redirect to the check page, which names the pages left.
    response = post(client, "/intake/check/")
    assert (response.status_code, response.posted_to) == (200, "/intake/check/")
    content = response.content.decode()
    assert "Please answer these questions before you send your form" in content
    assert 'href="/intake/about-you/?next=check">About you</a>' in content
    assert 'href="/intake/medicines/?next=check">Your opioid medicines</a>' in content
    assert "Send my answers" not in content
    intake = Intake.objects.get()
    assert intake.status == Intake.Status.IN_PROGRESS
    assert intake.screenings.count() == 0


def test_sending_in_spanish_is_refused_in_spanish(client):
    client.post("/es/formulario/", {"consent": "on"})
    response = post(client, "/es/formulario/revisar/")
    assert response.status_code == 200
    content = response.content.decode()
    assert "Por favor, conteste estas preguntas antes de enviar su formulario" in content
    assert 'href="/es/formulario/sobre-usted/?next=check">Sobre usted</a>' in content
    assert Intake.objects.get().status == Intake.Status.IN_PROGRESS


def test_one_page_left_is_named_and_the_form_is_not_sent(client):
    fill_all_steps(client)
    intake = Intake.objects.get()
    intake.completed_steps = [s for s in intake.completed_steps if s != "pain-details"]
    intake.save()
    page = client.get("/intake/check/").content.decode()
    assert "Send my answers" not in page
    response = post(client, "/intake/check/")
    assert response.status_code == 200
    assert "Please answer these questions before you send your form" in response.content.decode()
    assert Intake.objects.get().status == Intake.Status.IN_PROGRESS


def test_a_finished_form_is_sent(client):
    fill_all_steps(client, {"about-you": VALID_ANSWERS["about-you"]})
    assert "Send my answers" in client.get("/intake/check/").content.decode()
    response = submit(client)
    assert response.status_code == 302
    assert Intake.objects.get().status == Intake.Status.SUBMITTED

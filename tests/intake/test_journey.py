"""The patient's journey through the intake, over HTTP: pages in, rows out."""

import datetime
import json
import re

import pytest
from django.utils import timezone

from intake.models import Intake, IntakeMedicine, Patient, PatientMatch, Screening
from intake.screening import screen, validate_document
from tests.helpers import confirm_returning_patient, mentions, words_shown
from tests.intake.journey import (
    VALID_ANSWERS,
    add_medicine,
    checked_values,
    fill_all_steps,
    post,
    start,
    submit,
)

pytestmark = pytest.mark.django_db


def test_start_page_explains_the_form_and_asks_for_consent(client):
    response = client.get("/intake/")
    assert response.status_code == 200
    content = response.content.decode()
    assert "Who sees your answers" in content
    assert 'name="consent"' in content


def test_starting_without_consent_is_refused_kindly_and_writes_nothing(client):
    response = post(client, "/intake/", {})
    assert response.status_code == 200
    assert "Tick the box to say you agree" in response.content.decode()
    assert Intake.objects.count() == 0


def test_consent_creates_one_intake_and_opens_the_first_step(client):
    response = start(client)
    assert response.url == "/intake/about-you/"
    intake = Intake.objects.get()
    assert intake.consent_given_at is not None
    assert intake.expires_at > timezone.now() + datetime.timedelta(days=13)
    page = client.get("/intake/about-you/").content.decode()
    assert "Page 1 of about" in page
    assert "Save and come back later" in page


def test_starting_twice_in_two_tabs_keeps_one_intake(client):
    start(client)
    start(client)
    assert Intake.objects.count() == 1


def test_the_whole_journey_submits_one_screened_intake(client):
    fill_all_steps(client)
    response = submit(client)
    assert response.url == "/intake/done/"
    intake = Intake.objects.get()
    assert intake.status == Intake.Status.SUBMITTED
    assert intake.full_name == "Rosa Parks-Díaz"
    assert [m.daily_dose for m in intake.medicines.all()] == [60]
    screening = intake.screenings.get()
    assert screening.level == Screening.Level.FLAG
    assert screening.mme_total == 60
    assert screening.alert_codes == ["mme_ge_50"]
    assert Patient.objects.count() == 1


def test_confirmation_shows_a_reference_and_articles_but_never_a_flag(client, content):
    fill_all_steps(client)
    submit(client)
    response = client.get("/intake/done/")
    page = response.content.decode()
    intake = Intake.objects.get()
    assert intake.reference in page
    assert 'href="/learn/signs-of-oih/"' in page
    shown = words_shown(page).lower().replace("opioid-induced hyperalgesia", "")
    for hidden in ("flag", "borderline", "MME", "hyperalgesia pattern", "score"):
        assert not mentions(shown, hidden)


def test_submitting_twice_creates_one_intake_and_one_screening(client):
    fill_all_steps(client)
    first, second = submit(client), submit(client)
    assert (first.url, second.url) == ("/intake/done/", "/intake/done/")
    assert Intake.objects.count() == 1
    assert Screening.objects.count() == 1


def test_a_step_posted_again_after_submission_changes_nothing(client):
    fill_all_steps(client)
    submit(client)
    response = post(
        client, "/intake/pain-details/", {**VALID_ANSWERS["pain-details"], "pain_score_now": "2"}
    )
    assert response.url == "/intake/done/"
    assert Intake.objects.get().pain_score_now == 8


def test_the_back_button_shows_saved_answers(client):
    fill_all_steps(client)
    page = client.get("/intake/about-you/").content.decode()
    assert 'value="Rosa Parks-Díaz"' in page
    page = client.get("/intake/pain-details/").content.decode()
    assert checked_values(page, "pain_score_now") == ["8"]
    page = client.get("/intake/new-pain/").content.decode()
    assert checked_values(page, "new_pain_qualities") == ["burning", "allodynia"]
    page = client.get("/intake/time-on-opioids/").content.decode()
    assert 'id="id_years" value="2"' in page


def test_double_click_on_add_medicine_adds_it_once(client):
    start(client)
    from tests.intake.journey import form_token

    token = form_token(client.get("/intake/medicines/"))
    data = {
        "action": "add",
        "medicine": "OxyContin",
        "strength": "20 mg",
        "amount": "1",
        "times_per_day": "2",
        "purpose": "pain",
        "form_token": token,
    }
    post(client, "/intake/medicines/", data)
    post(client, "/intake/medicines/", data)
    medicine = IntakeMedicine.objects.get()
    assert (medicine.name, medicine.chosen_as, medicine.daily_dose, medicine.unit) == (
        "oxycodone",
        "OxyContin",
        40,
        "mg/day",
    )


def test_a_patch_is_recorded_in_mcg_per_hour(client):
    start(client)
    add_medicine(
        client,
        medicine="Duragesic",
        strength="25 mcg/hr",
        amount="",
        times_per_day="",
        patches="1",
        change_every_days="3",
    )
    medicine = IntakeMedicine.objects.get()
    assert (medicine.daily_dose, medicine.unit) == (25, "mcg/hr")


def test_removing_a_medicine_works_without_javascript(client):
    start(client)
    add_medicine(client)
    medicine = IntakeMedicine.objects.get()
    response = post(client, f"/intake/medicines/{medicine.pk}/remove/")
    assert response.url == "/intake/medicines/"
    assert IntakeMedicine.objects.count() == 0


def test_a_patient_cannot_remove_another_patients_medicine(client, django_user_model):
    from django.test import Client

    other = Client()
    start(other)
    add_medicine(other)
    theirs = IntakeMedicine.objects.get()
    start(client)
    post(client, f"/intake/medicines/{theirs.pk}/remove/")
    assert IntakeMedicine.objects.filter(pk=theirs.pk).exists()


def test_steps_without_a_session_lead_to_resume_not_to_someone_elses_form(client):
    from django.test import Client

    fill_all_steps(Client())
    response = client.get("/intake/check/")
    assert response.url == "/intake/resume/"
    response = client.get("/intake/done/")
    assert response.url == "/intake/"


def test_unknown_step_is_a_friendly_404(client):
    start(client)
    response = client.get("/intake/no-such-step/")
    assert response.status_code == 404


def test_check_page_lists_answers_with_change_links(client):
    fill_all_steps(client)
    page = client.get("/intake/check/").content.decode()
    assert "Lower back" in page
    assert "8 out of 10" in page
    assert 'href="/intake/pain-map/?next=check"' in page


def test_change_link_returns_to_the_check_page(client):
    fill_all_steps(client)
    response = post(
        client, "/intake/pain-map/?next=check", {**VALID_ANSWERS["pain-map"], "next": "check"}
    )
    assert response.url == "/intake/check/"


def test_check_page_lists_unfinished_steps(client):
    start(client)
    page = client.get("/intake/check/").content.decode()
    assert "Some questions are not answered yet" in page


def test_dose_change_pages_carry_the_safety_message(client):
    start(client)
    # Once, where the dose is asked about; not on every page.
    message = "Do not stop or change your opioid dose on your own."
    assert client.get("/intake/dose-change/").content.decode().count(message) == 1
    assert message not in client.get("/intake/opioid-use/").content.decode()


def test_a_returning_patient_is_suggested_by_name_and_birth_date_and_joined_once_confirmed(
    client,
):
    from django.test import Client

    fill_all_steps(client)
    submit(client)
    second = Client()
    fill_all_steps(
        second, {"about-you": {**VALID_ANSWERS["about-you"], "full_name": "  rosa   PARKS-díaz "}}
    )
    submit(second)
    first_visit, second_visit = Intake.objects.order_by("pk")
    # A typed identity only suggests the match; a clinician's confirmation joins them.
    assert second_visit.previous_intake is None
    second_visit = confirm_returning_patient(second_visit)
    assert first_visit.patient == second_visit.patient
    assert second_visit.previous_intake == first_visit
    assert Patient.objects.exclude(intakes=None).count() == 1


def test_a_returning_patient_is_suggested_by_clinic_reference(client):
    from django.test import Client

    with_reference = {**VALID_ANSWERS["about-you"], "clinic_reference": "MRN-1234"}
    fill_all_steps(client, {"about-you": with_reference})
    submit(client)
    second = Client()
    fill_all_steps(
        second, {"about-you": {**with_reference, "full_name": "Rosa Díaz", "dob_year": "1972"}}
    )
    submit(second)
    first_visit, second_visit = Intake.objects.order_by("pk")
    assert [(m.patient, m.suggested_patient) for m in PatientMatch.objects.all()] == [
        (second_visit.patient, first_visit.patient)
    ]


def test_the_stored_intake_exports_as_a_valid_document(client):
    fill_all_steps(client)
    submit(client)
    intake = Intake.objects.get()
    document = json.loads(json.dumps(intake.as_document()))
    assert validate_document(document)["opioids"] == [
        {
            "name": "hydrocodone",
            "other_name": None,
            "formulation": "immediate_release",
            "daily_dose": 60,
            "unit": "mg/day",
            "purpose": "pain",
        }
    ]
    assert screen(document)["oih"]["level"] == "flag"


def test_idle_warning_is_on_every_step(client):
    start(client)
    page = client.get("/intake/about-you/").content.decode()
    assert 'id="idle-warning"' in page
    assert 'data-idle-seconds="1800"' in page


def test_keepalive_extends_a_live_session_only(client):
    assert post(client, "/intake/keepalive/").status_code == 410
    start(client)
    response = post(client, "/intake/keepalive/")
    assert response.json() == {"active": True, "idle_seconds": 1800}


def test_an_old_start_token_is_no_key_to_saved_answers(client):
    from django.test import Client

    page = client.get("/intake/").content.decode()
    token = re.search(r'name="start_token" value="([^"]+)"', page).group(1)
    post(client, "/intake/", {"consent": "on", "start_token": token})
    post(client, "/intake/about-you/", VALID_ANSWERS["about-you"])
    stranger = Client()
    post(stranger, "/intake/", {"consent": "on", "start_token": token})
    assert Intake.objects.count() == 2, "the stranger starts an empty intake of their own"
    assert "Rosa" not in stranger.get("/intake/about-you/").content.decode()

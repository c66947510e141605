"""Typed identity never joins an existing patient by itself (issue 23, finding 1).

A clinic number, or a name and birth date, typed into a new intake only *suggests* a match:
the intake gets its own patient record, and a clinician confirms or rejects the suggestion
in the admin (written to the access log, kept in history). Until then nothing of the other
record is compared with, shown or pre-filled.
"""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from intake.models import AccessLog, FollowUp, Intake, Patient, PatientMatch, Screening
from tests.helpers import login_staff
from tests.intake.checkin.helpers import (
    STEADY_CHECK_IN,
    check_in,
    make_first_visit,
    start_follow_up,
)
from tests.intake.journey import VALID_ANSWERS, fill_all_steps, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def clinician_client(client, clinician):
    return login_staff(client, clinician)


def _web_intake(about_you):
    browser = Client()
    fill_all_steps(browser, {"about-you": {**VALID_ANSWERS["about-you"], **about_you}})
    assert submit(browser).status_code == 302
    return Intake.objects.submitted().latest("pk")


def test_a_typed_clinic_number_only_suggests_a_match():
    victim = _web_intake({"clinic_reference": "MRN-1234"})
    planted = _web_intake({"clinic_reference": "MRN-1234", "full_name": "Someone Else"})
    assert planted.patient != victim.patient
    assert planted.previous_intake is None
    assert list(victim.patient.intakes.values_list("pk", flat=True)) == [victim.pk]
    match = PatientMatch.objects.get()
    assert (match.patient, match.suggested_patient) == (planted.patient, victim.patient)
    assert match.matched_on == ["clinic_reference"]
    assert match.status == PatientMatch.Status.SUGGESTED


def test_name_and_birth_date_match_ignores_accents_case_and_spacing_and_writes_no_number():
    victim = _web_intake({"full_name": "Rosa María López Pérez"})
    planted = _web_intake(
        {"full_name": "  rosa maria   LOPEZ perez ", "clinic_reference": "ATTACKER-1"}
    )
    victim.patient.refresh_from_db()
    assert victim.patient.clinic_reference == ""
    assert planted.patient != victim.patient
    match = PatientMatch.objects.get()
    assert (match.patient, match.suggested_patient) == (planted.patient, victim.patient)
    assert match.matched_on == ["name_and_birth_date"]


def test_another_birth_date_suggests_nothing():
    _web_intake({"full_name": "Rosa María López Pérez"})
    _web_intake({"full_name": "Rosa Maria Lopez Perez", "dob_year": "1972"})
    assert PatientMatch.objects.count() == 0
    assert Patient.objects.count() == 2


def test_the_victims_check_in_is_not_filled_from_a_planted_visit(clinician_client, client):
    first = make_first_visit()
    link = start_follow_up(clinician_client, first)
    # Someone types the victim's clinic number and name, with their own email and medicine.
    planted = _web_intake(
        {"clinic_reference": "clinic-7", "full_name": "Mary Seacole", "email": "x@example.net"}
    )
    assert planted.patient != first.patient
    clinician_client.logout()
    sent = check_in(client, link, STEADY_CHECK_IN)
    assert sent.patient == first.patient
    assert sent.previous_intake == first
    assert sent.email == "mary@example.org"
    assert list(sent.medicines.values_list("name", flat=True)) == ["morphine"]


def _decide(clinician_client, match, action):
    return clinician_client.post(
        reverse("admin:intake_patientmatch_changelist"),
        {"action": action, "_selected_action": [match.pk]},
    )


def test_a_clinician_confirms_a_match_and_the_visit_is_compared_with_the_earlier_one(
    clinician_client, clinician
):
    first = _web_intake({"clinic_reference": "MRN-1234"})
    second = _web_intake({"clinic_reference": "MRN-1234"})
    assert second.screenings.get(is_current=True).result["oih"]["reasons"] is not None
    match = PatientMatch.objects.get()
    response = _decide(clinician_client, match, "confirm_matches")
    assert response.status_code == 302
    match.refresh_from_db()
    second.refresh_from_db()
    assert match.status == PatientMatch.Status.CONFIRMED
    assert match.decided_by == clinician
    assert second.patient == first.patient
    assert second.previous_intake == first
    current = second.screenings.get(is_current=True)
    assert current.cause == Screening.Cause.MATCH_CONFIRMED
    assert current.created_by == clinician
    assert AccessLog.objects.filter(
        user=clinician, action="confirm_match", patient=first.patient
    ).exists()
    assert [h.status for h in match.history.order_by("history_date")] == [
        "suggested",
        "confirmed",
    ]
    # The next visit of the confirmed patient is compared with the confirmed one.
    assert list(first.patient.intakes.order_by("pk")) == [first, second]


def test_a_clinician_rejects_a_match_and_the_records_stay_apart(clinician_client, clinician):
    first = _web_intake({"clinic_reference": "MRN-1234"})
    second = _web_intake({"clinic_reference": "MRN-1234"})
    match = PatientMatch.objects.get()
    assert _decide(clinician_client, match, "reject_matches").status_code == 302
    match.refresh_from_db()
    second.refresh_from_db()
    assert match.status == PatientMatch.Status.REJECTED
    assert second.patient != first.patient
    assert second.previous_intake is None
    assert AccessLog.objects.filter(user=clinician, action="reject_match").exists()


def test_a_follow_up_from_a_planted_visit_mails_nothing_of_the_victim(clinician_client, client):
    first = make_first_visit()
    planted = _web_intake(
        {"clinic_reference": "clinic-7", "full_name": "Mary Seacole", "email": "x@example.net"}
    )
    # A clinician starts a follow-up from the planted visit, believing it the victim's.
    link = start_follow_up(clinician_client, planted)
    follow_up = FollowUp.objects.get()
    assert follow_up.patient == planted.patient != first.patient
    clinician_client.logout()
    sent = check_in(client, link, STEADY_CHECK_IN)
    assert sent.previous_intake == planted
    assert sent.full_name == planted.full_name
    assert datetime.date(1958, 3, 1) != sent.date_of_birth

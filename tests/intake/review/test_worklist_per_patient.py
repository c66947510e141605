"""The worklist names the patient (MRN, age), holds a patient's open items in one row,
newest first with their visit kind, and counts what waits per priority (issue 24)."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from intake.models import Intake, Screening
from intake.review.labels import age, patient_name
from tests.helpers import TEST_PASSWORD, current_totp, login_staff, make_staff
from tests.intake.checkin.helpers import (
    STEADY_CHECK_IN,
    WITHDRAWAL_CHECK_IN,
    follow_up_with_check_ins,
    make_first_visit,
)
from tests.intake.review.helpers import (
    FLAG_CASE,
    MISUSE_CASE,
    QUEUE,
    make_intake,
    queue_references,
)

pytestmark = pytest.mark.django_db


def test_an_imported_row_shows_its_mrn_and_a_web_row_its_age(clinician_client):
    imported = make_intake(FLAG_CASE, reference="MRN-4411")
    named = make_intake(
        MISUSE_CASE, reference="MRN-5150", name="Ada Lovelace", dob=datetime.date(1960, 12, 9)
    )
    response = clinician_client.get(QUEUE)
    page = response.content.decode()
    # Named by the MRN on its own page; on the worklist the MRN column names it, once.
    assert patient_name(imported) == "MRN MRN-4411"
    assert '<td class="field-patient">No name given</td>' in page
    assert "MRN MRN-4411" not in page
    # Counted in the clinician's words, not the model's ("2 screenings").
    assert "2 rows on the worklist" in page and " screenings" not in page
    assert '<th scope="col" class="sortable column-mrn">' in page
    assert '<td class="field-mrn">MRN-4411</td>' in page
    assert f'<td class="field-age">{age(named)}</td>' in page
    assert '<td class="field-age">-</td>' in page


def test_a_patients_check_ins_are_one_row_newest_first(clinician, clinician_client):
    first = make_first_visit()
    make_intake(MISUSE_CASE, reference="someone-else", days_ago=1)
    _, _, check_ins = follow_up_with_check_ins(
        clinician, first, [STEADY_CHECK_IN, STEADY_CHECK_IN, WITHDRAWAL_CHECK_IN]
    )
    waiting = Screening.objects.needing_review().filter(intake__patient=first.patient)
    assert waiting.count() >= 3
    response = clinician_client.get(QUEUE)
    rows = response.context["cl"].result_list
    # Two patients, two rows; the urgent check-in puts its patient first.
    assert queue_references(response) == ["clinic-7", "someone-else"]
    top = rows[0]
    assert top.intake == check_ins[-1]
    assert [item.intake for item in top.items] == sorted(
        [item.intake for item in top.items], key=lambda intake: intake.submitted_at, reverse=True
    )
    assert len(top.items) == waiting.filter(is_reviewed=False).count()
    page = response.content.decode()
    assert page.count('<ol class="oih-patient-items">') == 1
    assert "Check-in, " in page and "First visit, " in page
    assert top.items[0].intake.kind == Intake.Kind.CHECK_IN


def test_the_worklist_counts_unreviewed_items_per_priority(clinician_client):
    make_intake(FLAG_CASE, reference="a")
    make_intake(FLAG_CASE, reference="b")
    make_intake(MISUSE_CASE, reference="c")
    response = clinician_client.get(QUEUE)
    counts = {priority.label: count for priority, count in response.context["priority_counts"]}
    assert counts == {"Urgent": 0, "OIH flag": 2, "Warning": 1, "Borderline": 0}
    assert "OIH flag: <strong>2</strong>" in response.content.decode()


def test_after_the_second_factor_the_clinician_lands_on_the_worklist():
    clinician = make_staff("clinician", "Clinicians")
    client = Client()
    client.post(reverse("admin:login"), {"username": "clinician", "password": TEST_PASSWORD})
    client.get("/admin/two-factor/")
    response = client.post(
        "/admin/two-factor/", {"otp_token": current_totp(clinician), "next": "/admin/"}
    )
    assert response["Location"] == QUEUE


def test_the_index_names_the_worklist(clinician):
    client = login_staff(Client(), clinician)
    page = client.get(reverse("admin:index")).content.decode()
    assert ">Worklist</a>" in page
    assert ">Screenings</a>" not in page

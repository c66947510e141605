"""The intake page's cards and evidence in plain words (issue 24): one card per problem, no
heading that contradicts the MME row, "Not sure" and "Not asked" where they apply, durations
under a month in days, a return to use for a patient in OUD care, and the check-in link's
email in the patient's language."""

import datetime
import re

import pytest
from procrastinate.contrib.django.models import ProcrastinateJob

from intake.review.flag_card import evidence_rows
from intake.review.follow_up import start_follow_up
from tests.intake.checkin.helpers import make_first_visit
from tests.intake.review.helpers import (
    FLAG_CASE,
    IMPLAUSIBLE_DOSE_ONLY,
    UNIT_ERROR_CASE,
    intake_url,
    make_alert_only,
    make_intake,
)

pytestmark = pytest.mark.django_db


def card_headings(page):
    return re.findall(r'<h2 id="alert-\d+-title" class="oih-card-summary">([^<]*)</h2>', page)


def test_mme_not_computable_and_data_quality_make_one_card(clinician_client):
    page = clinician_client.get(intake_url(make_intake(UNIT_ERROR_CASE))).content.decode()
    assert card_headings(page) == ["MME not computed: check the medicines entered"]
    assert "Check the entered data" in page


def test_an_implausible_total_has_one_card_and_its_row_does_not_say_yes(clinician_client):
    intake = make_alert_only(IMPLAUSIBLE_DOSE_ONLY)
    response = clinician_client.get(intake_url(intake))
    page = response.content.decode()
    assert card_headings(page) == ["MME 1,950/day: check the entered dose"]
    assert [row["note"] for row in response.context["medicines"]["rows"]] == [
        "Counted, but the total passes 1,000 MME/day: check the entered dose"
    ]


@pytest.mark.parametrize(
    ("evidence", "expected"),
    [
        (
            {"new_injury_or_disease_progression.present": None},
            [("New injury or disease progression", "Not sure")],
        ),
        (
            {"new_injury_or_disease_progression.present": True},
            [("New injury or disease progression", "Yes")],
        ),
        ({"months_since_stopped": 0.3}, [("Stopped how long ago", "about 9 days")]),
        ({"months_since_stopped": 0.03}, [("Stopped how long ago", "about 1 day")]),
        ({"months_since_stopped": 4}, [("Stopped how long ago", "4 months")]),
        ({"months_on_opioids": 1}, [("How long on opioids", "1 month")]),
    ],
)
def test_evidence_reads_in_the_forms_words(evidence, expected):
    assert evidence_rows(evidence) == expected


def test_questions_the_form_did_not_ask_read_not_asked(clinician_client):
    intake = make_intake(
        FLAG_CASE, weeks_since_last_dose_change=None, dose_change_last_6_months="stable"
    )
    page = clinician_client.get(intake_url(intake)).content.decode()
    rows = dict(
        re.findall(r'<th scope="row">([^<]*)</th><td>(?:<span class="oih-muted">)?([^<]*)', page)
    )
    assert rows["Stopped how long ago"] == "Not asked"
    assert rows["Last dose change"] == "Not asked"
    assert rows["About it"] == "Not asked"


def test_non_prescribed_opioids_in_oud_care_say_possible_return_to_use(clinician_client):
    intake = make_alert_only(
        {"known_opioid_use_disorder": True, "signs_of_misuse": ["using_opioids_from_other_sources"]}
    )
    page = clinician_client.get(intake_url(intake)).content.decode()
    assert "Possible return to use: contact the OUD treatment team" in card_headings(page)
    assert "consider an OUD assessment" not in page
    first_assessment = make_alert_only({"signs_of_misuse": ["using_opioids_from_other_sources"]})
    page = clinician_client.get(intake_url(first_assessment)).content.decode()
    assert "Misuse signals: OUD assessment" in card_headings(page)


def test_the_check_in_link_email_is_in_the_patients_language(clinician, empty_job_queue):
    first = make_first_visit()
    first.language = "es"
    first.save(update_fields=["language"])
    plan = {
        "every_weeks": 2,
        "for_weeks": 12,
        "planned_dose_change": "",
        "planned_dose_change_on": None,
    }
    start_follow_up(first, clinician, plan, email_to=first.email)
    job = ProcrastinateJob.objects.get(task_name="send_email")
    assert job.args["subject"] == "Su enlace de control de la clínica del dolor"
    body = job.args["body"]
    assert body.startswith("Su equipo de atención le pidió que haga un control cada 2 semanas.")
    assert "Su enlace privado: " in body
    assert "No comparta este enlace." in body
    ends = (datetime.date.today() + datetime.timedelta(weeks=13)).year
    assert str(ends) in body


def test_an_english_patient_gets_it_in_english(clinician, empty_job_queue):
    first = make_first_visit()
    plan = {
        "every_weeks": 1,
        "for_weeks": 4,
        "planned_dose_change": "",
        "planned_dose_change_on": None,
    }
    start_follow_up(first, clinician, plan, email_to=first.email)
    job = ProcrastinateJob.objects.get(task_name="send_email")
    assert job.args["subject"] == "Your check-in link from the pain clinic"
    assert job.args["body"].startswith("Your care team asked you to check in every week.")

"""Email around check-ins, on a real SMTP server on loopback: the patient's link (only when
they agreed), and the urgent alert a check-in in the withdrawal window raises at once. And
the link's token never reaches the access log."""

import datetime
import runpy
from pathlib import Path

import pytest
from django.urls import reverse

from intake.models import Intake
from intake.review.follow_up import start_follow_up
from tests.helpers import mentions, without_patient_codes
from tests.intake.checkin.helpers import (
    WITHDRAWAL_CHECK_IN,
    make_first_visit,
    send_check_in,
    travel,
)
from tests.smtp import run_jobs

ON_DUTY = ["on-duty@clinic.example.org"]
SITE_URL = "https://clinic.example.org"
GUNICORN_CONF = Path(__file__).resolve().parents[3] / "oih_site" / "gunicorn.conf.py"
PLAN = {
    "every_weeks": 2,
    "for_weeks": 12,
    "planned_dose_change": "decrease",
}


@pytest.fixture(autouse=True)
def on_duty(settings):
    settings.URGENT_ALERT_EMAILS = ON_DUTY
    settings.SITE_URL = SITE_URL


@pytest.mark.django_db(transaction=True)
def test_the_patient_gets_the_link_and_the_clinicians_the_urgent_alert(
    clinician, smtp_server, empty_job_queue
):
    first = make_first_visit()
    follow_up, token = start_follow_up(
        first,
        clinician,
        {**PLAN, "planned_dose_change_on": datetime.date.today() + datetime.timedelta(days=7)},
        email_to=first.email,
    )
    run_jobs()
    [link_message] = smtp_server.messages
    assert smtp_server.recipients == [["mary@example.org"]]
    assert f"{SITE_URL}/intake/check-in/link/{token}/" in link_message.get_content()
    for clinical in ("MME", "flag", "morphine", "withdrawal"):
        assert not mentions(without_patient_codes(link_message.get_content()), clinical)

    travel(first.patient, 14)
    follow_up.refresh_from_db()
    sent = send_check_in(follow_up, WITHDRAWAL_CHECK_IN)
    run_jobs()
    urgent = smtp_server.messages[1]
    assert smtp_server.recipients[1] == ON_DUTY
    assert urgent["Subject"] == "Urgent item waiting for review"
    assert SITE_URL + reverse("admin:intake_intake_change", args=[sent.pk]) in (
        urgent.get_content()
    )
    assert Intake.objects.get(pk=sent.pk).kind == "check_in"


def test_the_check_in_link_is_cut_from_the_access_log():
    loggable_path = runpy.run_path(str(GUNICORN_CONF))["loggable_path"]
    assert loggable_path("/intake/check-in/link/s3cr3t-token/") == ("/intake/check-in/link/[token]")
    assert loggable_path("/intake/check-in/pain/") == "/intake/check-in/pain/"

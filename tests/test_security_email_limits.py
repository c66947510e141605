"""Emails a patient's page sends are limited per intake, per address and per client (issue
23, finding 6), and an address must be one a mail server on the internet can take.
"""

import pytest
from django.test import Client
from procrastinate.contrib.django.models import ProcrastinateJob

from intake.models import Intake
from tests.intake.journey import VALID_ANSWERS, fill_all_steps, post, start, submit

pytestmark = pytest.mark.django_db
EMAIL = "rosa@example.com"
ALREADY_SENT = "We have sent this email already"


@pytest.fixture(autouse=True)
def limits(settings):
    settings.PATIENT_EMAILS_PER_INTAKE = 3
    settings.PATIENT_EMAILS_PER_ADDRESS = 5
    settings.PATIENT_EMAILS_PER_CLIENT = 8


def emails_queued(to=None):
    jobs = ProcrastinateJob.objects.filter(task_name="send_email")
    if to is not None:
        jobs = [job for job in jobs if job.args["to"] == [to]]
    return len(jobs)


def about_you(client, email=EMAIL):
    start(client)
    response = post(client, "/intake/about-you/", {**VALID_ANSWERS["about-you"], "email": email})
    assert response.status_code == 302
    return response


def test_the_resume_link_is_emailed_at_most_three_times_for_an_intake(client, clock):
    before = emails_queued()
    about_you(client)
    for minute in range(25):
        # A minute and more apart: taps closer than that are one double tap, one email.
        clock(minute * 1.1)
        response = client.post("/intake/save/?from=medicines", {"action": "email_link"})
        assert response.status_code == 302
    assert emails_queued() - before == 3
    page = client.get(response.url).content.decode()
    assert ALREADY_SENT in page


def test_the_confirmation_is_emailed_at_most_three_times_for_an_intake(client, clock):
    before = emails_queued()
    fill_all_steps(client, {"about-you": {**VALID_ANSWERS["about-you"], "email": EMAIL}})
    submit(client)
    for minute in range(25):
        clock(minute * 1.1)
        client.post("/intake/done/", {"action": "email_confirmation"})
    assert emails_queued() - before == 3


def test_one_address_gets_at_most_five_emails_from_many_intakes():
    before = emails_queued(EMAIL)
    for number in range(8):
        client = Client(REMOTE_ADDR=f"198.51.100.{number}")
        about_you(client)
        client.post("/intake/save/?from=medicines", {"action": "email_link"})
    assert emails_queued(EMAIL) - before == 5


def test_one_client_sends_at_most_eight_emails_to_many_addresses():
    before = emails_queued()
    for number in range(12):
        client = Client(REMOTE_ADDR="198.51.100.77")
        about_you(client, email=f"person{number}@example.com")
        client.post("/intake/save/?from=medicines", {"action": "email_link"})
    assert emails_queued() - before == 8


@pytest.mark.parametrize(
    "email", ["x@[127.0.0.1]", "x@[IPv6:::1]", "x@localhost", "x@intranet", "x@127.0.0.1"]
)
def test_an_address_no_internet_mail_server_takes_is_refused_at_the_field(client, email):
    start(client)
    response = post(client, "/intake/about-you/", {**VALID_ANSWERS["about-you"], "email": email})
    assert response.status_code == 200
    assert "Enter an email address like name@example.com." in response.content.decode()
    assert Intake.objects.get().email == ""

"""Hand-offs with a note that reaches the colleague, follow-ups with a due date that rise
when due, and urgent items escalated when nobody reviews them in time (issue 24)."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone
from procrastinate.contrib.django.models import ProcrastinateJob

from intake.models import Screening
from intake.review.recording import record_review
from tests.helpers import make_staff
from tests.intake.review.helpers import (
    FLAG_CASE,
    MISUSE_CASE,
    NO_DOSE_RESPONSE_CASE,
    QUEUE,
    URGENT_ONLY,
    intake_url,
    make_alert_only,
    make_intake,
    messages_of,
    queue_references,
    screening_of,
)
from tests.smtp import run_jobs

ON_DUTY = ["duty@clinic.example.org"]
SITE_URL = "https://clinic.example.org"


@pytest.fixture(autouse=True)
def duty_list(settings):
    settings.URGENT_ALERT_EMAILS = ON_DUTY
    settings.SITE_URL = SITE_URL
    settings.URGENT_ESCALATION_MINUTES = 60


@pytest.mark.django_db(transaction=True)
def test_an_assignment_with_a_note_emails_the_colleague_a_link(
    clinician_client, clinician, smtp_server, empty_job_queue
):
    colleague = make_staff("grace", "Clinicians", email="grace@clinic.example.org")
    intake = make_intake(FLAG_CASE, reference="clinic-9", name="Ada Lovelace")
    response = clinician_client.post(
        intake_url(intake),
        {
            "intent": "assign",
            "assigned_to": colleague.pk,
            "handoff_note": "Ada Lovelace: please call her about the patch today.",
        },
    )
    assert messages_of(response) == [
        f"{intake.reference} is assigned to grace. grace gets an email with a link."
    ]
    screening = screening_of(intake)
    assert (
        screening.assigned_to,
        screening.assigned_by,
        screening.handoff_note,
    ) == (colleague, clinician, "Ada Lovelace: please call her about the patch today.")
    page = clinician_client.get(intake_url(intake)).content.decode()
    assert "Hand-off note: “Ada Lovelace: please call her about the patch today.”" in page
    run_jobs()
    [message] = smtp_server.messages
    assert smtp_server.recipients == [["grace@clinic.example.org"]]
    assert message["Subject"] == "An item was handed to you"
    body = message.get_content()
    assert f"{SITE_URL}{intake_url(intake)}" in body
    # The note may name the patient: it stays on the signed-in page.
    assert "Ada" not in body and "patch" not in body


@pytest.mark.django_db
def test_assigning_to_nobody_or_oneself_sends_nothing(clinician, empty_job_queue):
    from intake.review.recording import assign

    screening = screening_of(make_intake(FLAG_CASE))
    assert assign(screening, clinician, by=clinician, note="mine") is None
    assert assign(screening, None, by=clinician) is None
    assert ProcrastinateJob.objects.count() == 0
    screening.refresh_from_db()
    assert (screening.assigned_to, screening.handoff_note) == (None, "")


@pytest.mark.django_db
def test_a_follow_up_due_today_rises_above_reviewed_items(clinician, clinician_client):
    later = make_intake(FLAG_CASE, reference="due-later", days_ago=20)
    due = make_intake(FLAG_CASE, reference="due-now", days_ago=10)
    make_intake(NO_DOSE_RESPONSE_CASE, reference="unreviewed", days_ago=1)
    today = timezone.localdate()
    record_review(
        screening_of(later),
        clinician,
        "follow_up",
        follow_up_due=today + datetime.timedelta(days=3),
    )
    record_review(screening_of(due), clinician, "follow_up", follow_up_due=today)
    response = clinician_client.get(QUEUE)
    # The flag now due stands with the unreviewed items, by priority; the other waits.
    assert queue_references(response) == ["due-now", "unreviewed", "due-later"]
    page = response.content.decode()
    assert f"follow up by {today:%-d %b %Y} now due" in page


@pytest.mark.django_db
def test_needs_follow_up_without_a_date_comes_back_in_two_weeks(clinician):
    review = record_review(screening_of(make_intake(FLAG_CASE)), clinician, "follow_up")
    assert review.follow_up_due == timezone.localdate() + datetime.timedelta(days=14)
    accepted = record_review(
        screening_of(make_intake(FLAG_CASE)),
        clinician,
        "accept",
        follow_up_due=timezone.localdate(),
    )
    assert accepted.follow_up_due is None


@pytest.mark.django_db(transaction=True)
def test_an_unreviewed_urgent_item_is_sent_again_after_the_set_time(
    clinician, clinician_client, smtp_server, empty_job_queue
):
    old = make_alert_only(URGENT_ONLY, reference="urgent-old")
    fresh = make_alert_only(URGENT_ONLY, reference="urgent-fresh")
    reviewed = make_alert_only(URGENT_ONLY, reference="urgent-reviewed")
    make_intake(MISUSE_CASE, reference="warning-old", days_ago=1)
    two_hours_ago = timezone.now() - datetime.timedelta(hours=2, minutes=5)
    for intake in (old, reviewed):
        Screening.objects.filter(intake=intake).update(intake_submitted_at=two_hours_ago)
        type(intake).objects.filter(pk=intake.pk).update(submitted_at=two_hours_ago)
    record_review(screening_of(reviewed), clinician, action="contacted_patient")
    ProcrastinateJob.objects.all().delete()  # the first urgent emails, sent on arrival

    out = io.StringIO()
    call_command("escalate_urgent", stdout=out)
    assert out.getvalue() == "1 urgent item(s) sent to the duty list again.\n"
    assert [s.intake for s in Screening.objects.exclude(escalated_at=None)] == [old]
    call_command("escalate_urgent", stdout=io.StringIO())  # once only
    run_jobs()
    [message] = smtp_server.messages
    assert smtp_server.recipients == [ON_DUTY]
    assert message["Subject"] == "Still waiting: urgent item not yet reviewed"
    body = message.get_content()
    assert "has waited 2 h 5 min without a clinician's review" in body
    assert f"{SITE_URL}{intake_url(old)}" in body
    assert screening_of(fresh).escalated_at is None

    row = clinician_client.get(QUEUE).content.decode()
    assert "waiting 2 h 5 min" in row
    assert "Sent again to the duty list" in row

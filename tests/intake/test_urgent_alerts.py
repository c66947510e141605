"""The urgent-alert email (issue 10): queued with the screening, sent by the worker.

Intakes go through the real write path: the web form (`tests/intake/journey.py`) or
`import_document`. Email arrives on a real SMTP server on loopback (`tests/smtp.py`).
"""

import datetime
import json
import logging
from pathlib import Path

import psycopg
import pytest
from django.db import connection, transaction
from django.urls import reverse
from procrastinate.contrib.django.models import ProcrastinateJob

from intake.exchange.imports import import_document
from intake.models import Intake, Screening
from intake.rescreening import rescreen
from tests.intake.journey import QUESTION_PAGES, VALID_ANSWERS, add_medicine, start, submit
from tests.smtp import run_jobs

CASES = Path(__file__).resolve().parent.parent / "cases"
ON_DUTY = ["on-duty@clinic.example.org", "second@clinic.example.org"]
SITE_URL = "https://clinic.example.org"
# A dose cut two weeks ago, pain worse since, with withdrawal symptoms, at 30 MME/day:
# the urgent alert and nothing else.
URGENT_ONLY = {
    "dose_change_last_6_months": "decreased",
    "weeks_since_last_dose_change": 2,
    "pain_when_dose_decreased": "worse",
    "withdrawal_symptoms_between_doses": ["sweating", "diarrhoea"],
}


@pytest.fixture(autouse=True)
def clinicians_on_duty(settings):
    settings.URGENT_ALERT_EMAILS = ON_DUTY
    settings.SITE_URL = SITE_URL


def urgent_only_document(reference="urgent-1"):
    document = json.loads((CASES / "pub-02-tolerance-morphine.json").read_text())
    document.update(URGENT_ONLY, reference=reference)
    document["opioids"][0]["daily_dose"] = 30
    return document


def email_jobs():
    return list(ProcrastinateJob.objects.filter(task_name="send_email").order_by("id"))


def link_to(intake):
    return SITE_URL + reverse("admin:intake_intake_change", args=[intake.pk])


def submit_urgent_through_the_web_form(client):
    answers = {
        **VALID_ANSWERS,
        "dose-change": {"dose_change_last_6_months": "decreased"},
        "dose-change-weeks": {"dose_change_ago": "2", "dose_change_ago_unit": "weeks"},
        "dose-changes": {"pain_when_dose_increased": "not_tried"},
        "dose-down": {"pain_when_dose_decreased": "worse"},
        "between-doses": {
            "pain_between_doses_or_missed_dose": "no_change",
            "withdrawal_symptoms_between_doses": ["sweating", "diarrhoea"],
        },
        "pain-map": {"current_pain_sites": ["lower_back"]},
        "pain-details": {"pain_score_now": "6"},
        "new-pain": {"new_pain_qualities": []},
    }
    start(client)
    assert client.post("/intake/about-you/", answers["about-you"]).status_code == 302
    # Norco 5 mg/325 mg four times a day: 20 mg hydrocodone, 20 MME/day, under every alert.
    assert add_medicine(client, strength="5 mg/325 mg", times_per_day="4").status_code == 302
    assert client.post("/intake/medicines/", {"action": "continue"}).status_code == 302
    for slug in QUESTION_PAGES:
        assert client.post(f"/intake/{slug}/", answers[slug]).status_code == 302, slug
    assert submit(client).status_code == 302
    return Intake.objects.submitted().get()


@pytest.mark.django_db
def test_an_urgent_only_intake_queues_one_email_to_the_clinicians_on_duty(empty_job_queue):
    intake = import_document(urgent_only_document())

    screening = intake.screenings.get(is_current=True)
    assert (screening.level, screening.alert_codes) == ("none", ["withdrawal_after_dose_cut"])
    [job] = email_jobs()
    assert (job.status, job.queue_name) == ("todo", "default")
    assert job.args["to"] == ON_DUTY
    assert job.args["subject"] == "Urgent item waiting for review"
    assert link_to(intake) in job.args["body"]


@pytest.mark.django_db
def test_an_intake_without_an_urgent_alert_queues_no_email(empty_job_queue):
    document = json.loads((CASES / "pub-01-oih-hydrocodone.json").read_text())

    intake = import_document(document)

    assert intake.screenings.get(is_current=True).alert_codes == ["mme_ge_50"]
    assert email_jobs() == []


@pytest.mark.django_db
def test_a_rolled_back_submission_leaves_no_email_job(empty_job_queue):
    with pytest.raises(RuntimeError), transaction.atomic():
        import_document(urgent_only_document())
        assert len(email_jobs()) == 1
        raise RuntimeError("the submission fails after the screening is stored")

    assert email_jobs() == []
    assert not Intake.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_job_is_committed_with_the_submission_and_not_before(empty_job_queue):
    """The job is written through Django's connection, inside the submission's transaction."""
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    with psycopg.connect(**params, autocommit=True) as other:

        def jobs_seen_by_the_worker():
            return other.execute(
                "SELECT count(*) FROM procrastinate_jobs WHERE task_name = 'send_email'"
            ).fetchone()[0]

        with transaction.atomic():
            import_document(urgent_only_document())
            assert len(email_jobs()) == 1
            assert jobs_seen_by_the_worker() == 0
        assert jobs_seen_by_the_worker() == 1


@pytest.mark.django_db(transaction=True)
def test_the_worker_emails_the_link_and_no_patient_data(client, smtp_server, empty_job_queue):
    intake = submit_urgent_through_the_web_form(client)
    assert intake.screenings.get(is_current=True).alert_codes == ["withdrawal_after_dose_cut"]
    assert (intake.full_name, intake.date_of_birth) == (
        "Rosa Parks-Díaz",
        datetime.date(1971, 2, 4),
    )

    run_jobs()

    [message] = smtp_server.messages
    assert smtp_server.recipients == [ON_DUTY]
    assert message["Subject"] == "Urgent item waiting for review"
    text = message.get_content()
    assert link_to(intake) in text
    for patient_data in ("Rosa", "Parks", "1971", "sweating", "diarrhoea", "withdrawal", "mg"):
        assert patient_data not in text
    # Sent jobs are deleted: the message's text is not kept.
    assert email_jobs() == []


@pytest.mark.django_db(transaction=True)
def test_a_send_that_fails_is_logged_and_retried_and_the_intake_is_kept(
    smtp_server, empty_job_queue, caplog
):
    smtp_server.stop()
    intake = import_document(urgent_only_document())

    with caplog.at_level(logging.INFO):
        run_jobs()

    assert Intake.objects.submitted().get() == intake
    assert smtp_server.messages == []
    [job] = email_jobs()
    assert (job.status, job.attempts) == ("todo", 1)
    assert job.scheduled_at > datetime.datetime.now(datetime.UTC)
    failures = [r for r in caplog.records if r.name == "oih_site.tasks"]
    assert [r.getMessage() for r in failures] == [
        f"Email job {job.id} not sent (attempt 1): ConnectionRefusedError"
    ]
    retry_logs = [r for r in caplog.records if getattr(r, "action", "") == "job_error_retry"]
    assert len(retry_logs) == 1
    logged = "\n".join(caplog.messages)
    assert ON_DUTY[0] not in logged and "urgent item" not in logged.lower()

    # The server is back, and the retry comes due.
    smtp_server.start()
    ProcrastinateJob.objects.filter(pk=job.pk).update(scheduled_at=None)
    run_jobs()

    [message] = smtp_server.messages
    assert link_to(intake) in message.get_content()
    assert email_jobs() == []


@pytest.mark.django_db
def test_rescreening_emails_only_for_an_urgent_alert_that_is_new(empty_job_queue):
    had_it = import_document(urgent_only_document("urgent-before"))
    gains_it = import_document(urgent_only_document("urgent-new"))
    ProcrastinateJob.objects.all().delete()
    # As stored under earlier rules: the first had the alert, the second did not.
    Screening.objects.filter(intake=had_it).update(rules_version="2025.1")
    old = Screening.objects.get(intake=gains_it)
    old.result = {**old.result, "alerts": []}
    old.alert_codes = []
    old.save()

    run = rescreen(apply=True)

    assert run.changed == 2
    [job] = email_jobs()
    assert link_to(gains_it) in job.args["body"]
    assert link_to(had_it) not in job.args["body"]


@pytest.mark.django_db
def test_no_one_on_duty_queues_nothing_and_says_so(settings, empty_job_queue, caplog):
    settings.URGENT_ALERT_EMAILS = []

    with caplog.at_level(logging.WARNING):
        import_document(urgent_only_document())

    assert email_jobs() == []
    assert "DJANGO_URGENT_ALERT_EMAILS names no one to tell" in caplog.text


def test_the_write_path_announces_stored_screenings_and_imports_nothing_of_the_clinicians_side():
    """The urgent email hangs off the `screenings_stored` signal: the modules that store
    screenings (submission, rescreen, correction, confirmed match) do not call it."""
    import ast
    from pathlib import Path

    import intake

    root = Path(intake.__file__).parent
    for name in ("submission.py", "rescreening.py", "patient_matching.py", "check_ins.py"):
        tree = ast.parse((root / name).read_text())
        imported = [
            node.module if isinstance(node, ast.ImportFrom) else alias.name
            for node in ast.walk(tree)
            if isinstance(node, ast.Import | ast.ImportFrom)
            for alias in node.names
        ]
        assert not [m for m in imported if m and m.startswith("intake.review")], name

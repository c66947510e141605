"""The generic email task: queued with `queue_email`, sent by the worker, logged without data."""

import logging

import attr
import pytest
from django.utils import timezone
from procrastinate.contrib.django.models import ProcrastinateJob
from procrastinate.jobs import Job

from oih_site.log_filters import HideJobArguments
from oih_site.tasks import EMAIL_RETRY, EmailNotSent, queue_email
from tests.smtp import run_jobs


@pytest.mark.django_db(transaction=True)
def test_a_queued_email_is_sent_by_the_worker(settings, smtp_server, empty_job_queue):
    settings.DEFAULT_FROM_EMAIL = "clinic@clinic.example.org"

    job_id = queue_email(subject="Your form arrived", body="Thank you.", to=["pat@example.org"])
    assert ProcrastinateJob.objects.get(pk=job_id).status == "todo"
    run_jobs()

    [message] = smtp_server.messages
    assert smtp_server.recipients == [["pat@example.org"]]
    assert (message["From"], message["To"], message["Subject"]) == (
        "clinic@clinic.example.org",
        "pat@example.org",
        "Your form arrived",
    )
    assert message.get_content().strip() == "Thank you."
    assert not ProcrastinateJob.objects.filter(pk=job_id).exists()


def retry_wait(attempts, exception):
    job = Job(id=1, queue="default", lock=None, queueing_lock=None, task_name="send_email")
    decision = EMAIL_RETRY.get_retry_decision(
        exception=exception, job=attr.evolve(job, attempts=attempts)
    )
    return None if decision is None else decision.retry_at - timezone.now()


def test_a_failed_send_is_retried_12_times_with_doubling_waits():
    waits = [retry_wait(attempts, EmailNotSent()) for attempts in range(13)]

    assert [round(wait.total_seconds()) for wait in waits[:12]] == [2**n for n in range(1, 13)]
    assert waits[12] is None
    # About two and a quarter hours from the first failure to the last try.
    assert sum(round(wait.total_seconds()) for wait in waits[:12]) == 8190


def test_an_error_that_is_not_a_failed_send_is_not_retried():
    assert retry_wait(0, TypeError("a bug, not a mail server")) is None


def test_job_records_keep_only_the_task_name_and_id():
    job = {
        "id": 7,
        "task_name": "send_email",
        "task_kwargs": {"subject": "s", "body": "secret link", "to": ["pat@example.org"]},
        "call_string": "send_email[7](subject='s', body='secret link', to=['pat@example.org'])",
        "attempts": 1,
    }
    record = logging.LogRecord(
        "procrastinate.worker",
        logging.INFO,
        __file__,
        1,
        f"Starting job {job['call_string']}",
        None,
        None,
    )
    record.job = job

    assert HideJobArguments().filter(record) is True
    assert record.getMessage() == "Starting job send_email[7]"
    assert record.job == {"id": 7, "task_name": "send_email", "attempts": 1}


def test_the_console_log_hides_job_arguments():
    [console] = [h for h in logging.getLogger().handlers if type(h) is logging.StreamHandler]

    assert any(isinstance(f, HideJobArguments) for f in console.filters)

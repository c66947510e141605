"""A real SMTP server on loopback for tests that send email (aiosmtpd), and the job runner.

Loaded as a pytest plugin (`-p tests.smtp` in pyproject.toml), so its fixtures are everywhere.
Tests that run the worker need `transactional_db`: the worker reads committed jobs through
its own connection.
"""

import email
import email.policy
import socket
import threading

import pytest
from aiosmtpd.controller import Controller
from django.db import connection
from procrastinate.contrib.django import app


class LoopbackSMTP:
    """An SMTP server on 127.0.0.1 that keeps every message it receives, parsed.

    It keeps its port when stopped and started again, so a test can take it down and
    bring it back under the same settings.
    """

    def __init__(self):
        self.host = "127.0.0.1"
        self.port = _free_port()
        self.messages = []
        self.recipients = []
        self._controller = None

    async def handle_DATA(self, server, session, envelope):
        self.recipients.append(list(envelope.rcpt_tos))
        self.messages.append(
            email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        )
        return "250 Message accepted for delivery"

    def start(self):
        self._controller = Controller(self, hostname=self.host, port=self.port)
        self._controller.start()

    def stop(self):
        if self._controller:
            self._controller.stop()
            self._controller = None


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server(settings):
    """A running loopback SMTP server, with Django's email settings pointing at it."""
    server = LoopbackSMTP()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = server.host
    settings.EMAIL_PORT = server.port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_TIMEOUT = 5
    server.start()
    yield server
    server.stop()


@pytest.fixture
def empty_job_queue():
    """No job left from another test: the queue's tables are not emptied by a flush."""
    _delete_jobs()
    yield
    _delete_jobs()


def _delete_jobs():
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM procrastinate_jobs")


def run_jobs():
    """Run every job that is due, as `manage.py procrastinate worker --one-shot` does.

    In a thread of its own, with its own event loop: the browser tests leave one running in
    the main thread.
    """
    errors = []

    def work():
        try:
            with app.replace_connector(app.connector.get_worker_connector()):
                app.run_worker(wait=False, install_signal_handlers=False, listen_notify=False)
        except BaseException as error:
            errors.append(error)

    worker = threading.Thread(target=work, name="test-worker")
    worker.start()
    worker.join(timeout=60)
    assert not worker.is_alive(), "the worker did not finish the due jobs within 60 s"
    if errors:
        raise errors[0]

"""No patient data in the logs, even with every logger at DEBUG."""

import logging

import pytest

from tests.intake.journey import fill_all_steps, submit

pytestmark = pytest.mark.django_db


def test_a_full_journey_logged_at_debug_leaks_no_patient_answer(client, caplog, settings):
    settings.DEBUG = True  # the setting under which Django would log SQL with its parameters
    # Through caplog, so that each logger's level is put back after the test: left at DEBUG
    # they changed later tests in the same worker (a page counted two more queries, on the
    # admin log, in a query-count test that ran after this one).
    caplog.set_level(logging.DEBUG)
    for name in ("django", "django.request", "django.db.backends", "intake", "education"):
        caplog.set_level(logging.DEBUG, logger=name)
    fill_all_steps(client)
    submit(client)
    client.get("/intake/done/")
    client.get("/intake/no-such-step/")
    logged = caplog.text
    assert "Not Found: /intake/no-such-step/" in logged, "the capture does see the logs"
    for secret in ("Rosa Parks", "1971-02-04", "lower_back", "allodynia", "hydrocodone", "Parks-D"):
        assert secret not in logged

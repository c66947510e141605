"""The access log (issue 24): a list records which patients it showed, and a page that fails
to render (a 500) writes no row, since nobody saw it."""

import pytest
from django.test import Client
from django.urls import reverse

from intake.models import AccessLog, Intake
from intake.review import queue
from tests.helpers import login_staff
from tests.intake.review.helpers import (
    FLAG_CASE,
    MISUSE_CASE,
    QUEUE,
    intake_url,
    make_intake,
)

pytestmark = pytest.mark.django_db


def test_the_worklist_records_the_patients_it_showed(clinician_client):
    first = make_intake(FLAG_CASE, reference="clinic-1")
    second = make_intake(MISUSE_CASE, reference="clinic-2")
    clinician_client.get(QUEUE)
    row = AccessLog.objects.get(what="list")
    assert row.record_count == 2
    assert sorted(row.patients_shown) == sorted([first.patient_id, second.patient_id])


@pytest.mark.parametrize(
    "list_name",
    ["admin:intake_intake_changelist", "admin:intake_patient_changelist"],
)
def test_the_other_lists_record_their_patients(clinician_client, list_name):
    shown = make_intake(FLAG_CASE, reference="clinic-3")
    clinician_client.get(reverse(list_name))
    assert AccessLog.objects.get(what="list").patients_shown == [shown.patient_id]


@pytest.fixture
def failing_client(clinician):
    client = Client(raise_request_exception=False)
    return login_staff(client, clinician)


def test_a_worklist_that_fails_to_render_writes_no_row(failing_client, monkeypatch):
    make_intake(FLAG_CASE)

    def broken(self, screening):
        raise RuntimeError("a bug while rendering a row")

    monkeypatch.setattr(queue.ScreeningAdmin, "needs_a_look", broken)
    assert failing_client.get(QUEUE).status_code == 500
    assert AccessLog.objects.count() == 0


def test_an_intake_page_that_fails_to_render_writes_no_row(failing_client, monkeypatch):
    intake = make_intake(FLAG_CASE)

    def broken(self):
        raise RuntimeError("a bug while rendering the page")

    monkeypatch.setattr(Intake, "get_language_display", broken)
    assert failing_client.get(intake_url(intake)).status_code == 500
    assert AccessLog.objects.count() == 0
    monkeypatch.undo()
    assert failing_client.get(intake_url(intake)).status_code == 200
    assert AccessLog.objects.get().intake == intake

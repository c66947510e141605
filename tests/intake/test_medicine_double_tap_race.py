"""The second of a double tap on "Add this medicine" is the same form, never "already added":
even when the first is stored between the second's two looks (its form token, then the list).
Two real database connections; the order is forced, so the test fails the same way every time
if the second post is not made to wait for the first."""

import threading
import uuid

import pytest
from django.db import connection, transaction
from django.http import QueryDict

from intake.journey import medicine_form
from intake.journey.medicine_form import MedicineForm
from intake.models import Intake, IntakeMedicine
from tests.intake.journey import VALID_MEDICINE

pytestmark = pytest.mark.django_db(transaction=True)


def complete_form(token):
    data = QueryDict(mutable=True)
    data.update({**VALID_MEDICINE, "form_token": str(token)})
    form = MedicineForm(data)
    assert form.is_valid(), form.errors
    assert form.is_complete()
    return form


def test_the_second_tap_finds_the_first_when_it_is_stored_between_its_two_looks(monkeypatch):
    intake = Intake.objects.create()
    token = uuid.uuid4()
    first_inside = threading.Event()
    second_looked_at_the_token = threading.Event()
    first_done = threading.Event()

    def first_tap():
        """Stores the form as the first post does, and commits only once the second has
        looked for its token (or after a second, when the second is made to wait)."""
        try:
            with transaction.atomic():
                Intake.objects.select_for_update().get(pk=intake.pk)
                complete_form(token).save(Intake.objects.get(pk=intake.pk))
                first_inside.set()
                second_looked_at_the_token.wait(timeout=1)
        finally:
            connection.close()
            first_done.set()

    looked = MedicineForm.repeats_a_listed_medicine

    def the_second_looks_at_the_list(self, *args, **kwargs):
        # The second has found no token: let the first commit before it reads the list.
        second_looked_at_the_token.set()
        first_done.wait(timeout=5)
        return looked(self, *args, **kwargs)

    thread = threading.Thread(target=first_tap)
    thread.start()
    assert first_inside.wait(timeout=5)
    monkeypatch.setattr(
        medicine_form.MedicineForm, "repeats_a_listed_medicine", the_second_looks_at_the_list
    )
    second = complete_form(token)
    medicine, added = second.save(intake)
    thread.join(timeout=5)

    assert second.errors == {}
    assert added is False
    assert medicine is not None and medicine.form_token == token
    assert IntakeMedicine.objects.filter(intake=intake).count() == 1

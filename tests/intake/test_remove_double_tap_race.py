"""The second of a double tap on "Remove" keeps the first's offer to put the medicine back.

Seen once under load: after a double tap the list had lost the medicine with no "Medicine
removed." and no Undo. Both posts read the patient's session before the first saved it; the
second, finding nothing left to remove, saved the session as it had read it (every request
saves it: the idle timer), over the first's undo. Here the two posts' sessions are two stores
of one session read at the same moment, saved in the order a double tap saves them."""

import pytest
from django.contrib.sessions.backends.db import SessionStore

from intake.journey.medicine_form import remove_keeping_undo, removed_medicine_name
from intake.models import Intake, IntakeMedicine

pytestmark = pytest.mark.django_db


def session_read_by_a_post(key):
    session = SessionStore(key)
    session.get("intake_id")  # read now, as the post's first look reads it
    return session


def listed(intake, name):
    return IntakeMedicine.objects.create(
        intake=intake, name=name, formulation="immediate_release", daily_dose=20, purpose="pain"
    )


def test_the_second_tap_keeps_the_undo_the_first_tap_saved():
    intake = Intake.objects.create()
    medicine = listed(intake, "hydrocodone")
    opened = SessionStore()
    opened["intake_id"] = intake.pk
    opened.create()
    first, second = (
        session_read_by_a_post(opened.session_key),
        session_read_by_a_post(opened.session_key),
    )

    assert remove_keeping_undo(first, intake, medicine.pk) is True
    first.save()
    # The second finds the medicine gone: it removes nothing (no second "Medicine removed.")
    # and keeps the first's undo.
    assert remove_keeping_undo(second, intake, medicine.pk) is False
    second["last_seen"] = "now"  # the idle timer's write, which saves the whole session
    second.save()

    shown = SessionStore(opened.session_key)
    assert removed_medicine_name(shown, intake) != ""
    assert not IntakeMedicine.objects.filter(intake=intake).exists()


def test_a_remove_of_a_medicine_gone_long_ago_offers_no_other_medicines_undo():
    intake = Intake.objects.create()
    gone, other = listed(intake, "morphine"), listed(intake, "oxycodone")
    session = SessionStore()
    session.create()
    assert remove_keeping_undo(session, intake, gone.pk) is True
    assert remove_keeping_undo(session, intake, other.pk) is True
    session.save()
    # A page from before both (Back) sends Remove for the first again: nothing to remove, and
    # the undo on offer stays the second's.
    again = SessionStore(session.session_key)
    assert remove_keeping_undo(again, intake, gone.pk) is False
    assert "xycodone" in removed_medicine_name(again, intake)

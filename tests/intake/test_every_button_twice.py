"""Every patient submit button sent twice, as a double tap sends it: the second post carries the
cookies the browser had before the first answered, and its answer is the page the patient sees.
That page must be the one a single tap shows, and what the button stores is stored once.

The browser tests (test_back_and_double_tap_browser.py) tap Start, Continue, Add, Send and
Send my check-in twice 40 ms apart in Chromium; this table covers every other submit button of
the form and the check-in, in the same order as a patient meets them."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from intake.models import Intake, IntakeMedicine, PatientEmail
from intake.review.follow_up import start_follow_up
from tests.intake.checkin.helpers import (
    PLAN_WITHOUT_DOSE_CHANGE,
    STEADY_CHECK_IN,
    check_in,
    make_first_visit,
)
from tests.intake.journey import VALID_MEDICINE, add_medicine, fill_all_steps, form_token, start

pytestmark = pytest.mark.django_db


def tapped_twice(client, path, data=None):
    """Posts `data` to `path` twice: first from `client`, then from a browser holding the
    cookies `client` had before the first post. Returns (first page, second page), each the
    page its redirects end on."""
    second = Client()
    for name, morsel in client.cookies.items():
        second.cookies[name] = morsel.value
    first_page = client.post(path, data or {}, follow=True)
    second_page = second.post(path, data or {}, follow=True)
    return first_page, second_page


def landed(response):
    """The path a response's redirects ended on, without its private ?state= token."""
    return response.request["PATH_INFO"], response.status_code


def test_find_this_medicine_twice_shows_the_choice_once(client):
    start(client)
    token = form_token(client.get(reverse("intake:step", args=["medicines"])))
    first, second = tapped_twice(
        client,
        reverse("intake:step", args=["medicines"]),
        {"form_token": token, "action": "find", "medicine": "Norco"},
    )
    assert landed(second) == landed(first) == (reverse("intake:step", args=["medicines"]), 200)
    assert second.context["form"].stage == first.context["form"].stage == "details"
    assert IntakeMedicine.objects.count() == 0


def test_remove_and_undo_twice_remove_once_and_put_back_once(client):
    start(client)
    add_medicine(client)
    medicine = IntakeMedicine.objects.get()
    first, second = tapped_twice(client, reverse("intake:remove_medicine", args=[medicine.pk]))
    medicines_page = (reverse("intake:step", args=["medicines"]), 200)
    assert landed(second) == landed(first) == medicines_page
    assert IntakeMedicine.objects.count() == 0
    assert "Undo" in second.content.decode()

    first, second = tapped_twice(client, reverse("intake:undo_remove_medicine"))
    assert landed(second) == landed(first) == medicines_page
    assert IntakeMedicine.objects.count() == 1
    assert "Norco" in second.content.decode()


def test_add_this_medicine_twice_after_a_change_adds_once(client):
    start(client)
    token = form_token(client.get(reverse("intake:step", args=["medicines"])))
    first, second = tapped_twice(
        client, reverse("intake:step", args=["medicines"]), {**VALID_MEDICINE, "form_token": token}
    )
    assert landed(second) == landed(first)
    assert IntakeMedicine.objects.count() == 1
    assert "You have already added" not in second.content.decode()


def test_save_and_come_back_later_twice_shows_the_code_once_made(client):
    start(client)
    about_you = reverse("intake:step", args=["about-you"])
    first, second = tapped_twice(client, about_you, {"action": "save_later"})
    assert landed(second) == landed(first) == (reverse("intake:save_later"), 200)
    assert second.context["resume_code"] == first.context["resume_code"]


def test_email_me_the_link_twice_sends_one_email(client, smtp_server):
    start(client)
    client.post(
        reverse("intake:step", args=["about-you"]),
        {
            "full_name": "Rosa Díaz",
            "dob_day": "4",
            "dob_month": "2",
            "dob_year": "1971",
            "email": "rosa@example.org",
        },
    )
    client.get(reverse("intake:save_later"))
    first, second = tapped_twice(client, reverse("intake:save_later"), {"action": "email_link"})
    assert landed(second) == landed(first) == (reverse("intake:save_later"), 200)
    assert PatientEmail.objects.filter(kind=PatientEmail.Kind.RESUME_LINK).count() == 1
    # The second tap is answered as the first: the link went to that address.
    assert "We sent the link to rosa@example.org" in second.content.decode()


def test_carry_on_twice_opens_the_form_both_times(client):
    fill_all_steps(client)
    code = client.session["intake_resume_code"]
    other = Client()
    data = {"code": code, "dob_day": "4", "dob_month": "2", "dob_year": "1971"}
    first, second = tapped_twice(other, reverse("intake:resume"), data)
    assert landed(second) == landed(first)
    assert first.status_code == 200 and "/intake/resume" not in first.request["PATH_INFO"]
    assert "We could not find a saved form" not in second.content.decode()


def test_email_me_to_say_it_arrived_twice_sends_one_email(client, smtp_server):
    fill_all_steps(client, {"about-you": {**_about_you_with_email(), "email": "rosa@example.org"}})
    assert client.post(reverse("intake:step", args=["check"])).status_code == 302
    first, second = tapped_twice(client, reverse("intake:done"), {"action": "email_confirmation"})
    assert landed(second) == landed(first) == (reverse("intake:done"), 200)
    assert PatientEmail.objects.filter(kind=PatientEmail.Kind.CONFIRMATION).count() == 1


def _about_you_with_email():
    from tests.intake.journey import VALID_ANSWERS

    return VALID_ANSWERS["about-you"]


@pytest.fixture
def check_in_patient(client, clinician):
    follow_up, token = start_follow_up(make_first_visit(), clinician, PLAN_WITHOUT_DOSE_CHANGE)
    client.get(reverse("checkin:link", args=[token]))
    return follow_up


def test_start_my_check_in_twice_starts_one(client, check_in_patient):
    first, second = tapped_twice(client, reverse("checkin:start"))
    assert landed(second) == landed(first)
    assert first.status_code == 200 and "/check-in/" in first.request["PATH_INFO"]
    assert check_in_patient.check_ins.count() == 1


def test_save_and_continue_twice_on_a_check_in_page_moves_on_once(client, check_in_patient):
    client.post(reverse("checkin:start"))
    first, second = tapped_twice(
        client, reverse("checkin:step", args=["pain"]), {"pain_score_now": "6"}
    )
    assert landed(second) == landed(first) == (reverse("checkin:step", args=["peg"]), 200)
    assert check_in_patient.check_ins.get().pain_score_now == 6


@pytest.mark.parametrize("button", ["change", "add_medicine"])
def test_change_how_i_take_it_and_add_an_opioid_twice_open_the_same_page(
    client, check_in_patient, button
):
    client.post(reverse("checkin:start"))
    doses = reverse("checkin:step", args=["doses"])
    page = client.get(doses).content.decode()
    # The button sends the page's doses with it, as the browser does.
    typed = dict.fromkeys(re.findall(r'name="(dose_\d+)"', page), "80")
    medicine = check_in_patient.check_ins.get().medicines.get()
    if button == "change":
        action = f"change_{medicine.pk}"
        expected = reverse("checkin:change_medicine", args=[medicine.pk])
    else:
        action, expected = "add_medicine", reverse("checkin:add_medicine")
    first, second = tapped_twice(client, doses, {**typed, "action": action})
    assert landed(second) == landed(first) == (expected, 200)
    assert check_in_patient.check_ins.get().medicines.count() == 1


def test_send_another_check_in_now_twice_starts_one(client, clinician):
    follow_up, token = start_follow_up(make_first_visit(), clinician, PLAN_WITHOUT_DOSE_CHANGE)
    check_in(client, f"/intake/check-in/link/{token}/", STEADY_CHECK_IN)
    first, second = tapped_twice(client, reverse("checkin:start"))
    assert landed(second) == landed(first)
    assert follow_up.check_ins.filter(status=Intake.Status.IN_PROGRESS).count() == 1

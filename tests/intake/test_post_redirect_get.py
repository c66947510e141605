"""Every patient post answers with a redirect (Post/Redirect/Get). A post that stays on its
page (an error, the medicine search, the choice of a product) is shown by the GET after it, as
often as it is reloaded, with what was typed; nothing is sent again. A second tap on Send whose
session was saved over the first one's still ends on the thank-you page."""

import pytest
from django.test import Client
from django.utils import timezone

from intake.models import Intake, IntakeMedicine
from intake.review.follow_up import start_follow_up
from tests.intake.checkin.helpers import (
    PLAN_WITHOUT_DOSE_CHANGE,
    check_in,
    make_first_visit,
    travel,
)
from tests.intake.checkin.helpers import STEADY_CHECK_IN as STEADY
from tests.intake.journey import VALID_MEDICINE, fill_all_steps, form_token, start, submit

pytestmark = pytest.mark.django_db


def _stays(client, path, data):
    """Posts; returns the page the redirect shows, after checking a reload shows it again."""
    response = client.post(path, data)
    assert response.status_code == 302
    assert response.url.startswith(f"{path}?state=")
    shown = client.get(response.url)
    again = client.get(response.url)
    assert shown.status_code == again.status_code == 200
    if "form" in shown.context:
        assert again.context["form"].data == shown.context["form"].data
        assert again.context["form"].errors == shown.context["form"].errors
    return shown


def test_an_error_on_a_question_page_is_shown_by_the_get_with_the_typed_answers(client):
    start(client)
    shown = _stays(
        client,
        "/intake/about-you/",
        {"full_name": "Rosa Díaz", "dob_day": "31", "dob_month": "2", "dob_year": "1971"},
    )
    form = shown.context["form"]
    assert list(form.errors) == ["dob_day"]
    assert 'value="Rosa Díaz"' in shown.content.decode()
    assert Intake.objects.get().full_name == ""


def test_the_check_page_keeps_next_through_an_error(client):
    start(client)
    response = client.post("/intake/pain-details/?next=check", {})
    assert response.url.startswith("/intake/pain-details/?next=check&state=")
    page = client.get(response.url)
    assert page.context["returning_to_check"] is True
    assert page.context["form"].errors["pain_score_now"] == ["Choose a number from 0 to 10."]


def test_the_medicine_search_and_choice_are_gets_that_send_nothing_again(client):
    start(client)
    token = form_token(client.get("/intake/medicines/"))
    which = _stays(
        client, "/intake/medicines/", {"form_token": token, "action": "find", "medicine": "nrco"}
    )
    assert which.context["form"].stage == "choose"
    chosen = _stays(
        client,
        "/intake/medicines/",
        {"form_token": token, "action": "find", "medicine": "nrco", "product": "norco"},
    )
    assert (chosen.context["form"].stage, chosen.context["form"].chosen.id) == (
        "details",
        "norco",
    )
    assert IntakeMedicine.objects.count() == 0


def test_reloading_after_an_add_error_never_adds_or_says_already_listed(client):
    start(client)
    token = form_token(client.get("/intake/medicines/"))
    shown = _stays(
        client,
        "/intake/medicines/",
        {**VALID_MEDICINE, "form_token": token, "times_per_day": ""},
    )
    assert "times_per_day" in shown.context["form"].errors
    assert 'value="Norco"' in shown.content.decode()
    assert IntakeMedicine.objects.count() == 0
    added = client.post("/intake/medicines/", {**VALID_MEDICINE, "form_token": token})
    assert added.url == "/intake/medicines/"
    assert IntakeMedicine.objects.count() == 1


def test_a_wrong_code_on_the_resume_page_is_told_by_the_get_and_counted_once():
    client = Client()
    data = {"code": "AAAAA-AAAAA", "dob_day": "4", "dob_month": "2", "dob_year": "1971"}
    shown = _stays(client, "/intake/resume/", data)
    assert "We could not find a saved form" in shown.content.decode()
    assert 'value="AAAAA-AAAAA"' in shown.content.decode()
    from intake.models import ResumeAttempt

    assert ResumeAttempt.objects.count() == 1


def test_a_form_already_sent_is_told_by_the_get(client):
    fill_all_steps(client)
    code = client.session["intake_resume_code"]
    submit(client)
    other = Client()
    shown = _stays(
        other,
        "/intake/resume/",
        {"code": code, "dob_day": "4", "dob_month": "2", "dob_year": "1971"},
    )
    assert "Your form was already sent" in shown.content.decode()


def test_a_second_send_whose_session_was_saved_over_the_first_still_thanks(client):
    """A double tap: the second request read the session before the first sent the form, and
    saved it after, so the session still holds the form as unsent."""
    fill_all_steps(client)
    before = dict(client.session.items())
    assert submit(client).url == "/intake/done/"
    session = client.session
    session.clear()
    session.update(before)
    session.save()
    for path in ("/intake/check/", "/intake/about-you/", "/intake/done/"):
        response = client.get(path, follow=True)
        assert response.request["PATH_INFO"] == "/intake/done/", path
    page = client.get("/intake/done/").content.decode()
    sent = Intake.objects.get()
    assert sent.reference in page
    assert Intake.objects.filter(status=Intake.Status.SUBMITTED).count() == 1


def test_a_second_send_of_a_check_in_ends_on_its_done_page_and_starts_nothing(client, clinician):
    follow_up, token = start_follow_up(make_first_visit(), clinician, PLAN_WITHOUT_DOSE_CHANGE)
    check_in(client, f"/intake/check-in/link/{token}/", STEADY)
    second = client.post("/intake/check-in/check/", follow=True)
    assert second.redirect_chain[-1][0] == "/intake/check-in/done/"
    assert "Your check-in has been sent" in second.content.decode()
    assert follow_up.check_ins.count() == 1


def test_a_check_in_link_opened_again_after_sending_shows_it_sent_with_the_next_date(
    client, clinician
):
    first = make_first_visit()
    follow_up, token = start_follow_up(first, clinician, PLAN_WITHOUT_DOSE_CHANGE)
    travel(first.patient, 14)  # today is the first due date
    follow_up.refresh_from_db()
    assert follow_up.due_dates()[0] == timezone.localdate()
    check_in(client, f"/intake/check-in/link/{token}/", STEADY)
    assert client.get("/intake/check-in/done/").context["next_due"] == follow_up.due_dates()[1]
    again = Client()
    page = again.get(f"/intake/check-in/link/{token}/", follow=True)
    assert page.redirect_chain[-1][0] == "/intake/check-in/done/"
    assert page.context["next_due"] == follow_up.due_dates()[1]
    assert follow_up.check_ins.count() == 1


def _start_token(response):
    import re

    return re.search(r'name="start_token" value="([^"]+)"', response.content.decode()).group(1)


def test_a_second_tap_on_start_sent_with_the_old_session_key_gets_the_same_form(client):
    """Starting gives a new session key; the second tap of a double tap still carries the old
    one. It holds the same form, with the same code; a stranger with the token alone does not."""
    token = _start_token(client.get("/intake/"))
    old_session = client.cookies["sessionid"].value
    assert client.post("/intake/", {"consent": "on", "start_token": token}).status_code == 302
    second = Client()
    second.cookies["sessionid"] = old_session
    response = second.post("/intake/", {"consent": "on", "start_token": token})
    assert response.url == "/intake/about-you/"
    assert Intake.objects.count() == 1
    assert second.session["intake_resume_code"] == client.session["intake_resume_code"]
    stranger = Client()
    stranger.get("/intake/")
    stranger.post("/intake/", {"consent": "on", "start_token": token})
    assert Intake.objects.count() == 2
    assert stranger.session["intake_id"] != client.session["intake_id"]

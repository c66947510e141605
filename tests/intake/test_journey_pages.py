"""Save and come back later, branching past pages that do not apply, the thank-you
page's email and copy, and coming back to a form that was already sent."""

import re

import pytest
from django.test import Client

from intake.models import Intake
from tests.helpers import mentions, words_shown
from tests.intake.journey import VALID_ANSWERS, fill_all_steps, post, start, submit
from tests.smtp import empty_job_queue, run_jobs, smtp_server  # noqa: F401 (fixtures)

EMAIL = "rosa@example.com"


def about_you_with_email(client):
    start(client)
    post(client, "/intake/about-you/", {**VALID_ANSWERS["about-you"], "email": EMAIL})


@pytest.mark.django_db
def test_save_and_come_back_later_shows_the_code_and_the_link_and_keeps_the_answer(client):
    start(client)
    response = post(
        client, "/intake/about-you/", {**VALID_ANSWERS["about-you"], "action": "save_later"}
    )
    assert response.url == "/intake/save/?from=about-you"
    page = client.get(response.url).content.decode()
    code = re.search(r'id="resume-code">([A-Z0-9]{5}-[A-Z0-9]{5})<', page).group(1)
    link = re.search(r'id="resume-link">(http[^<]+)<', page).group(1)
    assert "Email me the link" not in page  # no address given, so nothing to offer
    assert Intake.objects.get().full_name == "Rosa Parks-Díaz"

    # Another browser carries on with the code and birth date, or with the link.
    later = Client()
    birth = {k: VALID_ANSWERS["about-you"][k] for k in ("dob_month", "dob_day", "dob_year")}
    assert later.post("/intake/resume/", {"code": code, **birth}).url == "/intake/medicines/"
    assert Client().get(link.replace("http://testserver", "")).url == "/intake/medicines/"


@pytest.mark.django_db
def test_a_half_answered_page_can_still_be_saved_for_later(client):
    start(client)
    response = post(client, "/intake/about-you/", {"full_name": "", "action": "save_later"})
    assert response.url == "/intake/save/?from=about-you&unsaved=1"
    assert "were not finished, so they were not saved" in client.get(response.url).content.decode()


@pytest.mark.django_db(transaction=True)
def test_the_link_is_emailed_only_when_the_patient_asks(client, smtp_server, empty_job_queue):  # noqa: F811
    about_you_with_email(client)
    page = client.get("/intake/save/?from=medicines").content.decode()
    link = re.search(r'id="resume-link">(http[^<]+)<', page).group(1)
    run_jobs()
    assert smtp_server.messages == []  # seeing the page sends nothing

    response = post(client, "/intake/save/?from=medicines", {"action": "email_link"})
    assert response.url == "/intake/save/?from=medicines"
    run_jobs()
    [message] = smtp_server.messages
    assert smtp_server.recipients == [[EMAIL]]
    text = message.get_content()
    assert link in text
    for answer in ("Rosa", "1971", "Parks"):
        assert answer not in text


@pytest.mark.django_db(transaction=True)
def test_the_thank_you_page_confirms_by_email_without_answers(client, smtp_server, empty_job_queue):  # noqa: F811
    fill_all_steps(client, {"about-you": {**VALID_ANSWERS["about-you"], "email": EMAIL}})
    submit(client)
    page = client.get("/intake/done/").content.decode()
    assert "What happens next" in page
    assert "Email me to say it arrived" in page
    run_jobs()
    assert [r for r in smtp_server.recipients if EMAIL in r] == []

    post(client, "/intake/done/", {"action": "email_confirmation"})
    run_jobs()
    sent = zip(smtp_server.messages, smtp_server.recipients, strict=True)
    mine = [message for message, to in sent if to == [EMAIL]]
    [message] = mine
    text = message.get_content()
    intake = Intake.objects.get()
    assert intake.reference in text
    # The reference is random and may hold any digit, so answers are sought in the rest.
    rest = text.replace(intake.reference, "").lower()
    for answer in ("Rosa", "1971", "Lower back", "hydrocodone"):
        assert answer.lower() not in rest
    assert not re.search(r"\b8\b", rest), "the pain score must not be in the email"


@pytest.mark.django_db
def test_a_copy_of_the_answers_to_print_and_no_diagnosis(client):
    fill_all_steps(client)
    submit(client)
    page = client.get("/intake/done/answers/").content.decode()
    assert "A copy of your answers" in page and "Print your answers" in page
    assert "Rosa Parks-Díaz" in page and "Lower back" in page
    for hidden in ("flag", "borderline", "MME"):
        assert not mentions(words_shown(page), hidden)
    assert Client().get("/intake/done/answers/").url == "/intake/"


@pytest.mark.django_db
def test_resuming_a_form_already_sent_says_so_kindly(client):
    start(client)
    code = re.search(
        r'id="resume-code">([A-Z0-9]{5}-[A-Z0-9]{5})<', client.get("/intake/save/").content.decode()
    ).group(1)
    fill_all_steps(client)
    submit(client)
    birth = {k: VALID_ANSWERS["about-you"][k] for k in ("dob_month", "dob_day", "dob_year")}
    page = post(Client(), "/intake/resume/", {"code": code, **birth}).content.decode()
    assert "Your form was already sent" in page
    assert "We could not find" not in page


@pytest.mark.django_db
def test_not_taking_opioids_now_skips_the_time_before_the_next_dose(client):
    fill_all_steps(
        client,
        {
            "opioid-use": {"currently_taking_opioids": "False"},
            "time-since-stopped": {"years": "0", "months": "3"},
        },
    )
    intake = Intake.objects.get()
    assert intake.months_since_stopped == 3
    assert intake.pain_between_doses_or_missed_dose == ""
    assert "between-doses" not in intake.completed_steps
    assert client.get("/intake/between-doses/").url == "/intake/check/"
    page = client.get("/intake/check/").content.decode()
    assert "Not asked. You said you do not take opioid medicine now." in page
    assert submit(client).url == "/intake/done/"


@pytest.mark.django_db
def test_a_dose_that_stayed_the_same_skips_the_dose_change_questions(client):
    fill_all_steps(client, {"dose-change": {"dose_change_last_6_months": "stable"}})
    intake = Intake.objects.get()
    assert (intake.pain_when_dose_increased, intake.pain_when_dose_decreased) == ("", "")
    assert intake.weeks_since_last_dose_change is None
    page = client.get("/intake/check/").content.decode()
    assert page.count("Not asked. You said your dose stayed the same.") == 2
    assert "Some questions are not answered yet" not in page


@pytest.mark.django_db
def test_changing_an_answer_clears_what_no_longer_applies_and_asks_what_now_does(client):
    fill_all_steps(
        client,
        {
            "opioid-use": {"currently_taking_opioids": "False"},
            "time-since-stopped": {"years": "1", "months": "0"},
        },
    )
    response = post(
        client,
        "/intake/opioid-use/?next=check",
        {"currently_taking_opioids": "True", "next": "check"},
    )
    # The time before the next dose now applies and was never asked: it is asked next.
    assert response.url == "/intake/between-doses/?next=check"
    assert Intake.objects.get().months_since_stopped is None


@pytest.mark.django_db
def test_the_rather_not_say_answer_is_chosen_never_preset(client):
    start(client)
    page = client.get("/intake/oud/").content.decode()
    assert " checked" not in page
    assert "Choose one answer" in post(client, "/intake/oud/", {}).content.decode()
    post(client, "/intake/oud/", {"known_opioid_use_disorder": "rather_not_say"})
    intake = Intake.objects.get()
    assert intake.known_opioid_use_disorder is None and "oud" in intake.completed_steps
    page = client.get("/intake/oud/").content.decode()
    assert re.search(r'value="rather_not_say"[^>]* checked', page)


@pytest.mark.django_db
@pytest.mark.parametrize(("typed", "year"), [("71", 1971), ("05", 2005), ("1971", 1971)])
def test_a_two_digit_birth_year_is_understood(client, typed, year):
    start(client)
    post(client, "/intake/about-you/", {**VALID_ANSWERS["about-you"], "dob_year": typed})
    assert Intake.objects.get().date_of_birth.year == year


@pytest.mark.django_db
def test_date_of_birth_is_asked_month_day_year(client):
    start(client)
    page = client.get("/intake/about-you/").content.decode()
    assert page.index('id="id_dob_month"') < page.index('id="id_dob_day"')
    assert page.index('id="id_dob_day"') < page.index('id="id_dob_year"')
    assert "4 numbers, like 1967" in page


@pytest.mark.django_db
def test_every_question_page_has_one_h1_and_every_answer_a_label(client):
    start(client)
    from intake.journey.steps import FORM_STEPS

    for step in FORM_STEPS:
        response = client.get(f"/intake/{step.slug}/")
        if response.status_code == 302:
            continue  # does not apply before the questions it depends on are answered
        page = response.content.decode()
        assert page.count("<h1") == 1, step.slug
        for input_id in re.findall(
            r'<input[^>]*type="(?:text|radio|checkbox|number|email)"[^>]*id="([^"]+)"', page
        ):
            assert f'for="{input_id}"' in page, (step.slug, input_id)
        assert "Save and come back later" in page, step.slug


@pytest.mark.django_db
def test_the_home_page_and_the_start_page_give_one_time(client):
    from intake.journey.steps import MINUTES_TO_COMPLETE

    said = f"about {MINUTES_TO_COMPLETE} minutes"
    assert said in client.get("/").content.decode()
    assert said in client.get("/intake/").content.decode()

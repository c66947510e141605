"""Bad input gets a clear message at the field and in the summary; nothing half-written."""

import pytest
from django.utils import timezone

from intake.models import Intake, IntakeMedicine
from tests.intake.journey import VALID_ANSWERS, VALID_MEDICINE, form_token, post, start

pytestmark = pytest.mark.django_db
NEXT_YEAR = str(timezone.localdate().year + 1)


def post_step(client, slug, **changes):
    start(client)
    data = {**VALID_ANSWERS[slug], **changes}
    return post(client, f"/intake/{slug}/", {k: v for k, v in data.items() if v is not None})


@pytest.mark.parametrize(
    ("slug", "changes", "field", "message"),
    [
        ("about-you", {"full_name": ""}, "full_name", "Enter your full name."),
        ("about-you", {"full_name": "   "}, "full_name", "Enter your full name."),
        (
            "about-you",
            {"full_name": "x" * 10_000},
            "full_name",
            "Your name must be 200 characters or fewer.",
        ),
        (
            "about-you",
            {"dob_year": NEXT_YEAR},
            "dob_year",
            "Your date of birth must be in the past.",
        ),
        (
            "about-you",
            {"dob_day": "31", "dob_month": "2"},
            "dob_day",
            "Enter a real date of birth. That month does not have that many days.",
        ),
        (
            "about-you",
            {"dob_month": "13"},
            "dob_month",
            "The month must be from 1 to 12. The first box is the month: the day and "
            "month may be the wrong way round.",
        ),
        ("about-you", {"dob_day": "abc"}, "dob_day", "Enter the day as a number, like 27."),
        ("about-you", {"dob_year": "1850"}, "dob_year", "Enter a year after 1900."),
        (
            "about-you",
            {"email": "not-an-email"},
            "email",
            "Enter an email address like name@example.com.",
        ),
        (
            "about-you",
            {"phone": "call me maybe"},
            "phone",
            "Enter a phone number using numbers, spaces and + ( ) - only.",
        ),
        (
            "opioid-use",
            {"currently_taking_opioids": None},
            "currently_taking_opioids",
            "Choose yes or no.",
        ),
        (
            "time-on-opioids",
            {"years": "", "months": ""},
            "years",
            "Enter about how long you have taken opioids. A guess is fine.",
        ),
        (
            "time-on-opioids",
            {"months": "14"},
            "months",
            "Enter 11 months or fewer. For 12 months, enter 1 year.",
        ),
        ("time-on-opioids", {"years": "-1"}, "years", "Years cannot be less than 0."),
        (
            "dose-change-weeks",
            {"dose_change_ago": "lots"},
            "dose_change_ago",
            "Enter a number, like 6 or 2.5.",
        ),
        (
            "dose-changes",
            {"pain_when_dose_increased": "explode"},
            "pain_when_dose_increased",
            "Choose one of the answers shown.",
        ),
        (
            "between-doses",
            {"withdrawal_symptoms_between_doses": ["hiccups"]},
            "withdrawal_symptoms_between_doses",
            "Choose only from the boxes shown.",
        ),
        (
            "pain-map",
            {"current_pain_sites": []},
            "current_pain_sites",
            "Tick at least one place where you have pain now.",
        ),
        (
            "pain-map",
            {"current_pain_sites": ["tail"]},
            "current_pain_sites",
            "Choose only from the boxes shown.",
        ),
        (
            "pain-details",
            {"pain_score_now": "11"},
            "pain_score_now",
            "Choose a number from 0 to 10.",
        ),
        (
            "pain-details",
            {"pain_score_now": "-1"},
            "pain_score_now",
            "Choose a number from 0 to 10.",
        ),
        (
            "pain-past-week",
            {"peg_activity": None},
            "peg_activity",
            "Choose a number from 0 to 10 for daily activities.",
        ),
        (
            "new-injury",
            {"new_injury_details": "a" * 10_000},
            "new_injury_details",
            "Keep this to 2000 characters or fewer.",
        ),
        (
            "other-questions",
            {"signs_of_misuse": ["robbery"]},
            "signs_of_misuse",
            "Choose only from the boxes shown.",
        ),
    ],
)
def test_bad_answers_get_a_kind_message_and_are_not_saved(client, slug, changes, field, message):
    response = post_step(client, slug, **changes)
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors[field] == [message]
    page = response.content.decode()
    assert "There is a problem" in page
    assert page.count(message) == 2, "the message shows at the field and in the summary"
    assert slug not in Intake.objects.get().completed_steps


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"amount": "-5"}, "amount", "Please use a number above 0."),
        ({"amount": "0"}, "amount", "Please use a number above 0."),
        ({"amount": "lots"}, "amount", "Please use a number, such as 1, 2.5 or 1/2."),
        ({"amount": "1" * 30}, "amount", "That number is too big. Please check it."),
        (
            {"times_per_day": ""},
            "times_per_day",
            "Please say how many times a day you take it. If you take it only when you need "
            "it, say the most you take in a day.",
        ),
        (
            {"times_per_day": "100"},
            "times_per_day",
            "A day has 24 hours: please check how many times a day.",
        ),
        (
            {"strength": "12 mg/325 mg"},
            "strength",
            "Norco is not usually sold as 12 mg/325 mg. Please check the label. It comes in "
            "5 mg/325 mg, 7.5 mg/325 mg, 10 mg/325 mg. If the label says 12 mg/325 mg, you can "
            "say so below.",
        ),
        (
            {"strength": ""},
            "strength",
            "Which strength is on the label? Norco comes in 5 mg/325 mg, 7.5 mg/325 mg, "
            "10 mg/325 mg.",
        ),
        ({"purpose": ""}, "purpose", "Choose what the medicine is for."),
        (
            {"medicine": ""},
            "medicine",
            "Please type the name of the medicine, as on the label.",
        ),
        (
            {"medicine": "Duragesic", "strength": "25 mcg/hr", "times_per_day": "", "patches": "1"},
            "change_every_days",
            "Please say every how many days you change the patch.",
        ),
    ],
)
def test_bad_medicines_are_refused_at_the_field(client, changes, field, message):
    start(client)
    token = form_token(client.get("/intake/medicines/"))
    response = post(
        client, "/intake/medicines/", {**VALID_MEDICINE, "form_token": token, **changes}
    )
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert IntakeMedicine.objects.count() == 0


@pytest.mark.parametrize(
    "name", ["Zoë Ñúñez", "李小龙", "محمد علي", "Ana 😀 Silva", "O'Brien-Smith"]
)
def test_any_real_name_is_accepted(client, name):
    response = post_step(client, "about-you", full_name=name)
    assert response.status_code == 302
    assert Intake.objects.get().full_name == name


def test_html_in_a_text_box_is_stored_as_typed_and_shown_as_text(client):
    start(client)
    post(
        client,
        "/intake/about-you/",
        {**VALID_ANSWERS["about-you"], "full_name": "<script>alert(1)</script>"},
    )
    assert Intake.objects.get().full_name == "<script>alert(1)</script>"
    page = client.get("/intake/check/").content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_nul_and_control_characters_are_dropped_not_an_error(client):
    response = post_step(client, "about-you", full_name="Ann\x00 Lee\x07")
    assert response.status_code == 302
    assert Intake.objects.get().full_name == "Ann Lee"


def test_an_empty_post_is_validated_not_ignored(client):
    start(client)
    response = post(client, "/intake/pain-details/", {})
    assert response.status_code == 200
    assert response.context["form"].errors["pain_score_now"] == ["Choose a number from 0 to 10."]

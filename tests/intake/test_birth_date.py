"""A birth year no calendar holds gets a kind message at the year box, never a 500 or a
message about days, on "About you" and on the resume page alike."""

import pytest
from django.test import Client
from django.utils import timezone

from tests.intake.journey import VALID_ANSWERS, post, start

pytestmark = pytest.mark.django_db
FOUR_NUMBERS = "Enter the year as 4 numbers, like 1967."
BAD_YEARS = [
    ("9" * 19, FOUR_NUMBERS),
    ("1" + "0" * 40, FOUR_NUMBERS),
    ("-" + "9" * 19, FOUR_NUMBERS),
    ("0", FOUR_NUMBERS),
    ("-1", FOUR_NUMBERS),
    ("10000", FOUR_NUMBERS),
    ("999", FOUR_NUMBERS),
    ("1850", "Enter a year after 1900."),
    (str(timezone.localdate().year + 1), "Your date of birth must be in the past."),
    ("9999", "Your date of birth must be in the past."),
]


@pytest.mark.parametrize(("year", "message"), BAD_YEARS)
def test_a_bad_birth_year_on_about_you_gets_its_message_at_the_year(client, year, message):
    start(client)
    response = post(client, "/intake/about-you/", {**VALID_ANSWERS["about-you"], "dob_year": year})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["dob_year"] == [message]
    assert "dob_day" not in errors


@pytest.mark.parametrize(("year", "message"), BAD_YEARS)
def test_a_bad_birth_year_on_the_resume_page_gets_its_message_at_the_year(year, message):
    response = post(
        Client(),
        "/intake/resume/",
        {"code": "ABCDE-FGHJK", "dob_day": "4", "dob_month": "2", "dob_year": year},
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["dob_year"] == [message]
    assert "dob_day" not in errors


def test_a_day_the_month_does_not_have_is_still_told_at_the_day(client):
    start(client)
    answers = {**VALID_ANSWERS["about-you"], "dob_day": "30", "dob_month": "2"}
    response = post(client, "/intake/about-you/", answers)
    assert response.context["form"].errors["dob_day"] == [
        "Enter a real date of birth. That month does not have that many days."
    ]
